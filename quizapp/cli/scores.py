"""Instructor commands about scores: ``scores``, ``export gradebook|answers`` and ``merge``
(``export gift``, the quizzes for Moodle, is defined in :mod:`quizapp.cli.instructor`).

Every command takes ``--db PATH`` (else ``$QUIZAPP_DB``, else the user's data folder).
Commands that only read never create or move a database: a missing or damaged file is
reported and the command exits 1. CSV files are UTF-8 with a byte order mark, so that
spreadsheet programs (Excel included) keep accented names intact.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import functools
import io
import itertools
import json
import os
import sys
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from quizapp.cli import options
from quizapp.cli.instructor import add_gift_export
from quizapp.paths import resolve_db_path
from quizapp.store import (
    RULES,
    UNREADABLE_TIME,
    AnswerRow,
    Attempt,
    Store,
    StoreError,
    lesson_best,
)
from quizapp.text import clean, csv_cell

__all__ = ["register"]

_STATUS = {"in_progress": "in progress", "finished": "finished", "abandoned": "abandoned"}
# The answers export's attempt_mode column: how the attempt was started.
_MODES = {"full": "normal", "retry": "retry-missed"}


def register(subparsers: Any) -> None:
    """Add ``scores``, ``export`` and ``merge`` to the ``quizapp`` parser."""
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

    export = subparsers.add_parser(
        "export",
        help="write the gradebook or every answer as CSV, or the quizzes as Moodle GIFT",
        description="Write scores as CSV (UTF-8 with a byte order mark, for spreadsheets), "
        "or the lessons' quizzes as Moodle GIFT questions.",
    )
    kinds = export.add_subparsers(title="what to export", metavar="WHAT", required=True)
    gradebook = kinds.add_parser(
        "gradebook",
        help="one row per student and lesson",
        description="One row per student and lesson: attempts, score by the rule, best, last, "
        "pass mark, passed, attempts in progress, last activity (UTC).",
    )
    _db_option(gradebook)
    _out_option(gradebook)
    gradebook.add_argument(
        "--rule",
        choices=RULES,
        default="best",
        help="which finished attempt gives the lesson's score (default: best)",
    )
    options.add_lessons(gradebook, "lessons folder, for pass marks and titles")
    gradebook.set_defaults(handler=run_export_gradebook)
    answers = kinds.add_parser(
        "answers",
        help="one row per answer",
        description="One row per answer: student, lesson, attempt (its status and mode: "
        "normal or retry-missed), question, response, score (0 to 1, full precision), "
        "seconds taken, time (UTC).",
    )
    _db_option(answers)
    _out_option(answers)
    answers.add_argument("--lesson", metavar="ID", help="only this lesson")
    answers.set_defaults(handler=run_export_answers)
    add_gift_export(kinds)  # quizapp export gift: the quizzes for Moodle (cli/instructor.py)

    merge = subparsers.add_parser(
        "merge",
        help="fold students' score files into this database",
        description="Fold score databases brought from other machines into this one. "
        "Merging the same file again adds nothing; the files themselves are never changed.",
    )
    _db_option(merge)
    merge.add_argument("files", nargs="+", type=Path, metavar="FILE", help="score files")
    merge.set_defaults(handler=run_merge)


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
    bests = format_bests(attempts, names)
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


def format_bests(attempts: Sequence[Attempt], names: dict[int, str]) -> str:
    """Each student's score per lesson by the one rule every view uses
    (:func:`quizapp.store.lesson_best`: the best finished full attempt; retries of missed
    questions are practice and never count)."""
    groups: dict[tuple[int, str], list[Attempt]] = {}
    for attempt in attempts:
        groups.setdefault((attempt.student_id, attempt.lesson_id), []).append(attempt)
    rows = []
    for (student_id, lesson_id), group in groups.items():
        best = lesson_best(group)
        if best is not None:
            rows.append([clean(names.get(student_id, "?")), lesson_id, f"{_number(best)}%"])
    if not rows:
        return ""
    widths = [max(_width(row[i]) for row in rows) for i in range(2)]
    lines = ["Lesson scores (the best finished full attempt; retries are not counted):"]
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


# ---------------------------------------------------------------------- export


def run_export_gradebook(args: argparse.Namespace) -> int:
    """``quizapp export gradebook``: one CSV row per student and lesson."""
    marks, titles = _pass_marks(getattr(args, "lessons", None))
    problem = options.out_problem(args.out)
    if problem:
        return _fail("export", problem, 2)
    try:
        with _open(args, command="export") as store:
            rows = store.gradebook(args.rule, marks)
    except StoreError as error:
        return _fail("export", str(error))
    header = [
        "student",
        "lesson",
        "title",
        "attempts",
        "rule",
        "score",
        "best",
        "last",
        "pass_mark",
        "passed",
        "in_progress",
        "last_activity_utc",
    ]
    body = (
        [
            r.student,
            r.lesson_id,
            titles.get(r.lesson_id, ""),
            r.attempts,
            args.rule,
            _percent(r.score),
            _percent(r.best),
            _percent(r.last),
            "" if r.pass_mark is None else r.pass_mark,
            {True: "yes", False: "no", None: ""}[r.passed],
            r.unfinished,
            _utc(r.last_activity),
        ]
        for r in rows
    )
    return _write_csv("export", args.out, header, body)


def run_export_answers(args: argparse.Namespace) -> int:
    """``quizapp export answers``: one CSV row per answer."""
    header = [
        "student",
        "lesson",
        "attempt",
        "attempt_started_utc",
        "attempt_status",
        "attempt_mode",
        "lesson_hash",
        "question",
        "question_hash",
        "response",
        "score",
        "seconds",
        "answered_utc",
    ]
    problem = options.out_problem(args.out)
    if problem:
        return _fail("export", problem, 2)
    try:
        with _open(args, command="export") as store:
            rows = store.answer_rows(args.lesson)
            first = next(rows, None)
            if first is None and args.lesson:
                _check_lesson_id("export", args.lesson, store)
            body = _answer_cells(itertools.chain([first] if first is not None else [], rows))
            return _write_csv("export", args.out, header, body, cells_clean=True)
    except StoreError as error:
        return _fail("export", str(error))


def _answer_cells(rows: Iterable[AnswerRow]) -> Iterator[list[Any]]:
    """The export's cells of each answer. A class holds a million answers: the texts it
    repeats (names, ids, hashes, responses, start times) are cleaned and formatted once."""
    cell = functools.lru_cache(maxsize=1 << 16, typed=True)(csv_cell)
    response_text = functools.lru_cache(maxsize=1 << 16)(_response_text)
    utc = functools.lru_cache(maxsize=1 << 12)(_utc)
    modes = _MODES
    for (student, lesson, attempt, started, status, lesson_hash, question, question_hash,
         response, score, seconds, answered, mode) in rows:  # fmt: skip
        yield [
            cell(student),
            cell(lesson),
            cell(attempt),
            utc(started),
            cell(status),
            modes[mode],
            cell(lesson_hash),
            cell(question),
            cell(question_hash),
            cell(response_text(response)),
            score,  # full precision: a spreadsheet rounds for display, not the file
            "" if seconds is None else round(seconds, 1),
            _utc(answered),
        ]


def _pass_marks(lessons_dir: Path | None) -> tuple[dict[str, int], dict[str, str]]:
    """Pass marks and titles by lesson id, from the lessons folder (if there is one)."""
    from quizapp.paths import default_lessons_dir

    folder = lessons_dir if lessons_dir is not None else default_lessons_dir()
    if not folder.exists():
        if lessons_dir is not None:
            options.lessons_folder("export", lessons_dir)  # says what is wrong, exits 2
        return {}, {}
    from quizapp.lessons.loader import load_paths

    result = load_paths([folder])
    if result.errors:
        files = len({e.path for e in result.errors})
        print(
            f"quizapp export: {files} lesson file{'s' if files != 1 else ''} in {folder} "
            "could not be read (run `quizapp validate`); their pass marks are left blank.",
            file=sys.stderr,
        )
    marks = {lesson.id: lesson.quiz.pass_mark for lesson in result.lessons}
    titles = {lesson.id: lesson.title for lesson in result.lessons}
    return marks, titles


def _percent(value: float | None) -> str:
    # Full precision (66.66666666666667): a spreadsheet rounds for display, not the file.
    return "" if value is None else repr(float(value))


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


def _response_text(stored_json: str) -> str:
    """Text responses as typed; lists, numbers and pairs as compact JSON; a response the
    database holds damaged (not JSON) as ``damaged: `` and what is there."""
    try:
        value = json.loads(stored_json)
    except ValueError:
        return "damaged: " + stored_json[:200]
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _write_csv(
    command: str,
    out: Path | None,
    header: list[str],
    rows: Iterable[list[Any]],
    *,
    cells_clean: bool = False,
) -> int:
    """Write ``header`` and ``rows`` as CSV (UTF-8 with a BOM) to ``out`` or standard output,
    streaming. ``cells_clean`` says the caller already passed every text cell from data
    through :func:`quizapp.text.csv_cell`; otherwise it is done here."""
    if not cells_clean:
        # One rule for every cell from data (names, ids, titles, responses): cleaned of
        # control characters, and a formula-like start escaped (quizapp.text.csv_cell).
        rows = ([csv_cell(cell) for cell in row] for row in rows)
    if out is None:
        stream = getattr(sys.stdout, "buffer", None)
        if stream is None:  # pragma: no cover - a text-only stdout
            _csv_to(sys.stdout, header, rows, bom=True)
            return 0
        sys.stdout.flush()
        text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=False)
        try:
            _csv_to(text, header, rows, bom=True)
            text.flush()
        finally:
            text.detach()
        return 0
    try:
        # Write beside the target and rename, so a failed export never leaves half a file.
        handle, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
        try:
            # utf-8 and the BOM written once: the utf-8-sig codec is Python code run per write.
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
                _csv_to(file, header, rows, bom=True)
            Path(tmp).replace(out)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as error:
        return _fail(command, f"cannot write {out}: {error.strerror or error}")
    print(f"Wrote {out}", file=sys.stderr)
    return 0


def _csv_to(file: Any, header: list[str], rows: Iterable[list[Any]], *, bom: bool) -> None:
    if bom:
        file.write("\ufeff")
    writer = csv.writer(file)
    writer.writerow(header)
    writer.writerows(rows)


# ---------------------------------------------------------------------- merge


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
