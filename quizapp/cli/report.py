"""``quizapp report``: the item analysis of the class's answers, as a table, CSV or JSON.

The analyses are :mod:`quizapp.reports`'.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from quizapp.cli import options

__all__ = ["register", "run_report"]

_error = options.warn


def register(subparsers: Any) -> None:
    """Add ``report`` to the ``quizapp`` parser (:func:`quizapp.cli.instructor.register`
    calls it, so ``quizapp --help`` lists it among the instructor's commands)."""
    parser = subparsers.add_parser(
        "report",
        help="item analysis of the class's answers: which questions are too easy, too hard "
        "or broken",
        description="Item analysis of the stored answers, as Moodle's quiz statistics: per "
        "question the facility (% right), discrimination and average time, how often each "
        "choice was picked, and flags; per quiz the mean, median, standard deviation, "
        "Cronbach's alpha and a histogram of scores.",
    )
    parser.add_argument(
        "lesson_ids",
        nargs="*",
        metavar="LESSON_ID",
        help="lessons to report on (default: every lesson with answers)",
    )
    parser.add_argument(
        "--attempts",
        choices=("first", "last", "best", "all"),
        default="first",
        help="which attempts of each student count (default: first)",
    )
    options.add_format(
        parser,
        ("table", "csv", "json"),
        "table",
        "a table for the terminal, CSV (one row per question) or JSON (default: table)",
    )
    options.add_db(parser)
    options.add_lessons(parser)
    parser.set_defaults(handler=run_report)


def run_report(args: argparse.Namespace) -> int:
    """``quizapp report``: item analysis of the stored answers, as a table, CSV or JSON."""
    from quizapp import reports
    from quizapp.cli.instructor import _load_lessons
    from quizapp.text import clean

    db_path = options.existing_db("report", getattr(args, "db", None))
    lessons, code = _load_lessons(args, "report", args.lesson_ids)
    if code is not None:
        return code
    try:
        # Which lessons have answers at all is asked of the store; each lesson's analysis
        # then reads only what it needs (a big class holds a million answers).
        answered = reports.answered_lessons(db_path)
    except reports.ReportError as exc:
        _error("report", str(exc))
        return 1
    if not args.lesson_ids:
        unknown = sorted(answered - {lesson.id for lesson in lessons})
        if unknown:
            _error(
                "report",
                f"answers to lessons not in the lessons folder were left out: {', '.join(unknown)}",
            )
        lessons = [lesson for lesson in lessons if lesson.id in answered]
        if not lessons:
            from quizapp.paths import shown_db

            print(f"no answers to report on yet in {shown_db(db_path)}")
            return 0
    try:
        found = [reports.analyse_lesson(db_path, lesson, args.attempts) for lesson in lessons]
    except reports.ReportError as exc:
        _error("report", str(exc))
        return 1
    if args.format == "csv":
        # UTF-8 with a byte order mark, as every CSV quizapp writes: spreadsheets keep accents.
        sys.stdout.flush()
        stream = getattr(sys.stdout, "buffer", None)
        data = reports.render_csv(found).encode("utf-8-sig")
        if stream is None:  # pragma: no cover - a text-only stdout
            sys.stdout.write(data.decode("utf-8"))
        else:
            stream.write(data)
            stream.flush()
        return 0
    render = reports.render_json if args.format == "json" else reports.render_table
    sys.stdout.write(clean(render(found), multiline=True))
    return 0
