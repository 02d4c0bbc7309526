"""The lesson list's headers and their cache: right after edits, never a crash."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

import quizapp.lessons.loader
from quizapp.lessons.catalog import scan
from tests.support.lessons import MINIMAL

WriteLesson = Callable[..., Path]


def count_parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record every file the loader parses during the test."""
    parsed: list[Path] = []
    real = quizapp.lessons.loader.load_file

    def spy(path: Path, **kwargs: bool) -> object:
        parsed.append(path)
        return real(path, **kwargs)

    monkeypatch.setattr(quizapp.lessons.loader, "load_file", spy)
    return parsed


def test_headers_match_the_lessons(write_lesson: WriteLesson, tmp_path: Path) -> None:
    write_lesson(MINIMAL, "01-a.yaml")
    catalog = scan([tmp_path], tmp_path / "cache.json")
    [header] = catalog.headers
    assert (header.id, header.title, header.minutes, header.cards, header.questions) == (
        "test-lesson",
        "A test lesson",
        5,
        2,
        7,
    )
    assert header.pass_mark == 70
    assert catalog.problems == []


def test_second_scan_reads_no_unchanged_file(
    write_lesson: WriteLesson, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / "01-a.yaml").write_text(MINIMAL, encoding="utf-8")
    (lessons / "02-b.yaml").write_text("- broken\n", encoding="utf-8")
    cache = tmp_path / "cache.json"
    first = scan([lessons], cache)
    parsed = count_parses(monkeypatch)
    second = scan([lessons], cache)
    assert parsed == []
    assert second == first
    assert [p.message.split(";")[0] for p in second.problems] == ["the file holds a list"]


def test_an_edited_file_is_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    path = lessons / "01-a.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    cache = tmp_path / "cache.json"
    scan([lessons], cache)
    path.write_text(MINIMAL.replace('title: "A test lesson"', 'title: "Renamed"'), "utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    parsed = count_parses(monkeypatch)
    assert scan([lessons], cache).headers[0].title == "Renamed"
    assert parsed == [path]


@pytest.mark.parametrize("content", ["not json", '{"version": 99, "files": {}}', "[1, 2]", ""])
def test_a_damaged_cache_is_rebuilt(
    write_lesson: WriteLesson, tmp_path: Path, content: str
) -> None:
    write_lesson(MINIMAL)
    cache = tmp_path / "cache.json"
    cache.write_text(content)
    assert [h.id for h in scan([tmp_path], cache).headers] == ["test-lesson"]
    assert scan([tmp_path], cache).headers  # and the rewritten cache reads back


def test_an_unwritable_cache_is_skipped(write_lesson: WriteLesson, tmp_path: Path) -> None:
    write_lesson(MINIMAL)
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    catalog = scan([tmp_path], blocker / "cache.json")  # its folder cannot be created
    assert [h.id for h in catalog.headers] == ["test-lesson"]


def test_same_id_in_two_files_is_a_problem(write_lesson: WriteLesson, tmp_path: Path) -> None:
    write_lesson(MINIMAL, "01-a.yaml")
    second = write_lesson(MINIMAL, "02-b.yaml")
    catalog = scan([tmp_path], None)
    assert len(catalog.headers) == 1
    [problem] = catalog.problems
    assert problem.path == second
    assert "already used by" in problem.message
