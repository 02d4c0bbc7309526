"""What the parts of :class:`quizapp.store.Store` written in other modules rely on.

``Store`` is one class, but its methods live in several modules so that none grows past one
idea: :mod:`quizapp.store.database` (opening, transactions, students, card progress) and the
mixins :mod:`quizapp.store.attempts` (attempts and answers), :mod:`quizapp.store.views`
(scores and the class views), :mod:`quizapp.store.merge` (merging a student's file) and the
exam, regrade, roster and review parts. The mixins are built on :class:`StoreBase`, which
names the few things they use; ``Store`` provides them, beside the rules they follow (every
write takes the lock up front, a busy database is retried, SQLite errors become
:class:`~quizapp.store.records.StoreError`).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

__all__ = ["StoreBase"]

T = TypeVar("T")


class StoreBase:
    """The interface of an open score database that the store's mixins program against.

    Implemented by :class:`quizapp.store.Store`; never instantiated on its own.
    """

    #: The database file.
    path: Path

    def _read(self, query: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``query`` on the connection (retried while busy; errors become StoreError)."""
        raise NotImplementedError

    def _write(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """One write transaction, committed on leaving (or joined to the current batch)."""
        raise NotImplementedError

    def _now(self) -> str:
        """The time now, as stored (UTC ISO 8601 text)."""
        raise NotImplementedError
