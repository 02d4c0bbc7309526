"""The messages the class view's worker threads post to it
(:class:`quizapp.tui.screens.instructor.InstructorScreen`): the gradebook read, and one
lesson's item analysis under one attempts rule."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # the lesson model and the reports load after the gradebook is shown
    from quizapp.lessons.model import Lesson
    from quizapp.reports import AttemptRule, LessonReport
    from quizapp.store import GradebookRow

__all__ = ["ClassLoaded", "LessonAnalysed"]


class ClassLoaded(Message):
    """The worker read the gradebook (or failed to: ``error`` says why)."""

    def __init__(self, rows: list[GradebookRow], error: str | None = None) -> None:
        super().__init__()
        self.rows = rows
        self.error = error


class LessonAnalysed(Message):
    """The analysis worker has a lesson's item analysis under one attempts rule (or could
    not read the answers: ``error`` says why), and the ``lesson`` it loaded for it (None
    when its file no longer loads: the screen then shows why)."""

    def __init__(
        self,
        lesson_id: str,
        rule: AttemptRule,
        report: LessonReport | None,
        error: str | None,
        lesson: Lesson | None = None,
    ) -> None:
        super().__init__()
        self.lesson_id = lesson_id
        self.rule = rule
        self.report = report
        self.error = error
        self.lesson = lesson
