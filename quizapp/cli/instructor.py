"""Instructor commands: ``new`` (a lesson from the template), ``report`` (item analysis of
the class's answers; its own module, :mod:`quizapp.cli.report`), ``gift`` (export quizzes to
Moodle's GIFT format) and ``preview`` (a lesson file in the app, reloaded on every save).

``add_gift_export`` adds the same GIFT export under another parser's subcommands, so it can
also be offered as ``quizapp export gift``.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizapp.cli import options, report

if TYPE_CHECKING:
    from quizapp.lessons.model import Lesson

__all__ = [
    "TEMPLATE_ID",
    "TEMPLATE_TITLE",
    "add_gift_export",
    "lesson_from_template",
    "register",
    "run_gift",
    "run_new",
    "run_preview",
]

TEMPLATE_ID = "new-lesson"
TEMPLATE_TITLE = "New lesson"
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_ID_MAX = 80


def register(subparsers: Any) -> None:
    """Add ``new``, ``report``, ``gift`` and ``preview`` to the ``quizapp`` parser."""
    new = subparsers.add_parser(
        "new",
        help="start a lesson file from a commented template",
        description="Write lessons/ID.yaml from a commented template showing every field and "
        "question type. Never overwrites a file.",
    )
    new.add_argument("lesson_id", metavar="ID", help="the new lesson's id, e.g. la-gangs")
    options.add_lessons(new, "folder to write the lesson into (default: ./lessons)")
    new.add_argument("--title", metavar="TEXT", help="the lesson's title (default: from the id)")
    new.set_defaults(handler=run_new)

    report.register(subparsers)

    gift = subparsers.add_parser(
        "gift",
        help="export quizzes to Moodle's GIFT format, to import into a Moodle question bank",
        description=_GIFT_DESCRIPTION,
    )
    _add_gift_options(gift)

    preview = subparsers.add_parser(
        "preview",
        help="see a lesson file as a student will, reloaded each time you save it",
        description="Open the app on one lesson file: its cards and quiz exactly as a student "
        "sees them. Each time the file is saved the preview reloads it; while it has problems "
        "they are listed (file:line:col: message) under the last good version. Answers go to "
        "a scratch database, never to the real scores.",
    )
    preview.add_argument("file", type=Path, metavar="FILE", help="the lesson file to preview")
    preview.set_defaults(handler=run_preview)


_GIFT_DESCRIPTION = (
    "Export lessons' quizzes as Moodle GIFT text, one question category per lesson. In Moodle: "
    "Question bank > Import > GIFT format. What GIFT cannot express exactly is reported on "
    "standard error."
)


def add_gift_export(export_subparsers: Any) -> None:
    """Add ``gift`` under an ``export`` command's subparsers (``quizapp export gift``)."""
    gift = export_subparsers.add_parser(
        "gift", help="quizzes as Moodle GIFT questions", description=_GIFT_DESCRIPTION
    )
    _add_gift_options(gift)


def _add_gift_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "lesson_ids", nargs="*", metavar="LESSON_ID", help="lessons to export (default: all)"
    )
    options.add_lessons(parser)
    options.add_out(parser)
    parser.set_defaults(handler=run_gift)


_error = options.warn


# --------------------------------------------------------------------------- new


def lesson_from_template(lesson_id: str, title: str) -> str:
    """The text of a new lesson file: the shipped template with ``lesson_id`` and ``title``.

    Raises ``ValueError`` with a message for the instructor when either is not usable.
    """
    problem = id_problem(lesson_id)
    if problem:
        raise ValueError(problem)
    title = title.strip()
    if not title:
        raise ValueError("the title is empty")
    from quizapp.text import is_clean

    if not is_clean(title) or any(
        unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") or ch in "\ufffe\uffff" for ch in title
    ):
        raise ValueError(
            "the title must be one line of text, without control characters or bidi overrides"
        )
    import json
    from importlib import resources

    template = (
        resources.files("quizapp").joinpath("templates", "lesson.yaml").read_text(encoding="utf-8")
    )
    text, ids = re.subn(
        rf"^id: {re.escape(TEMPLATE_ID)}(?=\s)", f"id: {lesson_id}", template, count=1, flags=re.M
    )
    # A JSON string is a valid YAML double-quoted scalar: quotes, colons and # stay text.
    text, titles = re.subn(
        rf"^title: {re.escape(json.dumps(TEMPLATE_TITLE))}",
        lambda _m: "title: " + json.dumps(title, ensure_ascii=False),
        text,
        count=1,
        flags=re.M,
    )
    if ids != 1 or titles != 1:  # pragma: no cover - guarded by tests of the template
        raise RuntimeError("the lesson template has lost its id or title line")
    return text


def id_problem(lesson_id: str) -> str | None:
    """Why ``lesson_id`` cannot be a lesson id, or None when it can."""
    if not lesson_id:
        return "the lesson id is empty"
    if len(lesson_id) > _ID_MAX:
        return f"lesson id {lesson_id!r} is longer than {_ID_MAX} characters"
    if not _ID.match(lesson_id):
        suggestion = re.sub(r"[^a-z0-9_-]+", "-", lesson_id.lower()).strip("-_")
        hint = f" (e.g. {suggestion!r})" if suggestion and _ID.match(suggestion) else ""
        return (
            f"invalid lesson id {lesson_id!r}: use lower-case letters, digits, '-' and '_', "
            f"starting with a letter or digit{hint}"
        )
    return None


def new_lessons_dir(args: argparse.Namespace) -> Path:
    """Where `new` and `import` write: --lessons, else $QUIZAPP_LESSONS, else ./lessons."""
    flag: Path | None = getattr(args, "lessons", None)
    if flag:
        return flag
    from quizapp.paths import LESSONS_ENV

    env = os.environ.get(LESSONS_ENV)
    return Path(env).expanduser() if env else Path("lessons")


def run_new(args: argparse.Namespace) -> int:
    """``quizapp new ID``: write lessons/ID.yaml from the template; never overwrite."""
    lesson_id: str = args.lesson_id
    title = args.title if args.title is not None else _title_from_id(lesson_id)
    try:
        text = lesson_from_template(lesson_id, title)
    except ValueError as exc:
        _error("new", str(exc))
        return 2
    folder = new_lessons_dir(args)
    path = folder / f"{lesson_id}.yaml"
    if folder.exists() and not folder.is_dir():
        _error("new", f"{folder} is not a folder")
        return 2
    clash = _file_with_id(folder, lesson_id)
    if clash is not None and clash != path:
        _error("new", f"lesson id {lesson_id!r} is already used by {clash}")
        return 1
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as out:
            out.write(text)
    except FileExistsError:
        _error("new", f"{path} already exists; it was left as it is (pick another id)")
        return 1
    except OSError as exc:
        _error("new", f"cannot write {path}: {exc.strerror or exc}")
        return 1
    print(f"created {path}")
    print("next: edit it (every field is explained in its comments), then run")
    print(f"  quizapp validate {path}")
    return 0


def _title_from_id(lesson_id: str) -> str:
    words = re.sub(r"[-_]+", " ", lesson_id).strip()
    return words[:1].upper() + words[1:] if words else lesson_id


def _file_with_id(folder: Path, lesson_id: str) -> Path | None:
    """Another lesson file in ``folder`` that already uses ``lesson_id``."""
    if not folder.is_dir():
        return None
    from quizapp.lessons.loader import load_paths

    result = load_paths([folder])
    return result.paths.get(lesson_id)


# --------------------------------------------------------------------------- lessons


def _load_lessons(
    args: argparse.Namespace, command: str, wanted: Sequence[str]
) -> tuple[list[Lesson], int | None]:
    """The lessons named by ``wanted`` (all when empty), or an exit code after a message.

    Problems in lesson files are reported on standard error; the lessons that load are used.
    """
    from quizapp.lessons.loader import load_paths

    folder = options.lessons_folder(command, getattr(args, "lessons", None))
    result = load_paths([folder])
    by_id = {lesson.id: lesson for lesson in result.lessons}
    if not options.check_lesson_ids(
        command, folder, len({e.path for e in result.errors}), wanted, by_id
    ):
        return [], 2
    if not result.files:
        raise options.no_lesson_files(command, folder)
    if wanted:
        return [by_id[lesson_id] for lesson_id in dict.fromkeys(wanted)], None
    return list(result.lessons), None


# --------------------------------------------------------------------------- gift


def run_gift(args: argparse.Namespace) -> int:
    """``quizapp gift`` / ``quizapp export gift``: GIFT text to a file or standard output."""
    from quizapp.lessons.gift import lessons_to_gift

    problem = options.out_problem(args.out)
    if problem:
        raise options.CommandError("gift", problem)
    lessons, code = _load_lessons(args, "gift", args.lesson_ids)
    if code is not None:
        return code
    if not lessons:
        _error("gift", "no lessons to export")
        return 1
    from quizapp.text import clean

    export = lessons_to_gift(lessons)
    for warning in export.warnings:
        print(clean(f"quizapp gift: warning: {warning}"), file=sys.stderr)
    text = clean(export.text, multiline=True)  # lesson text: no control character, ever
    if args.out is None:
        sys.stdout.write(text)
        return 0
    try:
        args.out.write_text(text, encoding="utf-8")
    except OSError as exc:
        _error("gift", f"cannot write {args.out}: {exc.strerror or exc}")
        return 1
    print(
        f"wrote {export.questions} questions from {len(lessons)} "
        f"lesson{'s' if len(lessons) != 1 else ''} to {args.out}; import it in Moodle with "
        "Question bank > Import > GIFT format",
        file=sys.stderr,
    )
    return 0


# --------------------------------------------------------------------------- preview


def run_preview(args: argparse.Namespace) -> int:
    """``quizapp preview FILE``: the app on one lesson file, reloaded when it is saved."""
    path: Path = args.file
    if path.is_dir():
        _error("preview", f"{path} is a folder; give one lesson file, e.g. {path / 'x.yaml'}")
        return 2
    problem = options.missing_path(path)
    if problem:
        _error("preview", f"{problem} (start a lesson with `quizapp new ID`)")
        return 2
    from quizapp.tui.app import make_app

    app = make_app(preview=path)
    app.run()
    return app.return_code or 0
