"""Exam mode as a student meets it, by keyboard (issue 16): answers out of order with flags,
a crash and a resume, a time limit that runs out on a fake clock, an attempt limit reached.

The lesson is the in-order minimal lesson (single, multi, true/false, text, number, order,
match) with ``feedback: deferred``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from quizapp.store import Store
from quizapp.tui.app import QuizApp, make_app
from quizapp.tui.screens.dialogs import ConfirmScreen, ResumeScreen
from quizapp.tui.screens.exam import ExamScreen
from quizapp.tui.screens.lessons import LessonListScreen
from quizapp.tui.screens.results import ResultsScreen
from quizapp.tui.widgets.question_map import QuestionMap
from tests.support.lessons import IN_ORDER
from tests.support.tui import plain, screen_text

SIZE = (100, 30)


def exam_folder(tmp_path: Path, extra: str = "") -> Path:
    folder = tmp_path / "lessons"
    folder.mkdir()
    text = IN_ORDER.replace("shuffle: false", "shuffle: false\n  feedback: deferred" + extra)
    (folder / "01-exam.yaml").write_text(text, encoding="utf-8")
    return folder


def app_for(folder: Path, db: Path) -> QuizApp:
    return make_app(lessons_dir=folder, db_path=db, student="Ana")


def map_of(app: QuizApp) -> str:
    return plain(app.screen.query_one(QuestionMap))


async def test_out_of_order_with_flags_then_submit(tmp_path: Path) -> None:
    app = app_for(exam_folder(tmp_path), tmp_path / "s.sqlite3")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        assert isinstance(app.screen, ExamScreen)
        await pilot.press("pagedown", "pagedown")  # skip 1 and 2
        await pilot.press("1", "enter")  # 3: True (right); moves on to 4
        await pilot.press("pageup")
        assert "Your answer (saved): True" in screen_text(app)
        await pilot.press("ctrl+f")
        assert "[3⚑]" in map_of(app) and " 1· " in map_of(app)
        assert "right" not in screen_text(app).lower()  # nothing marked before submit
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ConfirmScreen)
        assert "Not answered: questions 1, 2, 4, 5, 6, 7." in app.screen.question
        assert "Flagged for review: 3." in app.screen.question
        await pilot.press("escape")  # keep working
        assert isinstance(app.screen, ExamScreen)
        await pilot.press("ctrl+s", "y")
        assert isinstance(app.screen, ResultsScreen)
        assert "1 of 7 points" in screen_text(app)


async def test_a_crash_resumes_on_the_same_question_with_the_same_answers(
    tmp_path: Path,
) -> None:
    folder, db = exam_folder(tmp_path), tmp_path / "s.sqlite3"
    first = app_for(folder, db)
    async with first.run_test(size=SIZE) as pilot:
        await pilot.press("t", "pagedown", "1", "3", "enter")  # 2: A and C; on to 3
        await pilot.press("pageup", "ctrl+f")
        # the app dies here: no leave, no submit
    second = app_for(folder, db)
    async with second.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        assert isinstance(second.screen, ResumeScreen)
        await pilot.press("r")
        assert isinstance(second.screen, ExamScreen)
        assert "Question 2 of 7" in screen_text(second)
        assert "[2⚑]" in map_of(second)
        assert "Your answer (saved): A, C" in screen_text(second)


class FakeClock:
    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


async def test_a_timed_attempt_is_submitted_when_time_runs_out(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite3"
    app = app_for(exam_folder(tmp_path, "\n  time_limit: 10"), db)
    clock = FakeClock()
    app.clock = clock
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        assert "left" in plain(screen.query_one("#exam-timer"))  # type: ignore[arg-type]
        assert "keeps running while the app is closed" in screen_text(app) or any(
            "keeps running" in str(n.message) for n in app._notifications
        )
        await pilot.press("pagedown", "pagedown", "1", "enter")  # 3 right
        clock.now += dt.timedelta(minutes=10, seconds=1)
        screen.tick()  # what the one-second timer calls
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
    with Store.open(db) as store:
        (attempt,) = store.history(None)
    assert attempt.status == "finished" and attempt.score == 1.0


async def test_past_the_attempt_limit_the_quiz_is_closed(tmp_path: Path) -> None:
    app = app_for(exam_folder(tmp_path, "\n  attempts: 1"), tmp_path / "s.sqlite3")
    async with app.run_test(size=SIZE) as pilot:
        assert "attempt 1 of 1" in screen_text(app)
        await pilot.press("t", "ctrl+s", "y", "escape")
        assert isinstance(app.screen, LessonListScreen)
        assert "no attempts left (1 of 1 made)" in screen_text(app)
        await pilot.press("t")
        assert isinstance(app.screen, LessonListScreen)  # no quiz opened
        assert any("This quiz is closed" in str(n.message) for n in app._notifications)


@pytest.mark.parametrize("keys", [["escape"], ["n"]])
async def test_the_submit_dialog_gives_nothing_up(tmp_path: Path, keys: list[str]) -> None:
    app = app_for(exam_folder(tmp_path), tmp_path / "s.sqlite3")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "ctrl+s", *keys)
        assert isinstance(app.screen, ExamScreen)
    with Store.open(tmp_path / "s.sqlite3") as store:
        assert all(a.status == "in_progress" for a in store.history(None))


# A fourth question that a stray Enter could answer: true/false in place of the text one.
CHOICE_FOURTH = (
    "\n    - id: q-tf2\n      type: true_false\n      prompt: Water is wet.\n      answer: true"
    "\n      explanation: It is.\n      sources: [src-a]"
)


async def test_enter_twice_does_not_answer_the_next_question_unseen(tmp_path: Path) -> None:
    folder = exam_folder(tmp_path)
    path = folder / "01-exam.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\n    - id: q-text", CHOICE_FOURTH + "\n    - id: q-text"))
    app = app_for(folder, tmp_path / "s.sqlite3")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "pagedown", "pagedown", "1", "enter", "enter")
        assert "Question 4 of 8" in screen_text(app)
        assert " 3✓ " in map_of(app) and "[4·]" in map_of(app)
        assert "Not answered yet." in screen_text(app)
        assert any("Choose with the arrows or 1-9" in str(n.message) for n in app._notifications)
        await pilot.press("down", "enter")  # a choice made: answered, on to 5
        assert "[5·]" in map_of(app) and " 4✓ " in map_of(app)


async def test_an_expired_timed_attempt_is_submitted_not_offered(tmp_path: Path) -> None:
    folder, db = exam_folder(tmp_path, "\n  time_limit: 10"), tmp_path / "s.sqlite3"
    clock = FakeClock()
    first = app_for(folder, db)
    first.clock = clock
    async with first.run_test(size=SIZE) as pilot:
        await pilot.press("t", "pagedown", "pagedown", "1", "enter")  # 3 right
        # the app dies here, with 10 minutes on the clock
    clock.now += dt.timedelta(minutes=25)
    second = app_for(folder, db)
    second.clock = clock
    async with second.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        assert isinstance(second.screen, ResultsScreen)  # never "Resume?"
        assert "1 of 7 points" in screen_text(second)
        assert any(
            "Time ran out while you were away" in str(n.message) for n in second._notifications
        )
    with Store.open(db) as store:
        (attempt,) = store.history(None)
    assert attempt.status == "finished" and attempt.score == 1.0


async def test_the_map_jumps_to_a_typed_number(tmp_path: Path) -> None:
    app = app_for(exam_folder(tmp_path), tmp_path / "s.sqlite3")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "ctrl+g")
        assert "Go to question" in map_of(app)
        await pilot.press("5")  # seven questions: one digit is enough
        assert "Question 5 of 7" in screen_text(app) and "[5·]" in map_of(app)
        assert "Go to question" not in map_of(app)  # the keyboard is back on the question
        await pilot.press("ctrl+g", "9")
        assert "Question 5 of 7" in screen_text(app)
        assert any("There is no question 9" in str(n.message) for n in app._notifications)
        await pilot.press("escape")  # off the map, not out of the exam
        assert isinstance(app.screen, ExamScreen)
        await pilot.press("ctrl+g", "2")
        assert "Question 2 of 7" in screen_text(app)


async def test_practice_enter_answer_next_then_enter_answers_nothing_unseen(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "lessons"
    folder.mkdir()
    text = IN_ORDER.replace("\n    - id: q-text", CHOICE_FOURTH + "\n    - id: q-text")
    (folder / "01-practice.yaml").write_text(text, encoding="utf-8")
    app = app_for(folder, tmp_path / "s.sqlite3")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "1", "enter", "enter")  # 1 answered, on to 2 (multi)
        await pilot.press("1", "enter", "enter")  # 2 answered, on to 3
        await pilot.press("1", "enter", "enter", "enter")  # 3: answer, next, and a stray Enter
        assert "Question 4 of 8" in screen_text(app)
        assert "no answers yet" not in screen_text(app)
        with Store.open(tmp_path / "s.sqlite3") as store:
            (attempt,) = store.history(None)
            assert [a.question_id for a in store.answers(attempt.id)] == [
                "q-single",
                "q-multi",
                "q-tf",
            ]
