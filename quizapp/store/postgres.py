"""The score store on a PostgreSQL server: the connection adapter, opening, and errors.

``Store.open("postgresql://user@host/db")`` comes here (psycopg 3, imported only then: a
SQLite user never loads it). The store's mixins run unchanged on :class:`PgConnection`,
which gives psycopg's connection the shape of ``sqlite3.Connection`` they are written
against (:class:`quizapp.store.base.Connection`):

* ``?`` placeholders become ``%s`` and ``:name`` ones ``%(name)s``, outside string literals
  and quoted names (and a literal ``%`` becomes ``%%``), converted once per statement text;
* rows read by index and by column name, as ``sqlite3.Row`` (a psycopg row factory);
* ``executemany`` returns a cursor whose ``rowcount`` is the total, as SQLite's.

Transactions: the connection is in autocommit mode (every read is its own statement, as on
SQLite with ``isolation_level=None``); a write is ``BEGIN`` then
``pg_advisory_xact_lock(<quizapp's key>, <hash of the schema>)``: one writer at a time per
score database, as SQLite's ``BEGIN IMMEDIATE`` gives, so the store's invariants (one live
attempt per student and lesson, name keys, lockouts) hold as they were written. The wait for
that lock is bounded as SQLite's is: ``SET LOCAL lock_timeout`` to the store's
``busy_timeout_ms`` first, then up to :data:`BUSY_RETRIES` more tries after growing pauses;
a writer still waiting (a long merge, a transaction left open) gets a :class:`StoreError`
saying the database is busy, so an answer goes through the app's "not saved, send again"
flow instead of hanging. Each answer
is one such transaction, committed with the server's default ``synchronous_commit=on``
(durable when ``record_answer`` returns). Readers never wait for the lock.

A connection that breaks (the server restarted, the network went away) is reopened at the
next call; the call that met the break fails with a :class:`StoreError`, so an answer that
could not be saved goes through the app's "save failed, send again" flow and the second try
uses a new connection. Messages name the database by its URL without the password.
"""

from __future__ import annotations

import functools
import itertools
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from quizapp.store.dialect import POSTGRES
from quizapp.store.records import StoreError

if TYPE_CHECKING:
    import psycopg

__all__ = ["PgConnection", "PgOps", "connect_postgres"]

#: The first half of every quizapp advisory lock key ("QUZA", as SQLite's application id);
#: the second is the hash of the schema the store lives in.
LOCK_CLASS = 0x51555A41
#: The second key of the lock held while the schema is built or upgraded.
MIGRATION_LOCK = 0x4D494752

_STREAMS = itertools.count(1)

#: How many more times a writer asks for the one-writer lock after waiting the store's busy
#: timeout for it, pausing 50 ms, 100 ms, ... (at most 2 s) in between: SQLite's rule
#: (:func:`quizapp.store.connect.retry_busy`).
BUSY_RETRIES = 6

INSTALL_HINT = (
    "a PostgreSQL score database needs psycopg, which is not installed: "
    "pip install 'quizapp[postgresql]'"
)


@functools.lru_cache(maxsize=1024)
def convert(sql: str) -> str:
    """``sql`` with SQLite's ``?`` and ``:name`` placeholders as psycopg's ``%s`` and
    ``%(name)s`` (and ``%`` doubled), outside quoted literals and names."""
    out: list[str] = []
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch in "'\"":
            j = i + 1
            while j < n:
                if sql[j] == ch:
                    if j + 1 < n and sql[j + 1] == ch:
                        j += 2
                        continue
                    break
                j += 1
            out.append(sql[i : j + 1].replace("%", "%%"))
            i = j + 1
            continue
        if ch == "?":
            out.append("%s")
        elif ch == "%":
            out.append("%%")
        elif (
            ch == ":"
            and i + 1 < n
            and (sql[i + 1].isalpha() or sql[i + 1] == "_")
            and (i == 0 or sql[i - 1] != ":")
        ):
            j = i + 1
            while j < n and (sql[j].isalnum() or sql[j] == "_"):
                j += 1
            out.append(f"%({sql[i + 1 : j]})s")
            i = j
            continue
        else:
            out.append(ch)
        i += 1
    return "".join(out)


class Row(tuple[Any, ...]):
    """A result row readable by position and by column name (as ``sqlite3.Row``)."""

    __slots__ = ()
    _index: ClassVar[dict[str, int]] = {}

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        """The column names, in order."""
        return list(self._index)


@functools.lru_cache(maxsize=512)
def _row_class(names: tuple[str, ...]) -> type[Row]:
    index = {name: i for i, name in reversed(list(enumerate(names)))}
    return type("Row", (Row,), {"__slots__": (), "_index": index})


def _row_factory(cursor: Any) -> Callable[[Sequence[Any]], Any]:
    description = cursor.description
    if description is None:
        return tuple
    cls = _row_class(tuple(column.name for column in description))
    return functools.partial(tuple.__new__, cls)


class PgConnection:
    """A psycopg connection with the interface of ``sqlite3.Connection`` the store uses."""

    dialect = POSTGRES

    def __init__(
        self, url: str, display: str, *, readonly: bool, busy_timeout_ms: int = 5000
    ) -> None:
        """Connect to ``url`` (errors become :class:`StoreError` naming ``display``); a
        writer waits ``busy_timeout_ms`` for the one-writer lock, per try."""
        self.url = url
        self.display = display
        self.readonly = readonly
        self._raw = self._connect()
        self._begin_sql = (
            f"BEGIN; SET LOCAL lock_timeout = {max(1, int(busy_timeout_ms))}; "
            f"{self._lock_statement()}"
        ).encode()

    def _connect(self) -> psycopg.Connection[Any]:
        pg = _psycopg()
        try:
            raw = pg.connect(
                self.url,
                autocommit=True,
                row_factory=_row_factory,
                connect_timeout=10,
                application_name="quizapp",
            )
        except pg.Error as error:
            raise StoreError(
                f"Cannot connect to the score database {self.display}: {_reason(error)}."
            ) from None
        if self.readonly:
            raw.execute("SET default_transaction_read_only = on")
        connection: psycopg.Connection[Any] = raw
        return connection

    def _lock_statement(self) -> str:
        row = self._raw.execute("SELECT hashtext(current_schema())").fetchone()
        schema_key = 0 if row is None or row[0] is None else int(row[0])
        return f"SELECT pg_advisory_xact_lock({LOCK_CLASS}, {schema_key})"

    # -- the sqlite3.Connection face ----------------------------------------------------

    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        """Run one statement (SQLite placeholders); returns the cursor. Rows come in
        PostgreSQL's binary format: the same Python values as text gives, read without
        parsing digits (the 9,000 rows of a class gradebook arrive in about half the time)."""
        return self._raw.execute(convert(sql), parameters, binary=True)

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> Any:
        """Run one statement per parameter set; the cursor's rowcount is the total."""
        cursor = self._raw.cursor()
        rows = list(parameters)
        if rows:
            cursor.executemany(convert(sql), rows)
        return cursor

    def script(self, statements: Iterable[str]) -> None:
        """Run statements as written (DDL: no placeholders converted)."""
        for statement in statements:
            self._raw.execute(statement.encode())

    # -- transactions and lifetime ------------------------------------------------------

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction is open (or failed and not yet rolled back)."""
        from psycopg.pq import TransactionStatus

        return bool(self._raw.info.transaction_status != TransactionStatus.IDLE)

    def begin_write(self, pause: Callable[[float], None] = time.sleep) -> None:
        """Start a write transaction holding the store's one-writer lock, waiting for it at
        most the busy timeout per try and :data:`BUSY_RETRIES` more tries (see the module
        doc); the last ``LockNotAvailable`` is raised, with no transaction left open.
        ``BEGIN``, the timeout and the lock go to the server as one message (one round
        trip; the timeout holds to the end of the transaction, as SQLite's busy timeout)."""
        busy = _psycopg().errors.LockNotAvailable
        delay = 0.05
        for attempt in range(BUSY_RETRIES + 1):
            try:
                self._raw.execute(self._begin_sql)
                return
            except busy:
                self._raw.execute("ROLLBACK")
                if attempt == BUSY_RETRIES:
                    raise
            pause(delay)
            delay = min(delay * 2, 2.0)

    def commit(self) -> None:
        """Commit the open transaction."""
        self._raw.execute("COMMIT")

    def rollback(self) -> None:
        """Roll back the open transaction, if the connection still can."""
        if not self._raw.closed and self.in_transaction:
            self._raw.execute("ROLLBACK")

    def rollback_quietly(self) -> None:
        """Roll back after a failure; a connection that broke meanwhile is left to
        :meth:`ready` (nothing was committed)."""
        try:
            self.rollback()
        except _psycopg().Error:
            pass

    def write_transaction(self, ops: PgOps) -> Iterator[PgConnection]:
        """One write transaction under the one-writer lock (see the module doc): yields
        this connection, commits on leaving, rolls back on any error; database errors
        become :class:`StoreError` in ``ops``' words."""
        try:
            self.ready()
            self.begin_write()
        except ops.errors as error:
            self.rollback_quietly()
            raise StoreError(ops.message(self.display, error)) from None
        try:
            yield self
            self.commit()
        except BaseException as error:
            self.rollback_quietly()
            if isinstance(error, ops.errors):
                raise StoreError(ops.message(self.display, error)) from None
            raise

    def ready(self) -> None:
        """Reopen the connection if it broke (server restarted, network lost)."""
        if self._raw.closed or self._raw.broken:
            self._raw = self._connect()

    def close(self) -> None:
        """Close the connection."""
        self._raw.close()

    @property
    def closed(self) -> bool:
        """Whether the connection is closed (or broke)."""
        return bool(self._raw.closed)

    def stream(self, sql: str, parameters: Any = (), /) -> Any:
        """Run a query whose rows are read a batch at a time (``fetchmany``) from a
        server-side cursor, so that a million rows never sit in this process at once (a
        plain cursor receives them all). ``WITH HOLD``: it outlives the statement's own
        transaction, as the connection is in autocommit mode; close it when done."""
        cursor = self._raw.cursor(name=f"quizapp_stream_{next(_STREAMS)}", withhold=True)
        cursor.execute(convert(sql), parameters)
        return cursor


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:
        raise StoreError(INSTALL_HINT) from None
    return psycopg


def _reason(error: BaseException) -> str:
    """The server's or libpq's words, on one line (they never hold the password)."""
    text = " ".join(str(error).split())
    for prefix in ("connection failed: ",):
        text = text.removeprefix(prefix)
    return text.rstrip(".") or type(error).__name__


class PgOps:
    """What :class:`quizapp.store.Store` does differently on PostgreSQL: which errors are
    the database's, how they read, how a write transaction starts."""

    dialect = POSTGRES

    def __init__(self) -> None:
        psycopg = _psycopg()
        self.errors: tuple[type[BaseException], ...] = (psycopg.Error,)
        self._read_only = psycopg.errors.ReadOnlySqlTransaction
        self._busy = psycopg.errors.LockNotAvailable
        self._privilege = psycopg.errors.InsufficientPrivilege
        self._operational = psycopg.OperationalError

    def message(self, display: str, error: BaseException) -> str:
        """A database error in words fit to show a user."""
        if isinstance(error, self._read_only):
            return f"The score database {display} was opened read-only; nothing was saved."
        if isinstance(error, self._busy):
            return (
                f"The score database {display} is busy: another quizapp has held it for a "
                "long time (a merge, or a transaction left open). Try again."
            )
        if isinstance(error, self._privilege):
            return (
                f"The score database {display} refused this change ({_reason(error)}): "
                "the role in the URL may not write there."
            )
        if isinstance(error, self._operational):
            return (
                f"The connection to the score database {display} failed ({_reason(error)}). "
                "Check that the server is running; quizapp reconnects at the next try."
            )
        return f"The score database {display} could not be used: {_reason(error)}."


def connect_postgres(
    url: str, display: str, *, readonly: bool, busy_timeout_ms: int = 5000
) -> PgConnection:
    """A connection to the PostgreSQL score database at ``url`` (see :class:`PgConnection`)."""
    return PgConnection(url, display, readonly=readonly, busy_timeout_ms=busy_timeout_ms)
