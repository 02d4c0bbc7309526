"""Hints (issue 16, item 6): an optional ``hint`` per question, revealed with ``h`` before
answering, stored the moment it is shown, costing ``quiz.hint_penalty`` of the credit, kept
by a regrade, counted in the report and the answers export, and carried by a merge.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.grading import grade, with_hint
from quizapp.lessons.loader import load_file
from quizapp.lessons.model import Lesson
from quizapp.session import QuizSession
from quizapp.store import Store
from quizapp.tui.app import QuizApp, make_app
from quizapp.tui.screens.dialogs import ResumeScreen
from quizapp.tui.screens.exam import ExamScreen
from quizapp.tui.screens.quiz import QuizScreen
from quizapp.tui.screens.results import ResultsScreen
from tests.support.lessons import IN_ORDER, MINIMAL
from tests.support.tui import screen_text

SIZE = (100, 30)
# Markup: shown as written, never as markup.
HINT = "Think [bold]west[/bold] coast"
SHOWN = "Hint: Think [bold]west[/bold] coast"
WITH_HINT = IN_ORDER.replace(
    "      answer: Los Angeles\n",
    f"      answer: Los Angeles\n      hint: {json.dumps(HINT)}\n",
).replace("shuffle: false", "shuffle: false\n  hint_penalty: 0.25")


def folder_with(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "01-hints.yaml").write_text(text, encoding="utf-8")
    return folder


def load(tmp_path: Path, text: str) -> Lesson:
    path = tmp_path / "lesson.yaml"
    path.write_text(text, encoding="utf-8")
    lesson, errors = load_file(path)
    assert lesson is not None, [str(e) for e in errors]
    return lesson


def app_for(folder: Path, db: Path) -> QuizApp:
    return make_app(lessons_dir=folder, db_path=db, student="Ana")


# ---------------------------------------------------------------------- the lesson format


def test_a_hint_changes_only_its_own_question_hash(tmp_path: Path) -> None:
    plain, hinted = load(tmp_path, IN_ORDER), load(tmp_path, WITH_HINT)
    before = [q.content_hash() for q in plain.quiz.questions]
    after = [q.content_hash() for q in hinted.quiz.questions]
    assert before[0] != after[0]  # the hinted question is another version
    assert before[1:] == after[1:]  # the others keep their stored hashes
    assert hinted.quiz.hint_penalty == 0.25 and hinted.quiz.questions[0].hint == HINT
    assert plain.quiz.hint_penalty == 0  # the default: a hint costs nothing


def test_hint_penalty_is_a_setting_not_content(tmp_path: Path) -> None:
    one = load(tmp_path, MINIMAL.replace("shuffle: true", "shuffle: true\n  hint_penalty: 0.5"))
    assert one.content_hash() == load(tmp_path, MINIMAL).content_hash()


@pytest.mark.parametrize(
    ("value", "message"),
    [("1.5", "less than or equal to 1"), ("-0.25", "greater than or equal to 0"),
     ('"25%"', "must be a number")],
)  # fmt: skip
def test_a_bad_hint_penalty_is_reported_at_its_line(
    tmp_path: Path, value: str, message: str
) -> None:
    path = tmp_path / "lesson.yaml"
    path.write_text(MINIMAL.replace("shuffle: true", f"shuffle: true\n  hint_penalty: {value}"))
    lesson, errors = load_file(path)
    assert lesson is None
    (error,) = errors
    line = MINIMAL.splitlines().index("  shuffle: true") + 2
    assert (error.line, error.col) == (line, 17)
    assert message in str(error) and "hint_penalty" in str(error)


def test_with_hint_takes_the_share_of_the_credit() -> None:
    lesson = load_file_text(WITH_HINT)
    question = lesson.quiz.questions[0]
    right = with_hint(grade(question, "Los Angeles"), 0.25)
    assert (right.score, right.correct) == (0.75, True)
    assert "hint used: -25%" in right.feedback
    assert with_hint(grade(question, "No"), 0.25).score == 0.0


def load_file_text(text: str) -> Lesson:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        return load(Path(folder), text)


# ---------------------------------------------------------------------- practice, by keyboard


async def test_reveal_answer_and_resume_after_a_crash(tmp_path: Path) -> None:
    folder, db = folder_with(tmp_path, WITH_HINT), tmp_path / "s.sqlite3"
    first = app_for(folder, db)
    async with first.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        assert isinstance(first.screen, QuizScreen)
        assert "h hint" in screen_text(first)
        await pilot.press("h")
        assert SHOWN in screen_text(first)  # literally, never as markup
        assert "h hint" not in screen_text(first)  # shown once; nothing more to reveal
        # the app dies here, before any answer
    with Store.open(db) as store:
        (attempt,) = store.history(None)
        assert store.hints_shown(attempt.id) == {"q-single"}  # stored when revealed
    second = app_for(folder, db)
    async with second.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        if isinstance(second.screen, ResumeScreen):
            await pilot.press("r")
        assert isinstance(second.screen, QuizScreen)
        assert SHOWN in screen_text(second)  # still used after the crash
        await pilot.press("1", "enter")  # right, after the hint
        text = " ".join(screen_text(second).split())
        assert "✔ Right!" in text and "hint used: -25%" in text
        assert "score 0.75 of 1" in text
        await pilot.press("enter")  # q-multi: no hint, no key
        assert "h hint" not in screen_text(second)
    with Store.open(db) as store:
        (attempt,) = store.history(None)
        (answer,) = store.answers(attempt.id)
    assert (answer.question_id, answer.score, answer.hinted) == ("q-single", 0.75, True)


# ---------------------------------------------------------------------- exam mode


async def test_exam_hint_stays_when_going_back_and_costs_on_submit(tmp_path: Path) -> None:
    text = WITH_HINT.replace("shuffle: false", "shuffle: false\n  feedback: deferred")
    folder, db = folder_with(tmp_path, text), tmp_path / "s.sqlite3"
    app = app_for(folder, db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        assert isinstance(app.screen, ExamScreen)
        await pilot.press("h")
        assert SHOWN in screen_text(app)
        await pilot.press("1", "enter")  # answered; on to question 2
        assert SHOWN not in screen_text(app)
        await pilot.press("pageup")
        assert SHOWN in screen_text(app)  # going back, it is still there
        assert "h hint" not in screen_text(app)
        await pilot.press("ctrl+s", "y")
        assert isinstance(app.screen, ResultsScreen)
        assert "(hint used: -25%)" in screen_text(app)
    with Store.open(db) as store:
        (attempt,) = store.history(None)
        answers = store.answers(attempt.id)
    assert [(a.question_id, a.score, a.hinted) for a in answers] == [("q-single", 0.75, True)]
    assert attempt.score == 0.75


# ---------------------------------------------------------------------- report, export, merge


def hinted_class(db: Path, lesson: Lesson) -> None:
    """Three students: two revealed the first question's hint, all answered it right."""
    with Store.open(db) as store:
        for name, hinted in (("Ana", True), ("Ben", True), ("Cy", False)):
            session = QuizSession.start(store, store.student(name), lesson, seed=1)
            while session.current is not None:
                question = session.current
                if hinted and question.hint:
                    session.reveal_hint(question)
                session.answer("Los Angeles" if question.id == "q-single" else None, 2.0)
            session.finish()


def test_report_and_export_count_the_hints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, db = folder_with(tmp_path, WITH_HINT), tmp_path / "class.sqlite3"
    hinted_class(db, load(tmp_path, WITH_HINT))
    args = ["report", "--lessons", str(folder), "--db", str(db)]
    assert main(args) == 0
    table = capsys.readouterr().out
    header = next(line for line in table.splitlines() if line.lstrip().startswith("#"))
    row = next(line for line in table.splitlines() if "q-single" in line)
    assert "hints" in header
    assert row[header.index("hints") : header.index("hints") + 5].strip() == "2"
    assert main([*args, "--format", "csv"]) == 0
    rows = {r["question_id"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert (rows["q-single"]["hinted"], rows["q-multi"]["hinted"]) == ("2", "0")
    assert main([*args, "--format", "json"]) == 0
    (lesson,) = json.loads(capsys.readouterr().out)["lessons"]
    assert [q["hinted"] for q in lesson["questions"]][:2] == [2, 0]
    out = tmp_path / "answers.csv"
    assert main(["export", "answers", "--db", str(db), "--out", str(out)]) == 0
    exported = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    firsts = sorted((r["student"], r["hinted"], r["score"]) for r in exported
                    if r["question"] == "q-single")  # fmt: skip
    assert firsts == [("Ana", "1", "0.75"), ("Ben", "1", "0.75"), ("Cy", "0", "1.0")]


def test_merge_carries_hinted_and_an_older_file_reads_as_unhinted(
    tmp_path: Path, db: Path | str
) -> None:
    lesson = load(tmp_path, WITH_HINT)
    source = tmp_path / "laptop.sqlite3"
    hinted_class(source, lesson)
    older = tmp_path / "older.sqlite3"
    with Store.open(older) as store:
        session = QuizSession.start(store, store.student("Dee"), lesson, seed=1)
        session.answer("Los Angeles", 1.0)
    conn = sqlite3.connect(older)  # as a file from before hints: no `hinted` column
    conn.execute("ALTER TABLE answers DROP COLUMN hinted")
    conn.execute("DROP TABLE hints_shown")
    conn.execute("PRAGMA user_version = 7")
    conn.commit()
    conn.close()
    with Store.open(db) as gradebook:
        assert gradebook.merge_from(source).answers_added == 21
        assert gradebook.merge_from(older).answers_added == 1
        hinted = {
            (gradebook_name(gradebook, a.student_id), answer.question_id)
            for a in gradebook.history(None)
            for answer in gradebook.answers(a.id)
            if answer.hinted
        }
    assert hinted == {("Ana", "q-single"), ("Ben", "q-single")}


def gradebook_name(store: Store, student_id: int) -> str:
    return next(s.name for s in store.students() if s.id == student_id)


def test_merge_refuses_a_hinted_value_that_is_not_0_or_1(tmp_path: Path) -> None:
    source = tmp_path / "laptop.sqlite3"
    hinted_class(source, load(tmp_path, WITH_HINT))
    conn = sqlite3.connect(source)
    # a hand-made file whose column has no CHECK: the merge's own check refuses the row
    conn.execute("ALTER TABLE answers DROP COLUMN hinted")
    conn.execute("ALTER TABLE answers ADD COLUMN hinted INTEGER")
    conn.execute("UPDATE answers SET hinted = 7 WHERE id = 1")
    conn.commit()
    conn.close()
    with Store.open(tmp_path / "class.sqlite3") as gradebook:
        report = gradebook.merge_from(source)
    assert report.refused == 1 and "hinted is not 0 or 1" in " ".join(report.reasons)


def test_a_regrade_keeps_the_hint_penalty(tmp_path: Path) -> None:
    from quizapp.regrade import plan
    from quizapp.store import StoredAnswer

    fixed = load(tmp_path, WITH_HINT)
    wrong_key = load(
        tmp_path, WITH_HINT.replace("      answer: Los Angeles\n", "      answer: No\n")
    )
    old_hash = wrong_key.quiz.questions[0].content_hash()
    rows = [
        StoredAnswer(1, 1, "Ana", "q-single", old_hash, "Los Angeles", 0.0, True),
        StoredAnswer(2, 2, "Ben", "q-single", old_hash, "Los Angeles", 0.0, False),
    ]
    changes = {c.student: c.new_score for c in plan(fixed, rows).changes}
    assert changes == {"Ana": 0.75, "Ben": 1.0}
