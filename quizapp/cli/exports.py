"""The instructor's ``quizapp export gradebook|answers`` commands: scores as CSV files
(``export gift``, the quizzes for Moodle, is defined in :mod:`quizapp.cli.instructor`).

Both read the database without changing it (see :func:`quizapp.cli.scores._open`). CSV files
are UTF-8 with a byte order mark, so that spreadsheet programs (Excel included) keep accented
names intact; a file is written whole or not at all.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import functools
import gc
import io
import itertools
import json
import os
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from quizapp.cli import options
from quizapp.cli.instructor import add_gift_export
from quizapp.cli.scores import _check_lesson_id, _fail, _open, _utc
from quizapp.store import RULES, AnswerRow, Rule, StoreError
from quizapp.text import csv_cell

__all__ = ["register"]

# The answers export's attempt_mode column: how the attempt was started.
_MODES = {"full": "normal", "retry": "retry-missed"}


def register(subparsers: Any) -> None:
    """Add ``export`` (``gradebook``, ``answers`` and ``gift``) to the ``quizapp`` parser."""
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
        default=None,
        help="which finished attempt gives the lesson's score (default: each lesson's own "
        "`grade` setting, best when the lesson is not in the lessons folder)",
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


# The shared options (quizapp/cli/options.py), under the names this module uses.
_db_option = options.add_db
_out_option = options.add_out


def run_export_gradebook(args: argparse.Namespace) -> int:
    """``quizapp export gradebook``: one CSV row per student and lesson."""
    marks, titles, rules = _pass_marks(getattr(args, "lessons", None))
    if args.rule is not None:  # the instructor's choice for every lesson
        rules = {}
    rule: Rule = args.rule or "best"
    problem = options.out_problem(args.out)
    if problem:
        return _fail("export", problem, 2)
    try:
        with _open(args, command="export") as store:
            rows = store.gradebook(rule, marks, rules)
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
            rules.get(r.lesson_id, rule),
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
        "hinted",
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
            with _no_cycle_collection():
                return _write_csv("export", args.out, header, body, cells_clean=True)
    except StoreError as error:
        return _fail("export", str(error))


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector while the answers stream out. Every row makes a
    few containers, so it would run thousands of times, each full run walking the memos of
    cells (tens of thousands of tuples) again; rows and cells hold no reference cycles, and
    what they leave is freed by reference counting (as ``load_paths`` does for lessons)."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _answer_cells(rows: Iterable[AnswerRow]) -> Iterator[list[Any]]:
    """The export's cells of each answer. A class holds a million answers: the cells it
    repeats are made once each (an attempt's six, a question's id and hash, a response),
    and a time stored as quizapp writes it is formatted by slicing its text."""
    cell = functools.lru_cache(maxsize=1 << 16, typed=True)(csv_cell)
    utc = functools.lru_cache(maxsize=1 << 12)(_utc)
    heads: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    questions: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    responses: dict[str, Any] = {}
    modes = _MODES
    for row in rows:
        stored, score, seconds, answered, mode, hinted = row[8:]
        attempt = row[:6]  # student, lesson, attempt, started, status, lesson hash
        head = heads.get(attempt)
        if head is None:
            student, lesson, uuid, started, status, lesson_hash = attempt
            head = (cell(student), cell(lesson), cell(uuid), utc(started), cell(status))
            head = _remember(heads, attempt, (head, cell(lesson_hash)))
        question = row[6:8]
        pair = questions.get(question)
        if pair is None:
            pair = _remember(questions, question, (cell(question[0]), cell(question[1])))
        response = responses.get(stored)
        if response is None:
            response = _remember(responses, stored, cell(_response_text(stored)))
        first, lesson_hash_cell = head
        yield [
            *first,
            modes[mode],
            lesson_hash_cell,
            *pair,
            response,
            score,  # full precision: a spreadsheet rounds for display, not the file
            "" if seconds is None else round(seconds, 1),
            f"{answered[:10]} {answered[11:19]}"
            if _STORED_TIME(answered)
            else _utc(row.answered_time),
            1 if hinted else 0,
        ]


# A time as the store writes it (``2026-09-01T08:00:00.000000Z``: ``_iso`` in
# quizapp/store/records.py) on a day every month has (or the 29th or 30th of a month other
# than February, or a 31st of a month that has one): its cell is its date and time of day,
# sliced. Anything else (another form, an impossible date, a damaged text) is read
# (``AnswerRow.answered_time``) and formatted as every other time (``_utc``): the cell is
# the same either way.
_STORED_TIME = re.compile(
    r"[1-9][0-9]{3}-"
    r"(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)"
    r"|(?:0[13578]|1[02])-31)"
    r"T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\.[0-9]{6}Z",
    re.ASCII,
).fullmatch

_MEMO = 1 << 16  # how many of each kind of cell an export remembers before starting over


def _remember(memo: dict[Any, Any], key: Any, value: Any) -> Any:
    """``value``, kept in ``memo`` under ``key`` (emptied first when full)."""
    if len(memo) >= _MEMO:
        memo.clear()
    memo[key] = value
    return value


def _pass_marks(
    lessons_dir: Path | None,
) -> tuple[dict[str, int], dict[str, str], dict[str, Rule]]:
    """Pass marks, titles and grading rules (``quiz.grade``) by lesson id, from the lessons
    folder (if there is one)."""
    from quizapp.paths import default_lessons_dir

    folder = lessons_dir if lessons_dir is not None else default_lessons_dir()
    if not folder.exists():
        if lessons_dir is not None:
            options.lessons_folder("export", lessons_dir)  # says what is wrong, exits 2
        return {}, {}, {}
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
    rules: dict[str, Rule] = {lesson.id: lesson.quiz.grade for lesson in result.lessons}
    return marks, titles, rules


def _percent(value: float | None) -> str:
    # Full precision (66.66666666666667): a spreadsheet rounds for display, not the file.
    return "" if value is None else repr(float(value))


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
