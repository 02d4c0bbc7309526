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
SQLite score store by :func:`load_records`, the one place that knows its tables.

This module is the public face: import everything from here. The values live in
:mod:`quizapp.report_types`, the statistics and flags in :mod:`quizapp.report_stats`, the
renderers in :mod:`quizapp.report_render`; :func:`load_records` is here.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from quizapp.report_render import CSV_COLUMNS as CSV_COLUMNS
from quizapp.report_render import FLAG_LABELS as FLAG_LABELS
from quizapp.report_render import TABLE_WIDTH as TABLE_WIDTH
from quizapp.report_render import histogram, render_csv, render_json, render_table
from quizapp.report_stats import cronbach_alpha, item_analysis, pearson, select_attempts
from quizapp.report_types import (
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
from quizapp.report_types import TOO_FEW as TOO_FEW
from quizapp.store import APPLICATION_ID, SCHEMA_VERSION, Store, StoreError

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


# --------------------------------------------------------------------------- the score store

# The tables of the score store this module reads (quizapp/store_schema.py creates them; this
# query is the only place outside the store's modules that knows them):
#   students(id, name, ...)
#   attempts(id, student_id, lesson_id, lesson_hash, status, mode, started_at, finished_at, ...)
#       status: in_progress | finished | abandoned (an abandoned attempt has a finished_at
#       too: it is when it was given up); mode: full | retry (a retry of missed questions)
#   answers(id, attempt_id, question_id, question_hash, response (JSON), score, seconds, ...)
RECORDS_SQL = """
SELECT a.student_id, a.id, a.lesson_id, an.question_id, an.question_hash,
       an.response, an.score, an.seconds, a.started_at,
       CASE WHEN a.status = 'finished' THEN a.finished_at END AS finished,
       a.mode = 'retry' AS retry
FROM answers AS an
JOIN attempts AS a ON a.id = an.attempt_id
ORDER BY a.started_at, a.id, an.answered_at, an.id
"""


def load_records(db_path: Path) -> list[AnswerRecord]:
    """Every stored answer, read from the SQLite score store at ``db_path``.

    The file is opened read-only, so a report never changes it (it also works on a copy the
    instructor cannot write to). A database of an older schema is first brought up to date
    by :meth:`quizapp.store.Store.open`, as every command that opens it does.

    Raises :class:`ReportError` with a message for the instructor when the file is missing,
    is not a SQLite database, is another program's database, or was written by a newer
    quizapp.
    """
    if not db_path.is_file():
        raise ReportError(f"no score database at {db_path}")
    not_ours = f"{db_path} is not a quizapp score database"
    for _ in range(2):
        try:
            conn = sqlite3.connect(db_path.resolve().as_uri() + "?mode=ro", uri=True)
        except sqlite3.Error as exc:
            raise ReportError(f"cannot open {db_path}: {exc}") from None
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            if app_id != APPLICATION_ID:
                raise ReportError(f"{not_ours} (it may belong to another program)")
            if version > SCHEMA_VERSION:
                raise ReportError(
                    f"{db_path} was written by a newer version of quizapp (schema {version}); "
                    "update quizapp to report on it"
                )
            if version == SCHEMA_VERSION:
                rows = conn.execute(RECORDS_SQL).fetchall()
                return [_record(row) for row in rows]
        except sqlite3.DatabaseError as exc:
            raise ReportError(f"{not_ours}, or it is damaged ({exc})") from None
        finally:
            conn.close()
        # An older schema: upgrade it the way the app would, then read again.
        try:
            Store.open(db_path, create=False).close()
        except StoreError as exc:
            raise ReportError(str(exc)) from None
    raise ReportError(f"{db_path} could not be brought up to date")  # pragma: no cover


def _record(row: Sequence[Any]) -> AnswerRecord:
    (
        student,
        attempt,
        lesson,
        question,
        qhash,
        response,
        score,
        seconds,
        started,
        finished,
        retry,
    ) = row
    try:
        value = json.loads(response) if isinstance(response, str | bytes) else response
    except ValueError:
        value = response
    return AnswerRecord(
        student=str(student),
        attempt_id=str(attempt),
        lesson_id=str(lesson),
        question_id=str(question),
        question_hash=str(qhash),
        response=value,
        score=float(score) if isinstance(score, int | float) else 0.0,
        seconds=float(seconds) if isinstance(seconds, int | float) else None,
        attempt_started=_iso(started) or "",
        attempt_finished=_iso(finished),
        retry=bool(retry),
    )


def _iso(value: Any) -> str | None:
    """Timestamps as ISO 8601 text; a number is read as Unix seconds (UTC)."""
    if value is None:
        return None
    if isinstance(value, int | float) and math.isfinite(value):
        return dt.datetime.fromtimestamp(value, dt.UTC).isoformat()
    return str(value)
