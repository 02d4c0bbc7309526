"""Lesson files on disk: which files a path names, and one problem found in one of them.

Shared by the loader (which validates a file) and the catalog (which caches the lesson list),
so that neither imports the other for these.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from quizapp.frozen import Frozen
from quizapp.text import clean

__all__ = ["LessonError", "duplicate_id", "id_line", "lesson_files"]


class LessonError(Frozen, order=True):
    """One problem in a lesson file, at a 1-based line and column (an error, or a warning)."""

    path: Path
    line: int
    col: int
    message: str
    #: A warning is reported but does not make the file fail (a review date that passed).
    warning: bool = False

    def __str__(self) -> str:
        # Shown in a terminal and in the app: never a control character from the file.
        kind = "warning: " if self.warning else ""
        return clean(f"{self.path}:{self.line}:{self.col}: {kind}{self.message}")

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form, for ``quizapp validate --format json``."""
        return {
            "file": str(self.path),
            "line": self.line,
            "col": self.col,
            "message": self.message,
            "severity": "warning" if self.warning else "error",
        }


def lesson_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Expand folders into their ``*.yaml``/``*.yml`` files (sorted); files pass through."""
    for path in paths:
        if path.is_dir():
            # os.listdir and str sorting: a third of the cost of iterdir() and Path sorting
            names = sorted(n for n in os.listdir(path) if n.endswith((".yaml", ".yml")))  # noqa: PTH208
            yield from (path / name for name in names)
        else:
            yield path


def id_line(path: Path) -> int:
    """The line of the top-level ``id:`` key (only for the rare duplicate-id message)."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    return next((n for n, line in enumerate(lines, 1) if re.match(r"id\s*:", line)), 1)


def duplicate_id(path: Path, lesson_id: str, first: Path) -> LessonError:
    """A second file with a lesson id already taken, reported at its ``id:`` line."""
    return LessonError(
        path, id_line(path), 1, f"lesson id {lesson_id!r} is already used by {first}"
    )
