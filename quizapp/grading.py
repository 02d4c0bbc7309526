"""Grade a response to a question: pure functions, one per question type.

Responses are plain JSON-able values so they can be stored as they are:

============ =========================================================
single       the chosen choice's text (``str``)
multi        the chosen choices' texts (``list[str]``)
true_false   ``bool``
text         what the student typed (``str``)
number       what the student typed (``str``) or a number
order        the items in the student's order (``list[str]``)
match        left item -> chosen partner (``dict[str, str]``)
============ =========================================================

Grading never raises: a response of the wrong shape scores 0 with a message saying so.
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from quizapp.lessons.model import (
    MatchQuestion,
    MultiQuestion,
    NumberQuestion,
    OrderQuestion,
    Question,
    SingleQuestion,
    TextQuestion,
    TrueFalseQuestion,
)

__all__ = [
    "Grade",
    "format_number",
    "grade",
    "longest_ordered_run",
    "normalize_text",
    "right_answer",
]


@dataclass(frozen=True)
class Grade:
    """The outcome of one answer: ``score`` in 0..1, whether it is fully right, feedback."""

    score: float
    correct: bool
    feedback: list[str] = field(default_factory=list)


def grade(question: Question, response: Any) -> Grade:
    """Grade ``response`` against ``question``. Never raises; the score is always in 0..1."""
    try:
        result = _GRADERS[question.type](question, response)
    except (TypeError, ValueError, AttributeError, KeyError):
        result = Grade(0.0, False, ["That answer could not be read."])
    score = min(1.0, max(0.0, result.score)) if math.isfinite(result.score) else 0.0
    return Grade(score, score >= 1.0, result.feedback)


def right_answer(question: Question) -> str:
    """The right answer as text for students (results screen, feedback, exports)."""
    match question:
        case SingleQuestion():
            return question.answer
        case MultiQuestion():
            return "; ".join(question.answer)
        case TrueFalseQuestion():
            return "True" if question.answer else "False"
        case TextQuestion():
            return question.accept[0]
        case NumberQuestion():
            unit = f" {question.unit}" if question.unit else ""
            within = f" (± {format_number(question.tolerance)})" if question.tolerance else ""
            return f"{format_number(question.answer)}{unit}{within}"
        case OrderQuestion():
            return " → ".join(question.items)
        case MatchQuestion():
            return "; ".join(f"{left} → {right}" for left, right in question.pairs.items())
    return ""  # pragma: no cover - the union is exhaustive


def response_text(question: Question, response: Any) -> str:
    """A stored response as text for people (results screen, exports); never raises."""
    if response is None:
        return "(no answer)"
    if isinstance(question, TrueFalseQuestion) and isinstance(response, bool):
        return "True" if response else "False"
    if isinstance(question, OrderQuestion) and isinstance(response, list):
        return " → ".join(map(str, response))
    if isinstance(question, MatchQuestion) and isinstance(response, dict):
        return "; ".join(f"{left} → {right}" for left, right in response.items())
    if isinstance(response, list):
        return "; ".join(map(str, response)) or "(nothing ticked)"
    return str(response)


def format_number(value: float) -> str:
    """``1996.0`` as ``1996``, ``29965`` as ``29,965`` (years stay as years), else as
    Python writes them."""
    if float(value).is_integer():
        whole = int(value)
        return f"{whole:,}" if abs(whole) >= 10_000 else str(whole)
    return repr(float(value))


def normalize_text(text: str) -> str:
    """Fold case, accents, punctuation and spacing: ``" Árbenz!"`` -> ``"arbenz"``."""
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    spaced = "".join(ch if ch.isalnum() or ch.isspace() else " " for ch in letters.casefold())
    return " ".join(spaced.split())


def longest_ordered_run(positions: list[int]) -> int:
    """Length of the longest strictly increasing subsequence (patience sorting, O(n log n))."""
    tails: list[int] = []
    for value in positions:
        at = bisect.bisect_left(tails, value)
        if at == len(tails):
            tails.append(value)
        else:
            tails[at] = value
    return len(tails)


def _single(question: SingleQuestion, response: Any) -> Grade:
    if not isinstance(response, str):
        return Grade(0.0, False, ["No choice was made."])
    feedback = [c.feedback for c in question.options if c.text == response and c.feedback]
    return Grade(1.0 if response == question.answer else 0.0, False, feedback)


def _multi(question: MultiQuestion, response: Any) -> Grade:
    if not isinstance(response, list | tuple | set):
        return Grade(0.0, False, ["No choices were made."])
    chosen = {item for item in response if isinstance(item, str)}
    right = set(question.answer)
    hits, wrong = len(chosen & right), len(chosen - right)
    # Each right choice earns 1/len(right); each wrong pick takes the same back; floor 0.
    score = (hits - wrong) / len(right)
    feedback = [c.feedback for c in question.options if c.text in chosen and c.feedback]
    missed = len(right - chosen)
    if score < 1 and (missed or wrong):
        picks = "wrong pick" if wrong == 1 else "wrong picks"
        feedback.append(f"{hits} of {len(right)} right choices picked, {wrong} {picks}.")
    return Grade(score, False, feedback)


def _true_false(question: TrueFalseQuestion, response: Any) -> Grade:
    if not isinstance(response, bool):
        return Grade(0.0, False, ["Answer true or false."])
    return Grade(1.0 if response is question.answer else 0.0, False)


def _text(question: TextQuestion, response: Any) -> Grade:
    if not isinstance(response, str):
        return Grade(0.0, False, ["Type an answer."])
    typed = normalize_text(response)
    accepted = {normalize_text(a) for a in question.accept}
    return Grade(1.0 if typed and typed in accepted else 0.0, False)


_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:[, ]\d{3})+(?:\.\d+)?$")


def parse_number(text: str) -> float | None:
    """Read a typed number: ``1996``, ``1,996``, ``1 996``, ``2.5``, ``2,5``, ``$750``,
    ``70%``; else None."""
    cleaned = text.strip().rstrip("%").lstrip("$€£").strip()
    if _THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(",", "").replace(" ", "")
    elif cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _number(question: NumberQuestion, response: Any) -> Grade:
    if isinstance(response, bool):
        value = None
    elif isinstance(response, int | float):
        value = float(response) if math.isfinite(response) else None
    elif isinstance(response, str):
        value = parse_number(response)
    else:
        value = None
    if value is None:
        return Grade(0.0, False, ["That is not a number."])
    # A small relative epsilon so that 0.1 + 0.2 counts as 0.3.
    slack = question.tolerance + 1e-9 * max(1.0, abs(question.answer))
    return Grade(1.0 if abs(value - question.answer) <= slack else 0.0, False)


def _order(question: OrderQuestion, response: Any) -> Grade:
    if not isinstance(response, list | tuple):
        return Grade(0.0, False, ["No order was given."])
    rank = {item: i for i, item in enumerate(question.items)}
    positions, seen = [], set()
    for item in response:
        if isinstance(item, str) and item in rank and item not in seen:
            seen.add(item)
            positions.append(rank[item])
    run = longest_ordered_run(positions)
    total = len(question.items)
    # As Moodle's "longest ordered subset": a run of one item proves no ordering.
    score = run / total if run >= 2 else 0.0
    feedback = [] if run == total else [f"{run} of {total} items are in the right order."]
    return Grade(score, False, feedback)


def _match(question: MatchQuestion, response: Any) -> Grade:
    if not isinstance(response, dict):
        return Grade(0.0, False, ["No pairs were matched."])
    right = sum(1 for left, partner in question.pairs.items() if response.get(left) == partner)
    total = len(question.pairs)
    feedback = [] if right == total else [f"{right} of {total} pairs are right."]
    return Grade(right / total, False, feedback)


_GRADERS: dict[str, Any] = {
    "single": _single,
    "multi": _multi,
    "true_false": _true_false,
    "text": _text,
    "number": _number,
    "order": _order,
    "match": _match,
}
