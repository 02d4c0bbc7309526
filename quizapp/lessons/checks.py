"""Rules across fields of a lesson that the schema alone cannot express.

Each problem is a location (the same shape as pydantic's ``loc``) and a message; the loader
turns the location into a file line. ``lesson_problems`` are errors: such a lesson cannot be
taught. ``strict_problems`` are what a finished, publishable lesson must also have
(``quizapp validate --strict``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from quizapp.grading import normalize_text
from quizapp.lessons.model import (
    Lesson,
    MatchQuestion,
    MultiQuestion,
    OrderQuestion,
    SingleQuestion,
    TextQuestion,
)
from quizapp.wording import did_you_mean, plural

Loc = tuple[str | int, ...]
Problem = tuple[Loc, str]

# What --strict asks of a finished lesson (issue: "the module's content").
MIN_CARDS, MAX_CARDS = 6, 12
MIN_QUESTIONS = 10
MIN_QUESTION_TYPES = 4


def lesson_problems(lesson: Lesson) -> list[Problem]:
    """Everything that makes a lesson wrong: it cannot be shown or graded as written."""
    problems: list[Problem] = []
    problems += _duplicates(
        ((("sources", i, "id"), s.id) for i, s in enumerate(lesson.sources)), "source id"
    )
    problems += _duplicates(
        ((("glossary", i, "term"), g.term) for i, g in enumerate(lesson.glossary)), "glossary term"
    )
    known = {source.id for source in lesson.sources}
    for i, card in enumerate(lesson.cards):
        if card.body is None and card.timeline is None:
            problems.append((("cards", i), "a card needs a `body` or a `timeline`"))
        problems += _unknown_sources(("cards", i), card.sources, known)
        for j, event in enumerate(card.timeline or []):
            problems += _unknown_sources(("cards", i, "timeline", j), event.sources, known)
    questions = lesson.quiz.questions
    problems += _duplicates(
        ((("quiz", "questions", i, "id"), q.id) for i, q in enumerate(questions)), "question id"
    )
    for i, question in enumerate(questions):
        at: Loc = ("quiz", "questions", i)
        problems += _unknown_sources(at, question.sources, known)
        if question.card is not None and question.card > len(lesson.cards):
            problems.append(
                (
                    (*at, "card"),
                    f"card {question.card} does not exist: the lesson has {len(lesson.cards)}",
                )
            )
        problems += _question_problems(at, question)
    return problems


def _question_problems(at: Loc, question: object) -> list[Problem]:
    problems: list[Problem] = []
    if isinstance(question, SingleQuestion | MultiQuestion):
        texts = [choice.text for choice in question.options]
        problems += _duplicates(
            (((*at, "choices", i), text) for i, text in enumerate(texts)), "choice"
        )
        answers = [question.answer] if isinstance(question, SingleQuestion) else question.answer
        for k, answer in enumerate(answers):
            if answer not in texts:
                where = (
                    (*at, "answer") if isinstance(question, SingleQuestion) else (*at, "answer", k)
                )
                problems.append(
                    (
                        where,
                        f"answer {answer!r} is not one of the choices{did_you_mean(answer, texts)}",
                    )
                )
        if isinstance(question, MultiQuestion):
            problems += _duplicates(
                (((*at, "answer", k), a) for k, a in enumerate(answers)), "answer"
            )
    elif isinstance(question, OrderQuestion):
        if len(set(question.items)) < 3:
            problems.append(((*at, "items"), "an order question needs at least 3 distinct items"))
        else:
            problems += _duplicates(
                (((*at, "items", i), item) for i, item in enumerate(question.items)), "item"
            )
    elif isinstance(question, TextQuestion):
        for k, accepted in enumerate(question.accept):
            if not normalize_text(accepted):
                problems.append(
                    ((*at, "accept", k), "this answer is only punctuation: nobody can type it")
                )
    elif isinstance(question, MatchQuestion):
        partners = set(question.pairs.values())
        for k, extra in enumerate(question.distractors):
            if extra in partners:
                problems.append(
                    ((*at, "distractors", k), f"{extra!r} is a right answer, not a distractor")
                )
    return problems


def strict_problems(lesson: Lesson) -> list[Problem]:
    """What a finished lesson needs beyond being valid: sources everywhere, explanations,
    and the module's minimums."""
    problems: list[Problem] = []
    for i, source in enumerate(lesson.sources):
        if not (source.author or source.publisher):
            problems.append((("sources", i), "a source needs an `author` or a `publisher`"))
        if not (source.date or source.accessed):
            problems.append(
                (("sources", i), "a source needs a `date` (or, for an undated page, `accessed`)")
            )
        if not source.url:
            problems.append((("sources", i), "a source needs a `url` (its canonical address)"))
    for i, card in enumerate(lesson.cards):
        events_cited = bool(card.timeline) and all(e.sources for e in card.timeline or [])
        if not card.sources and not events_cited:
            problems.append((("cards", i), "card cites no source (add `sources: [...]`)"))
    questions = lesson.quiz.questions
    for i, question in enumerate(questions):
        at: Loc = ("quiz", "questions", i)
        if not question.sources:
            problems.append((at, "question cites no source (add `sources: [...]`)"))
        if not (question.explanation or "").strip():
            problems.append((at, "question has no `explanation`"))
        if question.card is None:
            problems.append((at, "question does not say which `card` teaches it"))
    if not lesson.objectives:
        problems.append(((), "lesson has no `objectives`"))
    if not lesson.glossary:
        problems.append(((), "lesson has no `glossary`"))
    if not MIN_CARDS <= len(lesson.cards) <= MAX_CARDS:
        problems.append(
            (
                ("cards",),
                f"lesson has {plural(len(lesson.cards), 'card')}; a finished lesson has "
                f"{MIN_CARDS} to {MAX_CARDS}",
            )
        )
    if not any(card.timeline for card in lesson.cards):
        problems.append((("cards",), "lesson has no timeline card"))
    if len(questions) < MIN_QUESTIONS:
        problems.append(
            (
                ("quiz", "questions"),
                f"quiz has {plural(len(questions), 'question')}; a finished lesson "
                f"has at least {MIN_QUESTIONS}",
            )
        )
    types = {question.type for question in questions}
    if len(types) < MIN_QUESTION_TYPES:
        problems.append(
            (
                ("quiz", "questions"),
                f"quiz uses {plural(len(types), 'question type')}; a finished lesson "
                f"uses at least {MIN_QUESTION_TYPES}",
            )
        )
    if "order" not in types:
        problems.append((("quiz", "questions"), "quiz has no `order` question"))
    return problems


def _duplicates(items: Iterable[tuple[Loc, str]], what: str) -> list[Problem]:
    seen: Counter[str] = Counter()
    problems: list[Problem] = []
    for loc, value in items:
        seen[value] += 1
        if seen[value] == 2:
            problems.append((loc, f"duplicate {what} {value!r}"))
    return problems


def _unknown_sources(at: Loc, refs: list[str], known: set[str]) -> list[Problem]:
    return [
        (
            (*at, "sources", k),
            f"source {ref!r} is not in the lesson's `sources`{did_you_mean(ref, known)}",
        )
        for k, ref in enumerate(refs)
        if ref not in known
    ]


def review_problems(lesson: Lesson, today: dt.date) -> list[Problem]:
    """Cards and questions whose ``review_by`` date has passed: their time-sensitive facts
    are due to be checked against the sources again (``quizapp validate`` warns, ``--strict``
    fails)."""
    dated: list[tuple[Loc, str, str | None]] = [
        (("cards", i), f"card {i + 1} ({card.title})", card.review_by)
        for i, card in enumerate(lesson.cards)
    ]
    dated += [
        (("quiz", "questions", i), f"question {question.id!r}", question.review_by)
        for i, question in enumerate(lesson.quiz.questions)
    ]
    return [
        (
            (*at, "review_by"),
            f"{what}: its review date {review_by} has passed; check its facts against the "
            "sources again, then update `as_of` and `review_by`",
        )
        for at, what, review_by in dated
        if review_by is not None and dt.date.fromisoformat(review_by) < today
    ]
