"""The instructor's ``quizapp merge FILE...`` command: fold students' score files into the
class database (the checks and the writing are :meth:`quizapp.store.Store.merge_from`'s).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from quizapp.cli import options
from quizapp.cli.scores import _fail, _open
from quizapp.store import StoreError
from quizapp.text import clean

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add ``merge`` to the ``quizapp`` parser."""
    merge = subparsers.add_parser(
        "merge",
        help="fold students' score files into this database",
        description="Fold score databases brought from other machines into this one. "
        "Merging the same file again adds nothing; the files themselves are never changed.",
    )
    options.add_db(merge)
    merge.add_argument("files", nargs="+", type=Path, metavar="FILE", help="score files")
    merge.set_defaults(handler=run_merge)


def run_merge(args: argparse.Namespace) -> int:
    """``quizapp merge FILE...``: fold each file in, printing what it added and what it
    refused. Exits 1 if a file or any row of one was refused; Ctrl-C stops at once, with
    nothing of the file being merged written (exit 130)."""
    missing = [problem for path in args.files if (problem := options.missing_path(path))]
    if missing:
        for problem in missing:
            _fail("merge", problem)
        return 2
    failed = refused = 0
    try:
        with _open(args, create=True) as store:
            for path in args.files:
                try:
                    report = store.merge_from(path)
                except StoreError as error:
                    failed += 1
                    print(clean(f"quizapp merge: {error}"), file=sys.stderr)
                    continue
                except KeyboardInterrupt:
                    print(
                        clean(f"quizapp merge: interrupted; nothing of {path} was merged."),
                        file=sys.stderr,
                    )
                    return 130
                refused += report.refused
                print(clean(str(report)))
            target = store.path
    except StoreError as error:
        return _fail("merge", str(error))
    merged = len(args.files) - failed
    summary = (
        f"Merged {merged} of {len(args.files)} file{'s' if len(args.files) != 1 else ''} "
        f"into {target}"
    )
    if refused:
        summary += f"; {refused} row{'s' if refused != 1 else ''} refused (not merged)"
    print(clean(summary + "."))
    return 1 if failed or refused else 0
