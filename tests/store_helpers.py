"""Shared helpers for the store and session tests (also imported by the child scripts).

``make_lesson`` builds a small lesson with one question of every type, so that a session
can be driven without lesson files on disk.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from quizapp.lessons.model import (
    Lesson,
    MatchQuestion,
    MultiQuestion,
    NumberQuestion,
    OrderQuestion,
    Question,
    SingleQuestion,
    TextQuestion,
    TrueFalseQuestion,
)

SOURCE = {"id": "src", "title": "A source", "publisher": "Somebody", "date": "2008"}


def question_dicts() -> list[dict[str, Any]]:
    """One question of each of the seven types."""
    return [
        {
            "id": "origin",
            "type": "single",
            "prompt": "Where did MS-13 first form?",
            "choices": ["Los Angeles", "San Salvador", "Tegucigalpa", "Guatemala City"],
            "answer": "Los Angeles",
        },
        {
            "id": "countries",
            "type": "multi",
            "prompt": "Which are in the Northern Triangle?",
            "choices": ["El Salvador", "Guatemala", "Honduras", "Costa Rica", "Panama"],
            "answer": ["El Salvador", "Guatemala", "Honduras"],
        },
        {"id": "tf", "type": "true_false", "prompt": "CICIG worked in Guatemala.", "answer": True},
        {"id": "cicig", "type": "text", "prompt": "Which commission?", "accept": ["CICIG"]},
        {"id": "iirira", "type": "number", "prompt": "IIRIRA year?", "answer": 1996},
        {
            "id": "sequence",
            "type": "order",
            "prompt": "Put in order",
            "items": ["Civil war begins", "Peace accords", "IIRIRA", "Mano Dura"],
        },
        {
            "id": "pairs",
            "type": "match",
            "prompt": "Match",
            "pairs": {"CICIG": "Guatemala", "Mano Dura": "El Salvador", "MACCIH": "Honduras"},
            "distractors": ["Nicaragua"],
        },
    ]


def make_lesson(
    lesson_id: str = "demo",
    *,
    shuffle: bool = True,
    questions: list[dict[str, Any]] | None = None,
    pass_mark: int = 70,
) -> Lesson:
    """A valid lesson with the given (default: all seven types of) questions."""
    return Lesson.model_validate(
        {
            "id": lesson_id,
            "title": f"Lesson {lesson_id}",
            "summary": "A lesson for tests.",
            "minutes": 5,
            "sources": [SOURCE],
            "cards": [{"title": "Card", "body": "Text.", "sources": ["src"]}],
            "quiz": {
                "pass_mark": pass_mark,
                "shuffle": shuffle,
                "questions": questions if questions is not None else question_dicts(),
            },
        }
    )


def right_response(question: Question) -> Any:
    """The fully right response, in the shape the UI sends (grading scores it 1)."""
    match question:
        case SingleQuestion() | TrueFalseQuestion():
            return question.answer
        case MultiQuestion():
            return list(question.answer)
        case TextQuestion():
            return question.accept[0]
        case NumberQuestion():
            return str(question.answer)
        case OrderQuestion():
            return list(question.items)
        case MatchQuestion():
            return dict(question.pairs)
    raise AssertionError(question)


def wrong_response(question: Question) -> Any:
    """A response that grading scores 0."""
    match question.type:
        case "single":
            return next(c.text for c in question.options if c.text != question.answer)  # type: ignore[union-attr]
        case "multi":
            return [c.text for c in question.options if c.text not in question.answer]  # type: ignore[union-attr]
        case "true_false":
            return not question.answer  # type: ignore[union-attr]
        case "text":
            return "nothing like it"
        case "number":
            return "12"
        case "order":
            return list(reversed(question.items))  # type: ignore[union-attr]
        case "match":
            return {}
    raise AssertionError(question.type)


class Clock:
    """A clock for tests: starts at a fixed UTC time and moves one second per reading."""

    def __init__(self, start: dt.datetime | None = None) -> None:
        self.now = start or dt.datetime(2026, 11, 28, 10, 15, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=1)
        return self.now
