"""``quizapp report``: the item analysis of the class's answers, as a table, CSV or JSON.

The lessons to report on come from the lesson list's cache of headers
(:func:`quizapp.lessons.catalog.scan`), and only their files are then loaded and validated:
a report on one lesson of nine reads one file. The analyses are :mod:`quizapp.reports`'.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizapp.cli import options

if TYPE_CHECKING:
    from quizapp.lessons.catalog import LessonHeader
    from quizapp.lessons.model import Lesson

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


def _lesson_headers(
    args: argparse.Namespace, command: str, wanted: Sequence[str]
) -> tuple[list[LessonHeader], int | None]:
    """The headers of the lessons named by ``wanted`` (all when empty), from the lesson
    list's cache (:func:`quizapp.lessons.catalog.scan`: only files it does not know are
    read), or an exit code after a message (the messages of
    ``quizapp.cli.instructor._load_lessons``, which loads every file). Only the files of
    the lessons reported on are then loaded (:func:`_load_chosen`)."""
    from quizapp.lessons.catalog import scan
    from quizapp.paths import lesson_cache_file

    folder = options.lessons_folder(command, getattr(args, "lessons", None))
    catalog = scan([folder], lesson_cache_file())
    by_id = {header.id: header for header in catalog.headers}
    if not options.check_lesson_ids(
        command, folder, len({problem.path for problem in catalog.problems}), wanted, by_id
    ):
        return [], 2
    if not catalog.headers and not catalog.problems:  # every file gives one or the other
        raise options.no_lesson_files(command, folder)
    if wanted:
        return [by_id[lesson_id] for lesson_id in dict.fromkeys(wanted)], None
    return list(catalog.headers), None


def _load_chosen(headers: Sequence[LessonHeader]) -> tuple[list[Lesson], int | None]:
    """The lessons behind ``headers``, each file loaded and validated now; or an exit code
    after a message, when one no longer loads as its header says (edited since the lesson
    list's cache was written, in the same instant: the cache knows a file by its size and
    time)."""
    from quizapp.lessons.loader import load_file

    lessons: list[Lesson] = []
    for header in headers:
        lesson, _problems = load_file(Path(header.path))
        if lesson is None or lesson.id != header.id:
            _error(
                "report",
                f"{header.path} changed while it was read (run `quizapp validate "
                f"{header.path}`, then the report again)",
            )
            return [], 1
        lessons.append(lesson)
    return lessons, None


def run_report(args: argparse.Namespace) -> int:
    """``quizapp report``: item analysis of the stored answers, as a table, CSV or JSON."""
    from quizapp import reports
    from quizapp.text import clean

    db_path = options.existing_db("report", getattr(args, "db", None))
    headers, code = _lesson_headers(args, "report", args.lesson_ids)
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
        unknown = sorted(answered - {header.id for header in headers})
        if unknown:
            _error(
                "report",
                f"answers to lessons not in the lessons folder were left out: {', '.join(unknown)}",
            )
        headers = [header for header in headers if header.id in answered]
        if not headers:
            from quizapp.paths import shown_db

            print(f"no answers to report on yet in {shown_db(db_path)}")
            return 0
    lessons, code = _load_chosen(headers)
    if code is not None:
        return code
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
