"""Opening a score file safely: what is checked before anything is changed, what happens to
a damaged file, and how SQLite's errors reach the user.

* The file's first 100 bytes are read before SQLite touches it: a file that is not a SQLite
  database is damaged; a newer or foreign one is refused before SQLite so much as replays
  its journal. A read-only file or folder is refused up front.
* A damaged file is never overwritten or deleted: :func:`_move_aside` renames it (and its
  ``-wal``/``-shm``/``-journal`` companions) to ``NAME.corrupt-STAMP`` beside itself.
* :func:`_connect_checked` connects, checks, turns on WAL, ``synchronous=FULL`` and foreign
  keys, and applies the pending migrations.
* A ``-wal`` journal beside a file it cannot belong to (a file restored or copied in, left
  in rollback mode, as ``quizapp backup`` writes it) is never applied: applying it would
  silently undo the restore or damage the file. :func:`_stale_wal` detects it; the app sets
  it aside (:func:`_set_wal_aside`), read-only commands refuse and say what to do.
* When a ``-wal`` holds changes, the file's identity is read through a read-only
  connection first (:func:`_probe_identity`): SQLite folds the journal into the file when
  the last writer closes, so a newer or foreign file refused after a read-write look would
  have been changed after all.
* :func:`retry_busy` retries an operation SQLite reports busy or locked, and
  :func:`_user_message` puts any other SQLite error in words fit to show a user.

:class:`quizapp.store.Store` is the only user of this module.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from quizapp.store.dialect import SQLITE, Dialect
from quizapp.store.records import StoreError
from quizapp.store.schema import SCHEMA_VERSION, _check_identity, _migrate, _Unusable

__all__ = ["retry_busy"]

T = TypeVar("T")

_SQLITE_MAGIC = b"SQLite format 3\x00"
_BUSY_RETRIES = 6


def _is_busy(error: sqlite3.Error) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(error) or "busy" in str(error)


def _is_corrupt(error: sqlite3.Error) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
    text = str(error)
    return "malformed" in text or "not a database" in text


def retry_busy(
    operation: Callable[[], T],
    *,
    retries: int = _BUSY_RETRIES,
    pause: Callable[[float], None] = time.sleep,
) -> T:
    """Run ``operation``; when SQLite says the database is busy or locked even after its own
    busy timeout, wait a little longer (doubling, from 50 ms) and try again, up to
    ``retries`` times. Any other error, or the last busy one, is raised.

    The busy timeout covers ordinary contention; this covers the rare writer that holds the
    lock longer (a big merge, a checkpoint on a slow disk).
    """
    delay = 0.05
    for attempt in range(retries + 1):
        try:
            return operation()
        except sqlite3.OperationalError as error:
            if not _is_busy(error) or attempt == retries:
                raise
            pause(delay)
            delay = min(delay * 2, 2.0)
    raise AssertionError("unreachable")  # pragma: no cover


def _user_message(path: Path, error: sqlite3.Error) -> str:
    text = str(error)
    if _is_busy(error):
        return (
            f"The score database {path} is busy: another quizapp has held it for a long time. "
            "Close other copies of quizapp and try again."
        )
    code = getattr(error, "sqlite_errorcode", 0) & 0xFF
    if code == sqlite3.SQLITE_READONLY or "readonly" in text:
        return (
            f"The score database {path} is read-only, so scores cannot be saved. "
            "Use a folder you can write to (--db PATH or QUIZAPP_DB)."
        )
    if code == sqlite3.SQLITE_FULL or "disk is full" in text:
        return f"The disk holding the score database {path} is full; free some space."
    if _is_corrupt(error):
        return (
            f"The score database {path} is damaged ({text}). Close quizapp and start it "
            "again: the damaged file will be kept aside and a new one started."
        )
    return f"The score database {path} could not be used: {text}."


def _moved_aside_name(path: Path, now: dt.datetime) -> Path:
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S")
    candidate = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    return candidate


def _read_header(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(100)


def _check_writable(path: Path) -> None:
    """Refuse, before touching anything, a file or folder we could not write to."""
    folder = path.parent
    if path.exists() and not os.access(path, os.W_OK):
        raise StoreError(
            f"The score database {path} is read-only, so scores cannot be saved. "
            "Make it writable, or use another file with --db PATH or QUIZAPP_DB."
        )
    if not os.access(folder, os.W_OK):
        raise StoreError(
            f"The folder {folder} is read-only, so the score database cannot be "
            f"{'used' if path.exists() else 'created'} there (SQLite needs to write files "
            "beside it). Use a folder you can write to with --db PATH or QUIZAPP_DB."
        )


def _move_aside(path: Path, reason: str, now: dt.datetime) -> str:
    """Rename a damaged file (and its -wal/-shm/-journal companions) beside itself."""
    aside = _moved_aside_name(path, now)
    try:
        path.rename(aside)
        for suffix in ("-wal", "-shm", "-journal"):
            companion = path.with_name(path.name + suffix)
            if companion.exists():
                companion.rename(aside.with_name(aside.name + suffix))
    except FileNotFoundError:
        # Another quizapp moved it first; its message is the one the user sees.
        return f"The score database {path} was damaged and has been set aside."
    except OSError as error:
        raise StoreError(
            f"The score database {path} is damaged ({reason}) and could not be set aside "
            f"({error.strerror or error}). Move it away yourself, then start again."
        ) from None
    return (
        f"The score database {path} could not be read ({reason}). It has been kept as "
        f"{aside.name} in the same folder, and a new, empty score database was started. "
        "Nothing was deleted: your teacher can try to recover the old scores from it."
    )


def _wal_of(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def _has_wal(path: Path) -> bool:
    """True when a ``-wal`` journal with content lies beside ``path``."""
    try:
        return _wal_of(path).stat().st_size > 0
    except OSError:
        return False


def _stale_wal(path: Path, header: bytes) -> bool:
    """True when the ``-wal`` beside ``path`` cannot belong to it.

    A quizapp database is always in WAL mode, which SQLite writes in the file's header
    (bytes 18 and 19 are 2). A header in rollback mode (1) with a journal beside it means
    the file was put there after that journal was written: a restored backup (``quizapp
    backup`` writes rollback-mode copies so this is recognised) beside the journal of the
    file it replaced. SQLite would apply that journal to it.
    """
    return len(header) >= 20 and header[18:20] == b"\x01\x01" and _has_wal(path)


def _stale_wal_reason(path: Path) -> str:
    return (
        f"the journal file {_wal_of(path).name} beside it belongs to an earlier file (this one "
        "was restored or copied in after it was written), and applying it would undo the "
        "restore or damage the file"
    )


def _set_wal_aside(path: Path, now: dt.datetime) -> str:
    """Rename a stale ``-wal`` (and ``-shm``) beside ``path``; the message says what and why."""
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S")
    wal = _wal_of(path)
    aside = wal.with_name(f"{wal.name}.stale-{stamp}")
    try:
        wal.rename(aside)
        shm = path.with_name(path.name + "-shm")
        if shm.exists():
            shm.rename(shm.with_name(f"{shm.name}.stale-{stamp}"))
    except OSError as error:
        raise StoreError(
            f"The score database {path} cannot be used safely: {_stale_wal_reason(path)}. "
            f"It could not be set aside ({error.strerror or error}): move {wal.name} away "
            "yourself, then start again."
        ) from None
    return (
        f"The score database {path} was restored or copied in while an older journal file "
        f"({wal.name}) was beside it. That journal was not applied (it would have undone the "
        f"restore); it is kept as {aside.name} in the same folder, and the restored file is "
        "used as it is."
    )


def _tidy_journal(path: Path) -> None:
    """Remove the empty ``-wal`` and ``-shm`` files a read-only look left beside ``path``.

    SQLite creates them to read a WAL database, and a read-only connection cannot remove
    them. When the journal is empty, a connection that only reads and closes removes them as
    SQLite always does (when it is the last one; if another window has the file open they
    stay, as they should): nothing is written to the database.
    """
    try:
        if _wal_of(path).stat().st_size != 0 or not os.access(path.parent, os.W_OK):
            return
        if not path.is_file():  # moved away meanwhile: connecting would create a file
            return
        conn = sqlite3.connect(path, timeout=0.2)
    except (OSError, sqlite3.Error):
        return
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error:
        pass
    finally:
        conn.close()


def _probe_identity(path: Path) -> None:
    """Check the version and owner of a file whose ``-wal`` holds changes, through a
    read-only connection that cannot fold the journal into the file. A probe that cannot
    open leaves the check to the read-write connection."""
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return
    try:
        version, app_id, tables = _identity(conn)
    except sqlite3.Error:
        return
    finally:
        conn.close()
    _check_identity(version, app_id, has_tables=tables > 0)


def _connect_checked(path: Path, busy_timeout_ms: int) -> sqlite3.Connection:
    """Connect, inspect the file before changing anything, then configure and migrate."""
    if path.exists():
        try:
            header = _read_header(path)
        except OSError as error:
            raise StoreError(
                f"The score database {path} cannot be read: {error.strerror or error}."
            ) from None
        if header and (len(header) < 100 or not header.startswith(_SQLITE_MAGIC)):
            raise _Unusable("it is not a SQLite database", corrupt=True)
        if header:
            # Check the header first: a newer or foreign file is refused before SQLite
            # so much as replays its journal. (Tables are checked once connected: the
            # header of a database another quizapp is creating has no id yet.)
            version = int.from_bytes(header[60:64], "big")
            app_id = int.from_bytes(header[68:72], "big")
            _check_identity(version, app_id, has_tables=False)
            if _has_wal(path):
                _probe_identity(path)
    _check_writable(path)
    conn = _connect(path, str(path), busy_timeout_ms, uri=False)
    try:
        try:
            version, app_id, tables = _identity(conn)
            _check_identity(version, app_id, has_tables=tables > 0)
            if tables:
                check = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
                if check != ["ok"]:
                    raise _Unusable("it is damaged: " + "; ".join(check), corrupt=True)
        except sqlite3.DatabaseError as error:
            if _is_corrupt(error):
                raise _Unusable(f"it is damaged: {error}", corrupt=True) from None
            raise
        mode = retry_busy(lambda: conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
        if mode.lower() != "wal":  # pragma: no cover - e.g. some network filesystems
            conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA synchronous = FULL")
        # On macOS a plain fsync() leaves data in the drive's cache; F_FULLFSYNC does
        # not. (Ignored on other systems.)
        conn.execute("PRAGMA fullfsync = ON")
        conn.execute("PRAGMA foreign_keys = ON")
        retry_busy(lambda: _migrate(conn))
    except BaseException as error:
        conn.close()
        if isinstance(error, sqlite3.Error):
            raise StoreError(_user_message(path, error)) from None
        raise
    return conn


def _connect(path: Path, target: str, busy_timeout_ms: int, *, uri: bool) -> sqlite3.Connection:
    """A connection to ``target`` (the file, or a URI for it) as the store uses them: rows by
    name, transactions taken explicitly, the busy timeout set; shared by the app's threads."""
    try:
        conn = sqlite3.connect(
            target,
            uri=uri,
            timeout=busy_timeout_ms / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
    except sqlite3.Error as error:
        raise StoreError(_user_message(path, error)) from None
    try:
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    except BaseException as error:
        conn.close()
        if isinstance(error, sqlite3.Error):
            raise StoreError(_user_message(path, error)) from None
        raise
    return conn


def _identity(conn: sqlite3.Connection) -> tuple[int, int, int]:
    """The file's schema version, application id and number of schema objects.

    One statement, so one snapshot: read in three, another quizapp creating the database
    could commit between them, and its tables would be seen without its id."""
    version, app_id, tables = conn.execute(
        "SELECT (SELECT user_version FROM pragma_user_version),"
        " (SELECT application_id FROM pragma_application_id),"
        " (SELECT count(*) FROM sqlite_master)"
    ).fetchone()
    return int(version), int(app_id), int(tables)


def _connect_readonly(path: Path, busy_timeout_ms: int) -> sqlite3.Connection:
    """Connect to an existing score database for reading only: nothing is created, migrated
    or written. An older schema raises ``_Unusable`` with ``corrupt=False`` and reason
    ``_OLDER``; the caller decides whether to upgrade it first.

    In a folder that cannot be written (a shared, read-only class folder), SQLite cannot
    make the index file its journal needs; when no journal holds changes the file is read
    as immutable (nobody can write it there either), else the message says what to do.
    """
    if not path.is_file():
        raise StoreError(
            f"There is no score database at {path} (nothing has been recorded there "
            "yet). Give another one with --db PATH or QUIZAPP_DB."
        )
    try:
        header = _read_header(path)
    except OSError as error:
        raise StoreError(f"{path} cannot be read: {error.strerror or error}.") from None
    if _stale_wal(path, header):
        raise StoreError(
            f"{path} cannot be read as it is: {_stale_wal_reason(path)}. Nothing was changed. "
            "Open it once with quizapp (which sets that journal aside and says so), or move "
            f"{_wal_of(path).name} out of the folder."
        )
    options = "mode=ro"
    if not os.access(path.parent, os.W_OK):
        if _has_wal(path) and not path.with_name(path.name + "-shm").exists():
            raise StoreError(
                f"{path} has changes still in its journal file ({_wal_of(path).name}) and its "
                f"folder {path.parent} is read-only, so they cannot be read safely. Copy both "
                "files to a folder you can write to and give that copy with --db."
            )
        if not _has_wal(path):
            options += "&immutable=1"
    conn = _connect(path, path.resolve().as_uri() + "?" + options, busy_timeout_ms, uri=True)
    try:
        try:
            version, app_id, tables = _identity(conn)
        except sqlite3.DatabaseError as error:
            if _is_corrupt(error):
                raise _Unusable(f"it is not a SQLite database, or it is damaged ({error})",
                                corrupt=False) from None  # fmt: skip
            raise StoreError(f"{path} cannot be read: {error}.") from None
        _check_identity(version, app_id, has_tables=tables > 0)
        if not tables:
            raise _Unusable(
                "it is empty (0 bytes, or a SQLite file with no tables); nothing was written to it",
                corrupt=False,
            )
        if version < SCHEMA_VERSION:
            raise _Unusable(_OLDER, corrupt=False)
    except BaseException:
        conn.close()
        raise
    return conn


#: The reason :func:`_connect_readonly` gives for a file of an older schema.
_OLDER = "it was written by an older version of quizapp"


class _SqliteOps:
    """What :class:`Store` does on SQLite that it does differently on PostgreSQL
    (:class:`quizapp.store.postgres.PgOps`): which errors are the database's, their words."""

    dialect: Dialect = SQLITE
    errors: tuple[type[BaseException], ...] = (sqlite3.Error,)

    def message(self, display: str | Path, error: BaseException) -> str:
        assert isinstance(error, sqlite3.Error)
        return _user_message(Path(display), error)


_SQLITE_OPS: Any = _SqliteOps()
