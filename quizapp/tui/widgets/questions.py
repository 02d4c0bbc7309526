"""The question widgets: one for every list question (choice, true/false, multi, order, match),
one for typed answers (text, number). Each posts :class:`QuestionView.Answered` with the response in
the shape :mod:`quizapp.grading` expects; the quiz screen grades and stores it.

Attributes go down (the question, its display order), messages come up (the answer).
"""

from __future__ import annotations

from typing import Any, assert_never

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from quizapp.grading import parse_number
from quizapp.lessons.model import (
    MatchQuestion,
    MultiQuestion,
    NumberQuestion,
    OrderQuestion,
    Question,
    SingleQuestion,
    TextQuestion,
    TrueFalseQuestion,
)
from quizapp.tui.widgets.answer_list import HOW, AnswerList, Mode

__all__ = ["ListQuestionView", "QuestionView", "TypedView", "question_view", "view_class"]


def _numbered(index: int, text: str) -> Text:
    label = Text(f"{index + 1}. " if index < 9 else "   ", style="bold")
    label.append(text)
    return label


class QuestionView(Vertical):
    """Base of the question widgets: holds the question and posts the student's answer."""

    #: Draws nothing of its own (no border, no text: its children do), so Textual fills it
    #: with its background instead of rendering its lines on every frame that redraws it.
    BLANK = True

    DEFAULT_CSS = """
    QuestionView { height: auto; }
    QuestionView .hint { color: $text-muted; margin-top: 1; }
    """

    class Answered(Message):
        """The student committed an answer."""

        def __init__(self, response: Any) -> None:
            super().__init__()
            self.response = response

    class Continue(Message):
        """Enter again after answering: on to the next question."""

    class Review(Message):
        """``r`` after answering, from a text box (elsewhere the screen's key does it)."""

    HINT = ""
    #: The answer control's text opacity once answered (see :meth:`_dim`).
    ANSWERED_OPACITY = 0.55

    def __init__(self, question: Question, order: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.question = question
        self.order = order
        #: True once answered: further answers are ignored until the next ``load``.
        self.locked = False

    def compose_hint(self) -> ComposeResult:
        """The key hint under the widget."""
        yield Label(self.HINT, classes="hint", markup=False)

    def load(self, question: Question, order: list[str]) -> None:
        """Show another question of the same type in this (already mounted) widget.

        Reusing a mounted widget costs a fraction of mounting a new one (no new nodes to
        style and lay out), which keeps the next question well inside one frame.
        """
        self.question, self.order, self.locked = question, list(order), False
        self._dim(False)
        self.refill()

    def refill(self) -> None:
        """Put the current question's options into the widget's controls."""

    def answer(self, response: Any) -> None:
        """Post the answer, once; Enter on an answered question means "next".

        The widget keeps the keyboard after answering: moving focus would restyle the
        screen and rebuild its footer, which cost more than showing the next question.
        """
        if self.locked:
            self.post_message(self.Continue())
            return
        self.locked = True
        self._dim(True)
        self.refresh_bindings()  # the keys that change an answer go from the footer
        self.post_message(self.Answered(response))

    def unlock(self) -> None:
        """Take the answer again: it could not be saved. What was chosen or typed stays, so
        Enter sends the same answer."""
        self.locked = False
        self._dim(False)
        self.refresh_bindings()

    def _dim(self, answered: bool) -> None:
        """Dim the answer control once answered: it stays visible under the feedback.

        An inline style, not a CSS class: a class change restyles the widget's whole subtree
        through the stylesheet (about 1.5 ms per question, more than the rest of showing the
        next one); an inline style only repaints the control (docs/performance.md).
        """
        control = self.query_one(".answer-control")
        if answered:
            control.styles.text_opacity = self.ANSWERED_OPACITY
        else:
            control.styles.clear_rule("text_opacity")
        control.notify_style_update()  # as a restyle would: the control's cached styles go

    def focus_input(self) -> None:
        """Give the keyboard to the widget's main control.

        Now, not after the next refresh as ``Widget.focus`` does: a focus that moves repaints
        the whole screen, and made now it shares the frame that shows the question instead
        of costing a second one (docs/performance.md).
        """
        self.screen.set_focus(self.query_one(".answer-control"))


def _mode(question: Question) -> Mode:
    match question:
        case MultiQuestion():
            return Mode.MULTI
        case OrderQuestion():
            return Mode.ORDER
        case MatchQuestion():
            return Mode.MATCH
        case _:
            return Mode.CHOICE


class ListQuestionView(QuestionView):
    """Every question answered from a list: single choice, true/false, multi, order, match.

    One :class:`AnswerList` holds the keyboard for all of them and changes its mode per
    question (:meth:`load`), so from one list question to the next focus stays where it is
    and nothing restyles. A match also shows its partners in a second list on the right,
    never focused; it is hidden for the other types.
    """

    DEFAULT_CSS = """
    ListQuestionView { layout: horizontal; }
    ListQuestionView > .hint { dock: bottom; }
    """

    HINTS = {
        Mode.CHOICE: "↑/↓ or 1-9 to choose, then Enter to answer",
        Mode.MULTI: "↑/↓ to move, Space or 1-9 to tick, Enter to answer",
        Mode.ORDER: "↑/↓ to pick an item, u/d or Shift+↑/↓ to move it, Enter to answer",
        Mode.MATCH: (
            "↑/↓ to pick an item, 1-9 to give it that partner from the right (then the next "
            "item is picked), Enter to answer"
        ),
    }
    #: A match shows every partner: its lists do not scroll as far as 40 lines.
    MATCH_HEIGHT = 40

    def __init__(self, question: Question, order: list[str], **kwargs: Any) -> None:
        super().__init__(question, order, **kwargs)
        self.mode = _mode(question)
        #: A match's left items, in the lesson's order, and the partner given to each.
        self.lefts: list[str] = list(question.pairs) if isinstance(question, MatchQuestion) else []
        self.chosen: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        answers = AnswerList(self, self.mode, *self._options(), classes="answer-control")
        partners = OptionList(*self._partners(), classes="match-right", disabled=True)
        partners.display = self.mode is Mode.MATCH
        if self.mode is Mode.MATCH:
            answers.styles.max_height = self.MATCH_HEIGHT
        yield answers
        yield partners
        yield Label(self.HINTS[self.mode], classes="hint", markup=False)

    @property
    def answers(self) -> AnswerList:
        """The list that has the keyboard."""
        return self.query_one(AnswerList)

    def _options(self) -> list[Option]:
        if self.mode is Mode.MATCH:
            return [
                Option(Text.assemble((left, "bold"), " → ", self.chosen.get(left, "?")))
                for left in self.lefts
            ]
        return [Option(_numbered(i, text)) for i, text in enumerate(self.order)]

    def _partners(self) -> list[Option]:
        if self.mode is not Mode.MATCH:
            return []
        return [Option(_numbered(i, text)) for i, text in enumerate(self.order)]

    def refill(self) -> None:
        """The new question's options; when its type differs, the list's mode, the partner
        list and the key hint (only then: each is a layout change)."""
        mode, was = _mode(self.question), self.mode
        self.mode = mode
        question = self.question
        self.lefts = list(question.pairs) if isinstance(question, MatchQuestion) else []
        self.chosen = {}
        answers = self.answers
        answers.show(mode, self._options())
        partners = self.query_one(".match-right", OptionList)
        if mode is Mode.MATCH:
            partners.set_options(self._partners())
            partners.highlighted = 0  # as a new list starts (the screen looks the same)
        if mode is was:
            return
        match = mode is Mode.MATCH
        partners.display = match
        if match:
            answers.styles.max_height = self.MATCH_HEIGHT
        elif was is Mode.MATCH:
            answers.styles.clear_rule("max_height")
        self.query_one(".hint", Label).update(self.HINTS[mode])

    # ------------------------------------------------------------------ the list's keys

    def answer_key(self, index: int) -> None:
        """1-9 in match mode: give the highlighted left item the partner ``index + 1``; the
        next left item is picked."""
        answers = self.answers
        at = answers.highlighted
        if self.locked or at is None or index >= len(self.order):
            return
        self.chosen[self.lefts[at]] = self.order[index]
        answers.set_options(self._options())
        answers.highlighted = min(at + 1, len(self.lefts) - 1)

    def move(self, step: int) -> None:
        """u/d in order mode: swap the highlighted item with its neighbour."""
        answers = self.answers
        at = answers.highlighted
        if self.locked or at is None or not 0 <= at + step < len(self.order):
            return
        self.order[at], self.order[at + step] = self.order[at + step], self.order[at]
        answers.set_options(self._options())
        answers.highlighted = at + step

    def untouched(self) -> None:
        """Enter before a choice or an item was picked: say how (answered: go on)."""
        if self.locked:
            self.post_message(QuestionView.Continue())
        else:
            self.notify(HOW[self.mode], severity="warning", timeout=4)

    @on(OptionList.OptionSelected, ".answer-control")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.submit()

    def submit(self) -> None:
        """Enter: the answer in the shape grading expects, or what is still missing."""
        answers = self.answers
        match self.mode:
            case Mode.CHOICE:
                assert answers.highlighted is not None
                text = self.order[answers.highlighted]
                true_false = isinstance(self.question, TrueFalseQuestion)
                self.answer(text == "True" if true_false else text)
            case Mode.MULTI:
                if not answers.ticked and not self.locked:
                    self.notify("Tick at least one choice with Space first.", severity="warning")
                    return
                self.answer([text for i, text in enumerate(self.order) if i in answers.ticked])
            case Mode.ORDER:
                self.answer(list(self.order))
            case Mode.MATCH:
                missing = [left for left in self.lefts if left not in self.chosen]
                if missing and not self.locked:
                    self.notify(
                        f"Choose a partner for {missing[0]!r} first (1-9).", severity="warning"
                    )
                    return
                self.answer(dict(self.chosen))


class _AnswerInput(Input):
    """An input that stops taking text once its question is answered."""

    async def _on_key(self, event: events.Key) -> None:
        view = self.parent.parent if self.parent is not None else None
        if isinstance(view, QuestionView) and view.locked:
            event.stop()
            event.prevent_default()
            if event.key == "enter":
                view.post_message(QuestionView.Continue())
            elif event.key == "r":
                view.post_message(QuestionView.Review())
            return
        await super()._on_key(event)


class TypedView(QuestionView):
    """Text and number questions: type, Enter."""

    HINT = "Type your answer, Enter to answer"

    def compose(self) -> ComposeResult:
        with Horizontal(classes="typed"):
            yield _AnswerInput(classes="answer-control")
            yield Label(classes="unit", markup=False)
        yield from self.compose_hint()

    def on_mount(self) -> None:
        self.refill()

    def refill(self) -> None:
        number = isinstance(self.question, NumberQuestion)
        typed = self.query_one(Input)
        typed.value = ""
        typed.placeholder = "a number" if number else "your answer"
        unit = self.question.unit if isinstance(self.question, NumberQuestion) else None
        label = self.query_one(".unit", Label)
        label.update(unit or "")
        label.display = bool(unit)

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        if not self.locked:
            if not event.value.strip():
                self.notify("Type an answer first.", severity="warning")
                return
            if isinstance(self.question, NumberQuestion) and parse_number(event.value) is None:
                # Not an answer yet: "July 2016" or "two" is a slip, not a wrong number.
                self.notify("Type a number in digits, such as 1996 or 2.5.", severity="warning")
                return
        self.answer(event.value)


def view_class(question: Question) -> type[QuestionView]:
    """The widget class that shows ``question``."""
    match question:
        case TextQuestion() | NumberQuestion():
            return TypedView
        case (
            SingleQuestion()
            | TrueFalseQuestion()
            | MultiQuestion()
            | OrderQuestion()
            | MatchQuestion()
        ):
            return ListQuestionView
        case _:
            assert_never(question)


def question_view(question: Question, order: list[str]) -> QuestionView:
    """A new widget for ``question``, showing its options in ``order`` (the session's shuffle)."""
    return view_class(question)(question, list(order))
