"""Lesson text is inert (issue 12): `quizapp validate` rejects control characters and bidi
overrides at their line and column, names the character, and `--strict` warns of
look-alike letters; the loader never hands such text to the app."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.cli import main
from quizapp.lessons.loader import load_file
from quizapp.text import is_clean
from tests.support.hostile import has_control_bytes
from tests.support.lessons import MINIMAL

WriteLesson = Callable[..., Path]


def with_line(line_prefix: str, new_line: str) -> str:
    """MINIMAL with its first line starting ``line_prefix`` replaced by ``new_line``."""
    lines = MINIMAL.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(line_prefix))
    lines[at] = new_line
    return "\n".join(lines) + "\n"


def validate(path: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> tuple[int, str]:
    code = main(["validate", *flags, str(path)])
    out = capsys.readouterr().out
    assert not has_control_bytes(out)
    return code, out


def test_an_escape_in_a_title_is_named_at_its_place(
    write_lesson: WriteLesson, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_lesson(with_line("title:", 'title: "\\e]0;pwned\\a"'))
    line = with_line("title:", "@@").splitlines().index("@@") + 1
    code, out = validate(path, capsys)
    assert code == 1
    assert f"{path}:{line}:8: title: U+001B ESCAPE is not allowed in a title" in out
    assert f"{path}:{line}:8: title: U+0007 BELL is not allowed in a title" in out
    assert "0 lessons" in out
    lesson, _ = load_file(path)
    assert lesson is None  # never reaches the app


def test_the_column_is_exact_in_plain_text(
    write_lesson: WriteLesson, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_lesson(with_line("summary:", "summary: Reads one way\u202ebut shows another"))
    line = with_line("summary:", "@@").splitlines().index("@@") + 1
    code, out = validate(path, capsys)
    assert code == 1
    column = len("summary: Reads one way") + 1
    message = "summary: U+202E RIGHT-TO-LEFT OVERRIDE is not allowed in a summary"
    assert f"{path}:{line}:{column}: {message}" in out


def test_newlines_and_tabs_only_where_text_has_lines(
    write_lesson: WriteLesson, capsys: pytest.CaptureFixture[str]
) -> None:
    fine = write_lesson(with_line("summary:", 'summary: "two\\nlines\\tand a tab"'), "a.yaml")
    assert validate(fine, capsys)[0] == 0
    bad = write_lesson(with_line("title:", 'title: "two\\nlines"'), "b.yaml")
    code, out = validate(bad, capsys)
    assert code == 1 and "U+000A LINE FEED is not allowed in a title" in out


def test_strict_warns_of_look_alike_letters(
    write_lesson: WriteLesson, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_lesson(with_line("title:", "title: Guаtemala and its neighbours"))  # Cyrillic а
    code, out = validate(path, capsys)
    assert code == 0 and "look-alike" not in out
    code, out = validate(path, capsys, "--strict")
    assert code == 1
    assert "title: 'Guаtemala' mixes Latin and Cyrillic letters that look alike" in out
    code, out = validate(write_lesson(MINIMAL.replace("title:", "title: Ωmega", 1)), capsys)
    assert "look alike" not in out  # Greek beside Latin words is not a trick


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=st.text(min_size=1), body=st.text(min_size=1))
def test_no_lesson_the_loader_returns_holds_a_control_character(
    title: str, body: str, write_lesson: WriteLesson
) -> None:
    # ensure_ascii=False: JSON would write a character beyond U+FFFF as a surrogate pair of
    # escapes, which YAML refuses; control characters are still written as escapes.
    text = with_line("title:", f"title: {json.dumps(title, ensure_ascii=False)}")
    text = text.replace(
        "    body: |\n      Some *Markdown* text.",
        f"    body: {json.dumps(body, ensure_ascii=False)}",
    )
    lesson, errors = load_file(write_lesson(text))
    if title.isalnum() and body.isalnum():
        assert lesson is not None, errors  # the file itself is sound
    if lesson is not None:
        assert is_clean(lesson.title)
        assert all(
            card.body is None or is_clean(card.body, multiline=True) for card in lesson.cards
        )


def test_a_new_lesson_refuses_a_title_with_a_bidi_override() -> None:
    from quizapp.cli.instructor import lesson_from_template

    with pytest.raises(ValueError, match="bidi overrides"):
        lesson_from_template("t", "Reads\u202eotherwise")
