"""Copying a score database consistently while it may be in use: SQLite's online backup API.

A copy of ``scores.sqlite3`` alone misses every answer still in its ``-wal`` journal (after a
crash, or while the app runs). :func:`_backup_to` copies the database as SQLite sees it,
journal included, page by page under a read lock, so writers in other windows go on. The copy
is written in rollback-journal mode, as one self-contained file: restored over a database
whose old journal was left beside it, it is recognised (see :mod:`.connect`) and that journal
is never applied. :meth:`quizapp.store.Store.backup` is the public door.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import uuid
from pathlib import Path

from quizapp.store.records import StoreError

__all__: list[str] = []

_EXISTS = "{} already exists: it was left as it is. Give another name with --out."


def _backup_to(source: sqlite3.Connection, target: Path) -> None:
    """Write a checked copy of ``source`` to ``target``, which must not exist.

    The copy is built beside ``target`` under a temporary name, checked with
    ``PRAGMA quick_check``, flushed, then linked into place, so ``target`` is either the whole
    copy or absent, and an existing file is never replaced.
    """
    if target.exists():
        raise StoreError(_EXISTS.format(target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(f"Cannot create the folder {target.parent}: {error.strerror}.") from None
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        copy = sqlite3.connect(partial, isolation_level=None)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
            check = [row[0] for row in copy.execute("PRAGMA quick_check")]
            if check != ["ok"]:
                raise StoreError(f"The copy failed its check ({'; '.join(check)}); not kept.")
        finally:
            copy.close()
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        try:
            os.link(partial, target)  # fails rather than replace a file made meanwhile
        except FileExistsError:
            raise StoreError(_EXISTS.format(target)) from None
        except OSError:  # a filesystem without hard links (FAT on a USB stick)
            if target.exists():
                raise StoreError(
                    f"{target} already exists; give another name with --out."
                ) from None
            partial.replace(target)
    except sqlite3.Error as error:
        raise StoreError(f"The backup to {target} failed: {error}.") from None
    except OSError as error:
        raise StoreError(f"Cannot write {target}: {error.strerror or error}.") from None
    finally:
        with contextlib.suppress(OSError):
            partial.unlink()
