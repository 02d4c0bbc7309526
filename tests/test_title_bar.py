"""The lesson list's title line (:class:`quizapp.tui.widgets.title_bar.TitleBar`): Textual's
``Header`` drawn by one widget, because the list is the first screen of every start (issue
19). It must show what the header showed, and its icon must still open the palette."""

from __future__ import annotations

import html
import re
from pathlib import Path

from textual.command import CommandPalette

from quizapp.tui.app import QuizApp, make_app
from quizapp.tui.screens.lessons import LessonListScreen
from quizapp.tui.screens.quiz import QuizScreen
from quizapp.tui.widgets.title_bar import TitleBar


def top_line(app: QuizApp) -> str:
    """The screen's first line as drawn (from the screenshot), after checking that the title
    line is what is there."""
    width = app.screen.size.width
    assert {type(app.get_widget_at(x, 0)[0]) for x in range(width)} == {TitleBar}
    svg = app.export_screenshot()
    parts = re.findall(r'<text[^>]*clip-path="url\(#[\w-]*line-0\)">(.*?)</text>', svg)
    return html.unescape("".join(parts)).replace("\xa0", " ")


async def test_the_lesson_list_shows_the_title_and_subtitle_on_its_top_line(
    quiz_lessons: Path, tmp_path: Path
) -> None:
    app = make_app(quiz_lessons, tmp_path / "scores.sqlite3", student="Ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LessonListScreen)
        top = top_line(app)
        # As Textual's header: the icon at the left, the titles centred between the icon's
        # eight columns and the clock's ten.
        assert top.rstrip() == " ⭘" + " " * 14 + "quizapp — US–Central America security history"


async def test_a_narrow_title_line_is_cut_with_an_ellipsis(
    quiz_lessons: Path, tmp_path: Path
) -> None:
    app = make_app(quiz_lessons, tmp_path / "scores.sqlite3", student="Ana")
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        top = top_line(app)
        # Where the cut falls (before or after a space) differs with the terminal: as the header.
        assert top.startswith(" ⭘      quizapp — US–Centra")
        assert top.rstrip().endswith("…") and len(top.rstrip()) <= 40 - 10


async def test_clicking_the_title_icon_opens_the_command_palette(
    quiz_lessons: Path, tmp_path: Path
) -> None:
    app = make_app(quiz_lessons, tmp_path / "scores.sqlite3", student="Ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.click(offset=(40, 0))  # the title: nothing happens
        await pilot.pause()
        assert isinstance(app.screen, LessonListScreen)
        await pilot.click(offset=(1, 0))
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)


async def test_a_question_screen_shows_its_lesson_on_the_title_line(
    quiz_lessons: Path, tmp_path: Path
) -> None:
    # The quiz sets its subtitle when it mounts, and the title line (drawn once, not
    # watching) must already show it on the first frame.
    app = make_app(quiz_lessons, tmp_path / "scores.sqlite3", student="Ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, QuizScreen)
        lesson = app.screen.lesson.title
        icon, title = top_line(app).split("⭘", 1)
        assert icon == " " and title.strip() == f"quizapp — {lesson}"
