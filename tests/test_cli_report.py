"""`quizapp report` reads only the lesson files it reports on.

The lessons come from the lesson list's cache of headers (``quizapp.lessons.catalog``); only
the files of the lessons reported on are then loaded and validated, so a report on one
lesson of a course does not parse the whole course. The item analysis itself is tested in
``tests/test_reports.py``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from benchmarks.classdata import write_demo
from quizapp.cli import main
from quizapp.lessons import loader

SHIPPED = Path(__file__).resolve().parent.parent / "lessons"


@pytest.fixture
def course(tmp_path: Path) -> tuple[Path, Path]:
    """The demo class and its lessons folder, with two more lessons (edited copies of
    shipped ones, so the shipped index does not know them) and a broken file."""
    lessons, db = write_demo(tmp_path, students=6, seed=3)
    for name in ("01-cold-war-guatemala.yaml", "05-mano-dura.yaml"):
        text = (SHIPPED / name).read_text(encoding="utf-8")
        (lessons / name).write_text(text + "# edited\n", encoding="utf-8")
    (lessons / "zz-broken.yaml").write_text("id: [not a lesson\n", encoding="utf-8")
    return lessons, db


def validated_files(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the lesson files loaded and validated from now on."""
    names: list[str] = []
    load_file = loader.load_file

    def spy(path: Path, **kwargs: Any) -> Any:
        names.append(path.name)
        return load_file(path, **kwargs)

    monkeypatch.setattr(loader, "load_file", spy)
    return names


def test_a_report_on_one_lesson_validates_only_its_file(
    course: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lessons, db = course
    command = ["report", "demo-class", "--lessons", str(lessons), "--db", str(db)]
    assert main(command) == 0  # the first run fills the lesson list's cache
    capsys.readouterr()
    loaded = validated_files(monkeypatch)
    assert main(command) == 0
    out, err = capsys.readouterr()
    assert loaded == ["demo-class.yaml"]
    assert "First attempts: 6 students" in out
    # What is wrong elsewhere in the folder is still said, as when every file was loaded.
    assert "1 lesson file with problems left out" in err


def test_a_report_with_no_lesson_named_validates_the_answered_lessons_only(
    course: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lessons, db = course
    command = ["report", "--format", "json", "--lessons", str(lessons), "--db", str(db)]
    assert main(command) == 0
    first = capsys.readouterr().out
    loaded = validated_files(monkeypatch)
    assert main(command) == 0
    assert loaded == ["demo-class.yaml"]  # the class answered no other lesson
    assert capsys.readouterr().out == first


def test_a_lesson_file_changed_behind_the_cache_is_named(
    course: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # The cache knows a file by its size and modification time: a file rewritten with as
    # many bytes in the same instant (a coarse clock) looks unchanged. The lesson's own
    # file is validated again anyway, and the instructor is told.
    lessons, db = course
    command = ["report", "demo-class", "--lessons", str(lessons), "--db", str(db)]
    assert main(command) == 0
    capsys.readouterr()
    path = lessons / "demo-class.yaml"
    stat = path.stat()
    text = path.read_bytes()
    broken = b"id: [" + text[len(b"id: [") :]
    path.write_bytes(broken)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert main(command) == 1
    out, err = capsys.readouterr()
    assert f"{path} changed while it was read" in err
    assert out == "" and "Traceback" not in err


def test_an_empty_lessons_folder_is_named_with_how_to_start_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`report` and `export gift` on a folder with no lesson file say so, and how to start one."""
    _, db = write_demo(tmp_path, students=2, seed=5)
    empty = tmp_path / "empty"
    empty.mkdir()
    for argv in (
        ["report", "--db", str(db), "--lessons", str(empty)],
        ["export", "gift", "--lessons", str(empty)],
    ):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert f"no lesson files (*.yaml) in {empty}" in err
        assert f"`quizapp new ID --lessons {empty}`" in err
