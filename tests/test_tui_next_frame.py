"""The first frame painted after Enter shows the next question whole, even when another
answer widget takes the keyboard (a list question, then a typed one): no frame shows the new
prompt above the last question's widget (docs/performance.md, "Round four: the next
question"). Between list questions the same widget stays (round five)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from textual import events

from quizapp.tui.app import QuizApp, make_app
from quizapp.tui.screens.quiz import QuizScreen
from quizapp.tui.widgets.answer_list import Mode
from quizapp.tui.widgets.questions import ListQuestionView, QuestionView, TypedView
from tests.support.tui import answer_right


async def first_frame_after_enter(
    app: QuizApp, screen: QuizScreen
) -> tuple[QuestionView | None, QuestionView | None]:
    """Press Enter; at the first frame painted after it, the answer widget the screen shows
    and any other answer widget that frame still places on the screen."""
    frame: asyncio.Future[tuple[QuestionView | None, QuestionView | None]]
    frame = asyncio.get_running_loop().create_future()
    display = app._display

    def first_frame(on: Any, update: Any) -> None:
        display(on, update)
        if update is not None and not frame.done():
            # What the compositor laid out for this frame: where each answer widget is.
            placed = [view for view in screen.views.values() if view.region]
            current = screen.view if screen.view in placed else None
            others = [view for view in placed if view is not screen.view]
            frame.set_result((current, others[0] if others else None))

    app._display = first_frame  # type: ignore[method-assign,assignment]
    app.post_message(events.Key("enter", None))
    try:
        return await asyncio.wait_for(frame, 5)
    finally:
        app._display = display  # type: ignore[method-assign]


async def test_quiz_next_question_of_another_type_in_the_first_frame(
    quiz_lessons: Path, tmp_path: Path
) -> None:
    app = make_app(lessons_dir=quiz_lessons, db_path=tmp_path / "s.sqlite3", student="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("t")
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        await answer_right(pilot, app)  # the single-choice question; a multi comes next
        listed = screen.view
        assert isinstance(listed, ListQuestionView)
        shown, left_over = await first_frame_after_enter(app, screen)
        assert shown is listed and listed.mode is Mode.MULTI
        assert left_over is None
        await pilot.pause()
        await answer_right(pilot, app)  # the multi; a true/false comes next, then a text
        await pilot.press("enter")
        await answer_right(pilot, app)
        shown, left_over = await first_frame_after_enter(app, screen)
        assert isinstance(shown, TypedView)
        assert left_over is None
        await pilot.pause()
        assert shown.has_focus_within
