"""One rule for what a user gets wrong on a command line (quizapp/cli/options.py): unknown
ids exit 2 with the near one, missing paths exit 2 named (a symlink loop says so), an empty
lessons folder gets a hint, and a CSV report starts with a byte order mark as every CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from benchmarks.classdata import write_demo
from quizapp.cli import main
from tests.support.lessons import MINIMAL, SHIPPED_GLOB, shipped_lesson_files
from tests.support.tui import screen_text


@pytest.fixture
def lessons(tmp_path: Path) -> Path:
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "01-test.yaml").write_text(MINIMAL, encoding="utf-8")
    return folder


def test_a_missing_lessons_folder_stops_the_app_with_its_name(
    tmp_path: Path, fake_app_factory: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "lesons"
    assert main(["--lessons", str(missing)]) == 2
    assert "ran" not in fake_app_factory
    err = capsys.readouterr().err
    assert err == f"quizapp: lessons folder: no such file or folder: {missing}\n"


def test_a_symlink_loop_is_called_a_symlink_loop(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    assert main(["validate", str(loop)]) == 2
    assert f"{loop} is a symlink loop" in capsys.readouterr().err
    assert main(["preview", str(loop)]) == 2
    assert f"{loop} is a symlink loop" in capsys.readouterr().err
    assert main(["export", "gift", "--lessons", str(loop)]) == 2
    assert f"{loop} is a symlink loop" in capsys.readouterr().err


def test_an_empty_lessons_folder_gets_a_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["validate", str(empty)]) == 1
    assert "start one with `quizapp new ID`" in capsys.readouterr().out
    assert main(["export", "gift", "--lessons", str(empty)]) == 2
    assert f"`quizapp new ID --lessons {empty}`" in capsys.readouterr().err


async def test_the_app_on_an_empty_folder_says_what_to_do(tmp_path: Path) -> None:
    from quizapp.tui.app import make_app

    empty = tmp_path / "empty"
    empty.mkdir()
    app = make_app(lessons_dir=empty, db_path=tmp_path / "s.sqlite3", student="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        text = " ".join(screen_text(app).split())
    assert "quizapp new ID --lessons" in text and "without --lessons" in text


def test_an_unknown_lesson_id_gets_the_near_one(
    lessons: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "gift", "test-lesson", "tset-lesson", "--lessons", str(lessons)]) == 2
    assert "no lesson 'tset-lesson'" in (err := capsys.readouterr().err)
    assert "did you mean 'test-lesson'?" in err


def test_the_report_csv_has_a_byte_order_mark(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lessons, db = write_demo(tmp_path)
    args = ["report", "--lessons", str(lessons), "--db", str(db), "--format", "csv"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(out[1:])))
    assert rows and "lesson_id" in rows[0]
    assert main(["report", "demo-clas", *args[1:]]) == 2
    assert "did you mean 'demo-class'?" in capsys.readouterr().err


def test_a_scratch_lesson_made_in_the_checkout_is_not_taken_for_a_shipped_one() -> None:
    # `quizapp new my-lesson` in the checkout writes lessons/my-lesson.yaml: the tests of the
    # shipped lessons (and the wheel test) take only NN-topic.yaml files.
    assert not Path("my-lesson.yaml").match(SHIPPED_GLOB)
    assert len(shipped_lesson_files()) == 9
