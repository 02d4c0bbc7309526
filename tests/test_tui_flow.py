"""The quiz flow as a student meets it, by keyboard: leaving, resuming, starting over, the last
answer, a failed save, a second window, retries, and text that looks like markup.

Each test is one thing a student saw go wrong (issue 11); the lesson is the in-order minimal
lesson (7 questions: single, multi, true/false, text, number, order, match).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.content import Content
from textual.widgets import Static

from quizapp.flow import Phase, QuizFlow
from quizapp.store import Store, StoreError
from quizapp.tui.app import QuizApp, make_app
from quizapp.tui.screens.dialogs import ConfirmScreen, ResumeScreen
from quizapp.tui.screens.history import HistoryScreen
from quizapp.tui.screens.lessons import LessonListScreen
from quizapp.tui.screens.quiz import QuizScreen
from quizapp.tui.screens.results import ResultsScreen
from tests.support.lessons import IN_ORDER
from tests.support.store import right_response
from tests.support.tui import answer_right, plain, screen_text

SIZE = (100, 30)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "scores.sqlite3"


def app_for(lessons_dir: Path, db_path: Path) -> QuizApp:
    return make_app(lessons_dir=lessons_dir, db_path=db_path, student="Ana")


def attempts(db_path: Path) -> list[Any]:
    with Store.open(db_path) as store:
        return store.history(None)


def text_of(app: QuizApp, selector: str) -> str:
    return plain(app.screen.query_one(selector, Static))


async def answer_and_leave(pilot: Any, app: QuizApp, answers: int) -> None:
    """Start the quiz, answer ``answers`` questions right, leave (confirmed)."""
    await pilot.press("t")
    for _ in range(answers):
        await answer_right(pilot, app)
        await pilot.press("enter")
    await pilot.press("escape")
    if isinstance(app.screen, ConfirmScreen):
        await pilot.press("y")
    assert isinstance(app.screen, LessonListScreen)


# ---------------------------------------------------------------------- 1: Esc on "Resume?"


async def test_escape_on_the_resume_offer_keeps_the_attempt(
    quiz_lessons: Path, db_path: Path
) -> None:
    app = app_for(quiz_lessons, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await answer_and_leave(pilot, app, 2)
        await pilot.press("t")
        assert isinstance(app.screen, ResumeScreen)
        await pilot.press("escape")  # cancel: back to the list, nothing given up
        assert isinstance(app.screen, LessonListScreen)
        [kept] = attempts(db_path)
        assert kept.status == "in_progress" and kept.answered == 2
        await pilot.press("t", "r")
        assert text_of(app, "#quiz-count") == "Question 3 of 7"


async def test_starting_over_needs_an_explicit_key_and_a_confirmation(
    quiz_lessons: Path, db_path: Path
) -> None:
    app = app_for(quiz_lessons, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await answer_and_leave(pilot, app, 2)
        await pilot.press("t", "s")
        assert isinstance(app.screen, ConfirmScreen)
        assert "2 answers" in app.screen.question
        await pilot.press("escape")  # no: the offer again, the attempt kept
        assert isinstance(app.screen, ResumeScreen)
        assert attempts(db_path)[0].status == "in_progress"
        await pilot.press("s", "y")
        assert isinstance(app.screen, QuizScreen)
        assert text_of(app, "#quiz-count") == "Question 1 of 7"
        old, new = attempts(db_path)
        assert (old.status, old.answered) == ("abandoned", 2)  # its answers stay
        assert new.status == "in_progress"


# ---------------------------------------------------------------------- 2: the last answer


async def test_escape_after_the_last_answer_keeps_the_score(
    quiz_lessons: Path, db_path: Path
) -> None:
    app = app_for(quiz_lessons, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        for number in range(7):
            await answer_right(pilot, app)
            if number < 6:
                await pilot.press("enter")
        await pilot.press("escape")  # not Enter: leave straight after the last answer
        assert isinstance(app.screen, LessonListScreen)
        [done] = attempts(db_path)
        assert done.status == "finished" and done.percent == 100.0
        assert "best 100%" in screen_text(app)


# ---------------------------------------------------------------------- 3: no answer


async def test_leaving_before_any_answer_leaves_nothing_to_resume(
    quiz_lessons: Path, db_path: Path
) -> None:
    app = app_for(quiz_lessons, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "escape")
        assert isinstance(app.screen, LessonListScreen)  # nothing to confirm
        assert attempts(db_path) == []
        await pilot.press("t")
        assert isinstance(app.screen, QuizScreen)  # no offer to resume 0 answers


async def test_an_unanswered_attempt_left_by_a_crash_is_not_offered(
    quiz_lessons: Path, db_path: Path
) -> None:
    with Store.open(db_path) as store:  # a crash right after the quiz opened
        ana = store.student("Ana")
        store.start_attempt(ana.id, "test-lesson", "hash", 1, ["q-single"])
    app = app_for(quiz_lessons, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        assert isinstance(app.screen, QuizScreen)
        assert [a.status for a in attempts(db_path)] == ["in_progress"]


# ---------------------------------------------------------------------- 4: retry of missed


async def test_a_retry_of_missed_questions_never_shows_as_passed_or_as_the_best(
    quiz_lessons: Path, db_path: Path
) -> None:
    app = app_for(quiz_lessons, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        for number in range(7):
            if number in (1, 2, 3):  # multi, true/false and text answered wrong
                await pilot.press(*(["2", "enter"] if number != 3 else ["x", "enter"]))
            else:
                await answer_right(pilot, app)
            await pilot.press("enter")
        assert isinstance(app.screen, ResultsScreen)
        assert "57%" in text_of(app, "#result-score")
        await pilot.press("m")
        for _ in range(3):
            await answer_right(pilot, app)
            await pilot.press("enter")
        assert isinstance(app.screen, ResultsScreen)
        verdict = text_of(app, "#result-score")
        assert "Passed" not in verdict and "100%" not in verdict
        assert "Lesson score 57%" in verdict and "Not passed yet" in verdict
        await pilot.press("h")
        assert isinstance(app.screen, HistoryScreen)
        chart = text_of(app, "#history-chart-label")
        assert "57%" in chart and "100%" not in chart
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, LessonListScreen)
        assert "best 57%" in screen_text(app)


# ---------------------------------------------------------------------- 5: a failed save


async def test_after_a_failed_save_the_same_answer_can_be_sent_again(
    quiz_lessons: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = app_for(quiz_lessons, db_path)
    async with app.run_test(size=SIZE) as pilot:
        store = app.store
        assert store is not None
        real = store.record_answer
        failures = iter([True])

        def flaky(*args: Any, **kwargs: Any) -> None:
            if next(failures, False):
                raise StoreError("The disk holding the score database is full; free some space.")
            real(*args, **kwargs)

        monkeypatch.setattr(store, "record_answer", flaky)
        await pilot.press("t", "1", "enter")
        assert any("could not be saved" in n.message for n in app._notifications)
        assert not app.screen.query_one("#feedback").display
        assert attempts(db_path)[0].answered == 0
        await pilot.press("enter")  # space freed: the same answer again
        assert "✔ Right!" in text_of(app, "#feedback")
        assert attempts(db_path)[0].answered == 1


# ---------------------------------------------------------------------- 6: two windows


async def test_a_second_window_is_told_and_can_take_over(quiz_lessons: Path, db_path: Path) -> None:
    app = app_for(quiz_lessons, db_path)
    async with app.run_test(size=SIZE) as pilot:
        assert app.store is not None and app.student is not None
        lesson = app.lesson("test-lesson")
        assert lesson is not None
        # The other window: the same student, answering in another quizapp.
        with Store.open(db_path) as other_store:
            other = QuizFlow(other_store, other_store.student("Ana"), lesson)
            other.open()
            assert other.session is not None and other.session.current is not None
            other.answer(right_response(other.session.current), 2.0)
            other.next()
            await pilot.press("t")
            offer = app.screen
            assert isinstance(offer, ResumeScreen)
            assert "open in another quizapp window" in offer.text
            await pilot.press("r")  # take it over
            assert text_of(app, "#quiz-count") == "Question 2 of 7"
            # The other window learns it at its next answer; nothing it saved is lost.
            assert other.session.current is not None
            assert other.answer(right_response(other.session.current), 2.0) is None
            assert other.phase is Phase.CLOSED and "taken over" in (other.problem or "")
        await answer_right(pilot, app)
        assert "✔ Right!" in text_of(app, "#feedback")
        [attempt] = attempts(db_path)
        assert attempt.answered == 2 and attempt.status == "in_progress"


async def test_the_window_taken_over_says_so_and_goes_back(
    quiz_lessons: Path, db_path: Path
) -> None:
    app = app_for(quiz_lessons, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await answer_right(pilot, app)
        await pilot.press("enter")
        lesson = app.lesson("test-lesson")
        assert lesson is not None
        with Store.open(db_path) as other_store:
            other = QuizFlow(other_store, other_store.student("Ana"), lesson)
            assert other.open() is Phase.CHOOSING
            assert other.offer is not None and other.offer.open_elsewhere
            other.resume()
        await answer_right(pilot, app)
        assert "taken over in another quizapp window" in text_of(app, "#feedback")
        await pilot.press("enter")
        assert isinstance(app.screen, LessonListScreen)
        [attempt] = attempts(db_path)
        assert attempt.answered == 1


# ---------------------------------------------------------------------- 10: markup
# With notifications on (run_test turns them off by default), so the toasts are drawn.


def lesson_with(folder: Path, text: str) -> Path:
    folder.mkdir()
    (folder / "01-test.yaml").write_text(text, encoding="utf-8")
    return folder


async def test_a_match_item_like_markup_answered_incomplete_is_shown_literally(
    tmp_path: Path, db_path: Path
) -> None:
    folder = lesson_with(
        tmp_path / "lessons", IN_ORDER.replace("CICIG: Guatemala", '"[/]": Guatemala')
    )
    app = app_for(folder, db_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("t")
        for _ in range(6):
            await answer_right(pilot, app)
            await pilot.press("enter")
        await pilot.press("enter")  # the match question, no partner given
        await pilot.pause()
        assert "Choose a partner for '[/]' first" in screen_text(app)


async def test_ctrl_c_says_how_to_quit_in_plain_words(quiz_lessons: Path, db_path: Path) -> None:
    """Every notification is literal, so Textual's own markup hint must not show its tags."""
    app = app_for(quiz_lessons, db_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("ctrl+c")
        await pilot.pause()
        text = screen_text(app)
        assert "to quit the app" in text
        assert "[b]" not in text


async def test_a_save_error_naming_a_path_like_markup_is_shown_literally(
    quiz_lessons: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "a[" / "]b" / "scores.sqlite3"  # the path holds "[/]"
    app = app_for(quiz_lessons, db)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        store = app.store
        assert store is not None

        def full(*args: Any, **kwargs: Any) -> None:
            raise StoreError(f"The disk holding the score database {db} is full.")

        monkeypatch.setattr(store, "record_answer", full)
        await pilot.press("t", "1", "enter")
        await pilot.pause()
        assert "a[/]b" in screen_text(app).replace(" ", "")


async def test_a_lesson_error_like_markup_is_shown_literally(tmp_path: Path, db_path: Path) -> None:
    folder = lesson_with(tmp_path / "lessons", IN_ORDER)
    app = app_for(folder, db_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        # Broken after the list was made: its problems show when it is opened.
        broken = IN_ORDER.replace("      answer: Los Angeles\n", '      answer: "[/]"\n', 1)
        (folder / "01-test.yaml").write_text(broken, encoding="utf-8")
        await pilot.press("enter")
        await pilot.pause()
        shown = screen_text(app)
        assert "This lesson file has problems" in shown and "answer '[/]'" in shown


async def test_a_lesson_title_like_markup_in_the_command_palette(
    tmp_path: Path, db_path: Path
) -> None:
    text = IN_ORDER.replace('title: "A test lesson"', 'title: "A [/] lesson [bold]x"')
    folder = lesson_with(
        tmp_path / "lessons",
        text.replace("summary: Used by the tests.", 'summary: "[/] Used by the tests."'),
    )
    app = app_for(folder, db_path)
    async with app.run_test(size=SIZE):
        # The palette reads each command's title and help as markup (Content.from_markup).
        [command] = [
            c for c in app.get_system_commands(app.screen) if c.title.startswith("Open lesson")
        ]
        assert Content.from_markup(command.title).plain == "Open lesson: A [/] lesson [bold]x"
        assert Content.from_markup(command.help).plain.startswith("[/] Used")


async def test_an_attempt_open_on_another_computer_is_offered_honestly(
    quiz_lessons: Path, db_path: Path
) -> None:
    with Store.open(db_path) as store:  # a window on another machine sharing the folder
        ana = store.student("Ana")
        attempt = store.start_attempt(ana.id, "test-lesson", "h", 1, ["q-single"])
        store.claim_attempt(attempt.id, "another-computer/4242/abcdef")
    app = app_for(quiz_lessons, db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        offer = app.screen
        assert isinstance(offer, ResumeScreen)
        assert "may still be open in another quizapp window" in offer.text
