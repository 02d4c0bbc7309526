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

:func:`grade` reads the response into its type's shape first (a small reader per type), then
grades the shape it read. A response of the wrong shape (from an older version, a hand-edited
score file) scores 0 with a message saying so; a bug inside a grader is not a wrong shape and
propagates. Every dispatch on the question type is a ``match`` ending in ``assert_never``, so
mypy names each place a new question type must be handled.
"""

from __future__ import annotations

import bisect
import difflib
import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, assert_never

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
    "edit_distance",
    "format_number",
    "grade",
    "hint_cost",
    "longest_ordered_run",
    "normalize_text",
    "right_answer",
    "typed_vs_expected",
    "with_hint",
]


@dataclass(frozen=True)
class Grade:
    """The outcome of one answer: ``score`` in 0..1, whether it is fully right, feedback."""

    score: float
    correct: bool
    feedback: list[str] = field(default_factory=list)


_UNREADABLE = "That answer could not be read."


class _Unreadable(Exception):
    """Raised by a reader (only): the response has its type's shape but cannot be read."""


def grade(question: Question, response: Any) -> Grade:
    """Grade ``response`` against ``question``; the score is always in 0..1.

    A response of the wrong shape never raises: it scores 0 with a message. Only the readers'
    own "cannot be read" is caught, so an error inside a grader propagates as the bug it is.
    """
    try:
        result = _grade(question, response)
    except _Unreadable:
        result = Grade(0.0, False, [_UNREADABLE])
    score = min(1.0, max(0.0, result.score)) if math.isfinite(result.score) else 0.0
    return Grade(score, score >= 1.0, result.feedback)


def hint_cost(penalty: float) -> str:
    """What a used hint costs, as the feedback and results say it: ``hint used: -25%``."""
    return f"hint used: -{penalty * 100:.3g}%" if penalty > 0 else "hint used (no penalty)"


def with_hint(result: Grade, penalty: float) -> Grade:
    """The grade of an answer given after its question's hint was shown: the score times
    ``1 - penalty`` (the lesson's ``quiz.hint_penalty``, 0..1), the feedback saying so.
    Whether the answer is right does not change; only its credit does."""
    penalty = min(1.0, max(0.0, penalty)) if math.isfinite(penalty) else 0.0
    return Grade(
        result.score * (1.0 - penalty), result.correct, [*result.feedback, hint_cost(penalty)]
    )


def _grade(question: Question, response: Any) -> Grade:
    """Read the response into the question type's shape, then grade what was read."""
    match question:
        case SingleQuestion():
            return _single(question, _read_text(response))
        case MultiQuestion():
            return _multi(question, _read_ticked(response))
        case TrueFalseQuestion():
            return _true_false(question, _read_bool(response))
        case TextQuestion():
            return _text(question, _read_text(response))
        case NumberQuestion():
            return _number(question, _read_number(response))
        case OrderQuestion():
            return _order(question, _read_sequence(response))
        case MatchQuestion():
            return _match(question, _read_pairs(response))
        case _:
            assert_never(question)


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
        case _:
            assert_never(question)


def response_text(question: Question, response: Any) -> str:
    """A stored response as text for people (results screen, exports); never raises."""
    if response is None:
        return "(no answer)"
    match question:
        case TrueFalseQuestion():
            if isinstance(response, bool):
                return "True" if response else "False"
        case OrderQuestion():
            if isinstance(response, list):
                return " → ".join(map(str, response))
        case MatchQuestion():
            if isinstance(response, dict):
                return "; ".join(f"{left} → {right}" for left, right in response.items())
        case SingleQuestion() | MultiQuestion() | TextQuestion() | NumberQuestion():
            pass  # shown as a list or as text, below
        case _:
            assert_never(question)
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


# Readers: the response in its type's shape, or None when it has another shape (no answer, or a
# value of another kind; each grader says what was missing). A reader raises _Unreadable only
# for a response of the right kind that still cannot be read.


def _read_text(response: Any) -> str | None:
    return response if isinstance(response, str) else None


def _read_bool(response: Any) -> bool | None:
    return response if isinstance(response, bool) else None


def _read_ticked(response: Any) -> set[str] | None:
    """The ticked choices' texts (ticking order does not matter); non-text items are ignored."""
    if not isinstance(response, list | tuple | set):
        return None
    return {item for item in response if isinstance(item, str)}


def _read_sequence(response: Any) -> list[str] | None:
    """The items in the student's order; non-text items are ignored."""
    if not isinstance(response, list | tuple):
        return None
    return [item for item in response if isinstance(item, str)]


def _read_pairs(response: Any) -> dict[str, str] | None:
    """Left item -> chosen partner; pairs that are not text to text are ignored."""
    if not isinstance(response, dict):
        return None
    return {
        left: right
        for left, right in response.items()
        if isinstance(left, str) and isinstance(right, str)
    }


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


def _read_number(response: Any) -> float | None:
    """What the student typed, read by :func:`parse_number`, or a stored finite number."""
    if isinstance(response, bool):
        return None
    if isinstance(response, str):
        return parse_number(response)
    if isinstance(response, int):
        try:
            return float(response)
        except OverflowError:  # a 400-digit integer in a score file: no float holds it
            raise _Unreadable from None
    if isinstance(response, float):
        return response if math.isfinite(response) else None
    return None


# Graders: one per type, given what its reader read.


def _single(question: SingleQuestion, chosen: str | None) -> Grade:
    if chosen is None:
        return Grade(0.0, False, ["No choice was made."])
    feedback = [c.feedback for c in question.options if c.text == chosen and c.feedback]
    return Grade(1.0 if chosen == question.answer else 0.0, False, feedback)


def _multi(question: MultiQuestion, chosen: set[str] | None) -> Grade:
    if chosen is None:
        return Grade(0.0, False, ["No choices were made."])
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


def _true_false(question: TrueFalseQuestion, answer: bool | None) -> Grade:
    if answer is None:
        return Grade(0.0, False, ["Answer true or false."])
    return Grade(1.0 if answer is question.answer else 0.0, False)


def _text(question: TextQuestion, typed: str | None) -> Grade:
    if typed is None:
        return Grade(0.0, False, ["Type an answer."])
    folded = normalize_text(typed)
    accepted = {normalize_text(a) for a in question.accept}
    if not folded or folded in accepted:
        return Grade(1.0 if folded else 0.0, False)
    # The nearest accepted answer: forgiven within the question's typo tolerance (right),
    # else, when close, shown beside what was typed with the difference marked.
    # Only answers of about the same length can be close (and a long paste costs nothing).
    near = [
        (edit_distance(folded, key), a)
        for a in question.accept
        if abs(len(key := normalize_text(a)) - len(folded)) <= max(question.typo_tolerance, 3)
        and len(folded) <= _MAX_CLOSE
    ]
    if not near:
        return Grade(0.0, False)
    distance, nearest = min(near)
    if distance <= question.typo_tolerance:
        return Grade(1.0, False, ["Accepted with a typo.", *typed_vs_expected(typed, nearest)])
    if distance <= max(1, len(normalize_text(nearest)) // 4):
        return Grade(0.0, False, ["Close, but not right.", *typed_vs_expected(typed, nearest)])
    return Grade(0.0, False)


_MAX_CLOSE = 200  # longer typed answers are never compared letter by letter


def edit_distance(a: str, b: str) -> int:
    """The Levenshtein distance: how many letters to insert, delete or replace to turn ``a``
    into ``b``."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, left in enumerate(a, 1):
        current = [i]
        for j, right in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (left != right))
            )
        previous = current
    return previous[-1]


def typed_vs_expected(typed: str, expected: str) -> list[str]:
    """Two lines, "You typed: PBSU‹›CESS" and "Expected:  PBSU‹C›CESS": the letters that
    differ between them are put between ‹ and › (difflib)."""
    typed, expected = " ".join(typed.split()), " ".join(expected.split())
    matcher = difflib.SequenceMatcher(None, typed.casefold(), expected.casefold(), autojunk=False)
    mine, theirs = [], []
    if len(typed.casefold()) != len(typed) or len(expected.casefold()) != len(expected):
        matcher = difflib.SequenceMatcher(None, typed, expected, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            mine.append(typed[i1:i2])
            theirs.append(expected[j1:j2])
        else:
            mine.append(f"‹{typed[i1:i2]}›")
            theirs.append(f"‹{expected[j1:j2]}›")
    return [f"You typed: {''.join(mine)}", f"Expected:  {''.join(theirs)}"]


def _number(question: NumberQuestion, value: float | None) -> Grade:
    if value is None:
        return Grade(0.0, False, ["That is not a number."])
    # A small relative epsilon so that 0.1 + 0.2 counts as 0.3.
    slack = question.tolerance + 1e-9 * max(1.0, abs(question.answer))
    return Grade(1.0 if abs(value - question.answer) <= slack else 0.0, False)


def _order(question: OrderQuestion, given: list[str] | None) -> Grade:
    if given is None:
        return Grade(0.0, False, ["No order was given."])
    rank = {item: i for i, item in enumerate(question.items)}
    positions, seen = [], set()
    for item in given:
        if item in rank and item not in seen:
            seen.add(item)
            positions.append(rank[item])
    run = longest_ordered_run(positions)
    total = len(question.items)
    # As Moodle's "longest ordered subset": a run of one item proves no ordering.
    score = run / total if run >= 2 else 0.0
    feedback = [] if run == total else [f"{run} of {total} items are in the right order."]
    return Grade(score, False, feedback)


def _match(question: MatchQuestion, chosen: dict[str, str] | None) -> Grade:
    if chosen is None:
        return Grade(0.0, False, ["No pairs were matched."])
    right = sum(1 for left, partner in question.pairs.items() if chosen.get(left) == partner)
    total = len(question.pairs)
    feedback = [] if right == total else [f"{right} of {total} pairs are right."]
    return Grade(right / total, False, feedback)
