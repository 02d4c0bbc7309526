"""Exam mode's working state: draft answers (every version kept), flags, position, deadline.

In exam mode (a lesson with ``feedback: deferred``) a student answers in any order and may
change an answer until the attempt is submitted. Each answer given and each change is a new
row of ``exam_drafts``, committed at once: nothing is rewritten, the latest version of each
question counts, and a crash loses nothing (the next start resumes on the same question with
the same answers). ``exam_state`` keeps where the student was, which questions they flagged,
and the attempt's deadline when the quiz has a time limit. On submit the latest drafts become
the attempt's ``answers`` (graded as in practice mode), so every view and report reads them
as before. This module does the work of :class:`quizapp.store.Store`'s exam methods,
imported on their first call (:mod:`.deferred`), so a start of the app does not import it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from quizapp.store.base import StoreBase
from quizapp.store.records import AttemptClosed, StoreError, _shown, _time

__all__ = ["ExamState", "exam_state", "save_draft", "save_exam_place", "start_exam"]


@dataclass(frozen=True)
class ExamState:
    """Where an exam attempt stands: the question shown (an index into the attempt's order),
    the flagged question ids, the deadline (None without a time limit), and each question's
    latest draft response (an answer cleared is absent)."""

    position: int
    flags: frozenset[str]
    deadline: dt.datetime | None
    drafts: dict[str, Any]


def exam_state(store: StoreBase, attempt_id: int) -> ExamState:
    """The work of :meth:`quizapp.store.Store.exam_state`."""

    def query(conn: Any) -> tuple[Any, list[Any]]:
        state = conn.execute(
            "SELECT position, flags, deadline FROM exam_state WHERE attempt_id = ?",
            (attempt_id,),
        ).fetchone()
        drafts = conn.execute(
            "SELECT question_id, response FROM exam_drafts WHERE attempt_id = ? ORDER BY id",
            (attempt_id,),
        ).fetchall()
        return state, drafts

    state, rows = store._read(query)
    drafts: dict[str, Any] = {}
    for question_id, response in rows:
        try:
            value = json.loads(response)
        except (TypeError, ValueError):
            continue  # a damaged row is not an answer
        if value is None:
            drafts.pop(question_id, None)
        else:
            drafts[question_id] = value
    if state is None:
        return ExamState(0, frozenset(), None, drafts)
    try:
        flags = frozenset(_shown(f) for f in json.loads(state[1]))
    except (TypeError, ValueError):
        flags = frozenset()
    position = state[0] if isinstance(state[0], int) and state[0] >= 0 else 0
    deadline = _time(state[2]) if state[2] is not None else None
    return ExamState(position, flags, deadline, drafts)


def start_exam(store: StoreBase, attempt_id: int, deadline: dt.datetime | None) -> None:
    """The work of :meth:`quizapp.store.Store.start_exam`."""
    stamp = _stamp(deadline)
    with store._write() as conn:
        conn.execute(
            "INSERT INTO exam_state (attempt_id, position, flags, deadline)"
            " VALUES (?, 0, '[]', ?) ON CONFLICT (attempt_id) DO NOTHING",
            (attempt_id, stamp),
        )


def save_draft(
    store: StoreBase, attempt_id: int, question_id: str, response: Any, *, owner: str | None = None
) -> None:
    """The work of :meth:`quizapp.store.Store.save_draft`."""
    try:
        payload = json.dumps(response, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise ValueError(f"response must be JSON-able: {error}") from None
    now = store._now()
    with store._write() as conn:
        _check_open(conn, attempt_id, owner, question_id)
        conn.execute(
            "INSERT INTO exam_drafts (attempt_id, question_id, response, saved_at)"
            " VALUES (?, ?, ?, ?)",
            (attempt_id, question_id, payload, now),
        )
        conn.execute("UPDATE attempts SET last_activity = ? WHERE id = ?", (now, attempt_id))


def save_exam_place(
    store: StoreBase,
    attempt_id: int,
    position: int,
    flags: frozenset[str],
    *,
    owner: str | None = None,
) -> None:
    """The work of :meth:`quizapp.store.Store.save_exam_place`."""
    with store._write() as conn:
        _check_open(conn, attempt_id, owner, None)
        conn.execute(
            "INSERT INTO exam_state (attempt_id, position, flags) VALUES (?, ?, ?)"
            " ON CONFLICT (attempt_id) DO UPDATE SET position = excluded.position,"
            " flags = excluded.flags",
            (attempt_id, int(position), json.dumps(sorted(flags), ensure_ascii=False)),
        )


def _stamp(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _check_open(conn: Any, attempt_id: int, owner: str | None, question_id: str | None) -> None:
    row = conn.execute(
        "SELECT status, question_ids, owner FROM attempts WHERE id = ?", (attempt_id,)
    ).fetchone()
    if row is None or row["status"] != "in_progress":
        raise AttemptClosed("This attempt has ended; the change was not saved.")
    if owner is not None and row["owner"] is not None and row["owner"] != owner:
        raise AttemptClosed(
            "This attempt was taken over in another quizapp window; the change was not saved here."
        )
    if question_id is not None and question_id not in json.loads(row["question_ids"]):
        raise StoreError(f"Question {question_id!r} is not part of this attempt.")
