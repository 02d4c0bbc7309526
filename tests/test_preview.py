"""`quizapp preview FILE`: the lesson as a student sees it, reloaded when the file is saved.

The reload is triggered by calling the screen's check directly after each edit on disk
(what its 0.5 s timer does), except in one test that lets the timer find the change,
waiting in a loop bounded in count. Every edit changes the file's size, so the change is
seen whatever the file system's time resolution.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Label, OptionList, Static

from quizapp.cli import main
from quizapp.tui.app import QuizApp, make_app
from quizapp.tui.screens.cards import CardsScreen
from quizapp.tui.screens.preview import (
    PreviewQuestionScreen,
    PreviewScreen,
    ProblemsPanel,
    file_signature,
)
from quizapp.tui.screens.quiz import QuizScreen
from quizapp.tui.screens.results import ResultsScreen
from tests.support.lessons import IN_ORDER, line_of
from tests.support.tui import plain

SIZE = (100, 30)
QUESTION_KINDS = ("single", "multi", "tf", "text", "number", "order", "match")


@pytest.fixture
def lesson_file(tmp_path: Path) -> Path:
    path = tmp_path / "lesson.yaml"
    path.write_text(IN_ORDER, encoding="utf-8")
    return path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def preview_screen(app: QuizApp) -> PreviewScreen:
    screen = app.screen_stack[1]
    assert isinstance(screen, PreviewScreen)
    return screen


def panels_text(app: QuizApp) -> str | None:
    """The problems panel on the screen showing, or None when there is none in view."""
    shown = [p for p in app.screen.query(ProblemsPanel) if p.display]
    return plain(shown[0]) if shown else None


async def test_edit_break_and_fix_the_file_while_previewing(lesson_file: Path) -> None:
    app = make_app(preview=lesson_file)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, PreviewScreen)
        assert plain(screen.query_one("#preview-title", Label)) == "A test lesson"
        outline = screen.query_one("#preview-outline", OptionList)
        ids = [outline.get_option_at_index(i).id for i in range(outline.option_count)]
        assert ids[:3] == ["quiz", "card-0", "card-1"]
        assert ids[3:] == [f"question-q-{kind}" for kind in QUESTION_KINDS]
        assert panels_text(app) is None

        edit(lesson_file, 'title: "A test lesson"', 'title: "A renamed lesson"')
        screen.check_file()
        await pilot.pause()
        assert plain(screen.query_one("#preview-title", Label)) == "A renamed lesson"

        edit(lesson_file, "minutes: 5", "minutes: five")
        screen.check_file()
        await pilot.pause()
        line = line_of(lesson_file.read_text(encoding="utf-8"), "minutes: five")
        problems = panels_text(app)
        assert problems is not None
        assert f"lesson.yaml:{line}:10: minutes" in problems
        # The last good version stays.
        assert plain(screen.query_one("#preview-title", Label)) == "A renamed lesson"
        assert "showing the last good version" in plain(screen.query_one("#preview-status", Label))

        edit(lesson_file, "minutes: five", "minutes: 15")
        screen.check_file()
        await pilot.pause()
        assert panels_text(app) is None
        assert "loaded" in plain(screen.query_one("#preview-status", Label))


async def test_the_card_being_read_follows_the_file_and_carries_the_problems(
    lesson_file: Path,
) -> None:
    app = make_app(preview=lesson_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down", "enter")  # Card 2
        cards = app.screen
        assert isinstance(cards, CardsScreen) and cards.index == 1
        edit(lesson_file, "- title: Key dates", "- title: Key dates, revised")
        preview_screen(app).check_file()
        await pilot.pause()
        assert cards.index == 1 and app.screen is cards
        assert plain(cards.query_one("#card-title", Label)) == "Key dates, revised"

        edit(lesson_file, 'title: "A test lesson"', "title: [unclosed")
        preview_screen(app).check_file()
        await pilot.pause()
        problems = panels_text(app)
        assert problems is not None and "lesson.yaml:4:" in problems and "invalid YAML" in problems
        assert plain(cards.query_one("#card-title", Label)) == "Key dates, revised"

        edit(lesson_file, "title: [unclosed", 'title: "Fixed"')
        preview_screen(app).check_file()
        await pilot.pause()
        assert not list(cards.query(ProblemsPanel))
        await pilot.press("escape")
        assert isinstance(app.screen, PreviewScreen)


async def test_one_question_as_the_quiz_shows_it_follows_the_file(lesson_file: Path) -> None:
    app = make_app(preview=lesson_file)
    async with app.run_test(size=SIZE) as pilot:
        outline = app.screen.query_one("#preview-outline", OptionList)
        at = next(
            i
            for i in range(outline.option_count)
            if outline.get_option_at_index(i).id == "question-q-single"
        )
        outline.highlighted = at
        await pilot.press("enter")
        question = app.screen
        assert isinstance(question, PreviewQuestionScreen)
        assert "Where did the gang form?" in plain(question.query_one("#prompt", Static))
        order = question.view.order if question.view else []

        edit(lesson_file, "prompt: Where did the gang form?", "prompt: Where did MS-13 form?")
        preview_screen(app).check_file()
        await pilot.pause()
        reopened = app.screen
        assert isinstance(reopened, PreviewQuestionScreen) and reopened is not question
        assert "Where did MS-13 form?" in plain(reopened.query_one("#prompt", Static))
        assert reopened.view is not None and reopened.view.order == order  # same shuffle

        # An edit elsewhere (a card) leaves the question as it is.
        edit(lesson_file, "Some *Markdown* text.", "Some *Markdown* text, edited.")
        preview_screen(app).check_file()
        await pilot.pause()
        assert app.screen is reopened

        await pilot.press(str(order.index("Los Angeles") + 1), "enter")
        assert "✔ Right!" in plain(reopened.query_one("#feedback", Static))
        await pilot.press("enter")  # back to the outline, not to a results screen
        assert isinstance(app.screen, PreviewScreen)


async def test_the_whole_quiz_restarts_when_one_of_its_questions_changes(
    lesson_file: Path,
) -> None:
    app = make_app(preview=lesson_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        quiz = app.screen
        assert isinstance(quiz, QuizScreen) and not isinstance(quiz, PreviewQuestionScreen)
        await pilot.press("1", "enter")  # the first question answered
        assert quiz.session.index == 1
        edit(lesson_file, "prompt: The sky is blue.", "prompt: The sea is blue.")
        preview_screen(app).check_file()
        await pilot.pause()
        again = app.screen
        assert isinstance(again, QuizScreen) and again is not quiz
        assert again.session.index == 0 and again.session.seed == quiz.session.seed
        assert not isinstance(app.screen, ResultsScreen)


async def test_the_timer_finds_a_saved_change(lesson_file: Path) -> None:
    app = make_app(preview=lesson_file)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, PreviewScreen)
        edit(lesson_file, 'title: "A test lesson"', 'title: "Saved in the editor"')
        title = screen.query_one("#preview-title", Label)
        for _ in range(200):  # the poll runs every 0.5 s; this allows 10 s at most
            if plain(title) == "Saved in the editor":
                break
            await pilot.pause(0.05)
        assert plain(title) == "Saved in the editor"


async def test_a_file_broken_from_the_start_shows_only_its_problems(tmp_path: Path) -> None:
    path = tmp_path / "draft.yaml"
    path.write_text("id: draft\ntitle: Draft\n", encoding="utf-8")
    app = make_app(preview=path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PreviewScreen)
        assert screen.query_one("#preview-outline", OptionList).option_count == 0
        problems = panels_text(app)
        assert problems is not None and "draft.yaml:1:1:" in problems
        await pilot.press("t", "c")  # nothing to open: no error either
        assert app.screen is screen


async def test_answers_go_to_a_scratch_database_that_is_removed(lesson_file: Path) -> None:
    app = make_app(preview=lesson_file)
    assert isinstance(app.db_path, Path)
    scratch = app.db_path.parent
    assert lesson_file.parent not in app.db_path.parents
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "1")
        assert app.db_path.exists()
    assert not scratch.exists()
    assert sorted(p.name for p in lesson_file.parent.iterdir()) == ["lesson.yaml"]
    with pytest.raises(ValueError, match="scratch"):
        make_app(db_path=lesson_file.parent / "scores.sqlite3", preview=lesson_file)


def test_signature_changes_with_the_content(lesson_file: Path) -> None:
    before = file_signature(lesson_file)
    edit(lesson_file, "minutes: 5", "minutes: 50")
    assert file_signature(lesson_file) != before
    assert file_signature(lesson_file.parent / "gone.yaml") is None


def test_preview_command_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preview", str(tmp_path / "none.yaml")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["preview", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_preview_command_runs_the_app_on_the_file(
    lesson_file: Path, fake_app_factory: dict[str, Any]
) -> None:
    made = fake_app_factory
    assert main(["preview", str(lesson_file)]) == 0
    assert made == {"preview": lesson_file, "ran": True}
