"""The exam's question map: every question's number, marked answered, flagged or not yet.

The map takes the keyboard too (Ctrl+G, Tab or a click): typing a question's number jumps to
it. A number that cannot grow into a larger one (any digit when there are nine questions or
fewer) jumps at once; otherwise Enter ends it.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import Static

__all__ = ["QuestionMap", "map_text"]


def map_text(marks: list[tuple[bool, bool]], current: int, typed: str | None = None) -> Text:
    """One line of cells, one per question: ``[3]`` the question shown, ``3✓`` answered,
    ``3⚑`` flagged, ``3·`` not answered yet (``marks``: (answered, flagged) per question).
    ``typed``: the map has the keyboard and these digits are typed so far."""
    text = Text()
    for index, (answered, flagged) in enumerate(marks):
        mark = "⚑" if flagged else "✓" if answered else "·"
        cell = f"{index + 1}{mark}"
        style = "bold green" if answered else "yellow" if flagged else "dim"
        if flagged and answered:
            style = "bold yellow"
        if index == current:
            text.append(f"[{cell}]", style=f"{style} reverse")
        else:
            text.append(f" {cell} ", style=style)
    if typed is None:
        text.append("\n✓ answered  ⚑ flagged  · not answered  ^g go to a number", style="dim")
    else:
        text.append("\nGo to question: ", style="bold")
        text.append(f"{typed}_", style="bold reverse")
        text.append("  (type its number, then Enter; Esc: back)", style="dim")
    return text


class QuestionMap(Static, can_focus=True):
    """Shows :func:`map_text`; the exam screen updates it after every event. With the
    keyboard it posts :class:`Jump` for the question number typed."""

    DEFAULT_CSS = "QuestionMap { height: auto; margin-bottom: 1; }"

    class Jump(Message):
        """Go to question ``number`` (1-based, as shown; it may not exist)."""

        def __init__(self, number: int) -> None:
            super().__init__()
            self.number = number

    class Done(Message):
        """Escape on the map: give the keyboard back to the question."""

    _marks: list[tuple[bool, bool]] = []
    _current = 0
    _typed = ""
    _active = False  # has the keyboard

    def show(self, marks: list[tuple[bool, bool]], current: int) -> None:
        """Draw the map for these marks with ``current`` highlighted."""
        self._marks, self._current = list(marks), current
        self._draw()

    def _draw(self) -> None:
        self.update(map_text(self._marks, self._current, self._typed if self._active else None))

    def on_focus(self) -> None:
        self._typed, self._active = "", True
        self._draw()

    def on_blur(self) -> None:
        self._typed, self._active = "", False
        self._draw()

    def on_key(self, event: events.Key) -> None:
        if event.character is not None and event.character.isdigit():
            event.stop()
            self._typed = (self._typed + event.character).lstrip("0")[:4]
            if self._typed and int(self._typed) * 10 > len(self._marks):
                self._jump()  # no longer number starts with these digits
            else:
                self._draw()
        elif event.key == "backspace":
            event.stop()
            self._typed = self._typed[:-1]
            self._draw()
        elif event.key == "enter":
            event.stop()
            self._jump()
        elif event.key == "escape":
            event.stop()
            self._typed = ""
            self.post_message(self.Done())

    def _jump(self) -> None:
        typed, self._typed = self._typed, ""
        self._draw()
        if typed:
            self.post_message(self.Jump(int(typed)))
