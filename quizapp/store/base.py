"""What the parts of :class:`quizapp.store.Store` written in other modules rely on.

``Store`` is one class, but its methods live in several modules so that none grows past one
idea: :mod:`quizapp.store.database` (opening, transactions) and the mixins
:mod:`quizapp.store.students` (students, card progress), :mod:`quizapp.store.attempts`
(attempts and answers), :mod:`quizapp.store.views` (scores and the class views),
:mod:`quizapp.store.merge` (merging a student's file) and the exam, hints, regrade, roster
and review parts. The mixins are built on :class:`StoreBase`, which
names the few things they use; ``Store`` provides them, beside the rules they follow (every
write takes the lock up front, a busy database is retried, database errors become
:class:`~quizapp.store.records.StoreError`).

The mixins run on SQLite and on PostgreSQL through one code path: the connection they are
handed is a :class:`Connection` (``sqlite3.Connection`` is one; :mod:`.postgres` adapts a
psycopg connection to it) and the few statements that cannot be written in the subset both
understand take their differing words from :attr:`StoreBase._dialect` (:mod:`.dialect`).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol, TypeVar

from quizapp.store.dialect import Dialect

__all__ = ["Connection", "Cursor", "StoreBase"]

T = TypeVar("T")


class Cursor(Protocol):
    """The result of one statement: its rows (readable by index and by column name, as
    ``sqlite3.Row``) and the number of rows it changed."""

    @property
    def rowcount(self) -> int:
        """Rows inserted, updated or deleted by the statement."""
        ...

    def fetchone(self) -> Any:
        """The next row, or None."""
        ...

    def fetchall(self) -> list[Any]:
        """The remaining rows."""
        ...

    def fetchmany(self, size: int = ..., /) -> list[Any]:
        """Up to ``size`` more rows."""
        ...

    def close(self) -> None:
        """Let go of the rows not read."""
        ...


class Connection(Protocol):
    """What the store's SQL runs on: ``sqlite3.Connection``, or the PostgreSQL adapter.

    Statements use ``?`` (or ``:name`` with a mapping) placeholders."""

    def execute(self, sql: str, parameters: Any = ..., /) -> Cursor:
        """Run one statement."""
        ...

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> Cursor:
        """Run one statement once per parameter set."""
        ...


class StoreBase:
    """The interface of an open score database that the store's mixins program against.

    Implemented by :class:`quizapp.store.Store`; never instantiated on its own.
    """

    #: The database: a SQLite file's path, or a PostgreSQL URL without its password.
    path: Path | str
    #: The connection and the lock that serialises its use: a merge holds the lock and sets
    #: SQLite's progress handler on the connection for the whole write.
    _conn: Any
    _lock: threading.RLock
    #: The SQL words that differ between the backends.
    _dialect: Dialect

    def _read(self, query: Callable[[Connection], T]) -> T:
        """Run ``query`` on the connection (retried while busy; errors become StoreError)."""
        raise NotImplementedError

    def _write(self) -> contextlib.AbstractContextManager[Connection]:
        """One write transaction, committed on leaving (or joined to the current batch)."""
        raise NotImplementedError

    def _now(self) -> str:
        """The time now, as stored (UTC ISO 8601 text)."""
        raise NotImplementedError
