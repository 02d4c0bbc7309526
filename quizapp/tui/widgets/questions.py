"""One widget per question type. Each posts :class:`QuestionView.Answered` with the response in
the shape :mod:`quizapp.grading` expects; the quiz screen grades and stores it.

Attributes go down (the question, its display order), messages come up (the answer).
"""

from __future__ import annotations

from typing import Any, assert_never

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, OptionList, SelectionList
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

__all__ = ["QuestionView", "question_view"]


def _numbered(index: int, text: str) -> Text:
    label = Text(f"{index + 1}. " if index < 9 else "   ", style="bold")
    label.append(text)
    return label


class QuestionView(Vertical):
    """Base of the question widgets: holds the question and posts the student's answer."""

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
        self.post_message(self.Answered(response))

    def unlock(self) -> None:
        """Take the answer again: it could not be saved. What was chosen or typed stays, so
        Enter sends the same answer."""
        self.locked = False
        self._dim(False)

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


class _Untouched(OptionList):
    """An option list that starts with nothing highlighted: Enter answers only once the
    student has moved to an option (arrows, a number, the mouse) since the question appeared.

    A question that answered with its first option on Enter took an answer the student never
    gave when a second Enter arrived after the quiz moved on (exam mode moves on as soon as a
    question is answered). Enter on an untouched list only says how to choose.
    """

    #: What Enter on the untouched list says.
    HOW = "Choose with the arrows or 1-9, then Enter."

    def __init__(self, *options: Option, **kwargs: Any) -> None:
        super().__init__(*options, **kwargs)
        self.highlighted = None  # OptionList highlights its first option

    def action_select(self) -> None:
        if self.highlighted is None:
            view = next((a for a in self.ancestors if isinstance(a, QuestionView)), None)
            if view is not None and view.locked:  # answered: Enter means "next" as ever
                view.post_message(QuestionView.Continue())
            else:
                self.notify(self.HOW, severity="warning", timeout=4)
            return
        super().action_select()


class _Choices(_Untouched):
    """An option list whose number keys move to an option; Enter then answers.

    A number only chooses, as the arrows do: a slip of the finger is not an answer, and the
    same two keys (choose, Enter) work for every question type.
    """

    BINDINGS = [Binding(str(n), f"pick({n - 1})", show=False) for n in range(1, 10)]

    def action_pick(self, index: int) -> None:
        if index < self.option_count:
            self.highlighted = index


class ChoiceView(QuestionView):
    """Single choice and true/false: arrows or number keys, Enter."""

    HINT = "↑/↓ or 1-9 to choose, then Enter to answer"

    def compose(self) -> ComposeResult:
        yield _Choices(*self._options(), classes="answer-control")
        yield from self.compose_hint()

    def _options(self) -> list[Option]:
        return [Option(_numbered(i, text), id=str(i)) for i, text in enumerate(self.order)]

    def refill(self) -> None:
        # Nothing highlighted: Enter answers only a choice made (see _Untouched).
        self.query_one(_Choices).set_options(self._options())

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        text = self.order[event.option_index]
        if isinstance(self.question, TrueFalseQuestion):
            self.answer(text == "True")
        else:
            self.answer(text)


class _MultiChoices(SelectionList[str]):
    """Space (or a number) toggles, Enter submits."""

    BINDINGS = [
        Binding("enter", "submit", "Answer", show=False),
        *(Binding(str(n), f"toggle_number({n - 1})", show=False) for n in range(1, 10)),
    ]

    class Submitted(Message):
        """Enter was pressed on the list."""

    def action_submit(self) -> None:
        self.post_message(self.Submitted())

    def action_toggle_number(self, index: int) -> None:
        if index < self.option_count and not self.disabled:
            self.highlighted = index
            self.toggle(self.get_option_at_index(index).value)


class MultiView(QuestionView):
    """Several right choices: space or number keys toggle, Enter answers."""

    HINT = "↑/↓ to move, Space or 1-9 to tick, Enter to answer"

    def compose(self) -> ComposeResult:
        yield _MultiChoices(*self._selections(), classes="answer-control")
        yield from self.compose_hint()

    def _selections(self) -> list[tuple[Text, str]]:
        return [(_numbered(i, text), text) for i, text in enumerate(self.order)]

    def refill(self) -> None:
        choices = self.query_one(_MultiChoices)
        choices.clear_options()
        choices.add_options(self._selections())
        choices.highlighted = 0

    @on(_MultiChoices.Submitted)
    def _submit(self, event: _MultiChoices.Submitted) -> None:
        event.stop()
        chosen = self.query_one(_MultiChoices).selected
        if not chosen and not self.locked:
            self.notify("Tick at least one choice with Space first.", severity="warning")
            return
        self.answer([text for text in self.order if text in chosen])


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


class _Items(_Untouched):
    """The items of an order question (Enter answers once one was picked)."""

    HOW = "Pick an item with the arrows, move it with u/d, then Enter."


class OrderView(QuestionView):
    """Put items in order: move the highlighted item with u/d (or Shift+↑/↓), Enter answers."""

    HINT = "↑/↓ to pick an item, u/d or Shift+↑/↓ to move it, Enter to answer"

    BINDINGS = [
        Binding("u", "move(-1)", "Move up"),
        Binding("d", "move(1)", "Move down"),
        Binding("shift+up", "move(-1)", show=False),
        Binding("shift+down", "move(1)", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield _Items(*self._options(), classes="answer-control")
        yield from self.compose_hint()

    def _options(self) -> list[Option]:
        return [Option(_numbered(i, text)) for i, text in enumerate(self.order)]

    def refill(self) -> None:
        # Nothing highlighted: Enter answers only once an item was picked (see _Untouched).
        self.query_one(_Items).set_options(self._options())

    def action_move(self, step: int) -> None:
        """Swap the highlighted item with its neighbour."""
        options = self.query_one(_Items)
        at = options.highlighted
        if self.locked or at is None or not 0 <= at + step < len(self.order):
            return
        self.order[at], self.order[at + step] = self.order[at + step], self.order[at]
        options.set_options(self._options())
        options.highlighted = at + step

    @on(OptionList.OptionSelected)
    def _submit(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.answer(list(self.order))


class MatchView(QuestionView):
    """Match pairs: highlight a left item, press the number of its partner; Enter answers."""

    HINT = (
        "↑/↓ to pick an item, 1-9 to give it that partner from the right (then the next item "
        "is picked), Enter to answer"
    )

    BINDINGS = [Binding(str(n), f"assign({n - 1})", show=False) for n in range(1, 10)]

    def __init__(self, question: Question, order: list[str], **kwargs: Any) -> None:
        super().__init__(question, order, **kwargs)
        assert isinstance(question, MatchQuestion)
        self.lefts = list(question.pairs)
        self.chosen: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        with Horizontal(classes="match"):
            yield OptionList(*self._left_options(), classes="answer-control match-left")
            yield OptionList(
                *(Option(_numbered(i, text)) for i, text in enumerate(self.order)),
                classes="match-right",
                disabled=True,
            )
        yield from self.compose_hint()

    def refill(self) -> None:
        assert isinstance(self.question, MatchQuestion)
        self.lefts = list(self.question.pairs)
        self.chosen = {}
        lefts = self.query_one(".match-left", OptionList)
        lefts.set_options(self._left_options())
        lefts.highlighted = 0
        self.query_one(".match-right", OptionList).set_options(
            [Option(_numbered(i, text)) for i, text in enumerate(self.order)]
        )

    def _left_options(self) -> list[Option]:
        return [
            Option(Text.assemble((left, "bold"), " → ", self.chosen.get(left, "?")))
            for left in self.lefts
        ]

    def action_assign(self, index: int) -> None:
        """Give the highlighted left item the partner numbered ``index + 1``."""
        lefts = self.query_one(".match-left", OptionList)
        at = lefts.highlighted
        if self.locked or at is None or index >= len(self.order):
            return
        self.chosen[self.lefts[at]] = self.order[index]
        lefts.set_options(self._left_options())
        lefts.highlighted = min(at + 1, len(self.lefts) - 1)

    @on(OptionList.OptionSelected, ".match-left")
    def _submit(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        missing = [left for left in self.lefts if left not in self.chosen]
        if missing and not self.locked:
            self.notify(f"Choose a partner for {missing[0]!r} first (1-9).", severity="warning")
            return
        self.answer(dict(self.chosen))


def view_class(question: Question) -> type[QuestionView]:
    """The widget class that shows ``question``."""
    match question:
        case SingleQuestion() | TrueFalseQuestion():
            return ChoiceView
        case MultiQuestion():
            return MultiView
        case TextQuestion() | NumberQuestion():
            return TypedView
        case OrderQuestion():
            return OrderView
        case MatchQuestion():
            return MatchView
        case _:
            assert_never(question)


def question_view(question: Question, order: list[str]) -> QuestionView:
    """A new widget for ``question``, showing its options in ``order`` (the session's shuffle)."""
    return view_class(question)(question, list(order))
