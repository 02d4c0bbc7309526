"""The rows of the class views, the answers export and the statistics: named tuples (a report
reads tens of thousands; a named tuple is made in a tenth of a frozen dataclass's time).

In their own module, imported by the views that make them when first called, so that a start
of the app does not define them (about 1 ms; docs/performance.md, issue 19).
:mod:`quizapp.store` re-exports them; import them from there.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from quizapp.store.records import Mode, Status, _time

__all__ = ["AnswerRecord", "AnswerRow", "AttemptTally", "GradebookRow"]


class GradebookRow(NamedTuple):
    """One student and lesson in the class gradebook.

    ``attempts`` counts finished full attempts; ``score`` is the percent by the chosen rule;
    ``passed`` is None when the lesson's pass mark is unknown or nothing counts yet.
    """

    student: str
    lesson_id: str
    attempts: int
    score: float | None
    best: float | None
    last: float | None
    first: float | None
    average: float | None
    pass_mark: int | None
    passed: bool | None
    unfinished: int
    last_activity: dt.datetime


class AnswerRow(NamedTuple):
    """One answer with who gave it and when, for the answers export.

    ``response`` is the stored JSON text and ``answered_at`` the stored time as it is
    (ISO 8601 in UTC, as the store writes it; a damaged row's text, or ``""`` when the row
    holds no text): the export formats a million of them, and reading the text is the
    export's business (:func:`_time` reads it as every view does)."""

    student: str
    lesson_id: str
    attempt_uuid: str
    attempt_started: dt.datetime
    attempt_status: Status
    lesson_hash: str
    question_id: str
    question_hash: str
    response: str
    score: float
    seconds: float | None
    answered_at: str
    attempt_mode: Mode = "full"  # "retry": a retry of only the questions missed before
    hinted: bool = False  # given after the question's hint was shown

    @property
    def answered_time(self) -> dt.datetime:
        """The answered time as an aware datetime, read as every view reads a stored time
        (:data:`UNREADABLE_TIME` when the row's text is not a time)."""
        return _time(self.answered_at)


class AttemptTally(NamedTuple):
    """One attempt at a lesson as the item analysis picks attempts: its student and id (as
    text, as in :class:`AnswerRecord`), start time, finish time (None unless finished),
    whether it is a retry of missed questions, and how many of its answers are to the
    current version of their question and how many to an older one."""

    student: str
    attempt_id: str
    attempt_started: str
    attempt_finished: str | None
    retry: bool
    current: int
    outdated: int


class AnswerRecord(NamedTuple):
    """One stored answer, with what the statistics need to know about its attempt.

    ``student`` is a stable identity of the student (the store's student id as text);
    ``response`` is the JSON value the student gave (see :mod:`quizapp.grading`); ``score`` is
    0..1; ``seconds`` is the time taken on the question, if recorded; the timestamps are ISO
    8601 in UTC and ``attempt_finished`` is None unless the attempt was finished (it is None
    for an attempt in progress or given up). ``retry`` marks an attempt at only the questions
    the student missed before: it is never a student's first, last or best attempt. A named
    tuple (a report reads tens of thousands: made in a tenth of a frozen dataclass's time).
    """

    student: str
    attempt_id: str
    lesson_id: str
    question_id: str
    question_hash: str
    response: Any
    score: float
    seconds: float | None
    attempt_started: str
    attempt_finished: str | None
    retry: bool = False
    hinted: bool = False  # given after the question's hint was shown (its score carries the cost)
