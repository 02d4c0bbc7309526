"""The footer at 80 columns: every key it shows is whole (issue 16 polish). A key cut to
``? Hel`` or hidden under the palette key is a key the student cannot read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.cells import cell_len
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from quizapp.tui.app import QuizApp, make_app
from quizapp.tui.screens.cards import CardsScreen
from quizapp.tui.screens.exam import ExamScreen
from quizapp.tui.screens.history import HistoryScreen
from quizapp.tui.screens.lessons import LessonListScreen
from quizapp.tui.screens.quiz import QuizScreen
from quizapp.tui.screens.results import ResultsScreen
from tests.support.lessons import IN_ORDER

SMALL = (80, 24)
# Hints on a choice question (the key is h) and a typed one (the key is Ctrl+T).
HINTED = IN_ORDER.replace(
    "      answer: Los Angeles\n", "      answer: Los Angeles\n      hint: West coast\n"
).replace("      accept: [Árbenz, Jacobo Árbenz]\n",
          "      accept: [Árbenz, Jacobo Árbenz]\n      hint: A president\n")  # fmt: skip
EXAM = HINTED.replace("shuffle: false", "shuffle: false\n  feedback: deferred\n  time_limit: 30")


def cut_keys(app: QuizApp) -> list[str]:
    """The footer keys of the screen shown that are not whole: past the footer's edge,
    narrower than their label, or overlapping another key."""
    footer = app.screen.query_one(Footer)
    keys = [key for key in footer.query(FooterKey) if key.display]  # hidden: not shown
    assert keys, "the footer shows no key"
    cut = []
    for key in keys:
        label = f"{key.key_display} {key.description}".strip()
        region = key.region
        whole = footer.region.contains_region(region) and region.width >= cell_len(label)
        alone = not any(region.overlaps(other.region) for other in keys if other is not key)
        if not (whole and alone):
            cut.append(label)
    return cut


def folder_with(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "01-lesson.yaml").write_text(text, encoding="utf-8")
    return folder


async def walk(app: QuizApp, pilot: Any, seen: dict[str, list[str]], name: str) -> None:
    await pilot.pause()
    seen[name] = cut_keys(app)


async def test_every_footer_key_is_whole_at_80_columns(tmp_path: Path) -> None:
    seen: dict[str, list[str]] = {}
    practice = make_app(folder_with(tmp_path, "practice", HINTED), tmp_path / "p.sqlite3",
                        student="Ana", seed=1)  # fmt: skip
    async with practice.run_test(size=SMALL) as pilot:
        await walk(practice, pilot, seen, "lessons")
        assert isinstance(practice.screen, LessonListScreen)
        await pilot.press("enter")
        assert isinstance(practice.screen, CardsScreen)
        await walk(practice, pilot, seen, "cards")
        await pilot.press("escape", "t")
        assert isinstance(practice.screen, QuizScreen)
        await walk(practice, pilot, seen, "quiz, a choice with a hint")
        await pilot.press("1", "enter")
        await walk(practice, pilot, seen, "quiz, feedback")
        await pilot.press("escape", "y")  # leave the quiz: the attempt is kept
        await walk(practice, pilot, seen, "lessons, after leaving")
        await pilot.press("h")
        assert isinstance(practice.screen, HistoryScreen)
        await walk(practice, pilot, seen, "history")
    exam = make_app(folder_with(tmp_path, "exam", EXAM), tmp_path / "e.sqlite3",
                    student="Ana", seed=1)  # fmt: skip
    async with exam.run_test(size=SMALL) as pilot:
        await pilot.press("t")
        assert isinstance(exam.screen, ExamScreen)
        await walk(exam, pilot, seen, "exam, a choice with a hint")
        await pilot.press("pagedown", "pagedown", "pagedown")
        await walk(exam, pilot, seen, "exam, a typed answer with a hint")
        await pilot.press("ctrl+s", "y")
        assert isinstance(exam.screen, ResultsScreen)
        await walk(exam, pilot, seen, "exam results")
    assert {name: cut for name, cut in seen.items() if cut} == {}
    assert len(seen) == 9


async def test_the_timed_quiz_notice_is_gone_when_the_results_appear(tmp_path: Path) -> None:
    def titles() -> list[str]:
        return [notice.title for notice in exam._notifications]

    exam = make_app(folder_with(tmp_path, "exam", EXAM), tmp_path / "e.sqlite3",
                    student="Ana", seed=1)  # fmt: skip
    async with exam.run_test(size=SMALL) as pilot:
        await pilot.press("t")
        assert "Timed quiz" in titles()
        await pilot.press("ctrl+s", "y")
        await pilot.pause()
        assert isinstance(exam.screen, ResultsScreen)
        assert "Timed quiz" not in titles()


async def test_the_resume_offer_counts_a_hint_seen(tmp_path: Path) -> None:
    from quizapp.tui.screens.dialogs import ResumeScreen

    folder, db = folder_with(tmp_path, "practice", HINTED), tmp_path / "p.sqlite3"
    first = make_app(folder, db, student="Ana", seed=1)
    async with first.run_test(size=SMALL) as pilot:
        await pilot.press("t", "h")  # a hint seen, nothing answered; the app dies here
    second = make_app(folder, db, student="Ana", seed=1)
    async with second.run_test(size=SMALL) as pilot:
        await pilot.press("t")
        assert isinstance(second.screen, ResumeScreen)
        assert "(0 of 7 answered, 1 hint seen)" in second.screen.text
