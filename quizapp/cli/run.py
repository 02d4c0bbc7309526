"""The default command: start the student's app."""

from __future__ import annotations

import argparse
import gc
from typing import Any

from quizapp.cli import options


def add_app_options(parser: argparse.ArgumentParser) -> None:
    """Options of the app itself (``quizapp [--lessons DIR] [--db PATH] ...``)."""
    options.add_lessons(parser, top_level=True)
    options.add_db(parser, top_level=True)
    parser.add_argument("--student", metavar="NAME", help="start as this student")
    from quizapp.cli.review import add_review_limit

    add_review_limit(parser, top_level=True)
    parser.add_argument(
        "--instructor",
        action="store_true",
        help="open the class view (gradebook and item analysis) instead of a student's app",
    )


def register(subparsers: Any) -> None:
    """The app has no subcommand of its own; it is the default."""


def run_app(args: argparse.Namespace) -> int:
    """Start the TUI on the chosen lessons and database."""
    from quizapp.paths import resolve_db_path
    from quizapp.tui.app import make_app

    app = make_app(
        lessons_dir=options.lessons_folder("", args.lessons),
        db_path=resolve_db_path(args.db),
        student=args.student,
        instructor=args.instructor,
    )
    app.review_limit = args.review_limit
    app.run()
    # Everything is committed (the store closes when the app unmounts). Freezing the heap
    # spares the interpreter's last collection from walking every object: about half of
    # the time from quitting to the process being gone (see docs/performance.md).
    gc.freeze()
    return app.return_code or 0
