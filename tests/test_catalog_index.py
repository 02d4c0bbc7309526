"""The shipped lessons' index: the first start lists them without parsing them, and gives
exactly the list that parsing them would (issue 19)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

import quizapp.lessons.loader
from quizapp.lessons.catalog import SHIPPED_INDEX, build_index, scan

REPO = Path(__file__).resolve().parent.parent
SHIPPED = REPO / "lessons"


def count_parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record every file the loader parses during the test."""
    parsed: list[Path] = []
    real = quizapp.lessons.loader.load_file

    def spy(path: Path, **kwargs: Any) -> object:
        parsed.append(path)
        return real(path, **kwargs)

    monkeypatch.setattr(quizapp.lessons.loader, "load_file", spy)
    return parsed


def test_the_shipped_index_matches_the_shipped_lessons() -> None:
    # Fails after a shipped lesson is edited: rebuild with `python -m quizapp.lessons.catalog`.
    committed = json.loads(SHIPPED_INDEX.read_text(encoding="utf-8"))
    assert committed == build_index(SHIPPED)
    assert len(committed["files"]) == len(list(SHIPPED.glob("*.yaml")))


def test_a_first_start_lists_the_shipped_lessons_without_parsing_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lessons = tmp_path / "lessons"
    shutil.copytree(SHIPPED, lessons)
    parsed = count_parses(monkeypatch)
    listed = scan([lessons], tmp_path / "cache.json")
    assert parsed == []
    monkeypatch.undo()
    read = scan([lessons], None)  # no cache: every file parsed and validated
    assert listed == read
    assert {Path(h.path).parent for h in listed.headers} == {lessons}


def test_an_edited_shipped_lesson_is_parsed_and_its_problem_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lessons = tmp_path / "lessons"
    shutil.copytree(SHIPPED, lessons)
    edited = sorted(lessons.glob("*.yaml"))[0]
    edited.write_text(
        edited.read_text(encoding="utf-8").replace("\nminutes:", "\nminuets:", 1),
        encoding="utf-8",
    )
    parsed = count_parses(monkeypatch)
    catalog = scan([lessons], tmp_path / "cache.json")
    assert parsed == [edited]
    assert {p.path for p in catalog.problems} == {edited}
    assert any("minuets" in p.message for p in catalog.problems)
    assert len(catalog.headers) == len(list(SHIPPED.glob("*.yaml"))) - 1


def test_a_damaged_index_only_costs_the_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = tmp_path / "index.json"
    index.write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(quizapp.lessons.catalog, "SHIPPED_INDEX", index)
    lessons = tmp_path / "lessons"
    shutil.copytree(SHIPPED, lessons)
    parsed = count_parses(monkeypatch)
    catalog = scan([lessons], tmp_path / "cache.json")
    assert len(parsed) == len(catalog.headers) == len(list(SHIPPED.glob("*.yaml")))
