"""Export lessons' quizzes to Moodle's GIFT format, for import into a Moodle question bank.

Each lesson becomes one category (``$CATEGORY: quizapp/<lesson title>``) and each question
one GIFT question named by its id (``::id::``), with its text marked ``[markdown]`` so Moodle
renders the Markdown. The explanation becomes the general feedback (``####``) together with
the question's sources; a choice's feedback follows it after ``#``.

========== =============================================================================
single     ``=right ~wrong`` (Moodle multiple choice, one answer)
multi      ``~%50%right ~%-50%wrong``: each right choice earns 100/k percent, each wrong one
           takes as much back, as quizapp grades it; Moodle never goes below 0 in total
true_false ``{T}`` or ``{F}``
text       short answer ``{=a =b}``; accent-free spellings are added, since Moodle ignores
           case but not accents as quizapp does
number     numerical ``{#1996:0}`` (answer:tolerance); a unit is dropped, with a warning
match      matching ``{=left -> right}``, distractors as ``= -> extra``; Moodle needs 3
           answers or more, so a smaller one is skipped with a warning
order      GIFT has no ordering question: exported as a matching question (item -> its
           position), with a warning, since Moodle then grades each position on its own
========== =============================================================================

GIFT's special characters ``~ = # { } :`` and the backslash are escaped with a backslash in
every text, and line breaks are written as ``\\n`` (a blank line would end the question).
A text that starts with a format marker (``[html]``, ``[plain]``, ``[markdown]``,
``[moodle]``) gets ``[markdown]`` before it, since GIFT readers take only the first marker.
Numbers are written in plain decimal (``29965``, ``0.0000001``): GIFT has no thousands
separators and no exponents.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import NamedTuple, assert_never

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

__all__ = [
    "MOODLE_GRADES",
    "GiftExport",
    "category_line",
    "escape",
    "general_feedback",
    "lesson_to_gift",
    "lessons_to_gift",
    "plain_number",
]

_ESCAPES = {
    "\\": "\\\\",
    "~": "\\~",
    "=": "\\=",
    "#": "\\#",
    "{": "\\{",
    "}": "\\}",
    ":": "\\:",
    "\n": "\\n",
}
# The percentages Moodle's question editor offers for an answer's grade.
MOODLE_GRADES = (
    100.0, 90.0, 83.33333, 80.0, 75.0, 70.0, 66.66667, 60.0, 50.0, 40.0,
    33.33333, 30.0, 25.0, 20.0, 16.66667, 14.28571, 12.5, 11.11111, 10.0, 5.0,
)  # fmt: skip
# Moodle reads "%50%" at the start of an answer as a weight: such a text needs a guard.
_LOOKS_LIKE_WEIGHT = re.compile(r"^%-*[0-9]{1,2}\.?[0-9]*%")
# Moodle and other GIFT readers take a leading "[html]" etc. as the text's format, and some
# (gift-pegjs) a leading "%" as the start of a weight: such a text gets a format first.
_NEEDS_FORMAT = re.compile(r"^\s*(?:\[(?:html|plain|markdown|moodle)\]|%)")

_Warn = Callable[[str], None]


class GiftExport(NamedTuple):
    """GIFT text ready to import, and what could not be exported exactly (for stderr)."""

    text: str
    warnings: list[str]
    questions: int  # questions written


def escape(text: str) -> str:
    """Escape ``text`` for any place in a GIFT question: ``~ = # { } :``, ``\\`` and newlines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(_ESCAPES.get(ch, ch) for ch in text)


def plain_number(value: float) -> str:
    """A number as GIFT reads it: plain decimal, shortest exact form, no separators and no
    exponent (``29965``, ``-2.5``, ``0.0000001``)."""
    if float(value).is_integer():
        return str(int(value))
    text = format(Decimal(repr(float(value))), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def rich(text: str) -> str:
    """``escape(text)`` for a place where GIFT reads a format marker (a choice, a feedback,
    a matching item): a text that starts with one, or with ``%``, keeps it as text."""
    marker = "[markdown]" if _NEEDS_FORMAT.match(text) else ""
    return marker + escape(text)


def category_line(lesson: Lesson) -> str:
    """``$CATEGORY: quizapp/<title>``, the title written as Moodle's category paths need.

    Moodle splits category paths at ``/`` and reads ``//`` as a slash inside a name; it does
    not unescape backslashes on this line, so they are dropped.
    """
    name = " ".join(lesson.title.replace("\\", " ").split()).replace("/", "//")
    if name.startswith("/"):
        name = " " + name
    if name.endswith("/"):
        name += " "
    return f"$CATEGORY: quizapp/{name}"


def lessons_to_gift(lessons: Iterable[Lesson]) -> GiftExport:
    """Several lessons in one GIFT file, one category each."""
    parts, warnings, count = [], [], 0
    for lesson in lessons:
        export = lesson_to_gift(lesson)
        parts.append(export.text)
        warnings += export.warnings
        count += export.questions
    return GiftExport("\n".join(parts), warnings, count)


def lesson_to_gift(lesson: Lesson) -> GiftExport:
    """One lesson's quiz as GIFT text, with a warning for each question not exported exactly."""
    blocks = [
        f"// quizapp lesson {lesson.id}: {' '.join(lesson.title.split())}",
        category_line(lesson),
        "",
    ]
    warnings: list[str] = []
    count = 0
    for question in lesson.quiz.questions:

        def warn(message: str, question: Question = question) -> None:
            warnings.append(f"{lesson.id}/{question.id}: {message}")

        body = _answers(question, warn)
        if body is None:
            continue
        feedback = general_feedback(lesson, question)
        if feedback:
            body.append("####" + rich(feedback))
        head = f"::{escape(question.id)}::[markdown]{escape(question.prompt.strip())}"
        blocks.append(f"// {question.type} question")
        if isinstance(question, TrueFalseQuestion | NumberQuestion):
            blocks.append(head + "{" + "".join(body) + "}")  # one answer: one line
        else:
            blocks.append(head + "{\n" + "".join(f"\t{line}\n" for line in body) + "}")
        blocks.append("")
        count += 1
    return GiftExport("\n".join(blocks), warnings, count)


def general_feedback(lesson: Lesson, question: Question) -> str:
    """The explanation, then the question's sources (as Markdown links where they have one)."""
    parts = []
    if question.explanation and question.explanation.strip():
        parts.append(question.explanation.strip())
    cited = [s for ref in question.sources if (s := lesson.source(ref)) is not None]
    if cited:
        links = [f"[{s.citation()}]({s.url})" if s.url else s.citation() for s in cited]
        parts.append("Sources: " + "; ".join(links))
    return "\n\n".join(parts)


def _answers(question: Question, warn: _Warn) -> list[str] | None:
    """The lines inside the braces (without general feedback), or None to skip the question."""
    match question:
        case SingleQuestion():
            if any("->" in c.text + (c.feedback or "") for c in question.options):
                # Moodle reads answers with both "=" and "->" as a matching question.
                warn("skipped: a choice or its feedback contains '->', which GIFT reads as a pair")
                return None
            return [
                ("=" if c.text == question.answer else "~" + _guard(c.text, "%0%"))
                + rich(c.text)
                + _feedback(c.feedback)
                for c in question.options
            ]
        case MultiQuestion():
            right = set(question.answer)
            share = 100.0 / len(right)
            if not any(abs(share - grade) < 1e-4 for grade in MOODLE_GRADES):
                warn(
                    f"{len(right)} right choices give each {_weight(share)}%, a grade Moodle's "
                    "editor does not offer: the question imports, but editing it in Moodle "
                    "will ask for listed grades"
                )
            return [
                f"~%{_weight(share if c.text in right else -share)}%"
                + rich(c.text)
                + _feedback(c.feedback)
                for c in question.options
            ]
        case TrueFalseQuestion():
            return ["T" if question.answer else "F"]
        case TextQuestion():
            return _short_answers(question, warn)
        case NumberQuestion():
            if question.unit:
                warn(
                    f"GIFT numeric questions have no unit: {question.unit!r} is dropped "
                    "(say it in the prompt)"
                )
            return [f"#{plain_number(question.answer)}:{plain_number(question.tolerance)}"]
        case MatchQuestion():
            pairs = list(question.pairs.items())
            if len(pairs) + len(question.distractors) < 3:
                warn(
                    "skipped: a Moodle matching question needs at least 3 answers "
                    "(add a pair or a distractor)"
                )
                return None
            return _match_lines(pairs, question.distractors, warn)
        case OrderQuestion():
            warn(
                "GIFT has no ordering question: exported as a matching question (each item "
                "-> its position), which Moodle grades position by position"
            )
            positions = [ordinal(i) for i in range(1, len(question.items) + 1)]
            return _match_lines(list(zip(question.items, positions, strict=True)), [], warn)
        case _:
            assert_never(question)


def _match_lines(
    pairs: list[tuple[str, str]], distractors: list[str], warn: _Warn
) -> list[str] | None:
    if any("->" in left for left, _ in pairs):
        warn("skipped: an item contains '->', which GIFT reads as the arrow of a pair")
        return None
    # The right-hand side is plain text to GIFT readers: no format marker there.
    lines = [f"={rich(left)} -> {escape(right)}" for left, right in pairs]
    lines += [f"= -> {escape(extra)}" for extra in distractors]
    return lines


def _short_answers(question: TextQuestion, warn: _Warn) -> list[str] | None:
    answers: list[str] = []
    for accepted in question.accept:
        for variant in (accepted, without_accents(accepted)):
            if variant.casefold() not in {a.casefold() for a in answers}:
                answers.append(variant)
    kept = [a for a in answers if "->" not in a]
    if len(kept) < len(answers):
        warn("accepted answers containing '->' are left out: GIFT would read a matching question")
    if not kept:
        return None
    # Moodle's short answer reads * as a wildcard; \* is a literal star.
    return ["=" + _guard(a, "%100%") + rich(a.replace("*", "\\*")) for a in kept]


def without_accents(text: str) -> str:
    """``Árbenz`` as ``Arbenz``: the text without its combining accents."""
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )


def _feedback(text: str | None) -> str:
    return "#" + rich(text.strip()) if text and text.strip() else ""


def _guard(text: str, weight: str) -> str:
    """An explicit weight before a text that Moodle would otherwise read as one."""
    return weight if _LOOKS_LIKE_WEIGHT.match(text) else ""


def _weight(value: float) -> str:
    """A percentage as GIFT writes it: ``50``, ``-50``, ``33.33333``."""
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``11th``: an order question's positions in GIFT."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
