"""The instructor's ``quizapp scores`` command: the attempts as a table, and each student's
score per lesson. Its database opening and error reporting are shared with the export
commands (:mod:`quizapp.cli.exports`) and ``merge`` (:mod:`quizapp.cli.merge`).

Every command takes ``--db PATH`` (else ``$QUIZAPP_DB``, else the user's data folder).
Commands that only read never create or move a database: a missing or damaged file is
reported and the command exits 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from quizapp.cli import options
from quizapp.paths import resolve_db_path
from quizapp.store import (
    RULES,
    UNREADABLE_TIME,
    Attempt,
    Rule,
    Store,
    StoreError,
    lesson_best,
)
from quizapp.text import clean

__all__ = ["register"]

_STATUS = {"in_progress": "in progress", "finished": "finished", "abandoned": "abandoned"}


def register(subparsers: Any) -> None:
    """Add ``scores`` to the ``quizapp`` parser."""
    scores = subparsers.add_parser(
        "scores",
        help="print a table of quiz attempts",
        description="Print the quiz attempts in the score database as a table, oldest first.",
    )
    _db_option(scores)
    scores.add_argument(
        "--student", default=argparse.SUPPRESS, metavar="NAME", help="only this student"
    )
    scores.add_argument("--lesson", metavar="ID", help="only this lesson")
    scores.set_defaults(handler=run_scores)


# The shared options (quizapp/cli/options.py), under the names this module uses.
_db_option = options.add_db
_out_option = options.add_out


def _fail(command: str, message: str, code: int = 1) -> int:
    print(clean(f"quizapp {command}: {message}", multiline=True), file=sys.stderr)
    return code


def _open(args: argparse.Namespace, *, create: bool = False, command: str = "scores") -> Store:
    """The database of ``--db``: read-only for the commands that only read (nothing is
    created, upgraded in place or written), read-write for ``merge``."""
    flag = getattr(args, "db", None)
    if create:
        store = Store.open(resolve_db_path(flag), create=True)
    else:
        store = Store.open(options.existing_db(command, flag), readonly=True)
    for notice in store.notices:
        print(notice, file=sys.stderr)
    return store


# ---------------------------------------------------------------------- scores


def run_scores(args: argparse.Namespace) -> int:
    """``quizapp scores``: a plain-text table of attempts."""
    try:
        with _open(args) as store:
            names = {s.id: s.name for s in store.students()}
            student_id = None
            wanted = getattr(args, "student", None)
            if wanted is not None:
                found = store.find_student(wanted)
                if found is None:
                    message = options.unknown_id("student", wanted, names.values(), str(store.path))
                    return _fail("scores", message, 2)
                student_id = found.id
            attempts = store.history(student_id, args.lesson)
            if not attempts and args.lesson:
                _check_lesson_id("scores", args.lesson, store)
    except StoreError as error:
        return _fail("scores", str(error))
    if not attempts:
        print(
            clean("No attempts recorded" + (f" for lesson {args.lesson}." if args.lesson else "."))
        )
        return 0
    print(format_table(attempts, names))
    bests = format_bests(attempts, names, _lesson_rules(getattr(args, "lessons", None)))
    if bests:
        print()
        print(bests)
    return 0


def _check_lesson_id(command: str, lesson_id: str, store: Store) -> None:
    """A lesson id with no attempts must at least be a lesson: one in the scores or in the
    lessons folder. A typo is an error (exit 2) with the near id, as everywhere."""
    from quizapp.lessons.catalog import scan
    from quizapp.paths import default_lessons_dir, lesson_cache_file

    known = {attempt.lesson_id for attempt in store.history(None)}
    folder = default_lessons_dir()
    if folder.is_dir():
        known |= {header.id for header in scan([folder], lesson_cache_file()).headers}
    if lesson_id not in known:
        raise options.CommandError(command, options.unknown_id("lesson", lesson_id, known))


def _lesson_rules(lessons_dir: Path | None) -> dict[str, Rule]:
    """Each lesson's grading rule (``quiz.grade``) from the lessons folder's header cache;
    none when there is no folder (then every lesson counts its best attempt)."""
    from quizapp.lessons.catalog import scan
    from quizapp.paths import default_lessons_dir, lesson_cache_file

    folder = lessons_dir if lessons_dir is not None else default_lessons_dir()
    if not folder.is_dir():
        return {}
    headers = scan([folder], lesson_cache_file()).headers
    return {h.id: h.grade for h in headers if h.grade in RULES}


def format_bests(
    attempts: Sequence[Attempt], names: dict[int, str], rules: Mapping[str, Rule] | None = None
) -> str:
    """Each student's score per lesson by the one rule every view uses
    (:func:`quizapp.store.lesson_best` by the lesson's ``grade`` in ``rules``, best when
    unknown; retries of missed questions are practice and never count)."""
    rules = rules or {}
    groups: dict[tuple[int, str], list[Attempt]] = {}
    for attempt in attempts:
        groups.setdefault((attempt.student_id, attempt.lesson_id), []).append(attempt)
    rows = []
    for (student_id, lesson_id), group in groups.items():
        rule = rules.get(lesson_id, "best")
        best = lesson_best(group, rule)
        if best is not None:
            shown = f"{_number(best)}%" + ("" if rule == "best" else f" ({rule})")
            rows.append([clean(names.get(student_id, "?")), lesson_id, shown])
    if not rows:
        return ""
    widths = [max(_width(row[i]) for row in rows) for i in range(2)]
    lines = [
        "Lesson scores (the best finished full attempt unless the lesson says which counts; "
        "retries are not counted):"
    ]
    for who, lesson_id, percent in rows:
        pad = " " * (widths[0] - _width(who))
        lines.append(f"  {who}{pad}  {lesson_id.ljust(widths[1])}  best {percent}")
    return "\n".join(lines)


def format_table(attempts: Sequence[Attempt], names: dict[int, str]) -> str:
    """Attempts as an aligned plain-text table (wide characters counted as two columns)."""
    header = ["student", "lesson", "started (UTC)", "status", "answered", "score", "percent"]
    rows = [header]
    for a in attempts:
        status = _STATUS[a.status] + (" (retry)" if a.mode == "retry" else "")
        if a.damaged:
            status += " (damaged)"
        asked = len(a.question_ids) - len(a.dropped)
        rows.append(
            [
                clean(names.get(a.student_id, "?")),
                clean(a.lesson_id),
                _utc(a.started_at)[:-3] if a.started_at != UNREADABLE_TIME else "damaged",
                status,
                f"{a.answered}/{asked}",
                "" if a.score is None else f"{_number(a.score)}/{_number(a.max_score or 0)}",
                "" if a.percent is None else f"{_number(a.percent)}%",
            ]
        )
    widths = [max(_width(row[i]) for row in rows) for i in range(len(header))]
    right = {4, 5, 6}
    lines = []
    for n, row in enumerate(rows):
        cells = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - _width(cell))
            cells.append(pad + cell if i in right and n else cell + pad)
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _width(text: str) -> int:
    """Columns a string takes in a terminal: wide (CJK) characters 2, combining marks 0."""
    total = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total


def _number(value: float) -> str:
    """``75.0`` as ``75``, ``66.666`` as ``66.7``."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _utc(moment: dt.datetime) -> str:
    # A form spreadsheets read as a date and time; a time the database could not read
    # (a damaged row) says so.
    if moment == UNREADABLE_TIME:
        return "damaged"
    if moment.tzinfo is not dt.UTC:
        moment = moment.astimezone(dt.UTC)
    if moment.year < 1000:  # strftime writes such a year without leading zeros
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    return moment.isoformat(" ")[:19]  # the same text, several times faster
