"""The :class:`Store` class: opening a score database and its transactions; students and
card progress are :class:`.students.StudentsMixin`'s, merging :class:`.deferred.MergeMixin`'s.
Import it from :mod:`quizapp.store`, the package's face.

``Store`` is one class assembled from mixins (:mod:`.students`, :mod:`.attempts`,
:mod:`.views`, :mod:`.roster`, :mod:`.review` and those of :mod:`.deferred`) rather than
several objects: every part shares one connection, one lock and one transaction policy
(:meth:`Store._write`), and callers hold one object for one open file. Splitting it into
objects would hand each the same three things and add a layer of forwarding; the mixins keep
each module to one idea while the policy stays in one place. :class:`.base.StoreBase` names
what the mixins rely on, so mypy checks them on their own. The methods a start of the app
never calls (merge, regrade, exam drafts, hints, backup) import the module that does their
work on their first call, so opening the app does not pay for them (:mod:`.deferred`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self, TypeVar

from quizapp.paths import is_db_url, redact_db_url
from quizapp.store.attempts import AttemptsMixin
from quizapp.store.base import Connection
from quizapp.store.connect import (
    _OLDER,
    _SQLITE_OPS,
    _connect_checked,
    _connect_readonly,
    _move_aside,
    _read_header,
    _set_wal_aside,
    _stale_wal,
    _tidy_journal,
    _user_message,
    retry_busy,
)
from quizapp.store.deferred import ExamMixin, HintsMixin, MergeMixin, RegradeMixin
from quizapp.store.dialect import SQLITE
from quizapp.store.records import (
    StoreError,
    _iso,
    _utcnow,
)
from quizapp.store.review import ReviewMixin
from quizapp.store.roster import RosterMixin
from quizapp.store.schema import (
    _Unusable,
)
from quizapp.store.students import StudentsMixin
from quizapp.store.views import ViewsMixin

if TYPE_CHECKING:
    from quizapp.store.postgres import PgConnection

__all__ = ["Store"]


def _header_or_empty(path: Path) -> bytes:
    try:
        return _read_header(path) if path.is_file() else b""
    except OSError:
        return b""


T = TypeVar("T")


class Store(
    StudentsMixin,
    AttemptsMixin,
    ExamMixin,
    HintsMixin,
    RegradeMixin,
    ViewsMixin,
    RosterMixin,
    ReviewMixin,
    MergeMixin,
):
    """An open score database. Create one with :meth:`Store.open`; use it as a context
    manager or call :meth:`close`.

    One ``Store`` may be shared by the threads of one process (calls are serialised by a
    lock); several processes may open the same file at once.
    """

    def __init__(
        self,
        conn: sqlite3.Connection | PgConnection,
        path: Path | str,
        notices: list[str],
        clock: Callable[[], dt.datetime],
        ops: Any = _SQLITE_OPS,
    ) -> None:
        """Use :meth:`Store.open`; this wraps an already checked connection."""
        self._conn = conn
        self._ops = ops
        self._dialect = ops.dialect
        self._lock = threading.RLock()
        self._batch_depth = 0
        self._clock = clock
        #: The database, for messages: a SQLite file's path, or a PostgreSQL URL without
        #: its password.
        self.path = path
        #: What :meth:`Store.open` takes to open this database again (the URL with its
        #: password: never show it).
        self.target: Path | str = path
        #: Messages for the user about what happened when the file was opened (a damaged
        #: file moved aside, ...). The app shows them once.
        self.notices = notices
        # A read-only look at an older file reads an upgraded copy kept here.
        self._scratch: tempfile.TemporaryDirectory[str] | None = None
        # A read-only look that made the journal files removes them when done.
        self._tidy = False

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        create: bool = True,
        readonly: bool = False,
        busy_timeout_ms: int = 5000,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> Self:
        """Open (and if needed create or upgrade) the score database at ``path``: a SQLite
        file, or a PostgreSQL server's database when ``path`` is a ``postgresql://`` (or
        ``postgres://``) URL (see :meth:`_open_postgres`).

        Creates the parent folder. Turns on WAL, ``synchronous=FULL``, foreign keys and a busy
        timeout, checks the file, and applies pending :data:`MIGRATIONS`.

        A corrupt file or one that is not a SQLite database is moved aside (never deleted)
        and a fresh database created; :attr:`notices` then holds the message to show. With
        ``create=False`` (commands that only read) a missing or damaged file raises
        :class:`StoreError` instead and nothing is moved. A database of a newer schema
        version, another program's SQLite file, or a read-only file or folder always raises
        :class:`StoreError` and the file is left untouched.

        With ``readonly=True`` (every command that only reads) the file is opened read-only:
        it must exist and be a quizapp score database, anything else raises
        :class:`StoreError`, and nothing is created, moved or written (an empty file stays
        empty). A file of an older schema is read from an upgraded temporary copy.

        A ``-wal`` journal left beside a file it does not belong to (a backup restored over
        the file it came with) is set aside, never applied, and :attr:`notices` says so;
        read-only, it is refused with the same explanation.

        ``clock`` (returning aware datetimes) replaces the system clock, for tests.
        """
        clock = clock or _utcnow
        if isinstance(path, str) and is_db_url(path):
            return cls._open_postgres(
                path, create=create, readonly=readonly, busy_timeout_ms=busy_timeout_ms, clock=clock
            )
        path = Path(path).expanduser()
        if readonly:
            return cls._open_readonly(path, busy_timeout_ms, clock)
        notices: list[str] = []
        if path.is_dir():
            raise StoreError(f"{path} is a folder, not a score database file.")
        if not path.exists():
            if not create:
                raise StoreError(
                    f"There is no score database at {path} (nothing has been recorded there "
                    "yet). Give another one with --db PATH or QUIZAPP_DB."
                )
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(
                    f"Cannot create the folder {path.parent} for the score database: "
                    f"{error.strerror or error}."
                ) from None
        if _stale_wal(path, _header_or_empty(path)):
            notices.append(_set_wal_aside(path, clock()))
        for _ in range(3):
            try:
                conn = _connect_checked(path, busy_timeout_ms)
            except _Unusable as problem:
                if not problem.corrupt or not create:
                    raise StoreError(
                        f"The score database {path} cannot be used: {problem.reason}."
                    ) from None
                notices.append(_move_aside(path, problem.reason, clock()))
                continue
            return cls(conn, path, notices, clock)
        raise StoreError(f"The score database {path} could not be opened.")  # pragma: no cover

    @classmethod
    def _open_postgres(
        cls,
        url: str,
        *,
        create: bool,
        readonly: bool,
        busy_timeout_ms: int,
        clock: Callable[[], dt.datetime],
    ) -> Self:
        """A store on a PostgreSQL server (psycopg, imported only now). The schema is built
        or upgraded under an advisory lock (``readonly``: a read-only session, nothing
        built); the corrupt-file, journal and moved-aside rules are SQLite's alone. A
        writer waits ``busy_timeout_ms`` per try for the one-writer lock, as on SQLite."""
        from quizapp.store.pg_schema import migrate_postgres
        from quizapp.store.postgres import PgOps, connect_postgres

        display = redact_db_url(url)
        ops = PgOps()
        conn = connect_postgres(url, display, readonly=readonly, busy_timeout_ms=busy_timeout_ms)
        try:
            migrate_postgres(conn, create=create, readonly=readonly)
        except BaseException as error:
            conn.close()
            if isinstance(error, ops.errors):
                raise StoreError(ops.message(display, error)) from None
            raise
        store = cls(conn, display, [], clock, ops)
        store.target = url
        return store

    @classmethod
    def _open_readonly(
        cls, path: Path, busy_timeout_ms: int, clock: Callable[[], dt.datetime]
    ) -> Self:
        journal = path.with_name(path.name + "-wal").exists()
        try:
            conn = _connect_readonly(path, busy_timeout_ms)
        except _Unusable as problem:
            if not journal:
                _tidy_journal(path)
            if problem.reason != _OLDER:
                raise StoreError(
                    f"{path} is not a quizapp score database that can be read: {problem.reason}."
                ) from None
            return cls._open_upgraded_copy(path, busy_timeout_ms, clock)
        store = cls(conn, path, [], clock)
        store._tidy = not journal
        return store

    @classmethod
    def _open_upgraded_copy(
        cls, path: Path, busy_timeout_ms: int, clock: Callable[[], dt.datetime]
    ) -> Self:
        """A file of an older quizapp, read without changing it: a copy (with its journal)
        is upgraded in a temporary folder and read there; the folder goes on close."""
        scratch = tempfile.TemporaryDirectory(prefix="quizapp-read-")
        copy = Path(scratch.name) / "scores.sqlite3"
        try:
            shutil.copyfile(path, copy)
            wal = path.with_name(path.name + "-wal")
            if wal.exists():
                shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
            cls.open(copy, create=False, busy_timeout_ms=busy_timeout_ms).close()
            conn = _connect_readonly(copy, busy_timeout_ms)
        except OSError as error:
            scratch.cleanup()
            raise StoreError(f"{path} cannot be read: {error.strerror or error}.") from None
        except (StoreError, _Unusable) as error:
            scratch.cleanup()
            reason = str(error).replace(str(copy), str(path))
            raise StoreError(f"{path} cannot be read: {reason}") from None
        store = cls(conn, path, [], clock)
        store._scratch = scratch
        return store

    # ------------------------------------------------------------------ lifetime

    def backup(self, target: Path | str) -> None:
        """Copy the whole database, answers still in its journal included, to ``target``
        (which must not exist) with SQLite's online backup API: consistent, and safe while
        other windows answer. The copy is one self-contained file (rollback-journal mode),
        checked before it is put in place. Raises :class:`StoreError` with the reason."""
        if not isinstance(self._conn, sqlite3.Connection):
            raise StoreError(
                "quizapp backup copies SQLite score files; a PostgreSQL database is backed "
                f"up with pg_dump: pg_dump --format=custom --file=scores.dump '{self.path}'"
            )
        from quizapp.store.backup import _backup_to  # imported when first asked for

        with self._lock:
            _backup_to(self._conn, Path(target).expanduser())

    def close(self) -> None:
        """Close the database. The last connection to close folds the WAL into the file, so
        it can then be copied as a single file."""
        with self._lock:
            self._conn.close()
        if self._tidy and isinstance(self.path, Path):
            _tidy_journal(self.path)
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def backend(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self._dialect.name

    @property
    def schema_version(self) -> int:
        """The database's schema version (equal to :data:`SCHEMA_VERSION`): SQLite's
        ``PRAGMA user_version``, PostgreSQL's ``quizapp_schema`` table."""
        sql = (
            "PRAGMA user_version"
            if self._dialect is SQLITE
            else "SELECT max(version) FROM quizapp_schema"
        )
        return int(self._read(lambda c: c.execute(sql).fetchone()[0]))

    @property
    def synchronous(self) -> str:
        """The durability level in force: ``"FULL"`` on SQLite (each commit is flushed to
        disk), PostgreSQL's ``synchronous_commit`` (``"on"``) there."""
        if self._dialect is not SQLITE:
            return str(self._read(lambda c: c.execute("SHOW synchronous_commit").fetchone()[0]))
        level = self._read(lambda c: c.execute("PRAGMA synchronous").fetchone()[0])
        return {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}.get(level, str(level))

    @property
    def journal_mode(self) -> str:
        """SQLite's journal mode in force (``"wal"``); ``"postgresql"`` on a server."""
        if self._dialect is not SQLITE:
            return "postgresql"
        return str(self._read(lambda c: c.execute("PRAGMA journal_mode").fetchone()[0]))

    # ------------------------------------------------------------------ plumbing

    def _read(self, query: Callable[[Connection], T]) -> T:
        with self._lock:
            conn = self._conn
            if not isinstance(conn, sqlite3.Connection):
                conn.ready()
            try:
                return retry_busy(lambda: query(conn))
            except self._ops.errors as error:
                raise StoreError(self._ops.message(self.path, error)) from None

    @contextlib.contextmanager
    def _write(self) -> Iterator[Connection]:
        """One write transaction, taken with ``BEGIN IMMEDIATE`` (so waiting for the lock
        happens up front, under the busy timeout) and committed on leaving. Inside
        :meth:`batch` it joins the batch's transaction instead. On PostgreSQL the lock is
        an advisory transaction lock (:mod:`.postgres`)."""
        with self._lock:
            if self._batch_depth:
                yield self._conn
                return
            if not isinstance(self._conn, sqlite3.Connection):
                yield from self._conn.write_transaction(self._ops)
                return
            try:
                retry_busy(lambda: self._conn.execute("BEGIN IMMEDIATE"))
            except sqlite3.Error as error:
                raise StoreError(_user_message(Path(self.path), error)) from None
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException as error:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                if isinstance(error, sqlite3.Error) and not isinstance(
                    error, sqlite3.IntegrityError
                ):
                    raise StoreError(_user_message(Path(self.path), error)) from None
                raise

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Group many writes into one transaction (imports, benchmarks, tests).

        The app never uses this for answers: there, each answer commits on its own.
        """
        with self._write():
            self._batch_depth += 1
            try:
                yield
            finally:
                self._batch_depth -= 1

    def _now(self) -> str:
        return _iso(self._clock())
