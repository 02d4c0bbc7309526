"""The class view's analysis worker's loop: each lesson's item analysis under every attempts
rule, one lesson's answers read at a time, the lesson the instructor is looking at first.

Run in a worker thread by :class:`quizapp.tui.screens.instructor.InstructorScreen`, which
passes what it is looking at (read afresh before each lesson) and how to post each result
back. The lesson files, the lesson model (pydantic), the reports and the review screen's
module (fsrs) are loaded here, so none of them delays the gradebook.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from quizapp.lessons.catalog import LessonHeader, load_lesson
from quizapp.tui.screens.class_messages import LessonAnalysed

if TYPE_CHECKING:
    from quizapp.reports import AnswerRecord, AttemptRule

__all__ = ["analyse_lessons"]


def analyse_lessons(
    path: Path | str,
    headers: Mapping[str, LessonHeader],
    answered: Collection[str],
    *,
    looking_at: Callable[[], tuple[str | None, AttemptRule]],
    cancelled: Callable[[], bool],
    post: Callable[[LessonAnalysed], object],
) -> None:
    """Post a :class:`LessonAnalysed` for each lesson of ``headers`` under each attempts
    rule: the lesson ``looking_at()`` names (else the next one), its rule first. A lesson
    whose file no longer loads is posted without a lesson (the screen loads it to say why);
    a report that cannot be read is posted with its error, and the loop stops there. Stops
    when ``cancelled()``."""
    from quizapp.reports import (
        ATTEMPT_RULES,
        ReportError,
        analyse_lesson,
        item_analysis,
        load_records,
    )
    from quizapp.tui.screens import review  # noqa: F401  # for the UI thread, loaded

    todo = list(headers)
    while todo and not cancelled():
        wanted, _ = looking_at()
        lesson_id = wanted if wanted in todo else todo[0]
        todo.remove(lesson_id)
        lesson, _problems = load_lesson(headers[lesson_id])
        if lesson is None:  # the UI thread loads it again to say why
            post(LessonAnalysed(lesson_id, looking_at()[1], None, None))
            continue
        records: list[AnswerRecord] | None = None
        first = looking_at()[1]
        for rule in (first, *(r for r in ATTEMPT_RULES if r != first)):
            if cancelled():
                return
            try:
                if rule in ("first", "last"):  # reads only the attempts that count
                    report = analyse_lesson(path, lesson, rule)
                else:
                    if records is None:
                        has = lesson_id in answered
                        records = load_records(path, {lesson_id}) if has else []
                    report = item_analysis(lesson, records, rule)
            except ReportError as exc:
                post(LessonAnalysed(lesson_id, rule, None, str(exc), lesson))
                return
            post(LessonAnalysed(lesson_id, rule, report, None, lesson))
