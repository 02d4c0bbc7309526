"""The statistics of item analysis: which attempts count, and the figures computed over them.

:func:`select_attempts` picks each student's attempts by a rule (first, last, best or all);
:func:`item_analysis` computes the quiz figures and one :class:`QuestionStats` per question
(facility, discrimination, how often each choice was picked, the time taken) and raises
the flags an instructor should act on. :func:`pearson` and :func:`cronbach_alpha` return
None rather than dividing by zero. Everything here works on plain
:class:`~quizapp.reports.types.AnswerRecord` values: no database, no terminal. See
:mod:`quizapp.reports` for what the figures mean.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
import textwrap
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any, assert_never

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
from quizapp.reports.types import (
    ATTEMPT_RULES,
    LOW_DISCRIMINATION_BELOW,
    MIN_ANSWERS_FOR_FLAGS,
    MIN_ATTEMPTS_FOR_CORRELATION,
    TOO_EASY_ABOVE,
    TOO_FEW,
    TOO_HARD_BELOW,
    AnswerRecord,
    AttemptRule,
    ChoiceCount,
    Flag,
    LessonReport,
    QuestionStats,
    QuizStats,
)

__all__ = ["cronbach_alpha", "item_analysis", "pearson", "select_attempts"]

_EPSILON = 1e-12  # a variance below this is no spread at all (float noise)


# --------------------------------------------------------------------------- selection


def select_attempts(
    records: Iterable[AnswerRecord], rule: AttemptRule, *, finished_only: bool = True
) -> list[AnswerRecord]:
    """The records of the attempts that ``rule`` keeps, per student and lesson.

    As Moodle's quiz statistics: ``first`` keeps each student's earliest attempt at each
    lesson, ``last`` the latest, ``best`` the one with the highest mean score (the earliest on
    a tie), ``all`` every attempt. Unfinished attempts are left out unless ``finished_only``
    is False, so a student who gave up half way does not count as having answered wrong.
    Retries of missed questions (``retry``) are always left out: they are not a whole quiz,
    and only students who got those questions wrong take them.
    """
    if rule not in ATTEMPT_RULES:
        raise ValueError(f"unknown attempt rule {rule!r}; use one of {', '.join(ATTEMPT_RULES)}")
    by_attempt: dict[str, list[AnswerRecord]] = defaultdict(list)
    for record in records:
        if record.retry or (finished_only and record.attempt_finished is None):
            continue
        by_attempt[record.attempt_id].append(record)
    if rule == "all":
        keep = set(by_attempt)
    else:
        groups: dict[tuple[str, str], list[str]] = defaultdict(list)
        for attempt_id, rows in by_attempt.items():
            groups[(rows[0].student, rows[0].lesson_id)].append(attempt_id)
        keep = set()
        for attempt_ids in groups.values():
            ordered = sorted(attempt_ids, key=lambda a: _started_key(by_attempt[a][0]))
            if rule == "first":
                keep.add(ordered[0])
            elif rule == "last":
                keep.add(ordered[-1])
            else:  # best: highest mean score; max() keeps the earliest of equals
                keep.add(max(ordered, key=lambda a: _mean(r.score for r in by_attempt[a])))
    return [r for attempt_id, rows in by_attempt.items() if attempt_id in keep for r in rows]


def _started_key(record: AnswerRecord) -> tuple[float, str]:
    """Sort attempts by start time (parsed, so ``Z`` and ``+00:00`` agree), then by id."""
    return started_key(record.attempt_started, record.attempt_id)


def started_key(started: str, attempt_id: str) -> tuple[float, str]:
    """The order of attempts: by start time (parsed, so ``Z`` and ``+00:00`` agree; an
    unreadable time last), then by id."""
    try:
        when = dt.datetime.fromisoformat(started)
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        return (when.timestamp(), attempt_id)
    except (TypeError, ValueError):
        return (math.inf, attempt_id)


# --------------------------------------------------------------------------- statistics


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's correlation of two equally long series, or None when it is undefined.

    Undefined means fewer than :data:`MIN_ATTEMPTS_FOR_CORRELATION` pairs, or a series with no
    spread (everyone scored the same). The result is clamped to -1..1 against float noise.
    """
    n = len(xs)
    if n != len(ys) or n < MIN_ATTEMPTS_FOR_CORRELATION:
        return None
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    syy = sum((y - mean_y) ** 2 for y in ys)
    if sxx / n < _EPSILON or syy / n < _EPSILON:
        return None
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    r = sxy / math.sqrt(sxx * syy)
    return max(-1.0, min(1.0, r)) if math.isfinite(r) else None


def cronbach_alpha(rows: Sequence[Sequence[float]]) -> float | None:
    """Cronbach's alpha of a complete score matrix (attempts x questions), or None.

    alpha = k / (k - 1) * (1 - sum of the item variances / variance of the totals). None with
    fewer than 2 questions, fewer than :data:`MIN_ATTEMPTS_FOR_CORRELATION` attempts, or when
    every attempt has the same total. It can be negative (items that contradict each other).
    """
    n = len(rows)
    k = len(rows[0]) if rows else 0
    if n < MIN_ATTEMPTS_FOR_CORRELATION or k < 2 or any(len(row) != k for row in rows):
        return None
    totals = [sum(row) for row in rows]
    total_var = statistics.variance(totals)
    if total_var < _EPSILON:
        return None
    item_var = sum(statistics.variance([row[j] for row in rows]) for j in range(k))
    alpha = k / (k - 1) * (1 - item_var / total_var)
    return alpha if math.isfinite(alpha) else None


def item_analysis(
    lesson: Lesson,
    records: Iterable[AnswerRecord],
    rule: AttemptRule = "first",
    *,
    counts: tuple[int, int, int] | None = None,
) -> LessonReport:
    """Analyse the answers to ``lesson``'s quiz in ``records`` (other lessons are ignored).

    Answers to an older version of a question (or to a question no longer in the lesson) are
    left out and counted. Then ``rule`` picks each student's attempts among those that have at
    least one current answer (see :func:`select_attempts`). An attempt's score is the mean of
    its current answers, as a percentage; an item's "rest of the quiz" is the mean of the
    attempt's other current answers.

    ``counts`` (outdated answers, unfinished attempts, retries) is for a caller that passes
    only the attempts the rule keeps and counted the rest itself (:func:`analyse_lesson`).
    """
    questions = lesson.quiz.questions
    hashes = {q.id: q.content_hash() for q in questions}
    mine = [r for r in records if r.lesson_id == lesson.id]
    current = [r for r in mine if hashes.get(r.question_id) == r.question_hash]
    outdated = len(mine) - len(current)
    unfinished = len({r.attempt_id for r in current if r.attempt_finished is None and not r.retry})
    retries = len({r.attempt_id for r in current if r.retry})
    if counts is not None:
        outdated, unfinished, retries = counts

    # One row per attempt: question id -> the attempt's last answer to it.
    attempts: dict[str, dict[str, AnswerRecord]] = {}
    for record in select_attempts(current, rule):
        attempts.setdefault(record.attempt_id, {})[record.question_id] = record
    order = sorted(attempts, key=lambda a: _started_key(next(iter(attempts[a].values()))))
    rows = [attempts[a] for a in order]

    scores = tuple(100.0 * _mean(_clamp(r.score) for r in row.values()) for row in rows)
    complete = [
        [_clamp(row[q.id].score) for q in questions] for row in rows if len(row) == len(questions)
    ]
    alpha = cronbach_alpha(complete)
    alpha_note = None
    if alpha is None:
        if len(questions) < 2:
            alpha_note = "needs at least 2 questions"
        elif len(complete) < MIN_ATTEMPTS_FOR_CORRELATION:
            alpha_note = TOO_FEW
        else:
            alpha_note = "every attempt has the same score"
    quiz = QuizStats(
        students=len({next(iter(row.values())).student for row in rows}),
        attempts=len(rows),
        mean=statistics.fmean(scores) if scores else None,
        median=statistics.median(scores) if scores else None,
        sd=statistics.stdev(scores) if len(scores) >= 2 else None,
        alpha=alpha,
        alpha_note=alpha_note,
        pass_mark=lesson.quiz.pass_mark,
        passed=sum(1 for s in scores if s >= lesson.quiz.pass_mark - 1e-9),
        scores=scores,
    )
    stats = tuple(_question_stats(i, q, rows) for i, q in enumerate(questions, start=1))
    return LessonReport(
        lesson_id=lesson.id,
        lesson_title=lesson.title,
        rule=rule,
        quiz=quiz,
        questions=stats,
        outdated_answers=outdated,
        unfinished_attempts=unfinished,
        retry_attempts=retries,
    )


def _question_stats(
    number: int, question: Question, rows: list[dict[str, AnswerRecord]]
) -> QuestionStats:
    answered = [row for row in rows if question.id in row]
    item = [_clamp(row[question.id].score) for row in answered]
    n = len(item)
    facility = 100.0 * _mean(item) if n else None

    xs, ys = [], []
    for row, score in zip(answered, item, strict=True):
        rest = [_clamp(r.score) for qid, r in row.items() if qid != question.id]
        if rest:
            xs.append(score)
            ys.append(_mean(rest))
    discrimination = pearson(xs, ys)
    note = None
    if discrimination is None:
        if len(xs) < MIN_ATTEMPTS_FOR_CORRELATION:
            note = TOO_FEW
        elif statistics.pvariance(xs) < _EPSILON:
            note = "everyone scored the same on it"
        else:
            note = "everyone scored the same on the rest of the quiz"

    times = [
        r.seconds
        for row in answered
        if (r := row[question.id]).seconds is not None
        and math.isfinite(r.seconds)
        and r.seconds >= 0
    ]
    responses = [row[question.id].response for row in answered]
    choices, other = _choice_counts(question, responses)
    stats = QuestionStats(
        number=number,
        question_id=question.id,
        type=question.type,
        prompt=" ".join(question.prompt.split()),
        answers=n,
        facility=facility,
        discrimination=discrimination,
        discrimination_note=note,
        average_seconds=statistics.fmean(times) if times else None,
        choices=choices,
        other_responses=other,
        hinted=sum(1 for row in answered if row[question.id].hinted),
    )
    return replace(stats, flags=_flags(stats))


def _choice_counts(question: Question, responses: list[Any]) -> tuple[tuple[ChoiceCount, ...], int]:
    """How often each choice was picked, and how many answers picked none of them."""
    n = len(responses)
    counts: Counter[str] = Counter()
    other = 0
    match question:
        case SingleQuestion():
            texts = [c.text for c in question.options]
            right = {question.answer}
            for response in responses:
                if isinstance(response, str) and response in texts:
                    counts[response] += 1
                else:
                    other += 1
        case MultiQuestion():
            texts = [c.text for c in question.options]
            right = set(question.answer)
            for response in responses:
                items = response if isinstance(response, list | tuple) else []
                picked = {item for item in items if isinstance(item, str)}
                counts.update(t for t in texts if t in picked)
        case TrueFalseQuestion():
            texts = ["True", "False"]
            right = {"True" if question.answer else "False"}
            for response in responses:
                if isinstance(response, bool):
                    counts["True" if response else "False"] += 1
                else:
                    other += 1
        case TextQuestion() | NumberQuestion() | OrderQuestion() | MatchQuestion():
            return (), 0  # nothing to choose from: no choice counts
        case _:
            assert_never(question)
    return tuple(
        ChoiceCount(t, t in right, counts[t], 100.0 * counts[t] / n if n else None) for t in texts
    ), other


def _flags(stats: QuestionStats) -> tuple[Flag, ...]:
    """What an instructor should look at; nothing on fewer than MIN_ANSWERS_FOR_FLAGS answers."""
    if stats.answers < MIN_ANSWERS_FOR_FLAGS or stats.facility is None:
        return ()
    flags: list[Flag] = []
    if stats.facility > TOO_EASY_ABOVE:
        flags.append(
            Flag(
                "too_easy",
                f"too easy: {stats.facility:.0f}% right; it tells you little about who learned "
                "the lesson (make the wrong choices more plausible, or drop it)",
            )
        )
    elif stats.facility < TOO_HARD_BELOW:
        flags.append(
            Flag(
                "too_hard",
                f"too hard: only {stats.facility:.0f}% right; check the answer key and the "
                "wording, and that a card teaches it",
            )
        )
    d = stats.discrimination
    if d is not None and d < 0:
        flags.append(
            Flag(
                "negative_discrimination",
                f"negative discrimination ({d:.2f}): students who did well on the rest of the "
                "quiz got this wrong more often; check the answer key",
            )
        )
    elif d is not None and d < LOW_DISCRIMINATION_BELOW:
        flags.append(
            Flag(
                "low_discrimination",
                f"near-zero discrimination ({d:.2f}): it does not separate students who know "
                "the lesson from those who do not; check the answer key and the wording",
            )
        )
    right = [c for c in stats.choices if c.right]
    if right:
        least_right = min(right, key=lambda c: c.count)
        wrong = [c for c in stats.choices if not c.right]
        choice = max(wrong, key=lambda c: c.count, default=None)
        if choice is not None and choice.count > least_right.count:
            flags.append(
                Flag(
                    "wrong_choice",
                    f"wrong choice {_quote(choice.text)} was picked more often ({choice.count}) "
                    f"than the right {_quote(least_right.text)} ({least_right.count}): a shared "
                    "misconception, or a wrong answer key",
                )
            )
    return tuple(flags)


def _mean(values: Iterable[float]) -> float:
    items = list(values)
    return sum(items) / len(items) if items else 0.0


def _clamp(score: float) -> float:
    """Scores are 0..1; a corrupt stored value must not poison the figures."""
    return min(1.0, max(0.0, score)) if math.isfinite(score) else 0.0


def _quote(text: str, width: int = 40) -> str:
    return "“" + textwrap.shorten(text, width, placeholder="…") + "”"
