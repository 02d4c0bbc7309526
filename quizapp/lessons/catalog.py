"""The lesson list without loading every lesson: headers, problems, and a cache of both.

The lesson list needs a title, a summary and a few numbers per lesson, not whole validated
lessons. :func:`scan` returns those headers, and the problems of files that fail to load,
from a small JSON cache keyed by each file's size and modification time; only new or
changed files are read and validated (by :mod:`quizapp.lessons.loader`). A lesson is loaded in full
when it is opened (:func:`load_lesson`).

With hundreds of lesson files this keeps start-up close to a bare app's, and it spares the
start of the app the import of pydantic and the models (about 70 ms) when nothing changed.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizapp.frozen import Frozen, as_dict
from quizapp.lessons.files import LessonError, duplicate_id, lesson_files

if TYPE_CHECKING:
    from quizapp.lessons.model import Lesson

__all__ = [
    "CACHE_VERSION",
    "SHIPPED_INDEX",
    "Catalog",
    "LessonHeader",
    "build_index",
    "load_lesson",
    "scan",
]

CACHE_VERSION = 4  # 2: problems as LessonError.as_dict(); 3: stricter numbers and booleans;
# 4: quiz settings (grade rule, attempt limit, feedback, time limit) in the header

#: The headers of the lessons shipped with the app, by the SHA-256 of each file's bytes, so
#: that the first start after install lists them without parsing and validating them
#: (PyYAML, pydantic and the lesson model: most of that start's time, docs/performance.md).
#: Only files that load without a problem are in it; a file whose bytes differ is read as
#: any other. ``tests/test_catalog_index.py`` fails when it no longer matches the lessons;
#: rebuild it with ``python -m quizapp.lessons.catalog``.
SHIPPED_INDEX = Path(__file__).with_name("shipped-index.json")


class LessonHeader(Frozen):
    """What the lesson list shows of a lesson."""

    id: str
    title: str
    summary: str
    minutes: int
    cards: int
    questions: int
    pass_mark: int
    path: str
    #: The quiz's settings the list needs: which attempt counts, how many may be made.
    grade: str = "best"
    attempts: int | None = None
    feedback: str = "immediate"
    time_limit: int | None = None


class Catalog:
    """Every lesson file's header (in file-name order) and every problem found (a plain
    class: a dataclass costs about 1 ms of every start to define, docs/performance.md)."""

    __slots__ = ("headers", "problems")

    def __init__(
        self,
        headers: list[LessonHeader] | None = None,
        problems: list[LessonError] | None = None,
    ) -> None:
        self.headers: list[LessonHeader] = [] if headers is None else headers
        self.problems: list[LessonError] = [] if problems is None else problems

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Catalog) and other.__class__ is self.__class__:
            return self.headers == other.headers and self.problems == other.problems
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable: unhashable, as a dataclass's

    def __repr__(self) -> str:
        return f"Catalog(headers={self.headers!r}, problems={self.problems!r})"

    def header(self, lesson_id: str) -> LessonHeader | None:
        """The header of a lesson by id."""
        return next((h for h in self.headers if h.id == lesson_id), None)


def header_of(lesson: Lesson, path: Path) -> LessonHeader:
    """The list's view of a loaded lesson."""
    return LessonHeader(
        id=lesson.id,
        title=lesson.title,
        summary=lesson.summary,
        minutes=lesson.minutes,
        cards=len(lesson.cards),
        questions=len(lesson.quiz.questions),
        pass_mark=lesson.quiz.pass_mark,
        path=str(path),
        grade=lesson.quiz.grade,
        attempts=lesson.quiz.attempts,
        feedback=lesson.quiz.feedback,
        time_limit=lesson.quiz.time_limit,
    )


def scan(folders: Iterable[Path], cache_file: Path | None) -> Catalog:
    """Headers and problems of every lesson file, reading only files the cache doesn't know.

    The cache is an optimisation only: a missing, unreadable or foreign cache file is
    rebuilt, and one that cannot be written is skipped.
    """
    cache = _read_cache(cache_file)
    shipped: dict[str, Any] | None = None  # read at the first file the cache does not know
    fresh: dict[str, Any] = {}
    catalog = Catalog()
    seen: dict[str, Path] = {}
    for path in lesson_files(folders):
        key = os.path.abspath(path)  # noqa: PTH100 - no syscalls, unlike resolve()
        if key in fresh:
            continue
        try:
            stat = path.stat()
            stamp = [stat.st_mtime_ns, stat.st_size]
        except OSError:
            stamp = None
        entry = cache.get(key)
        if stamp is None or entry is None or entry.get("stamp") != stamp:
            if shipped is None:
                shipped = _read_cache(SHIPPED_INDEX)
            entry = _shipped_entry(path, stamp, shipped) or _read_entry(path, stamp)
        fresh[key] = entry
        catalog.problems.extend(
            LessonError(Path(p["file"]), p["line"], p["col"], p["message"])
            for p in entry["problems"]
        )
        if entry["header"] is None:
            continue
        header = LessonHeader(**entry["header"])
        if header.id in seen:
            catalog.problems.append(duplicate_id(path, header.id, seen[header.id]))
            continue
        seen[header.id] = path
        catalog.headers.append(header)
    if cache_file is not None and fresh != cache:
        _write_cache(cache_file, fresh)
    catalog.problems.sort()
    return catalog


def load_lesson(header: LessonHeader) -> tuple[Lesson | None, list[LessonError]]:
    """The whole lesson behind a header (validated now: the file may have changed)."""
    from quizapp.lessons.loader import load_file

    return load_file(Path(header.path))


def _read_entry(path: Path, stamp: list[int] | None) -> dict[str, Any]:
    from quizapp.lessons.loader import load_file

    lesson, errors = load_file(path)
    return {
        "stamp": stamp,
        "header": as_dict(header_of(lesson, path)) if lesson is not None else None,
        "problems": [e.as_dict() for e in errors],
    }


def _shipped_entry(
    path: Path, stamp: list[int] | None, shipped: dict[str, Any]
) -> dict[str, Any] | None:
    """The cache entry of a file the shipped index knows by its bytes, else None."""
    if not shipped:
        return None
    import hashlib  # here: a warm start hashes nothing (docs/performance.md, issue 19)

    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
    header = shipped.get(digest)
    if not isinstance(header, dict):
        return None
    return {"stamp": stamp, "header": {**header, "path": str(path)}, "problems": []}


def build_index(folder: Path) -> dict[str, Any]:
    """The shipped index of the lesson files in ``folder`` (see :data:`SHIPPED_INDEX`)."""
    import hashlib

    files: dict[str, Any] = {}
    for path in lesson_files([folder]):
        entry = _read_entry(path, None)
        if entry["header"] is not None and not entry["problems"]:
            header = {k: v for k, v in entry["header"].items() if k != "path"}
            files[hashlib.sha256(path.read_bytes()).hexdigest()] = header
    return {"version": CACHE_VERSION, "files": files}


def _read_cache(cache_file: Path | None) -> dict[str, Any]:
    if cache_file is None:
        return {}
    try:
        data = json.loads(cache_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
        return {}
    files = data.get("files")
    return files if isinstance(files, dict) else {}


def _write_cache(cache_file: Path, files: dict[str, Any]) -> None:
    """Write atomically (temp file + rename), so a crash never leaves half a cache."""
    with contextlib.suppress(OSError):
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache_file.parent, prefix=".lessons-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump({"version": CACHE_VERSION, "files": files}, out, ensure_ascii=False)
            Path(tmp).replace(cache_file)
        except OSError:
            with contextlib.suppress(OSError):
                Path(tmp).unlink()


if __name__ == "__main__":  # rebuild the shipped index from the repository's lessons/
    _lessons = Path(__file__).resolve().parents[2] / "lessons"
    SHIPPED_INDEX.write_text(
        json.dumps(build_index(_lessons), ensure_ascii=False, indent=1, sort_keys=True) + "\n",
        encoding="utf-8",
    )
