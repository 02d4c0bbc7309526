"""Item analysis of a lesson's quiz: how the class did and which questions are broken.

The statistics follow Moodle's quiz statistics report, computed over plain
:class:`AnswerRecord` values (one per stored answer), so they can be tested without a
database and reused by the TUI:

* **facility index**: the mean score on a question, as a percentage (% right);
* **discrimination index**: the Pearson correlation, across attempts, between the score on
  the question and the score on the *rest* of the quiz (the attempt's other questions). A good
  question is answered right more often by students who do well on the rest of the quiz; a
  negative value usually means a wrong answer key. Moodle shows it multiplied by 100;
  quizapp shows the coefficient itself (-1..1);
* **Cronbach's alpha**: the internal consistency of the whole quiz.

Small classes never produce a division by zero or a NaN: a statistic that cannot be computed
is ``None``, with a note saying why ("too few answers").

Only answers to the *current* version of a question count (their ``question_hash`` equals
``question.content_hash()``); answers to older versions are counted and reported as left out,
so an edit to a question never mixes two versions in one figure.

Renderers turn a :class:`LessonReport` into a plain-text table (at most 100 columns, with a
histogram of attempt scores in block characters), CSV or JSON. Scores are read from the
score store through its API by :func:`load_records`; no SQL here.

This module is the public face: import everything from here. The values live in
:mod:`quizapp.reports.types`, the statistics and flags in :mod:`quizapp.reports.stats`, the
renderers in :mod:`quizapp.reports.render`; :func:`load_records` is here.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from quizapp.lessons.model import Lesson
from quizapp.paths import DbTarget
from quizapp.reports.render import CSV_COLUMNS as CSV_COLUMNS
from quizapp.reports.render import FLAG_LABELS as FLAG_LABELS
from quizapp.reports.render import TABLE_WIDTH as TABLE_WIDTH
from quizapp.reports.render import histogram, render_csv, render_json, render_table
from quizapp.reports.stats import (
    cronbach_alpha,
    item_analysis,
    pearson,
    select_attempts,
    started_key,
)
from quizapp.reports.types import (
    ATTEMPT_RULES,
    LOW_DISCRIMINATION_BELOW,
    MIN_ANSWERS_FOR_FLAGS,
    MIN_ATTEMPTS_FOR_CORRELATION,
    TOO_EASY_ABOVE,
    TOO_HARD_BELOW,
    AnswerRecord,
    AttemptRule,
    ChoiceCount,
    Flag,
    LessonReport,
    QuestionStats,
    QuizStats,
    ReportError,
)
from quizapp.reports.types import TOO_FEW as TOO_FEW
from quizapp.store import AttemptTally, Store, StoreError

__all__ = [
    "ATTEMPT_RULES",
    "LOW_DISCRIMINATION_BELOW",
    "MIN_ANSWERS_FOR_FLAGS",
    "MIN_ATTEMPTS_FOR_CORRELATION",
    "TOO_EASY_ABOVE",
    "TOO_HARD_BELOW",
    "AnswerRecord",
    "AttemptRule",
    "ChoiceCount",
    "Flag",
    "LessonReport",
    "QuestionStats",
    "QuizStats",
    "ReportError",
    "analyse_lesson",
    "answered_lessons",
    "cronbach_alpha",
    "histogram",
    "item_analysis",
    "load_records",
    "pearson",
    "render_csv",
    "render_json",
    "render_table",
    "select_attempts",
]


def load_records(
    db_path: DbTarget, lesson_ids: Collection[str] | None = None
) -> list[AnswerRecord]:
    """Every stored answer in the score database at ``db_path`` (only the answers to
    ``lesson_ids`` when it is given), read through the store's API
    (:meth:`quizapp.store.Store.answer_records`), opened read-only.

    Raises :class:`ReportError` with a message for the instructor when the file is missing,
    is not a quizapp score database, or was written by a newer quizapp.
    """
    if isinstance(db_path, Path) and not db_path.is_file():
        raise ReportError(f"no score database at {db_path}")
    try:
        with Store.open(db_path, readonly=True) as store:
            return store.answer_records(lesson_ids)
    except StoreError as exc:
        raise ReportError(str(exc)) from None


def answered_lessons(db_path: DbTarget) -> set[str]:
    """The ids of the lessons with stored answers in the score database at ``db_path``
    (:meth:`quizapp.store.Store.answered_lessons`); errors as :func:`load_records`."""
    if isinstance(db_path, Path) and not db_path.is_file():
        raise ReportError(f"no score database at {db_path}")
    try:
        with Store.open(db_path, readonly=True) as store:
            return store.answered_lessons()
    except StoreError as exc:
        raise ReportError(str(exc)) from None


def analyse_lesson(db_path: DbTarget, lesson: Lesson, rule: AttemptRule = "first") -> LessonReport:
    """The item analysis of ``lesson`` from the score database at ``db_path``: the report
    ``item_analysis(lesson, load_records(db_path), rule)`` gives, read faster.

    For ``first`` and ``last`` only the answers of the attempts the rule keeps are read:
    the lesson's attempts are tallied in the database (answers to the current and to older
    versions of each question), each student's attempt is picked from the tallies as
    :func:`select_attempts` picks it, and the counts the report gives of outdated answers,
    unfinished attempts and retries come from the tallies. ``best`` and ``all`` read every
    answer to the lesson. Errors as :func:`load_records`.
    """
    if isinstance(db_path, Path) and not db_path.is_file():
        raise ReportError(f"no score database at {db_path}")
    hashes = {q.id: q.content_hash() for q in lesson.quiz.questions}
    try:
        with Store.open(db_path, readonly=True) as store:
            if rule not in ("first", "last"):
                return item_analysis(lesson, store.answer_records({lesson.id}), rule)
            tallies = store.attempt_tallies(lesson.id, hashes)
            counts = (
                sum(t.outdated for t in tallies),
                sum(1 for t in tallies if t.current and t.attempt_finished is None and not t.retry),
                sum(1 for t in tallies if t.current and t.retry),
            )
            chosen: dict[str, tuple[tuple[float, str], AttemptTally]] = {}
            for tally in tallies:
                if not tally.current or tally.retry or tally.attempt_finished is None:
                    continue
                key = started_key(tally.attempt_started, tally.attempt_id)
                held = chosen.get(tally.student)
                if held is None or (key < held[0] if rule == "first" else key > held[0]):
                    chosen[tally.student] = (key, tally)
            picked = [tally.attempt_id for _, tally in chosen.values()]
            records = store.answer_records({lesson.id}, attempt_ids=picked)
    except StoreError as exc:
        raise ReportError(str(exc)) from None
    return item_analysis(lesson, records, rule, counts=counts)
