"""``quizapp backup``: a consistent copy of the score database, safe while the app runs.

Copying ``scores.sqlite3`` by hand misses the answers still in its ``-wal`` journal; this
command copies the database as SQLite sees it (:meth:`quizapp.store.Store.backup`), opened
read-only, and says what the copy holds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from quizapp.paths import resolve_db_path, shown_db
from quizapp.store import Store, StoreError
from quizapp.wording import plural

__all__ = ["register", "run_backup"]


def register(subparsers: Any) -> None:
    """Add ``backup`` to the ``quizapp`` parser."""
    backup = subparsers.add_parser(
        "backup",
        help="copy the score database safely, even while quizapp runs",
        description="Copy the score database, answers still in its journal included, into one "
        "self-contained file (SQLite's online backup API; safe while quizapp runs). To "
        "restore, close quizapp and copy the backup over the database file.",
    )
    backup.add_argument(
        "--db",
        type=str,
        default=argparse.SUPPRESS,
        metavar="PATH",
        help="score database (default: $QUIZAPP_DB, else the user's data folder)",
    )
    backup.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="the copy to write; never replaced if it exists "
        "(default: quizapp-backup-DATE-TIME.sqlite3 in the current folder)",
    )
    backup.set_defaults(handler=run_backup)


def run_backup(args: argparse.Namespace) -> int:
    """``quizapp backup``: copy, check, and say what the copy holds."""
    source = resolve_db_path(getattr(args, "db", None))
    if isinstance(source, str):
        print(
            f"quizapp backup: {shown_db(source)} is a PostgreSQL database; quizapp backup "
            "copies SQLite score files. Back it up with pg_dump (see docs/scores.md): "
            f"pg_dump --format=custom --file=scores.dump '{shown_db(source)}'",
            file=sys.stderr,
        )
        return 2
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    target: Path = args.out or Path(f"quizapp-backup-{stamp}.sqlite3")
    try:
        with Store.open(source, readonly=True) as store:
            store.backup(target)
        with Store.open(target, readonly=True) as copy:
            students = len(copy.students())
            attempts = copy.history(None)
    except StoreError as error:
        print(f"quizapp backup: {error}", file=sys.stderr)
        return 1
    answers = sum(a.answered for a in attempts)
    print(
        f"Backed up {source} to {target}: {plural(students, 'student')}, "
        f"{plural(len(attempts), 'attempt')}, {plural(answers, 'answer')}."
    )
    return 0
