"""Regrade after a key fix: which stored answers were graded by an answer key that changed.

A stored answer carries the content hash of the question version it answered. A question
whose hash differs today may have changed anything: the key, the prompt, the choices. Only a
change of the key alone may be regraded (the student answered the same question, graded by
a wrong key); so for each stored hash this module looks for a key under which today's
question hashes to it (:func:`old_key`): another choice or set of choices, true for false,
another order or matching, a number among those students typed, or another list of accepted
texts among those typed. Found: the answers are regraded by today's key. Not found: the
prompt, choices or more changed, and the answers are reported, not regraded.
Pure: the store reads and writes (:mod:`quizapp.store.regrade`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from quizapp.grading import grade, with_hint
from quizapp.lessons.model import (
    Lesson,
    MatchQuestion,
    MultiQuestion,
    NumberQuestion,
    OrderQuestion,
    Question,
    SingleQuestion,
    TextQuestion,
    TrueFalseQuestion,
)

__all__ = ["Change", "Plan", "old_key", "plan"]

#: Permutations tried for order and match keys (6 items: 720).
_MOST_PERMUTED = 6


@dataclass(frozen=True)
class Change:
    """One answer whose grade changes: who, which attempt and question, from what to what."""

    answer_id: int
    attempt_id: int
    student: str
    question_id: str
    old_score: float
    new_score: float


@dataclass
class Plan:
    """What a regrade of one lesson does: the changed grades, the hashes they move from and
    to, and the answers it leaves alone because more than the key changed."""

    lesson_id: str
    changes: list[Change]
    #: (question id, old hash) of every version regraded, with today's hash.
    versions: dict[tuple[str, str], str]
    #: (question id, old hash): number of answers not regraded (prompt or choices changed).
    reported: dict[tuple[str, str], int]


def _variants(question: Question, typed: list[Any]) -> Iterator[Question]:
    """Today's question with every other key it could have had."""
    match question:
        case SingleQuestion():
            for choice in question.options:
                yield question.model_copy(update={"answer": choice.text})
        case MultiQuestion():
            texts = [c.text for c in question.options]
            for size in range(1, len(texts) + 1):
                for combo in itertools.combinations(texts, size):
                    yield question.model_copy(update={"answer": list(combo)})
        case TrueFalseQuestion():
            yield question.model_copy(update={"answer": not question.answer})
        case NumberQuestion():
            for value in typed:
                try:
                    yield question.model_copy(update={"answer": float(value)})
                except (TypeError, ValueError):
                    continue
        case TextQuestion():
            for value in typed:
                if isinstance(value, str):
                    yield question.model_copy(update={"accept": [value]})
                    yield question.model_copy(update={"accept": [value, *question.accept]})
                    yield question.model_copy(update={"accept": [*question.accept, value]})
        case OrderQuestion() if len(question.items) <= _MOST_PERMUTED:
            for perm in itertools.permutations(question.items):
                yield question.model_copy(update={"items": list(perm)})
        case MatchQuestion() if len(question.pairs) <= _MOST_PERMUTED:
            lefts = list(question.pairs)
            for perm in itertools.permutations(question.pairs.values()):
                yield question.model_copy(update={"pairs": dict(zip(lefts, perm, strict=True))})


def old_key(question: Question, old_hash: str, typed: Iterable[Any] = ()) -> Question | None:
    """Today's question as it was when it hashed to ``old_hash``, if only its key differed
    (``typed``: responses students gave, candidates for a number or text key); else None."""
    for variant in _variants(question, list(typed)):
        if variant.content_hash() == old_hash:
            return variant
    return None


def plan(lesson: Lesson, answers: Iterable[Any], wanted: set[str] | None = None) -> Plan:
    """The regrade of ``lesson``'s stored ``answers`` (rows with ``id``, ``attempt_id``,
    ``student``, ``question_id``, ``question_hash``, ``response``, ``score``, and ``hinted``
    when the answer came after its hint: the lesson's ``hint_penalty`` is kept), limited to
    the questions in ``wanted`` if given."""
    questions = {q.id: q for q in lesson.quiz.questions}
    rows = [r for r in answers if r.question_id in questions]
    if wanted is not None:
        rows = [r for r in rows if r.question_id in wanted]
    result = Plan(lesson.id, [], {}, {})
    stale: dict[tuple[str, str], list[Any]] = {}
    for row in rows:
        question = questions[row.question_id]
        if row.question_hash != question.content_hash():
            stale.setdefault((row.question_id, row.question_hash), []).append(row)
    for (question_id, old_hash), group in sorted(stale.items()):
        question = questions[question_id]
        if old_key(question, old_hash, (r.response for r in group)) is None:
            result.reported[(question_id, old_hash)] = len(group)
            continue
        result.versions[(question_id, old_hash)] = question.content_hash()
        for row in group:
            new = grade(question, row.response)
            if getattr(row, "hinted", False):  # the hint's cost stays (issue 16)
                new = with_hint(new, lesson.quiz.hint_penalty)
            new_score = new.score
            if abs(new_score - row.score) > 1e-9:
                result.changes.append(
                    Change(row.id, row.attempt_id, row.student, question_id, row.score, new_score)
                )
    return result
