"""The student's app, driven by keyboard through Textual's pilot, as a student would use it.

Every test builds the app with the same factory as the CLI, on a temp lessons folder and a
temp database. The test lesson does not shuffle its questions, so each test knows which
question comes next; order and match questions still scramble what they show, so tests
read the widget's order before pressing keys.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input, OptionList, Static

from quizapp.session import QuizSession
from quizapp.store import Store
from quizapp.tui.app import QuizApp, make_app
from quizapp.tui.screens.cards import CardsScreen
from quizapp.tui.screens.dialogs import ConfirmScreen, HelpScreen, ResumeScreen
from quizapp.tui.screens.lessons import LessonListScreen
from quizapp.tui.screens.quiz import QuizScreen
from quizapp.tui.screens.results import ResultsScreen
from quizapp.tui.screens.student import StudentScreen
from quizapp.tui.widgets.questions import ListQuestionView
from tests.support.lessons import IN_ORDER, MINIMAL
from tests.support.tui import answer_right, on_question, plain, screen_text

SIZE = (100, 30)


@pytest.fixture
def lessons_dir(quiz_lessons: Path) -> Path:
    return quiz_lessons


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "scores.sqlite3"


def app_for(lessons_dir: Path, db_path: Path, student: str | None = "Ana") -> QuizApp:
    return make_app(lessons_dir=lessons_dir, db_path=db_path, student=student)


def text_of(app: QuizApp, selector: str) -> str:
    return plain(app.screen.query_one(selector, Static))


async def test_first_run_asks_the_name_and_shows_it_literally(
    lessons_dir: Path, db_path: Path
) -> None:
    app = app_for(lessons_dir, db_path, student=None)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, StudentScreen)
        assert not app.screen.query_one("#known").display  # nobody known on a new machine
        await pilot.press(*"[bold]Zoë[/] O'Brien; DROP TABLE")
        await pilot.press("enter")
        assert isinstance(app.screen, LessonListScreen)
        greeting = text_of(app, "#greeting")
        assert "Hello, [bold]Zoë[/] O'Brien; DROP TABLE." in greeting
    # The next run offers the known student, exactly as typed.
    again = app_for(lessons_dir, db_path, student=None)
    async with again.run_test(size=SIZE) as pilot:
        known = again.screen.query_one("#known", OptionList)
        assert known.display
        await pilot.press("down", "enter")
        assert isinstance(again.screen, LessonListScreen)
        assert again.student is not None
        assert again.student.name == "[bold]Zoë[/] O'Brien; DROP TABLE"


async def test_read_a_lesson_to_the_end_and_resume_reading(
    lessons_dir: Path, db_path: Path
) -> None:
    app = app_for(lessons_dir, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, CardsScreen)
        assert text_of(app, "#card-count") == "card 1 of 2"
        await pilot.press("n")
        assert text_of(app, "#card-count") == "card 2 of 2"
        assert "Last card" in text_of(app, "#card-hint")
        await pilot.press("p", "right")
        assert text_of(app, "#card-count") == "card 2 of 2"
        await pilot.press("g")
        assert "TPS: Temporary protected status." in text_of(app, "#dialog-body")
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, LessonListScreen)
    again = app_for(lessons_dir, db_path)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        assert text_of(again, "#card-count") == "card 2 of 2"


async def test_every_question_type_right_by_keyboard(lessons_dir: Path, db_path: Path) -> None:
    app = app_for(lessons_dir, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        for number in range(1, 8):
            assert text_of(app, "#quiz-count") == f"Question {number} of 7"
            await answer_right(pilot, app)
            assert "✔ Right!" in plain(screen.query_one("#feedback", Static))
            assert screen.last_grade is not None and screen.last_grade.correct
            await pilot.press("enter")
        assert isinstance(app.screen, ResultsScreen)
        assert "7 of 7 points — 100%" in text_of(app, "#result-score")
        assert "Passed" in text_of(app, "#result-score")


async def test_wrong_answer_shows_the_right_one_explanation_and_review(
    lessons_dir: Path, db_path: Path
) -> None:
    app = app_for(lessons_dir, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        view = screen.view
        assert view is not None
        await pilot.press(str(view.order.index("San Salvador") + 1))
        assert screen.last_grade is None  # a number chooses; Enter answers
        await pilot.press("enter")
        feedback = plain(screen.query_one("#feedback", Static))
        assert "✘ Not right." in feedback
        assert "The answer: Los Angeles" in feedback
        assert "It spread there later." in feedback  # the choice's own feedback
        assert "It formed in Los Angeles." in feedback  # the explanation
        assert "Test Publisher" in feedback  # the source
        assert "review card 1" in feedback
        await pilot.press("r")
        review = app.screen
        assert isinstance(review, CardsScreen) and review.review
        await pilot.press("escape")
        assert app.screen is screen
        assert text_of(app, "#quiz-score") == "score 0 of 1"


async def test_leave_mid_quiz_then_resume_in_a_new_app(lessons_dir: Path, db_path: Path) -> None:
    app = app_for(lessons_dir, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await answer_right(pilot, app)
        await pilot.press("enter")
        await answer_right(pilot, app)
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # stay
        assert isinstance(app.screen, QuizScreen)
        await pilot.press("escape", "y")
        assert isinstance(app.screen, LessonListScreen)
    again = app_for(lessons_dir, db_path)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        assert isinstance(again.screen, ResumeScreen)
        assert "2 of 7 answered" in again.screen.text
        await pilot.press("r")
        screen = again.screen
        assert isinstance(screen, QuizScreen)
        assert text_of(again, "#quiz-count") == "Question 3 of 7"
        assert text_of(again, "#quiz-score") == "score 2 of 2"


async def test_results_retry_missed_asks_only_those(lessons_dir: Path, db_path: Path) -> None:
    app = app_for(lessons_dir, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        for number in range(7):
            if number == 2:  # the true/false question, answered wrong
                await pilot.press("2", "enter")
            else:
                await answer_right(pilot, app)
            await pilot.press("enter")
        results = app.screen
        assert isinstance(results, ResultsScreen)
        assert "6 of 7 points — 86%" in text_of(app, "#result-score")
        assert results.query_one(DataTable).row_count == 7
        await pilot.press("m")
        retry = app.screen
        assert isinstance(retry, QuizScreen)
        assert [q.id for q in retry.session.questions] == ["q-tf"]


async def test_broken_lesson_file_is_listed_and_the_rest_works(
    lessons_dir: Path, db_path: Path
) -> None:
    (lessons_dir / "02-broken.yaml").write_text("id: broken\ntitle: [unclosed\n")
    app = app_for(lessons_dir, db_path)
    async with app.run_test(size=SIZE) as pilot:
        problems = plain(app.screen.query_one("#problem-list", Static))
        assert "02-broken.yaml:3: invalid YAML" in problems
        assert app.screen.query_one("#lessons", OptionList).option_count == 1
        await pilot.press("enter")
        assert isinstance(app.screen, CardsScreen)


async def test_help_lists_the_keys_of_the_screen(lessons_dir: Path, db_path: Path) -> None:
    app = app_for(lessons_dir, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        body = text_of(app, "#dialog-body")
        for description in ("Take quiz", "History", "Switch student", "Quit"):
            assert description in body
        await pilot.press("escape")
        assert isinstance(app.screen, LessonListScreen)


async def test_typed_answer_needs_text(lessons_dir: Path, db_path: Path) -> None:
    app = app_for(lessons_dir, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        for _ in range(3):
            await answer_right(pilot, app)
            await pilot.press("enter")
        assert screen.session.current is not None and screen.session.current.type == "text"
        await pilot.press("enter")  # nothing typed: nothing graded
        assert screen.last_grade is None
        await pilot.press(*"ARBENZ", "enter")  # case and accents do not matter
        assert screen.last_grade is not None and screen.last_grade.correct
        assert isinstance(screen.query_one(Input), Input)


async def test_history_shows_attempts(lessons_dir: Path, db_path: Path) -> None:
    with Store.open(db_path) as store:
        student = store.student("Ana")
        from quizapp.lessons.loader import load_file

        lesson, _ = load_file(lessons_dir / "01-test.yaml")
        assert lesson is not None
        for right in (2, 7):
            session = QuizSession.start(store, student, lesson, seed=1)
            for index in range(7):
                question = session.current
                assert question is not None
                session.answer("wrong" if index >= right else None, 1.0)
            session.finish()
    app = app_for(lessons_dir, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("h")
        assert app.screen.query_one(DataTable).row_count == 2
        assert "2 finished attempts" in text_of(app, "#history-chart-label")


async def test_unusable_database_still_lets_the_student_work(
    lessons_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "not-a-file"
    folder.mkdir()
    app = app_for(lessons_dir, folder)  # a folder where the database file should be
    async with app.run_test(size=SIZE) as pilot:
        assert any(n.title == "Scores unavailable" for n in app._notifications)
        await pilot.press("t")
        assert isinstance(app.screen, QuizScreen)
        await answer_right(pilot, app)
        assert text_of(app, "#quiz-score") == "score 1 of 1"
    assert list(folder.iterdir()) == []  # nothing written where the database was expected


async def test_long_lesson_list_fills_completely(tmp_path: Path, db_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(60):
        text = MINIMAL.replace("id: test-lesson", f"id: lesson-{number:02d}")
        (folder / f"{number:02d}.yaml").write_text(text, encoding="utf-8")
    app = app_for(folder, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        options = app.screen.query_one("#lessons", OptionList)
        assert options.option_count == 60
        # Drawn a screenful first, the rest after: numbered on without a gap.
        numbers = [str(options.get_option_at_index(i).prompt).split(".")[0] for i in range(60)]
        assert numbers == [str(n) for n in range(1, 61)]
        await pilot.press("end", "enter")
        assert isinstance(app.screen, CardsScreen)
        assert app.screen.lesson.id == "lesson-59"


async def test_command_palette_opens_a_lesson(lessons_dir: Path, db_path: Path) -> None:
    app = app_for(lessons_dir, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"open lesson test")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CardsScreen)
        assert app.screen.lesson.id == "test-lesson"


@pytest.mark.parametrize("theme", ["textual-light", "quizapp-high-contrast", "ansi-dark"])
async def test_themes_render_every_main_screen(
    lessons_dir: Path, db_path: Path, theme: str
) -> None:
    app = app_for(lessons_dir, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = theme
        await pilot.pause()
        assert "A test lesson" in screen_text(app)
        await pilot.press("enter")
        assert "card 1 of 2" in screen_text(app)
        await pilot.press("t")
        assert "Question 1 of 7" in screen_text(app)


async def answer_wrong(pilot: Any, app: QuizApp) -> None:
    """Answer the current question wrong (or only partly right), by keyboard only."""
    question, view = on_question(app)
    match question.type:
        case "single":
            wrong = next(t for t in view.order if t != question.answer)
            await pilot.press(str(view.order.index(wrong) + 1), "enter")
        case "multi":
            wrong = next(t for t in view.order if t not in question.answer)
            await pilot.press(str(view.order.index(wrong) + 1), "enter")
        case "true_false":
            await pilot.press("2" if question.answer else "1", "enter")
        case "text":
            await pilot.press(*"castillo armas", "enter")
        case "number":
            await pilot.press(*"1954", "enter")
        case "order":
            assert isinstance(view, ListQuestionView)
            # the scrambled order as shown: pick an item first (Enter alone only says how)
            await pilot.press("down", "enter")
        case "match":
            assert isinstance(view, ListQuestionView)
            right = question.pairs[view.lefts[0]]
            wrong = next(t for t in view.order if t != right)
            for _ in view.lefts:
                await pilot.press(str(view.order.index(wrong) + 1))
            await pilot.press("enter")


async def test_every_question_type_wrong_by_keyboard(lessons_dir: Path, db_path: Path) -> None:
    app = app_for(lessons_dir, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        for _ in range(7):
            await answer_wrong(pilot, app)
            grade = screen.last_grade
            assert grade is not None and not grade.correct
            feedback = " ".join(plain(screen.query_one("#feedback", Static)).split())
            assert ("✘ Not right." in feedback) or ("Partly right" in feedback)
            assert "The answer:" in feedback
            await pilot.press("enter")
        results = app.screen
        assert isinstance(results, ResultsScreen)
        assert "Not passed yet" in text_of(app, "#result-score")


async def test_number_question_refuses_words_and_keeps_the_question(
    lessons_dir: Path, db_path: Path
) -> None:
    app = app_for(lessons_dir, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        for _ in range(4):
            await answer_right(pilot, app)
            await pilot.press("enter")
        assert screen.session.current is not None and screen.session.current.type == "number"
        await pilot.press(*"in 1996", "enter")
        assert screen.last_grade is None  # refused: not graded, nothing saved
        assert len(screen.session.answered) == 4
        screen.query_one(Input).value = ""
        await pilot.press(*"1996", "enter")
        assert screen.last_grade is not None and screen.last_grade.correct


async def test_results_row_opens_the_question_in_full(lessons_dir: Path, db_path: Path) -> None:
    app = app_for(lessons_dir, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        for _ in range(7):
            await answer_wrong(pilot, app)
            await pilot.press("enter")
        assert isinstance(app.screen, ResultsScreen)
        await pilot.press("enter")  # the first row
        body = " ".join(text_of(app, "#dialog-body").split())
        assert "Where did the gang form?" in body
        assert "Right answer: Los Angeles" in body
        assert "It formed in Los Angeles." in body
        await pilot.press("escape")
        assert isinstance(app.screen, ResultsScreen)


async def test_page_keys_scroll_a_long_explanation_after_answering(
    tmp_path: Path, db_path: Path
) -> None:
    folder = tmp_path / "long"
    folder.mkdir()
    long = " ".join(["This explanation goes on for a while."] * 60)
    text = IN_ORDER.replace("explanation: It formed in Los Angeles.", f"explanation: {long}")
    (folder / "01.yaml").write_text(text, encoding="utf-8")
    app = app_for(folder, db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        body = screen.query_one("#quiz-body")
        await pilot.press("pagedown")  # before answering it is the list's key
        assert screen.last_grade is None
        await pilot.press("1", "enter")
        await pilot.pause()
        before = body.scroll_y
        await pilot.press("pagedown")
        await pilot.pause()
        assert body.scroll_y > before
        assert "PgUp/PgDn scroll" in " ".join(plain(screen.query_one("#feedback", Static)).split())
