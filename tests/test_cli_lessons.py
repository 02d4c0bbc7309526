"""`quizapp validate` and `quizapp schema` as an instructor uses them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.lessons.schema import lesson_schema
from tests.support.lessons import MINIMAL, REPO, line_of

WriteLesson = Callable[..., Path]


def test_clean_folder_exits_zero_with_summary(
    write_lesson: WriteLesson, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_lesson(MINIMAL)
    assert main(["validate", str(tmp_path)]) == 0
    assert capsys.readouterr().out == "1 lesson, 7 questions, 0 problems\n"


def test_problems_are_listed_as_file_line_col_and_exit_one(
    write_lesson: WriteLesson, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_lesson(MINIMAL, "a.yaml")
    bad_text = MINIMAL.replace("id: test-lesson", "id: b").replace(
        "answer: Los Angeles", "answer: LA"
    )
    bad = write_lesson(bad_text, "b.yaml")
    assert main(["validate", str(tmp_path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    line = line_of(bad_text, "answer: LA")
    assert lines[0].startswith(f"{bad}:{line}:")
    assert "answer 'LA' is not one of the choices" in lines[0]
    assert lines[-1] == "1 lesson, 7 questions, 1 problem in 1 file"


def test_json_format_for_tools(
    write_lesson: WriteLesson, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_lesson(MINIMAL.replace("minutes: 5", "minutes: 0"))
    assert main(["validate", "--format", "json", str(path)]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["lessons"] == 0
    [problem] = payload["problems"]
    assert problem["file"] == str(path)
    assert problem["line"] == line_of(MINIMAL, "minutes: 5")
    assert "greater than or equal to 1" in problem["message"]


def test_missing_path_exits_two(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "nope")]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_strict_makes_unfinished_lessons_fail(
    write_lesson: WriteLesson, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_lesson(MINIMAL)
    assert main(["validate", str(path)]) == 0
    assert main(["validate", "--strict", str(path)]) == 1
    assert "a finished lesson has 6 to 12" in capsys.readouterr().out


def test_schema_command_matches_the_shipped_schema_file(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    shipped = json.loads((REPO / "docs" / "lesson.schema.json").read_text(encoding="utf-8"))
    assert printed == shipped, "regenerate: quizapp schema > docs/lesson.schema.json"


def test_schema_knows_every_question_type_and_forbids_unknown_keys() -> None:
    schema = lesson_schema()
    definitions = schema["$defs"]
    types = {
        d["properties"]["type"]["const"]
        for d in definitions.values()
        if "type" in d.get("properties", {}) and "const" in d["properties"]["type"]
    }
    assert types == {"single", "multi", "true_false", "text", "number", "order", "match"}
    assert schema["additionalProperties"] is False
