"""Every view survives the worst row (issue 12): a class database holding rows no quizapp
writes (from an old merge, or an edited file) is shown with those rows marked damaged, and
nothing a row holds reaches the terminal or a spreadsheet as a control character or a
formula."""

# SQLite-only: these databases are damaged as only a SQLite file can be (a blob where text
# belongs, a time that is not a time); PostgreSQL's typed columns refuse such values.

from __future__ import annotations

import csv
import io
import json
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.widgets import DataTable

from quizapp.cli import main
from quizapp.lessons.loader import load_file
from quizapp.tui.app import make_app
from quizapp.tui.screens.instructor import InstructorScreen
from tests.support.hostile import (
    damaged_class_database,
    execute,
    has_control_bytes,
    lessons_folder,
    student_file,
)
from tests.support.tui import render_plain, screen_text


@pytest.fixture
def course(tmp_path: Path) -> tuple[Path, Path]:
    """The lessons folder and the damaged database, its answers to the lesson's current
    questions (so the report's statistics read them)."""
    lessons = lessons_folder(tmp_path / "lessons")
    db = damaged_class_database(tmp_path / "c.sqlite3")
    lesson, _ = load_file(lessons / "l1.yaml")
    assert lesson is not None
    execute(
        db,
        *(
            f"UPDATE answers SET question_hash = '{q.content_hash()}' WHERE question_id = '{q.id}'"
            for q in lesson.quiz.questions
        ),
    )
    return lessons, db


def run(course: tuple[Path, Path], capfd: pytest.CaptureFixture[str], *command: str) -> str:
    lessons, db = course
    code = main(["--lessons", str(lessons), *command, "--db", str(db)])
    out, err = capfd.readouterr()
    assert code == 0, err
    assert "Traceback" not in out + err
    assert not has_control_bytes(out) and not has_control_bytes(err)
    return out


def test_scores_marks_damaged_attempts(
    course: tuple[Path, Path], capfd: pytest.CaptureFixture[str]
) -> None:
    table = run(course, capfd, "scores")
    assert table.count("(damaged)") == 2 and "damaged " in table  # the unreadable start
    assert "Eve]0;pwned" in table


def test_exports_mark_damaged_cells_and_escape_formulas(
    course: tuple[Path, Path], capfd: pytest.CaptureFixture[str]
) -> None:
    answers = list(csv.DictReader(io.StringIO(run(course, capfd, "export", "answers")[1:])))
    assert len(answers) == 9
    assert {"damaged"} <= {row["attempt_started_utc"] for row in answers}
    assert any(row["response"] == "damaged: {bad" for row in answers)
    assert any(row["answered_utc"] == "damaged" and row["seconds"] == "" for row in answers)
    assert any(row["question"] == "'=cmd|' /C calc'!A0" for row in answers)
    assert any(row["lesson"] == '\'=HYPERLINK("http://evil")' for row in answers)
    for row in answers:
        assert not any(cell.lstrip()[:1] in "=+-@" and cell for cell in row.values())
    gradebook = run(course, capfd, "export", "gradebook")
    assert "'=HYPERLINK" in gradebook


@pytest.mark.parametrize("form", ["table", "csv", "json"])
def test_the_report_reads_past_damaged_answers(
    form: str, course: tuple[Path, Path], capfd: pytest.CaptureFixture[str]
) -> None:
    report = run(course, capfd, "report", "--format", form)
    assert "q1" in report and "too few answers" not in report.split("q1")[1][:40]


async def test_history_shows_damaged_attempts(course: tuple[Path, Path]) -> None:
    lessons, db = course
    app = make_app(lessons_dir=lessons, db_path=db, student="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("h", "a")  # every lesson's attempts
        await pilot.pause()
        assert app.screen.query_one(DataTable).row_count == 2
        text = screen_text(app)
        assert "damaged" in text
        assert not has_control_bytes(text)


async def test_the_class_view_shows_every_student_cleanly(course: tuple[Path, Path]) -> None:
    lessons, db = course
    app = make_app(lessons_dir=lessons, db_path=db, instructor=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, InstructorScreen) and app.screen.loaded
        table = app.screen.query_one("#gradebook", DataTable)
        names = [render_plain(table.get_row_at(i)[0]).strip() for i in range(table.row_count)]
        assert sorted(names) == ["Ana", "Eve]0;pwned"]
        assert not has_control_bytes(screen_text(app))


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.text(min_size=1), lesson=st.text(), question=st.text(), response=st.text())
def test_no_text_in_a_database_reaches_any_output_as_a_control_character(
    name: str, lesson: str, question: str, response: str, capfd: pytest.CaptureFixture[str]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        lessons = lessons_folder(Path(tmp) / "lessons")
        db = student_file(Path(tmp) / "c.sqlite3", attempts=1)
        conn = sqlite3.connect(db)
        conn.execute("UPDATE students SET name = ?", (name,))
        conn.execute(
            "UPDATE attempts SET lesson_id = ?, question_ids = ?", (lesson, json.dumps([question]))
        )
        conn.execute(
            "UPDATE answers SET question_id = ?, response = ? WHERE id = 1",
            (question, json.dumps(response)),
        )
        conn.execute("UPDATE answers SET response = ? WHERE id = 2", (response,))
        conn.commit()
        conn.close()
        for command in (
            ["scores"], ["export", "answers"], ["export", "gradebook"], ["report"],
            ["report", "--format", "csv"], ["report", "--format", "json"],
        ):  # fmt: skip
            run((lessons, db), capfd, *command)


def test_stored_answers_come_back_clean_or_as_no_answer(tmp_path: Path) -> None:
    from quizapp.store import Store

    db = student_file(tmp_path / "c.sqlite3", attempts=1)
    execute(
        db,
        """UPDATE answers SET response = '"\\u001b]0;pwned\\u0007ok"' WHERE id = 1""",
        "UPDATE answers SET response = '{not json' WHERE id = 2",
    )
    with Store.open(db) as store:
        (attempt,) = store.history(None)
        responses = [a.response for a in store.answers(attempt.id)]
    assert responses == ["]0;pwnedok", None, "answer 0-2"]
