"""A same-type next question draws only what changed (issue 19, "Round five: the same-type
step"): after a feedback that needed the body's scrollbar, the first frame after Enter shows
the next question at the top of the body, at its full width, with no scrollbar left over,
and the body's border (its frame) is not redrawn."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from textual import events
from textual.containers import VerticalScroll
from textual.widgets import Static

from quizapp.tui.app import make_app
from quizapp.tui.screens.quiz import QuizScreen
from tests.support.tui import answer_right


async def test_first_frame_after_a_long_feedback_shows_the_next_question_whole(
    quiz_lessons: Path, tmp_path: Path
) -> None:
    app = make_app(lessons_dir=quiz_lessons, db_path=tmp_path / "s.sqlite3", student="Ana")
    async with app.run_test(size=(80, 20)) as pilot:
        await pilot.press("t")
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        body = screen.query_one("#quiz-body", VerticalScroll)
        prompt = screen.query_one("#prompt", Static)
        full_width = body.content_region.width
        # Answer until a feedback needs the scrollbar (a small terminal: the first does).
        for _ in range(6):
            await answer_right(pilot, app)
            await pilot.pause()
            if body.show_vertical_scrollbar and body.scroll_y:
                break
            await pilot.press("enter")
        assert body.show_vertical_scrollbar and body.scroll_y, "no feedback scrolled"
        assert screen.view is not None
        question = screen.view.question

        seen: asyncio.Future[tuple[float, bool, int]] = asyncio.get_running_loop().create_future()
        display = app._display

        def first_frame(on: Any, update: Any) -> None:
            display(on, update)
            view = screen.view
            if update is not None and not seen.done() and view and view.question is not question:
                scrollbar = body.vertical_scrollbar
                seen.set_result((body.scroll_y, bool(scrollbar.region), prompt.region.width))

        app._display = first_frame  # type: ignore[method-assign,assignment]
        try:
            app.post_message(events.Key("enter", None))
            scroll_y, scrollbar_shown, prompt_width = await asyncio.wait_for(seen, 5)
        finally:
            app._display = display  # type: ignore[method-assign]
        assert scroll_y == 0  # the new question from its first line
        assert not scrollbar_shown  # the last feedback's scrollbar is gone
        assert prompt_width == full_width  # not narrowed by that scrollbar for a frame


async def test_the_body_frame_shows_the_focus_border(quiz_lessons: Path, tmp_path: Path) -> None:
    app = make_app(lessons_dir=quiz_lessons, db_path=tmp_path / "s.sqlite3", student="Ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        screen = app.screen
        frame = screen.query_one("#quiz-frame")
        assert not frame.has_class("-body-focus")
        unfocused = frame.styles.border_top
        screen.query_one("#quiz-body").focus()
        await pilot.pause()
        assert frame.has_class("-body-focus")
        assert frame.styles.border_top != unfocused  # the accent colour, as before
        screen.query_one(".answer-control").focus()
        await pilot.pause()
        assert frame.styles.border_top == unfocused
