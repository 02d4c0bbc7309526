"""Attempts and answers: the part of the score store a student's quiz session writes to.

An attempt is one go at a lesson's quiz: it is started with the questions in the order they
will be asked, takes one answer per question (each in its own committed transaction, so an
answer survives a killed process), may lose questions the lesson no longer has, and ends
finished (scored) or abandoned. These methods are mixed into :class:`quizapp.store.Store`;
call them on a ``Store``.
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Sequence
from typing import Any, get_args

from quizapp.store.base import Connection, StoreBase
from quizapp.store.records import (
    Answer,
    Attempt,
    AttemptClosed,
    Mode,
    StoreError,
    _attempt,
    _attempt_columns,
    _real,
    _time,
)
from quizapp.text import clean_data

__all__ = ["AttemptsMixin"]

_INT64 = (-(2**63), 2**63 - 1)


class AttemptsMixin(StoreBase):
    """Starting, answering, finishing and abandoning attempts, and reading them back."""

    def start_attempt(
        self,
        student_id: int,
        lesson_id: str,
        lesson_hash: str,
        seed: int,
        question_ids: Sequence[str],
        question_hashes: Sequence[str] | None = None,
        *,
        mode: Mode = "full",
        owner: str | None = None,
    ) -> Attempt:
        """Start an attempt and return it.

        ``question_ids`` is the order the questions will be asked in (the session derives it
        from ``seed``, which is stored so choice order can be rebuilt); ``question_hashes``
        their content hashes, so a resume can tell which questions changed since. ``mode``
        ``"retry"`` marks a retry of some questions only, which lesson scores ignore.
        ``owner`` names the quizapp window that has it open (see :meth:`claim_attempt`).
        Any earlier unfinished attempt of this student at this lesson is marked abandoned
        (its answers kept), or deleted when it has no answer, so there is at most one to
        resume.
        """
        ids = list(question_ids)
        hashes = list(question_hashes) if question_hashes is not None else []
        if not ids:
            raise ValueError("an attempt needs at least one question")
        if len(set(ids)) != len(ids):
            raise ValueError("question ids of an attempt must be unique")
        if question_hashes is not None and len(hashes) != len(ids):
            raise ValueError("question_hashes must match question_ids one for one")
        if not _INT64[0] <= seed <= _INT64[1]:
            raise ValueError("seed must fit in 64 bits")
        if mode not in get_args(Mode):
            raise ValueError(f"mode must be one of {get_args(Mode)}")
        now = self._now()
        with self._write() as conn:
            if (
                conn.execute("SELECT 1 FROM students WHERE id = ?", (student_id,)).fetchone()
                is None
            ):
                raise StoreError(f"There is no student with id {student_id}.")
            conn.execute(
                "DELETE FROM attempts WHERE student_id = ? AND lesson_id = ?"
                " AND status = 'in_progress'"
                " AND NOT EXISTS (SELECT 1 FROM answers n WHERE n.attempt_id = attempts.id)",
                (student_id, lesson_id),
            )
            conn.execute(
                "UPDATE attempts SET status = 'abandoned', finished_at = ?, last_activity = ?,"
                " owner = NULL"
                " WHERE student_id = ? AND lesson_id = ? AND status = 'in_progress'",
                (now, now, student_id, lesson_id),
            )
            cursor = conn.execute(
                "INSERT INTO attempts (uuid, student_id, lesson_id, lesson_hash, seed,"
                " question_ids, question_hashes, mode, status, started_at, last_activity,"
                " owner) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'in_progress', ?, ?, ?) RETURNING id",
                (
                    uuid.uuid4().hex,
                    student_id,
                    lesson_id,
                    lesson_hash,
                    seed,
                    json.dumps(ids, ensure_ascii=False),
                    json.dumps(hashes),
                    mode,
                    now,
                    now,
                    owner,
                ),
            )
            attempt_id = int(cursor.fetchone()[0])
            conn.execute("UPDATE students SET last_active = ? WHERE id = ?", (now, student_id))
        return self.attempt(attempt_id)

    def attempt(self, attempt_id: int) -> Attempt:
        """The attempt with this id; :class:`StoreError` if there is none."""
        row = self._read(
            lambda c: c.execute(
                f"SELECT {_attempt_columns(self._dialect)} FROM attempts a WHERE a.id = ?",
                (attempt_id,),
            ).fetchone()
        )
        if row is None:
            raise StoreError(f"There is no attempt with id {attempt_id}.")
        return _attempt(row)

    def record_answer(
        self,
        attempt_id: int,
        question_id: str,
        question_hash: str,
        response: Any,
        score: float,
        seconds: float,
        *,
        owner: str | None = None,
        hinted: bool = False,
    ) -> None:
        """Save one answer in its own committed transaction (durable when this returns).

        ``response`` must be JSON-able (it is stored as JSON); ``score`` in 0..1; ``seconds``
        the time the student took; ``hinted``: its hint was shown first. Raises
        :class:`AttemptClosed` if the attempt is gone, has ended, or (when ``owner`` is
        given) is open in another window since
        (:meth:`claim_attempt`), and :class:`StoreError` if the question is not part of it or
        was already answered in this attempt.
        """
        if not (isinstance(score, int | float) and math.isfinite(score) and 0 <= score <= 1):
            raise ValueError(f"score must be a number from 0 to 1, not {score!r}")
        if not (isinstance(seconds, int | float) and math.isfinite(seconds) and seconds >= 0):
            raise ValueError(f"seconds must be a number of seconds >= 0, not {seconds!r}")
        try:
            payload = json.dumps(response, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError) as error:
            raise ValueError(f"response must be JSON-able: {error}") from None
        now = self._now()
        with self._write() as conn:
            row = conn.execute(
                "SELECT student_id, status, question_ids, owner FROM attempts WHERE id = ?",
                (attempt_id,),
            ).fetchone()
            if row is None:
                raise AttemptClosed(
                    f"There is no attempt with id {attempt_id} any more (it was closed in "
                    "another quizapp window); the answer was not saved."
                )
            if row["status"] != "in_progress":
                raise AttemptClosed(
                    f"This attempt is already {row['status'].replace('_', ' ')}; "
                    "the answer was not saved."
                )
            if owner is not None and row["owner"] is not None and row["owner"] != owner:
                raise AttemptClosed(
                    "This attempt was taken over in another quizapp window; the answer was "
                    "not saved here (the answers before it are, and the quiz goes on there)."
                )
            if question_id not in json.loads(row["question_ids"]):
                raise StoreError(f"Question {question_id!r} is not part of this attempt.")
            added = conn.execute(
                "INSERT INTO answers (uuid, attempt_id, question_id, question_hash,"
                " response, score, seconds, answered_at, hinted)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (attempt_id, question_id) DO NOTHING",
                (
                    uuid.uuid4().hex,
                    attempt_id,
                    question_id,
                    question_hash,
                    payload,
                    float(score),
                    float(seconds),
                    now,
                    int(bool(hinted)),
                ),
            ).rowcount
            if not added:
                raise StoreError(f"Question {question_id!r} was already answered in this attempt.")
            conn.execute("UPDATE attempts SET last_activity = ? WHERE id = ?", (now, attempt_id))
            conn.execute(
                "UPDATE students SET last_active = ? WHERE id = ?", (now, row["student_id"])
            )

    def drop_questions(self, attempt_id: int, question_ids: Sequence[str]) -> Attempt:
        """Leave questions out of an unfinished attempt (the lesson changed under it): they
        no longer count towards its maximum score. Idempotent."""
        with self._write() as conn:
            row = _attempt_state(conn, attempt_id)
            if row["status"] == "in_progress":
                asked = json.loads(row["question_ids"])
                dropped = set(json.loads(row["dropped"])) | {q for q in question_ids if q in asked}
                ordered = [q for q in asked if q in dropped]
                conn.execute(
                    "UPDATE attempts SET dropped = ? WHERE id = ?",
                    (json.dumps(ordered, ensure_ascii=False), attempt_id),
                )
        return self.attempt(attempt_id)

    def claim_attempt(self, attempt_id: int, owner: str | None) -> Attempt | None:
        """Mark an unfinished attempt open in the window ``owner`` (None: open nowhere).

        There is one live attempt per student and lesson, and one window answering it:
        after a claim, answers sent with another owner are refused (:class:`AttemptClosed`),
        so the window that was taken over learns it at its next answer. An ended attempt is
        left as it is. Returns the attempt, or None when it is gone (left unanswered in
        another window meanwhile)."""
        with self._write() as conn:
            conn.execute(
                "UPDATE attempts SET owner = ? WHERE id = ? AND status = 'in_progress'",
                (owner, attempt_id),
            )
            found = conn.execute("SELECT 1 FROM attempts WHERE id = ?", (attempt_id,)).fetchone()
        return self.attempt(attempt_id) if found else None

    def discard_attempt(self, attempt_id: int, owner: str | None = None) -> bool:
        """Delete an unfinished attempt that has no answer (left before answering anything):
        there is nothing in it to resume or to count. Returns True if it was deleted; an
        attempt with answers, an ended one, or (with ``owner``) one another window has
        taken over since, is kept."""
        with self._write() as conn:
            cursor = conn.execute(
                "DELETE FROM attempts WHERE id = ? AND status = 'in_progress'"
                " AND (CAST(? AS TEXT) IS NULL OR owner IS NULL OR owner = ?)"
                " AND NOT EXISTS (SELECT 1 FROM answers n WHERE n.attempt_id = attempts.id)",
                (attempt_id, owner, owner),
            )
            return cursor.rowcount > 0

    def finish_attempt(self, attempt_id: int) -> Attempt:
        """End an attempt: ``score`` = sum of its answers' scores, ``max_score`` = number of
        questions asked (less any dropped); unanswered questions count 0. Finishing a
        finished attempt returns it unchanged; an abandoned one raises :class:`StoreError`."""
        now = self._now()
        with self._write() as conn:
            row = _attempt_state(conn, attempt_id)
            if row["status"] == "abandoned":
                raise StoreError("This attempt was abandoned and cannot be finished.")
            if row["status"] == "in_progress":
                dropped = set(json.loads(row["dropped"]))
                kept = [q for q in json.loads(row["question_ids"]) if q not in dropped]
                scores = conn.execute(
                    "SELECT question_id, score FROM answers WHERE attempt_id = ?", (attempt_id,)
                ).fetchall()
                total = math.fsum(r["score"] for r in scores if r["question_id"] not in dropped)
                conn.execute(
                    "UPDATE attempts SET status = 'finished', finished_at = ?, last_activity = ?,"
                    " score = ?, max_score = ?, owner = NULL WHERE id = ?",
                    (now, now, total, float(len(kept)), attempt_id),
                )
        return self.attempt(attempt_id)

    def abandon_attempt(self, attempt_id: int) -> Attempt:
        """Mark an unfinished attempt abandoned (the student chose not to resume it). Its
        answers are kept; it does not count towards lesson scores."""
        now = self._now()
        with self._write() as conn:
            conn.execute(
                "UPDATE attempts SET status = 'abandoned', finished_at = ?, last_activity = ?,"
                " owner = NULL WHERE id = ? AND status = 'in_progress'",
                (now, now, attempt_id),
            )
        return self.attempt(attempt_id)

    def unfinished_attempt(self, student_id: int, lesson_id: str) -> Attempt | None:
        """The attempt to offer to resume: the latest in-progress one, or None."""
        row = self._read(
            lambda c: c.execute(
                f"SELECT {_attempt_columns(self._dialect)} FROM attempts a WHERE a.student_id = ?"
                " AND a.lesson_id = ? AND a.status = 'in_progress'"
                " ORDER BY a.started_at DESC, a.id DESC LIMIT 1",
                (student_id, lesson_id),
            ).fetchone()
        )
        return None if row is None else _attempt(row)

    def answers(self, attempt_id: int) -> list[Answer]:
        """The answers of an attempt, in the order they were given."""
        rows = self._read(
            lambda c: c.execute(
                "SELECT * FROM answers WHERE attempt_id = ? ORDER BY answered_at, id",
                (attempt_id,),
            ).fetchall()
        )
        return [
            Answer(
                id=r["id"],
                uuid=r["uuid"],
                attempt_id=r["attempt_id"],
                question_id=r["question_id"],
                question_hash=r["question_hash"],
                response=_response(r["response"]),
                score=r["score"],
                seconds=_real(r["seconds"]) or 0.0,
                answered_at=_time(r["answered_at"]),
                hinted=bool(r["hinted"]),
            )
            for r in rows
        ]


def _response(stored: object) -> Any:
    """A stored response, its texts cleaned for display; None when it is not JSON (a damaged
    row: graded as no answer)."""
    try:
        return clean_data(json.loads(stored)) if isinstance(stored, str) else None
    except (ValueError, RecursionError):
        return None


def _attempt_state(conn: Connection, attempt_id: int) -> Any:
    """An attempt's status, questions and dropped questions; an unknown id is an error."""
    row = conn.execute(
        "SELECT status, question_ids, dropped FROM attempts WHERE id = ?", (attempt_id,)
    ).fetchone()
    if row is None:
        raise StoreError(f"There is no attempt with id {attempt_id}.")
    return row
