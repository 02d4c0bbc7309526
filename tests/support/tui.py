"""Helpers for the pilot tests: what a widget or the whole screen shows, as plain text; the
question on screen, and answering it right by keyboard."""

from __future__ import annotations

import html
import io
import re
from typing import Any

from rich.console import Console
from textual.app import App
from textual.widgets import Static

from quizapp.lessons.model import Question
from quizapp.tui.screens.quiz import QuizScreen
from quizapp.tui.widgets.questions import ListQuestionView, QuestionView


def render_plain(renderable: object, width: int = 98) -> str:
    """A string or Rich renderable as plain text, rendered at ``width``."""
    if isinstance(renderable, str):
        return renderable
    console = Console(width=width, file=io.StringIO(), color_system=None)
    with console.capture() as capture:
        console.print(renderable)
    return capture.get()


def plain(widget: Static, width: int = 98) -> str:
    """What a Label or Static shows, as plain text."""
    return render_plain(widget.content, width)


def screen_text(app: App[Any]) -> str:
    """Everything on the screen as plain text (from the SVG screenshot)."""
    svg = app.export_screenshot()
    parts = re.findall(r"<text[^>]*>(.*?)</text>", svg)
    return html.unescape("".join(parts)).replace("\xa0", " ")


def screen_lines(app: App[Any]) -> list[str]:
    """The screen's rows as plain text (from the SVG screenshot), top to bottom, each text
    at its column (a cell is 12.2 units wide in Textual's SVG)."""
    rows: dict[float, str] = {}
    svg = app.export_screenshot()
    for x, y, text in re.findall(r'<text[^>]* x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', svg):
        row, column = rows.get(float(y), ""), round(float(x) / 12.2)
        text = html.unescape(text).replace("\xa0", " ")
        row = row.ljust(column)
        rows[float(y)] = row[:column] + text + row[column + len(text) :]
    return [rows[y] for y in sorted(rows)]


def on_question(app: App[Any]) -> tuple[Question, QuestionView]:
    """The question the quiz screen shows, and its widget."""
    screen = app.screen
    assert isinstance(screen, QuizScreen)
    question, view = screen.session.current, screen.view
    assert question is not None and view is not None
    return question, view


async def answer_right(pilot: Any, app: App[Any]) -> None:
    """Answer the current question right, by keyboard only."""
    question, view = on_question(app)
    match question.type:
        case "single":
            await pilot.press(str(view.order.index(question.answer) + 1), "enter")
        case "multi":
            for text in question.answer:
                await pilot.press(str(view.order.index(text) + 1))
            await pilot.press("enter")
        case "true_false":
            await pilot.press("1" if question.answer else "2", "enter")
        case "text":
            await pilot.press(*question.accept[0].lower(), "enter")
        case "number":
            await pilot.press(*str(int(question.answer)), "enter")
        case "order":
            assert isinstance(view, ListQuestionView)
            for target, item in enumerate(question.items):
                at = view.order.index(item)
                view.answers.highlighted = at
                await pilot.press(*(["u"] * (at - target)))
            await pilot.press("enter")
        case "match":
            assert isinstance(view, ListQuestionView)
            for left, partner in question.pairs.items():
                view.answers.highlighted = view.lefts.index(left)
                await pilot.press(str(view.order.index(partner) + 1))
            await pilot.press("enter")
