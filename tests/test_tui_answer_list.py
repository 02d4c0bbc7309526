"""One answer widget for every list question (issue 19, round five): from one list question
to the next the same control keeps the keyboard, and each mode's keys work after any other
mode, with nothing of the last question left behind (ticks, moved items, partners)."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from textual import on
from textual.app import App, ComposeResult
from textual.widgets import OptionList
from textual.widgets._footer import FooterKey

from quizapp.choices import display_choices
from quizapp.lessons.loader import load_file
from quizapp.lessons.model import Question
from quizapp.tui.app import make_app
from quizapp.tui.screens.quiz import QuizScreen
from quizapp.tui.widgets.questions import ListQuestionView, QuestionView
from tests.support.lessons import IN_ORDER
from tests.support.tui import answer_right, on_question, screen_lines, screen_text

LIST_TYPES = ["single", "true_false", "multi", "order", "match"]


@pytest.fixture(scope="module")
def questions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Question]:
    """The minimal lesson's list questions, by type."""
    path = tmp_path_factory.mktemp("lesson") / "01-test.yaml"
    path.write_text(IN_ORDER, encoding="utf-8")
    lesson, errors = load_file(path)
    assert lesson is not None, errors
    return {q.type: q for q in lesson.quiz.questions if q.type in LIST_TYPES}


def order_of(question: Question) -> list[str]:
    """The options as shown, unshuffled (true/false: True, False)."""
    if question.type == "true_false":
        return ["True", "False"]
    return display_choices(question, 1, shuffle=False)


class Host(App[None]):
    """One list question widget, and the answers it posts."""

    def __init__(self, first: Question) -> None:
        super().__init__()
        self.view = ListQuestionView(first, order_of(first))
        self.answers: list[Any] = []

    def compose(self) -> ComposeResult:
        yield self.view

    def on_mount(self) -> None:
        self.view.focus_input()

    @on(QuestionView.Answered)
    def _answered(self, event: QuestionView.Answered) -> None:
        self.answers.append(event.response)


async def leave_traces(pilot: Any, kind: str) -> None:
    """Half-answer a question of ``kind`` (ticks, a moved item, a partner), not answering."""
    keys = {
        "single": ["2"],
        "true_false": ["2"],
        "multi": ["1", "2", "space"],
        "order": ["down", "d", "d"],
        "match": ["3"],
    }[kind]
    await pilot.press(*keys)


async def answer_by_keys(pilot: Any, view: ListQuestionView, kind: str) -> Any:
    """Answer a question of ``kind`` with its own keys; what a clean widget should post."""
    order = list(view.order)
    match kind:
        case "single":
            await pilot.press("2", "enter")
            return order[1]
        case "true_false":
            await pilot.press("2", "enter")
            return False
        case "multi":
            await pilot.press("3", "enter")
            return [order[2]]
        case "order":
            await pilot.press("down", "d", "enter")
            return [order[1], order[0], *order[2:]]
        case "match":
            await pilot.press("2", "1", "enter")
            return {view.lefts[0]: order[1], view.lefts[1]: order[0]}
    raise AssertionError(kind)


@pytest.mark.parametrize(("before", "after"), list(itertools.permutations(LIST_TYPES, 2)))
async def test_each_list_type_after_each_other_keeps_the_keyboard_and_its_keys(
    questions: dict[str, Question], before: str, after: str
) -> None:
    app = Host(questions[before])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        control = app.focused
        assert isinstance(control, OptionList)
        await leave_traces(pilot, before)
        view = app.view
        view.load(questions[after], order_of(questions[after]))
        await pilot.pause()
        assert app.focused is control  # the same control has the keyboard
        partners = view.query_one(".match-right", OptionList)
        assert partners.display == (after == "match")  # the partners only for a match
        if after == "match":
            assert partners.option_count == len(view.order)
        expected = await answer_by_keys(pilot, view, after)
        await pilot.pause()
        assert app.answers == [expected]  # nothing of the last question leaked in


async def test_order_keys_only_in_order_mode(questions: dict[str, Question]) -> None:
    app = Host(questions["order"])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.view
        view.load(questions["single"], order_of(questions["single"]))
        await pilot.press("down", "d", "enter")  # d moves nothing in a single choice
        await pilot.pause()
        assert app.answers == [view.order[0]]
        assert view.order == order_of(questions["single"])


async def test_enter_on_an_untouched_choice_after_a_match_answers_nothing(
    questions: dict[str, Question],
) -> None:
    app = Host(questions["match"])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.view.load(questions["single"], order_of(questions["single"]))
        await pilot.press("enter")
        await pilot.pause()
        assert app.answers == []
        said = [str(n.message) for n in app._notifications]
        assert said == ["Choose with the arrows or 1-9, then Enter."]


async def test_a_click_ticks_a_multi_and_answers_a_single(questions: dict[str, Question]) -> None:
    app = Host(questions["multi"])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.view
        await pilot.click(OptionList, offset=(8, 2))  # the second option's text
        await pilot.pause()
        assert app.answers == []
        await pilot.press("enter")
        await pilot.pause()
        assert app.answers == [[view.order[1]]]
        view.load(questions["single"], order_of(questions["single"]))
        await pilot.pause()
        await pilot.click(OptionList, offset=(8, 1))
        await pilot.pause()
        assert app.answers[1:] == [view.order[0]]


async def test_a_list_to_list_step_keeps_focus_on_the_same_control(
    quiz_lessons: Path, tmp_path: Path
) -> None:
    app = make_app(lessons_dir=quiz_lessons, db_path=tmp_path / "s.sqlite3", student="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("t")
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        focused: list[object] = []
        for _ in range(3):  # single, multi, true/false
            focused.append(app.focused)
            await answer_right(pilot, app)
            await pilot.press("enter")
            await pilot.pause()
        assert focused[0] is focused[1] is focused[2] is not None
        for _ in range(2):  # text, number
            await answer_right(pilot, app)
            await pilot.press("enter")
            await pilot.pause()
        order = app.focused
        assert "Move up" in screen_text(app)  # the order question's footer keys
        keys = list(screen.query(FooterKey))
        await answer_right(pilot, app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is order  # on to the match: the same control
        assert "Move up" not in screen_text(app) and "Move down" not in screen_text(app)
        assert list(screen.query(FooterKey)) == keys  # hidden, not rebuilt


async def test_a_long_multi_option_wraps_with_its_box_on_its_first_line(tmp_path: Path) -> None:
    long = "a choice long enough to wrap onto a second line at eighty columns " * 2
    text = IN_ORDER.replace("choices: [A, B, C, D]", f"choices: [{long.strip()}, A, C, D]")
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "01-test.yaml").write_text(text, encoding="utf-8")
    app = make_app(lessons_dir=folder, db_path=tmp_path / "s.sqlite3", student="Ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t", "1", "enter", "enter")  # the single choice, then the multi
        await pilot.pause()
        lines = screen_lines(app)
        first = next(i for i, line in enumerate(lines) if "1. a choice long" in line)
        assert "▐X▌ 1. a choice long" in lines[first]
        assert "▐X▌" not in lines[first + 1]  # the option's next line: no box
        assert any("▐X▌ 2. A" in line for line in lines)  # the second option's own box
        assert any("▐X▌ 4. D" in line for line in lines)  # all in view: room for the wrap


async def test_an_answered_multi_keeps_its_ticks(questions: dict[str, Question]) -> None:
    # The ticks under the feedback are the answer given: keys and clicks leave them alone.
    app = Host(questions["multi"])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.view
        await pilot.press("1", "enter")
        await pilot.pause()
        assert app.answers == [[view.order[0]]]
        await pilot.press("2", "space", "1")
        await pilot.click(OptionList, offset=(8, 3))
        await pilot.pause()
        assert view.answers.ticked == {0}


def shown_keys(app: App[Any]) -> set[str]:
    """The descriptions of the footer keys the screen shows."""
    return {key.description for key in app.screen.query(FooterKey) if key.display}


async def test_an_answered_order_no_longer_offers_its_move_keys(quiz_lessons: Path) -> None:
    app = make_app(quiz_lessons, quiz_lessons.parent / "scores.sqlite3", student="Ana")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        while on_question(app)[0].type != "order":
            await answer_right(pilot, app)
            await pilot.press("enter")
            await pilot.pause()
        assert "Move up" in shown_keys(app)
        _, view = on_question(app)
        assert isinstance(view, ListQuestionView)
        await pilot.press("down", "d", "enter")  # answered with the first item moved down
        await pilot.pause()
        order = list(view.order)
        assert not {"Move up", "Move down"} & shown_keys(app)
        await pilot.press("u", "d")
        await pilot.pause()
        assert view.order == order
