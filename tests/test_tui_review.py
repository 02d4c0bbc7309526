"""The review session as a student meets it, by keyboard: the list says what is due, `v`
opens the due items, a wrong answer comes back due, a right one moves out, and a review
never counts as a quiz score."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fsrs import Rating

from quizapp import review
from quizapp.store import Store
from quizapp.tui.app import make_app
from quizapp.tui.screens.cards import CardsScreen
from quizapp.tui.screens.lessons import LessonListScreen
from quizapp.tui.screens.review import ReviewScreen
from tests.support.tui import screen_text

SIZE = (100, 30)
LESSON = "test-lesson"


def seed_due(db: Path, *items: str) -> dt.datetime:
    """Ana met ``items`` of the test lesson yesterday and forgot them: all due now."""
    yesterday = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    with Store.open(db) as store:
        ana = store.student("Ana")
        for minute, item in enumerate(items):
            at = yesterday + dt.timedelta(minutes=minute)
            review.record(store, ana.id, LESSON, item, Rating.Again, 5.0, now=at)
    return yesterday


async def test_a_review_session_end_to_end(quiz_lessons: Path, tmp_path: Path) -> None:
    db = tmp_path / "scores.sqlite3"
    seed_due(db, "q-tf", "q-single")
    app = make_app(lessons_dir=quiz_lessons, db_path=db, student="Ana", seed=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LessonListScreen)
        shown = screen_text(app)
        assert "0 of 1 lessons passed · 0 of 2 cards read · 2 items due for review (v)" in shown
        assert "· 2 due" in shown
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "Review 1 of 2" in screen_text(app)
        assert "The sky is blue." in screen_text(app)  # q-tf: oldest due first
        await pilot.press("2", "enter")  # False: wrong
        await pilot.pause()
        assert "Not right: it comes back soon." in screen_text(app)
        await pilot.press("r")  # the card that teaches it, then back
        await pilot.pause()
        assert isinstance(app.screen, CardsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert "Review 2 of 2" in screen_text(app)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.view is not None
        question = screen.session.items[1].question
        assert question.type == "single"
        await pilot.press(str(screen.view.order.index(question.answer) + 1), "enter")
        await pilot.pause()
        assert "Right!" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LessonListScreen)
    with Store.open(db) as store:
        ana = store.student("Ana")
        soon = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=3)
        due = [d.item_id for d in store.due_items(ana.id, soon, 20)]
        assert due == ["q-tf"]  # wrong: back in a minute; right: out for longer
        assert store.review_count(ana.id) == 4
        assert store.history(ana.id) == []  # a review is no quiz attempt


async def test_nothing_due_says_so_and_escape_leaves_a_review(
    quiz_lessons: Path, tmp_path: Path
) -> None:
    db = tmp_path / "scores.sqlite3"
    app = make_app(lessons_dir=quiz_lessons, db_path=db, student="Ana", seed=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, LessonListScreen)
        assert any("Nothing to review yet" in n.message for n in app._notifications)
    seed_due(db, "q-tf")
    app = make_app(lessons_dir=quiz_lessons, db_path=db, student="Ana", seed=1)
    app.start_in_review = True  # quizapp review
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LessonListScreen)


async def test_the_glossary_drill_from_the_cards(quiz_lessons: Path, tmp_path: Path) -> None:
    db = tmp_path / "scores.sqlite3"
    app = make_app(lessons_dir=quiz_lessons, db_path=db, student="Ana", seed=1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter", "d")  # the cards, then the drill of their glossary
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "Term: TPS" in screen_text(app)
        assert "Temporary protected status." not in screen_text(app)
        await pilot.press("1")  # rating before seeing the definition: not taken
        await pilot.press("space")
        await pilot.pause()
        assert "Temporary protected status." in screen_text(app)
        await pilot.press("1")  # Again
        await pilot.pause()
        assert isinstance(app.screen, CardsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert "1 item due for review (v)" not in screen_text(app)  # due in a minute, not now
    with Store.open(db) as store:
        ana = store.student("Ana")
        soon = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=2)
        assert store.due_counts(ana.id, soon) == {LESSON: 1}
        assert store.review_count(ana.id) == 1


async def test_after_passing_c_continues_with_the_next_lesson(
    quiz_lessons: Path, tmp_path: Path
) -> None:
    from tests.support.lessons import IN_ORDER
    from tests.support.tui import answer_right

    second = IN_ORDER.replace("id: test-lesson", "id: second-lesson").replace(
        'title: "A test lesson"', 'title: "The second lesson"'
    )
    (quiz_lessons / "02-second.yaml").write_text(second, encoding="utf-8")
    app = make_app(lessons_dir=quiz_lessons, db_path=tmp_path / "s.sqlite3", student="Ana")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t")
        for _ in range(7):
            await answer_right(pilot, app)
            await pilot.press("enter")
        await pilot.pause()
        assert "c: continue with lesson 2, The second lesson" in screen_text(app)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CardsScreen)
        assert app.screen.lesson.id == "second-lesson"


async def test_enter_on_a_history_row_opens_the_attempt(quiz_lessons: Path, tmp_path: Path) -> None:
    from quizapp.tui.screens.dialogs import DetailScreen
    from tests.support.tui import answer_right

    app = make_app(lessons_dir=quiz_lessons, db_path=tmp_path / "s.sqlite3", student="Ana")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("t", "2", "enter", "enter")  # the first question wrong
        for _ in range(6):
            await answer_right(pilot, app)
            await pilot.press("enter")
        await pilot.press("h")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        shown = screen_text(app)
        assert "Attempt of " in shown
        assert "✘ 1. Where did the gang form?" in shown
        assert "Your answer: San Salvador" in shown and "Right answer: Los Angeles" in shown
        assert "It formed in Los Angeles." in shown
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, DetailScreen)


async def test_the_class_view_shows_who_has_items_due_and_what_is_forgotten(
    quiz_lessons: Path, tmp_path: Path
) -> None:
    from textual.widgets import Static

    from tests.support.tui import plain

    db = tmp_path / "class.sqlite3"
    yesterday = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    with Store.open(db) as store:
        for name in ("Ana", "Ben", "Cy"):
            student = store.student(name)
            attempt = store.start_attempt(student.id, LESSON, "h", 1, ["q-tf"], ["h"])
            store.record_answer(attempt.id, "q-tf", "h", True, 1.0, 3.0)
            store.finish_attempt(attempt.id)
        ana, ben = store.student("Ana").id, store.student("Ben").id
        review.record(store, ana, LESSON, "q-tf", Rating.Again, 2.0, now=yesterday)
        review.record(store, ben, LESSON, "q-tf", Rating.Again, 2.0, now=yesterday)
        review.record(store, ben, LESSON, "q-single", Rating.Easy, 2.0, now=yesterday)
        review.record(store, ben, LESSON, "term:tps", Rating.Again, 2.0, now=yesterday)
        assert store.most_forgotten(LESSON) == [("q-tf", 2, 2), ("term:tps", 1, 1)]
    app = make_app(lessons_dir=quiz_lessons, db_path=db, instructor=True)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = plain(app.screen.query_one("#analysis-body", Static))
        assert "Spaced review: 2 of 2 students (100%) have items due." in shown
        assert "2 of 2 reviews · The sky is blue." in shown
        assert "1 of 1 reviews · term: TPS" in shown


async def test_the_progress_line_wraps_instead_of_losing_its_end_at_60_columns(
    quiz_lessons: Path, tmp_path: Path
) -> None:
    db = tmp_path / "scores.sqlite3"
    seed_due(db, "q-tf", "q-single")
    app = make_app(lessons_dir=quiz_lessons, db_path=db, student="Ana", seed=1)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        greeting = app.screen.query_one("#greeting")
        line = "0 of 1 lessons passed · 0 of 2 cards read · 2 items due for review (v)"
        assert line in str(greeting.render())
        # Hello on one line, the progress (wider than the screen) wrapped onto two.
        assert greeting.region.right <= 60
        assert greeting.size.height == 3
