"""The class view's item analysis panel: what it says about one lesson's analysis, whether
that is a drawn report or why there is none yet (reading, analysing, no lesson file, an
error).

The screen (:mod:`quizapp.tui.screens.instructor`) runs the workers and keeps the reports;
this panel only shows the state it is given. Every text from a lesson or a score file is
shown literally (``rich.text.Text``, never markup).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from quizapp.tui.widgets.class_view import analysis_renderable

if TYPE_CHECKING:  # the lesson model and the reports load after the gradebook is shown
    from quizapp.lessons.model import Lesson
    from quizapp.reports import AttemptRule, LessonReport

__all__ = ["AnalysisPanel"]


class AnalysisPanel(VerticalScroll):
    """The scrolling item analysis; it can be zoomed to the whole screen (z). Its body is
    the ``Static`` with the id ``analysis-body`` that the screen composes inside it."""

    ALLOW_MAXIMIZE = True

    def show_message(self, text: str) -> None:
        """Show ``text`` (in italics) instead of an analysis."""
        self.query_one("#analysis-body", Static).update(Text(text, style="italic"))

    def show_analysis(
        self,
        rule: AttemptRule,
        lesson_id: str | None,
        number: int | None,
        lesson: Lesson | None,
        report: LessonReport | None,
        *,
        pending: bool = False,
        error: str | None,
        lessons_dir: Path,
        review: Callable[[Lesson], RenderableType | None],
    ) -> None:
        """Show the analysis of ``lesson_id`` (lesson ``number`` in the list, if it is one)
        under ``rule``: the drawn ``report`` with the class's ``review`` of the lesson below
        it, or why there is no report (``error``, still analysing, no lesson file).
        ``pending``: the lesson has a file, not loaded yet (the analysis loads it)."""
        self.border_title = f"Item analysis · {rule} attempts"
        if lesson_id is None:
            self.show_message("No lessons and no scores yet.")
            return
        if (lesson is not None or pending) and report is None:
            if error is not None:
                self.show_message(f"The answers could not be read: {error}")
                return
            label = f"L{number}" if number else lesson_id
            self.show_message(f"Analysing the answers to {label}…")
            return
        if lesson is None or report is None:
            self.show_message(
                f"Lesson {lesson_id!r} has scores but no lesson file in "
                f"{lessons_dir}, so its questions cannot be analysed."
            )
            return
        body = analysis_renderable(number, lesson, report)
        shown = review(lesson)
        self.query_one("#analysis-body", Static).update(
            Group(body, shown) if shown is not None else body
        )
