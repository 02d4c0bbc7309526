"""Shared helpers for the store and session tests (also imported by the child scripts).

``make_lesson`` builds a small lesson with one question of every type, so that a session
can be driven without lesson files on disk.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
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
from quizapp.store import APPLICATION_ID

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
    hint_penalty: float | None = None,
) -> Lesson:
    """A valid lesson with the given (default: all seven types of) questions."""
    quiz: dict[str, Any] = {
        "pass_mark": pass_mark,
        "shuffle": shuffle,
        "questions": questions if questions is not None else question_dicts(),
    }
    if hint_penalty is not None:
        quiz["hint_penalty"] = hint_penalty
    return Lesson.model_validate(
        {
            "id": lesson_id,
            "title": f"Lesson {lesson_id}",
            "summary": "A lesson for tests.",
            "minutes": 5,
            "sources": [SOURCE],
            "cards": [{"title": "Card", "body": "Text.", "sources": ["src"]}],
            "quiz": quiz,
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
            return next(c.text for c in question.options if c.text != question.answer)
        case "multi":
            return [c.text for c in question.options if c.text not in question.answer]
        case "true_false":
            return not question.answer
        case "text":
            return "nothing like it"
        case "number":
            return "12"
        case "order":
            return list(reversed(question.items))
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


VERSION_1 = [
    f"PRAGMA application_id = {APPLICATION_ID}",
    """CREATE TABLE students (id INTEGER PRIMARY KEY, name TEXT NOT NULL,
        name_key TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, last_active TEXT NOT NULL)""",
    """CREATE TABLE attempts (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,
        student_id INTEGER NOT NULL REFERENCES students(id) ON DELETE CASCADE,
        lesson_id TEXT NOT NULL, lesson_hash TEXT NOT NULL, seed INTEGER NOT NULL,
        question_ids TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'in_progress'
        CHECK (status IN ('in_progress', 'finished', 'abandoned')),
        started_at TEXT NOT NULL, finished_at TEXT, score REAL, max_score REAL)""",
    """CREATE TABLE answers (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,
        attempt_id INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
        question_id TEXT NOT NULL, question_hash TEXT NOT NULL, response TEXT NOT NULL,
        score REAL NOT NULL CHECK (score >= 0 AND score <= 1),
        seconds REAL NOT NULL CHECK (seconds >= 0), answered_at TEXT NOT NULL,
        UNIQUE (attempt_id, question_id))""",
    "PRAGMA user_version = 1",
]


def version_1_database(path: Path) -> None:
    conn = sqlite3.connect(path)
    for statement in VERSION_1:
        conn.execute(statement)
    conn.execute(
        "INSERT INTO students VALUES (1, 'Zoë', 'Zoë', '2025-01-01T09:00:00.000000Z',"
        " '2025-01-02T09:05:00.000000Z')"
    )
    conn.execute(
        "INSERT INTO attempts VALUES (1, 'u1', 1, 'cicig', 'lh', 42, '[\"a\", \"b\"]',"
        " 'finished', '2025-01-01T09:00:00.000000Z', '2025-01-01T09:03:00.000000Z', 1.5, 2)"
    )
    conn.execute(
        "INSERT INTO attempts VALUES (2, 'u2', 1, 'cicig', 'lh', 7, '[\"b\", \"a\"]',"
        " 'in_progress', '2025-01-02T09:00:00.000000Z', NULL, NULL, NULL)"
    )
    for row in [
        ("n1", 1, "a", 1.0, "2025-01-01T09:01:00.000000Z"),
        ("n2", 1, "b", 0.5, "2025-01-01T09:02:00.000000Z"),
        ("n3", 2, "b", 1.0, "2025-01-02T09:05:00.000000Z"),
    ]:
        conn.execute(
            "INSERT INTO answers (uuid, attempt_id, question_id, question_hash, response,"
            " score, seconds, answered_at) VALUES (?, ?, ?, 'qh', '\"x\"', ?, 3, ?)",
            row,
        )
    conn.commit()
    conn.close()
