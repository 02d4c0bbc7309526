"""Time-sensitive facts carry `as_of` and `review_by`; `validate` says when a check is due."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.lessons.loader import load_file
from tests.support.lessons import MINIMAL, line_of

WriteLesson = Callable[..., Path]

PAST = (dt.date.today() - dt.timedelta(days=1)).isoformat()
FUTURE = (dt.date.today() + dt.timedelta(days=365)).isoformat()


def dated_card(as_of: str, review_by: str) -> str:
    """The minimal lesson with review dates on its first card."""
    return MINIMAL.replace(
        "  - title: First card\n",
        f"  - title: First card\n    as_of: {as_of}\n    review_by: {review_by}\n",
        1,
    )


def test_a_passed_review_date_is_a_warning_naming_the_card(
    write_lesson: WriteLesson, capsys: pytest.CaptureFixture[str]
) -> None:
    text = dated_card("2020-01-01", PAST)
    path = write_lesson(text)
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    line = line_of(text, "review_by:")
    assert out[0].startswith(f"{path}:{line}:")
    assert "warning: " in out[0]
    assert "card 1 (First card)" in out[0]
    assert f"review date {PAST} has passed" in out[0]
    assert out[-1] == "1 lesson, 7 questions, 0 problems, 1 warning"


def test_strict_fails_on_a_passed_review_date(
    write_lesson: WriteLesson, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_lesson(dated_card("2020-01-01", PAST))
    assert main(["validate", "--strict", str(path)]) == 1
    out = capsys.readouterr().out
    assert "warning:" not in out
    assert "has passed" in out


def test_a_review_date_to_come_says_nothing(
    write_lesson: WriteLesson, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_lesson(dated_card("2020-01-01", FUTURE))
    assert main(["validate", "--strict", str(path)]) in (0, 1)  # minimal is not finished
    assert "review date" not in capsys.readouterr().out


def test_a_question_due_for_review_is_named_by_id(write_lesson: WriteLesson) -> None:
    text = MINIMAL.replace("      type: single\n", f"      type: single\n      review_by: {PAST}\n")
    assert text != MINIMAL
    _, problems = load_file(write_lesson(text), today=dt.date.today())
    [problem] = problems
    assert problem.warning
    assert "question 'q-single'" in problem.message


def test_json_output_marks_warnings(
    write_lesson: WriteLesson, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_lesson(dated_card("2020-01-01", PAST))
    assert main(["validate", "--format", "json", str(path)]) == 0
    [problem] = json.loads(capsys.readouterr().out)["problems"]
    assert problem["severity"] == "warning"


@pytest.mark.parametrize(
    ("as_of", "review_by", "message"),
    [
        ("2026-05-01", "2026-04-01", "is before as_of"),
        ("2026-02-30", "2027-01-01", "not a real date"),
        ("2026-05", "2027-01-01", "write YYYY-MM-DD"),
    ],
)
def test_bad_review_dates_are_errors(
    write_lesson: WriteLesson,
    capsys: pytest.CaptureFixture[str],
    as_of: str,
    review_by: str,
    message: str,
) -> None:
    path = write_lesson(dated_card(as_of, review_by))
    assert main(["validate", str(path)]) == 1
    assert message in capsys.readouterr().out


def test_review_dates_do_not_change_content_hashes(write_lesson: WriteLesson) -> None:
    """Checking a fact again must not make stored answers look like answers to another
    version of the question (the app drops those on resume)."""
    plain, _ = load_file(write_lesson(MINIMAL, "a.yaml"))
    text = dated_card("2020-01-01", FUTURE).replace(
        "      type: single\n",
        f"      type: single\n      as_of: 2020-01-01\n      review_by: {FUTURE}\n",
    )
    dated, _ = load_file(write_lesson(text, "b.yaml"))
    assert plain is not None and dated is not None
    assert dated.quiz.questions[0].review_by == FUTURE
    assert dated.cards[0].as_of == "2020-01-01"
    assert dated.content_hash() == plain.content_hash()
    assert [q.content_hash() for q in dated.quiz.questions] == [
        q.content_hash() for q in plain.quiz.questions
    ]
