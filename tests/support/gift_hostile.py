"""A lesson full of what GIFT treats specially (``~ = # { } : \\``, newlines, format
markers, ``%``), for the GIFT export and import tests."""

from __future__ import annotations

from typing import Any

from quizapp.lessons.model import Lesson

HOSTILE = "~ = # { } : \\ 1\\n2 [html]x #### // -> %50% \\\\"
MARKERS = ("[html]", "[plain]", "[markdown]", "[moodle]")


def lesson_of(questions: list[dict[str, Any]]) -> Lesson:
    """A lesson holding ``questions``, with a hostile source."""
    return Lesson.model_validate(
        {
            "id": "hostile",
            "title": "Hostile: ~ = # { } :",
            "summary": "x",
            "minutes": 5,
            "sources": [
                {"id": "s", "title": f"[html]A {{report}}: #1 {HOSTILE}", "url": "https://e.org/a"}
            ],
            "cards": [{"title": "Card", "body": "Text."}],
            "quiz": {"questions": questions},
        }
    )


def hostile_questions(text: str) -> list[dict[str, Any]]:
    """One question of every type with ``text`` in every place a text can go."""
    common = {"prompt": f"{text} prompt", "explanation": f"{text} why", "sources": ["s"]}
    one_line = " ".join(text.splitlines())
    return [
        {
            **common,
            "id": "single",
            "type": "single",
            "choices": [f"{text} a", {"text": f"{text} b", "feedback": f"{text} fb"}],
            "answer": f"{text} b",
        },
        {
            **common,
            "id": "multi",
            "type": "multi",
            "choices": [f"{text} a", f"{text} b", {"text": f"{text} c", "feedback": text}],
            "answer": [f"{text} a", f"{text} c"],
        },
        {**common, "id": "tf", "type": "true_false", "answer": False},
        {**common, "id": "text", "type": "text", "accept": [f"{text} typed", "Árbenz"]},
        {**common, "id": "big", "type": "number", "answer": 29965, "tolerance": 1000},
        {**common, "id": "tiny", "type": "number", "answer": 1e-7, "tolerance": 2.5e-8},
        {**common, "id": "neg", "type": "number", "answer": -1234567.25, "tolerance": 0},
        {
            **common,
            "id": "match",
            "type": "match",
            # A key is one line: validate refuses a line break in it (U+000A in a key).
            "pairs": {f"{one_line} left": f"{text} right", "b": "c"},
            "distractors": [f"{text} extra"],
        },
        {**common, "id": "order", "type": "order", "items": [f"{text} 1", "two", "three"]},
    ]


def hostile_lesson() -> Lesson:
    """One question of every type in every hostile form, and with every format marker."""
    questions = hostile_questions("~ = # { } : \\ a\nb")
    for marker in MARKERS:
        for question in hostile_questions(marker + "x"):
            question["id"] += "-" + marker.strip("[]")
            questions.append(question)
    return lesson_of(questions)
