"""The exam's question map: every question's number, marked answered, flagged or not yet."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

__all__ = ["QuestionMap", "map_text"]


def map_text(marks: list[tuple[bool, bool]], current: int) -> Text:
    """One line of cells, one per question: ``[3]`` the question shown, ``3✓`` answered,
    ``3⚑`` flagged, ``3·`` not answered yet (``marks``: (answered, flagged) per question)."""
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
    text.append("\n✓ answered  ⚑ flagged  · not answered", style="dim")
    return text


class QuestionMap(Static):
    """Shows :func:`map_text`; the exam screen updates it after every event."""

    DEFAULT_CSS = "QuestionMap { height: auto; margin-bottom: 1; }"

    def show(self, marks: list[tuple[bool, bool]], current: int) -> None:
        """Draw the map for these marks with ``current`` highlighted."""
        self.update(map_text(marks, current))
