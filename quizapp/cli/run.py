"""The default command: start the student's app.

``quizapp [--lessons DIR] [--db PATH] [--student NAME] [--review-limit N] [--instructor]`` is
how every student starts the app, so :func:`app_options` reads exactly these options itself,
without ``argparse`` (its import and the full parser cost about 3 ms of every start). It
takes only what it is sure to read as the full parser would; anything else (a subcommand,
``--help``, an abbreviated option, a value that starts with ``-``, a bad number) it leaves to
the full parser in :mod:`quizapp.cli`, which answers as it always did.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizapp.cli import options

if TYPE_CHECKING:
    import argparse

#: The app's options that take a value, and the attribute each sets.
_VALUED = {
    "--lessons": "lessons",
    "--db": "db",
    "--student": "student",
    "--review-limit": "review_limit",
}
#: ``--review-limit``'s bounds (as :func:`quizapp.cli.review.add_review_limit` checks them).
_LIMITS = range(1, 1001)


class AppOptions:
    """The app's own options, as read from the command line (None: not given)."""

    __slots__ = ("db", "instructor", "lessons", "review_limit", "student")

    def __init__(
        self,
        *,
        lessons: Path | None = None,
        db: str | None = None,
        student: str | None = None,
        review_limit: int | None = None,
        instructor: bool = False,
    ) -> None:
        self.lessons = lessons
        self.db = db
        self.student = student
        self.review_limit = review_limit
        self.instructor = instructor


def app_options(argv: Sequence[str]) -> AppOptions | None:
    """``argv`` read as the app's own options, or None when it holds anything else or
    anything this reader is not sure of (then the full parser reads it).

    Each option is its exact long name; a value follows it (``--db PATH``) or an ``=``
    (``--db=PATH``), is not empty and does not start with ``-``; ``--review-limit`` is a
    whole number from 1 to 1000 in ASCII digits. The last of a repeated option counts, as in
    ``argparse``.
    """
    values: dict[str, str] = {}
    instructor = False
    at = 0
    while at < len(argv):
        arg = argv[at]
        at += 1
        if arg == "--instructor":
            instructor = True
            continue
        name, equals, value = arg.partition("=")
        if name not in _VALUED:
            return None
        if not equals:
            if at == len(argv):
                return None
            value = argv[at]
            at += 1
        if not value or value.startswith("-"):
            return None
        values[_VALUED[name]] = value
    limit = values.get("review_limit")
    if limit is not None and not (limit.isascii() and limit.isdigit() and int(limit) in _LIMITS):
        return None
    lessons = values.get("lessons")
    return AppOptions(
        lessons=Path(lessons) if lessons is not None else None,
        db=values.get("db"),
        student=values.get("student"),
        review_limit=int(limit) if limit is not None else None,
        instructor=instructor,
    )


def add_app_options(parser: argparse.ArgumentParser) -> None:
    """Options of the app itself (``quizapp [--lessons DIR] [--db PATH] ...``), for the full
    parser (:func:`app_options` reads the same ones on its own)."""
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
    """Start the TUI with the options the full parser read."""
    return start_app(
        AppOptions(
            lessons=args.lessons,
            db=args.db,
            student=args.student,
            review_limit=args.review_limit,
            instructor=args.instructor,
        )
    )


def start_app(chosen: AppOptions) -> int:
    """Start the TUI on the chosen lessons and database; returns the exit code."""
    from quizapp.paths import resolve_db_path

    lessons, db_path = options.lessons_folder("", chosen.lessons), resolve_db_path(chosen.db)
    # Start-up (importing Textual and the app, building the first screen) makes about 77,000
    # objects, nearly all of them living as long as the app, and the cyclic garbage
    # collector walked them over and over while they were made: about 100 passes, 20-25 ms
    # of every start (docs/performance.md, issue 19). It is paused until the first screen
    # is drawn; the app then freezes what start-up made and resumes it (QuizApp._resume_gc).
    paused = gc.isenabled()
    gc.disable()
    try:
        from quizapp.tui.app import make_app

        app = make_app(
            lessons_dir=lessons,
            db_path=db_path,
            student=chosen.student,
            instructor=chosen.instructor,
        )
        app.gc_paused = paused
        if chosen.review_limit is not None:
            app.review_limit = chosen.review_limit
        app.run()
    finally:
        if paused and not gc.isenabled():  # the app stopped before its first screen
            gc.enable()
    # Everything is committed (the store closes when the app unmounts). Freezing the heap
    # spares the interpreter's last collection from walking every object: about half of
    # the time from quitting to the process being gone (see docs/performance.md).
    gc.freeze()
    return app.return_code or 0
