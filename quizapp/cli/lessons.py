"""Instructor commands about lesson files: ``validate`` and ``schema``."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import Any

from quizapp.cli import options
from quizapp.paths import default_lessons_dir
from quizapp.text import clean_data
from quizapp.wording import plural


def register(subparsers: Any) -> None:
    """Add ``validate`` and ``schema`` to the ``quizapp`` parser."""
    validate = subparsers.add_parser(
        "validate",
        help="check lesson files and report every problem as file:line:col: message",
        description="Check lesson files. Exits 1 if any problem is found, 0 when clean.",
    )
    validate.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="lesson files or folders (default: the lessons folder)",
    )
    validate.add_argument(
        "--strict",
        action="store_true",
        help="also require what a finished lesson needs: sources on every card and question, "
        "explanations, 6-12 cards with a timeline, 10+ questions of 4+ types with an order one, "
        "and no review_by date passed (without --strict that is a warning)",
    )
    options.add_format(
        validate, ("text", "json"), "text", "problems as lines of text or as JSON (default: text)"
    )
    validate.set_defaults(handler=run_validate)

    schema = subparsers.add_parser(
        "schema",
        help="print the JSON Schema of a lesson file (for editors)",
        description="Print the JSON Schema of a lesson file, for the YAML language server.",
    )
    schema.set_defaults(handler=run_schema)


def run_validate(args: argparse.Namespace) -> int:
    """``quizapp validate``: print every problem, then a one-line summary."""
    from quizapp.lessons.loader import load_paths

    paths: list[Path] = args.paths or [default_lessons_dir()]
    missing = [problem for p in paths if (problem := options.missing_path(p))]
    if missing:
        for problem in missing:
            options.warn("validate", problem)
        return 2
    result = load_paths(paths, strict=args.strict, today=dt.date.today())
    none_found = (
        f"no lesson files (*.yaml) found in {', '.join(map(str, paths))}; start one with "
        "`quizapp new ID`"
    )
    reported = sorted(result.errors)
    errors = [e for e in reported if not e.warning]
    warnings = len(reported) - len(errors)
    summary = (
        f"{plural(len(result.lessons), 'lesson')}, "
        f"{plural(result.question_count, 'question')}, "
        f"{plural(len(errors), 'problem')}"
        + (f" in {plural(len({e.path for e in errors}), 'file')}" if errors else "")
        + (f", {plural(warnings, 'warning')}" if warnings else "")
    )
    if args.format == "json":
        payload: dict[str, Any] = {
            "files": result.files,
            "lessons": len(result.lessons),
            "questions": result.question_count,
            "problems": [e.as_dict() for e in reported],
        }
        if not result.files:
            payload["error"] = none_found
        print(json.dumps(clean_data(payload), ensure_ascii=False, indent=2))
    else:
        for error in reported:
            print(error)
        print(summary if result.files else none_found)
    # A folder with no lesson files is a mistake (a wrong path), not a clean bill of health.
    return 1 if errors or not result.files else 0


def run_schema(args: argparse.Namespace) -> int:
    """``quizapp schema``: the JSON Schema on standard output."""
    from quizapp.lessons.schema import lesson_schema

    print(json.dumps(lesson_schema(), ensure_ascii=False, indent=2))
    return 0
