"""Hints shown: a question's hint is recorded the moment the student reveals it.

The record comes before any answer exists (in exam mode the answer may not exist until the
attempt is submitted), so a crash after revealing a hint cannot take its use back: the
resumed question shows the hint as used, and the answer given after it is ``hinted``. This
module does the work of :class:`quizapp.store.Store`'s hint methods, imported on their first
call (:mod:`.deferred`).
"""

from __future__ import annotations

from typing import Any

from quizapp.store.base import StoreBase
from quizapp.store.exam import _check_open

__all__ = ["hints_shown", "record_hint"]


def record_hint(
    store: StoreBase, attempt_id: int, question_id: str, *, owner: str | None = None
) -> None:
    """The work of :meth:`quizapp.store.Store.record_hint`."""
    now = store._now()
    with store._write() as conn:
        _check_open(conn, attempt_id, owner, question_id)
        conn.execute(
            "INSERT INTO hints_shown (attempt_id, question_id, shown_at)"
            " VALUES (?, ?, ?) ON CONFLICT (attempt_id, question_id) DO NOTHING",
            (attempt_id, question_id, now),
        )
        conn.execute("UPDATE attempts SET last_activity = ? WHERE id = ?", (now, attempt_id))


def hints_shown(store: StoreBase, attempt_id: int) -> frozenset[str]:
    """The work of :meth:`quizapp.store.Store.hints_shown`."""

    def query(conn: Any) -> list[Any]:
        return list(
            conn.execute(
                "SELECT question_id FROM hints_shown WHERE attempt_id = ?", (attempt_id,)
            ).fetchall()
        )

    return frozenset(str(row[0]) for row in store._read(query))
