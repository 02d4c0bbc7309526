"""Every key on every dialog (what does Escape do here?), and every dialog on small terminals.

The rule the table below checks: Escape never gives anything up. It says no to a question,
keeps an unfinished attempt and goes back, or closes a panel; only an explicit key (then a
confirmation) abandons work.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.screen import Screen

from quizapp.store import Store
from quizapp.tui.app import QuizApp, make_app
from quizapp.tui.screens.cards import CardsScreen
from quizapp.tui.screens.dialogs import (
    ConfirmScreen,
    DetailScreen,
    GlossaryScreen,
    HelpScreen,
    ResumeScreen,
    SourcesScreen,
)
from quizapp.tui.screens.lessons import LessonListScreen
from quizapp.tui.screens.quiz import QuizScreen
from quizapp.tui.screens.results import ResultsScreen
from tests.support.lessons import LONG
from tests.support.tui import answer_right, screen_text

Pilot = Any
Setup = Callable[[Pilot, QuizApp], Awaitable[None]]


@pytest.fixture
def long_lessons(tmp_path: Path) -> Path:
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "01-long.yaml").write_text(LONG, encoding="utf-8")
    return folder


def app_for(lessons: Path, tmp_path: Path) -> QuizApp:
    return make_app(lessons, tmp_path / "scores.sqlite3", student="Ana", seed=1)


async def answered_two(pilot: Pilot, app: QuizApp) -> None:
    """Two questions answered, then the quiz left: an attempt to resume."""
    await pilot.press("t")
    for _ in range(2):
        await answer_right(pilot, app)
        await pilot.press("enter")
    await pilot.press("escape", "y")


async def leave_offer(pilot: Pilot, app: QuizApp) -> None:
    await pilot.press("t")
    await answer_right(pilot, app)
    await pilot.press("escape")


async def resume_offer(pilot: Pilot, app: QuizApp) -> None:
    await answered_two(pilot, app)
    await pilot.press("t")


async def start_over_question(pilot: Pilot, app: QuizApp) -> None:
    await resume_offer(pilot, app)
    await pilot.press("s")


async def glossary(pilot: Pilot, app: QuizApp) -> None:
    await pilot.press("enter", "g")


async def sources(pilot: Pilot, app: QuizApp) -> None:
    await pilot.press("enter", "s")


async def help_panel(pilot: Pilot, app: QuizApp) -> None:
    await pilot.press("question_mark")


async def results_detail(pilot: Pilot, app: QuizApp) -> None:
    await pilot.press("t")
    for _ in range(7):
        await answer_right(pilot, app)
        await pilot.press("enter")
    await pilot.press(*["down"] * 6, "enter")  # the match question, in full


def answered(app: QuizApp) -> list[tuple[str, int]]:
    with Store.open(app.db_path) as store:
        return [(a.status, a.answered) for a in store.history(None)]


# dialog setup, key, the screen class after it, what the store holds after it
KEYS: list[tuple[str, Setup, type[Screen[Any]], str, type[Screen[Any]], list[tuple[str, int]]]] = [
    ("leave quiz", leave_offer, ConfirmScreen, "escape", QuizScreen, [("in_progress", 1)]),
    ("leave quiz", leave_offer, ConfirmScreen, "n", QuizScreen, [("in_progress", 1)]),
    ("leave quiz", leave_offer, ConfirmScreen, "y", LessonListScreen, [("in_progress", 1)]),
    ("leave quiz", leave_offer, ConfirmScreen, "enter", LessonListScreen, [("in_progress", 1)]),
    ("resume?", resume_offer, ResumeScreen, "escape", LessonListScreen, [("in_progress", 2)]),
    ("resume?", resume_offer, ResumeScreen, "r", QuizScreen, [("in_progress", 2)]),
    ("resume?", resume_offer, ResumeScreen, "enter", QuizScreen, [("in_progress", 2)]),
    ("resume?", resume_offer, ResumeScreen, "s", ConfirmScreen, [("in_progress", 2)]),
    (
        "start over?",
        start_over_question,
        ConfirmScreen,
        "escape",
        ResumeScreen,
        [("in_progress", 2)],
    ),
    ("start over?", start_over_question, ConfirmScreen, "n", ResumeScreen, [("in_progress", 2)]),
    (
        "start over?",
        start_over_question,
        ConfirmScreen,
        "y",
        QuizScreen,
        [("abandoned", 2), ("in_progress", 0)],
    ),
    ("glossary", glossary, GlossaryScreen, "escape", CardsScreen, []),
    ("glossary", glossary, GlossaryScreen, "q", CardsScreen, []),
    ("sources", sources, SourcesScreen, "escape", CardsScreen, []),
    ("sources", sources, SourcesScreen, "q", CardsScreen, []),
    ("help", help_panel, HelpScreen, "escape", LessonListScreen, []),
    ("help", help_panel, HelpScreen, "q", LessonListScreen, []),
    ("detail", results_detail, DetailScreen, "escape", ResultsScreen, [("finished", 7)]),
    ("detail", results_detail, DetailScreen, "q", ResultsScreen, [("finished", 7)]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "setup", "dialog", "key", "after", "stored"),
    KEYS,
    ids=[f"{row[0]}-{row[3]}" for row in KEYS],
)
async def test_every_key_on_every_dialog(
    long_lessons: Path,
    tmp_path: Path,
    name: str,
    setup: Setup,
    dialog: type[Screen[Any]],
    key: str,
    after: type[Screen[Any]],
    stored: list[tuple[str, int]],
) -> None:
    app = app_for(long_lessons, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await setup(pilot, app)
        assert type(app.screen) is dialog, name
        await pilot.press(key)
        assert type(app.screen) is after, f"{name}: {key}"
        assert answered(app) == stored


# ---------------------------------------------------------------------- 11: small terminals

PANELS = [
    (glossary, "Term 20", "terminal."),
    (sources, "13. Test Publisher", "https://example.org/a"),
    (help_panel, "Quit", "quitting never loses them."),
    (results_detail, "Right answer:", "paired with."),
]


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
@pytest.mark.parametrize(
    ("setup", "near_end", "last"), PANELS, ids=lambda p: getattr(p, "__name__", "")
)
async def test_the_end_of_every_panel_is_reachable_on_a_small_terminal(
    long_lessons: Path,
    tmp_path: Path,
    size: tuple[int, int],
    setup: Setup,
    near_end: str,
    last: str,
) -> None:
    app = app_for(long_lessons, tmp_path)
    async with app.run_test(size=size) as pilot:
        await setup(pilot, app)
        await pilot.press("end")
        shown = screen_text(app)
        assert near_end in shown, shown
        assert last in shown, shown
        assert "Escape to close" in shown


async def test_a_match_answer_shows_its_feedback_at_80x24(
    long_lessons: Path, tmp_path: Path
) -> None:
    app = app_for(long_lessons, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        for _ in range(6):
            await answer_right(pilot, app)
            await pilot.press("enter")
        await answer_right(pilot, app)  # the match question, five pairs
        await pilot.pause()
        shown = screen_text(app)
        assert "✔ Right!" in shown and "Enter to see your results" in shown
