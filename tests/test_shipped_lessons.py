"""The lessons we ship stay sound: strict validation, and every keyed answer grades right."""

from __future__ import annotations

import datetime as dt

from quizapp.grading import grade
from quizapp.lessons.loader import load_paths
from quizapp.lessons.model import (
    TextQuestion,
)
from tests.support.lessons import shipped_lesson_files
from tests.support.store import right_response

LESSONS = shipped_lesson_files()


def test_shipped_lessons_pass_strict_validation() -> None:
    result = load_paths(LESSONS, strict=True)
    assert [str(e) for e in result.errors] == []
    assert len(result.lessons) == 9


def test_no_shipped_fact_is_overdue_for_a_check() -> None:
    """What `quizapp validate --strict lessons/` says on the day the suite runs: a card or
    question whose `review_by` has passed fails here until someone checks its facts against
    current sources and moves its dates (see docs/content.md, "Time-sensitive facts")."""
    result = load_paths(LESSONS, strict=True, today=dt.date.today())
    assert [str(e) for e in result.errors] == []


def test_every_live_matter_carries_review_dates() -> None:
    """The cards on matters still in motion say when they were checked and when to look again."""
    dated = {
        card.title
        for lesson in load_paths(LESSONS).lessons
        for card in lesson.cards
        if card.as_of and card.review_by
    }
    assert any("TPS" in title for title in dated), dated
    assert any("exception" in title.lower() for title in dated), dated


def test_every_keyed_answer_of_every_shipped_question_scores_one() -> None:
    for lesson in load_paths(LESSONS).lessons:
        for question in lesson.quiz.questions:
            # Every accepted spelling of a text answer; the keyed answer of the rest.
            if isinstance(question, TextQuestion):
                responses: list[object] = list(question.accept)
            else:
                responses = [right_response(question)]
            for each in responses:
                assert grade(question, each).correct, (lesson.id, question.id, each)


def test_lessons_are_listed_in_file_name_order() -> None:
    names = [p.name for p in load_paths(LESSONS).paths.values()]
    assert names == sorted(names)
    assert names[0].startswith("01-") and names[-1].startswith("09-")
