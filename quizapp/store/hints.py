"""Hints shown: a question's hint is recorded the moment the student reveals it.

The record comes before any answer exists (in exam mode the answer may not exist until the
attempt is submitted), so a crash after revealing a hint cannot take its use back: the
resumed question shows the hint as used, and the answer given after it is ``hinted``. These
methods are mixed into :class:`quizapp.store.Store`.
"""

from __future__ import annotations

from typing import Any

from quizapp.store.base import StoreBase
from quizapp.store.exam import _check_open

__all__ = ["HintsMixin"]


class HintsMixin(StoreBase):
    """The hints an attempt's student has revealed."""

    def record_hint(self, attempt_id: int, question_id: str, *, owner: str | None = None) -> None:
        """Record that the hint of ``question_id`` was shown in this attempt (once; committed
        before this returns). Raises :class:`~quizapp.store.AttemptClosed` when the attempt
        has ended or is open in another window, :class:`~quizapp.store.StoreError` when the
        question is not part of it."""
        now = self._now()
        with self._write() as conn:
            _check_open(conn, attempt_id, owner, question_id)
            conn.execute(
                "INSERT INTO hints_shown (attempt_id, question_id, shown_at)"
                " VALUES (?, ?, ?) ON CONFLICT (attempt_id, question_id) DO NOTHING",
                (attempt_id, question_id, now),
            )
            conn.execute("UPDATE attempts SET last_activity = ? WHERE id = ?", (now, attempt_id))

    def hints_shown(self, attempt_id: int) -> frozenset[str]:
        """The ids of the questions whose hint was shown in this attempt."""

        def query(conn: Any) -> list[Any]:
            return list(
                conn.execute(
                    "SELECT question_id FROM hints_shown WHERE attempt_id = ?", (attempt_id,)
                ).fetchall()
            )

        return frozenset(str(row[0]) for row in self._read(query))
