"""The one list every list question answers in (single, true/false, multi, order, match).

The list changes its mode from one question to the next instead of a widget per type taking
the keyboard in turn: a focus that moves repaints the whole screen, restyles the list that
loses it and the one that gains it, and may rebuild the footer (docs/performance.md, "Round
five: one answer widget"). What each mode does with a key is decided by the question widget
that owns the list (:class:`AnswerOwner`); the list draws the options, multi's tick boxes, and
keeps Enter from answering an untouched choice.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, ClassVar, Protocol

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.strip import Strip
from textual.widgets import Checkbox, OptionList
from textual.widgets.option_list import Option

__all__ = ["AnswerList", "AnswerOwner", "Mode"]


class Mode(Enum):
    """What the answer list is answering."""

    CHOICE = "choice"  # single choice and true/false: choose one, Enter
    MULTI = "multi"  # tick any number (Space or 1-9), Enter
    ORDER = "order"  # move the highlighted item (u/d), Enter
    MATCH = "match"  # give the highlighted left item a partner (1-9), Enter


#: What Enter on a list with nothing highlighted yet says, by mode.
HOW = {
    Mode.CHOICE: "Choose with the arrows or 1-9, then Enter.",
    Mode.ORDER: "Pick an item with the arrows, move it with u/d, then Enter.",
}

#: Multi's tick box: the same characters a SelectionList (and a Checkbox) draws.
_BOX = (Checkbox.BUTTON_LEFT, Checkbox.BUTTON_INNER, Checkbox.BUTTON_RIGHT)
_GUTTER = sum(map(len, _BOX)) + 1


class AnswerOwner(Protocol):
    """The question widget that owns the list and turns its keys into an answer."""

    locked: bool

    def answer_key(self, index: int) -> None:
        """A number key: option ``index`` (0-based) in match mode, a partner."""

    def move(self, step: int) -> None:
        """u/d in order mode: move the highlighted item ``step`` places."""

    def submit(self) -> None:
        """Enter in multi mode (elsewhere the list posts ``OptionSelected``)."""

    def untouched(self) -> None:
        """Enter on a list with nothing highlighted yet."""


class AnswerList(OptionList):
    """An option list with a mode: the keys of every list question type, on one control.

    Only the keys of the current mode act (:meth:`check_action`), so only an order question
    shows Move up/Move down in the footer. In multi mode each option gets a tick box, drawn
    as a ``SelectionList`` draws it, on the first line of the option (continued lines of a
    long option get the box's width of blank).
    """

    BINDINGS: ClassVar[list[Binding | tuple[str, str] | tuple[str, str, str]]] = [
        Binding("enter", "submit", "Answer", show=False),
        Binding("space", "tick", show=False),
        Binding("u", "move(-1)", "Move up"),
        Binding("d", "move(1)", "Move down"),
        Binding("shift+up", "move(-1)", show=False),
        Binding("shift+down", "move(1)", show=False),
        *(Binding(str(n), f"number({n - 1})", show=False) for n in range(1, 10)),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "answer-list--box",
        "answer-list--box-ticked",
        "answer-list--box-highlighted",
        "answer-list--box-ticked-highlighted",
    }

    def __init__(self, owner: AnswerOwner, mode: Mode, *options: Option, **kwargs: Any) -> None:
        super().__init__(*options, **kwargs)
        self.owner = owner
        self.mode = mode
        #: The indices ticked (multi mode).
        self.ticked: set[int] = set()
        self.highlighted = self.first_highlight()

    def first_highlight(self) -> int | None:
        """Where the highlight starts on a new question: nowhere for a choice or an order, so
        Enter answers only once the student moved (a second Enter after the quiz moved on is
        not an answer); the first option for multi and match (Enter there warns by itself)."""
        return 0 if self.mode in (Mode.MULTI, Mode.MATCH) else None

    def show(self, mode: Mode, options: list[Option]) -> None:
        """A new question: its mode and options, nothing ticked, the highlight at its start."""
        self.mode = mode
        self.ticked.clear()
        self.set_options(options)
        self.highlighted = self.first_highlight()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """u/d only order; Space only ticks (elsewhere it goes on to the screen). Neither
        once the question is answered: the footer stops offering a change that would not
        change the answer."""
        if action == "move":
            return self.mode is Mode.ORDER and not self.owner.locked
        if action == "tick":
            return self.mode is Mode.MULTI and not self.owner.locked
        return True

    # ------------------------------------------------------------------ keys

    def action_number(self, index: int) -> None:
        """1-9: choose (choice), tick (multi), give a partner (match); nothing for an order."""
        if self.mode is Mode.MATCH:
            self.owner.answer_key(index)
        elif index < self.option_count and self.mode is not Mode.ORDER:
            self.highlighted = index
            if self.mode is Mode.MULTI and not self.disabled:
                self.toggle(index)

    def action_tick(self) -> None:
        """Space (or a click) in multi mode: tick or untick the highlighted option."""
        if self.highlighted is not None:
            self.toggle(self.highlighted)

    def action_move(self, step: int) -> None:
        """u/d (Shift+↑/↓) in order mode."""
        self.owner.move(step)

    def action_submit(self) -> None:
        """Enter: answer; on a choice or order nobody touched, only say how."""
        if self.mode is Mode.MULTI:
            self.owner.submit()
        elif self.highlighted is None:
            self.owner.untouched()
        else:
            super().action_select()  # the owner answers on OptionSelected

    def action_select(self) -> None:
        """A click on an option: ticks it in multi mode, else answers with it (as a click
        on a question's list always did)."""
        if self.mode is Mode.MULTI:
            self.action_tick()
        else:
            super().action_select()

    def toggle(self, index: int) -> None:
        """Tick or untick option ``index``; not once the question is answered (the ticks
        under the feedback are the answer given). Every key and click that ticks comes here."""
        if self.owner.locked:
            return
        self.ticked.symmetric_difference_update({index})
        self.refresh()

    # ------------------------------------------------------------------ drawing

    def _get_left_gutter_width(self) -> int:
        return _GUTTER if self.mode is Mode.MULTI else 0

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # Options wrap beside the tick boxes (OptionList measures them without the boxes,
        # which gave a long multi option's last line a scrollbar instead of room).
        return super().get_content_height(
            container, viewport, width - self._get_left_gutter_width()
        )

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        if self.mode is not Mode.MULTI:
            return line
        try:
            index, line_no = self._lines[self.scroll_offset.y + y]
        except IndexError:
            return line
        underlying = next(iter(line)).style or self.rich_style
        if line_no:  # a long option's next line: no box, its width blank
            return Strip([Segment(" " * _GUTTER, underlying), *line])
        name = "answer-list--box"
        if index in self.ticked:
            name += "-ticked"
        if self.highlighted == index:
            name += "-highlighted"
        meta = Style(meta={"option": index})
        box = self.get_component_rich_style(name)
        side = Style.from_color(box.bgcolor, underlying.bgcolor) + meta
        left, inner, right = _BOX
        return Strip(
            [
                Segment(left, side),
                Segment(inner, box + meta),
                Segment(right, side),
                Segment(" ", underlying),
                *line,
            ]
        )
