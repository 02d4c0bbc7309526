"""``quizapp import gift FILE``: a Moodle question bank (GIFT) as quizapp lesson files."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from quizapp.cli import options

__all__ = ["register", "run_import_gift"]


def register(subparsers: Any) -> None:
    """Add ``import gift`` to the ``quizapp`` parser."""
    imports = subparsers.add_parser(
        "import",
        help="turn questions from another tool (Moodle GIFT) into lesson files",
        description="Turn questions from another tool into quizapp lesson files.",
    )
    kinds = imports.add_subparsers(title="what to import", metavar="WHAT", required=True)
    gift = kinds.add_parser(
        "gift",
        help="a Moodle GIFT file: one lesson file per question category",
        description="Write a lesson file (lessons/ID.yaml) for each question category in a "
        "Moodle GIFT file, with its questions and their feedback. GIFT has no cards or "
        "sources: the file gets a stand-in card and source, and comments saying what is left "
        "to write. What quizapp cannot hold (essay questions, partial credit of its own, ...) "
        "is named on standard error. Never overwrites a file.",
    )
    gift.add_argument("file", type=Path, metavar="FILE", help="the GIFT file (UTF-8 text)")
    gift.add_argument(
        "--id", dest="lesson_id", metavar="ID", help="the new lesson's id (one category only)"
    )
    options.add_lessons(gift, "folder to write the lesson files into (default: ./lessons)")
    gift.set_defaults(handler=run_import_gift)


def run_import_gift(args: argparse.Namespace) -> int:
    """Read the GIFT file, write one lesson file per category, report what was left out."""
    from quizapp.cli.instructor import id_problem, new_lessons_dir
    from quizapp.lessons.gift_import import lesson_yaml, read_gift

    path: Path = args.file
    problem = options.missing_path(path)
    if problem:
        raise options.CommandError("import", problem)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise options.CommandError("import", f"{path} is not UTF-8 text", 1) from None
    except OSError as error:
        raise options.CommandError("import", f"cannot read {path}: {error.strerror}", 1) from None
    title = path.stem.replace("-", " ").replace("_", " ").strip().capitalize() or "Imported"
    lessons = read_gift(text, title)
    if not lessons:
        raise options.CommandError("import", f"no question quizapp can use in {path}", 1)
    if args.lesson_id is not None and len(lessons) > 1:
        raise options.CommandError(
            "import", f"--id names one lesson, but {path} has {len(lessons)} question categories"
        )
    folder = new_lessons_dir(args)
    plans: list[tuple[Path, str, str, list[str]]] = []
    for lesson in lessons:
        lesson_id = args.lesson_id or lesson.lesson_id or _id_from(lesson.title)
        bad = id_problem(lesson_id)
        if bad:
            raise options.CommandError("import", bad + " (choose one with --id ID)")
        target = folder / f"{lesson_id}.yaml"
        if target.exists() or any(target == p for p, *_ in plans):
            raise options.CommandError(
                "import", f"{target} already exists; it was left as it is (choose --id)", 1
            )
        body = lesson_yaml(lesson, lesson_id, path.name)
        plans.append((target, lesson_id, body, lesson.warnings))
    folder.mkdir(parents=True, exist_ok=True)
    for target, lesson_id, body, warnings in plans:
        for warning in warnings:
            options.warn("import", f"warning: {lesson_id}: {warning}")
        with target.open("x", encoding="utf-8") as out:
            out.write(body)
        print(f"created {target}")
    print("next: write the cards and sources (see the comments at the top), then run")
    print(f"  quizapp validate --strict {folder}")
    return 0


def _id_from(title: str) -> str:
    from quizapp.lessons.gift import without_accents

    words = "".join(ch if ch.isalnum() else "-" for ch in without_accents(title).lower())
    slug = "-".join(part for part in words.split("-") if part)[:60].strip("-")
    return slug if slug.isascii() and slug else "imported-questions"
