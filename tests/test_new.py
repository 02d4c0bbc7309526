"""`quizapp new ID`: a lesson file from the commented template."""

from __future__ import annotations

import re
import tempfile
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from quizapp.cli import main
from quizapp.cli.instructor import lesson_from_template
from quizapp.lessons import model
from quizapp.lessons.checks import strict_problems
from quizapp.lessons.loader import LessonError, load_file
from quizapp.text import BIDI_CONTROLS


def template_text() -> str:
    return resources.files("quizapp").joinpath("templates", "lesson.yaml").read_text("utf-8")


def load_file_from_text(text: str) -> tuple[model.Lesson | None, list[LessonError]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "lesson.yaml"
        path.write_text(text, encoding="utf-8")
        return load_file(path)


def test_new_writes_a_lesson_that_validates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lessons = tmp_path / "lessons"
    code = main(["new", "la-gangs", "--lessons", str(lessons), "--title", "Gangs in LA"])
    assert code == 0
    path = lessons / "la-gangs.yaml"
    lesson, errors = load_file(path)
    assert errors == []
    assert lesson is not None
    assert (lesson.id, lesson.title) == ("la-gangs", "Gangs in LA")
    out = capsys.readouterr().out
    assert f"created {path}" in out
    assert f"quizapp validate {path}" in out
    assert main(["validate", str(path)]) == 0


def test_the_title_defaults_to_the_id_in_words(tmp_path: Path) -> None:
    assert main(["new", "cold_war-roots", "--lessons", str(tmp_path)]) == 0
    lesson, _ = load_file(tmp_path / "cold_war-roots.yaml")
    assert lesson is not None and lesson.title == "Cold war roots"


def test_template_shows_every_question_type() -> None:
    lesson, errors = load_file_from_text(template_text())
    assert errors == []
    assert lesson is not None
    assert {q.type for q in lesson.quiz.questions} == set(model.QUESTION_TYPES)


def test_template_shows_every_field_of_the_format() -> None:
    text = template_text()
    keys = set(re.findall(r"^[\s#-]*([a-z_]+):", text, flags=re.MULTILINE))
    keys |= set(re.findall(r"[{,]\s*([a-z_]+):", text))  # flow mappings {text: ...}
    models: list[type[BaseModel]] = [
        model.Lesson,
        model.Source,
        model.Card,
        model.TimelineEvent,
        model.GlossaryEntry,
        model.Choice,
        model.Quiz,
        *model.QUESTION_TYPES.values(),
    ]
    missing = {
        f"{m.__name__}.{name}" for m in models for name in m.model_fields if name not in keys
    }
    assert missing == set()


def test_template_is_finished_except_for_the_minimum_counts() -> None:
    lesson, _ = load_file_from_text(template_text())
    assert lesson is not None
    problems = [message for _loc, message in strict_problems(lesson)]
    assert len(problems) == 2
    assert any("cards" in p for p in problems)
    assert any("at least 10" in p for p in problems)


def test_new_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("my work\n", encoding="utf-8")
    assert main(["new", "mine", "--lessons", str(tmp_path)]) == 1
    assert path.read_text(encoding="utf-8") == "my work\n"
    assert "already exists" in capsys.readouterr().err


def test_new_refuses_an_id_another_file_uses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", "first", "--lessons", str(tmp_path)]) == 0
    (tmp_path / "first.yaml").rename(tmp_path / "renamed.yaml")
    assert main(["new", "first", "--lessons", str(tmp_path)]) == 1
    assert "already used by" in capsys.readouterr().err
    assert not (tmp_path / "first.yaml").exists()


@pytest.mark.parametrize(
    ("bad_id", "hint"),
    [
        ("LA Gangs", "(e.g. 'la-gangs')"),
        ("_under-first", "starting with a letter or digit"),
        ("x" * 81, "longer than 80"),
        ("", "empty"),
    ],
)
def test_new_rejects_invalid_ids_clearly(
    bad_id: str, hint: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", bad_id, "--lessons", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("quizapp new: ")
    assert hint in err
    assert list(tmp_path.iterdir()) == []


def test_new_rejects_a_multi_line_title(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "ok", "--lessons", str(tmp_path), "--title", "two\nlines"]) == 2
    assert "one line" in capsys.readouterr().err


def test_new_writes_into_the_lessons_folder_of_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("QUIZAPP_LESSONS", raising=False)
    monkeypatch.chdir(tmp_path)
    assert main(["new", "here"]) == 0
    assert (tmp_path / "lessons" / "here.yaml").is_file()
    monkeypatch.setenv("QUIZAPP_LESSONS", str(tmp_path / "elsewhere"))
    assert main(["new", "there"]) == 0
    assert (tmp_path / "elsewhere" / "there.yaml").is_file()


TITLES = st.text(
    alphabet=st.characters(
        codec="utf-8",
        exclude_categories=("Cc", "Cs", "Zl", "Zp"),
        # YAML forbids the first two; bidi overrides are refused (quizapp.text)
        exclude_characters="\ufffe\uffff" + "".join(BIDI_CONTROLS),
    ),
    min_size=1,
).filter(lambda t: t.strip())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TITLES)
def test_any_one_line_title_survives_yaml(title: str) -> None:
    lesson, errors = load_file_from_text(lesson_from_template("t", title))
    assert errors == []
    assert lesson is not None and lesson.title == title.strip()
