"""Read Moodle GIFT questions into quizapp lessons (``quizapp import gift``), so an instructor
can bring an existing question bank.

The reader follows Moodle's own GIFT importer: escapes (``\\~ \\= \\# \\{ \\} \\: \\\\ \\n``) are
set aside first; comments (``//``) are dropped; a blank line ends a question; ``::name::``
names it; its answers are between the first ``{`` and the next ``}``; ``####`` starts the
general feedback (the explanation) and ``#`` an answer's feedback; the answers' markers decide
the type. Each ``$CATEGORY`` becomes its own lesson.

What quizapp cannot hold is named in a warning and left out: essay and description
questions, answers embedded in the text, partial credit other than quizapp's, feedback on
true/false and numerical answers, short-answer wildcards. A matching question whose partners
are ``1st``, ``2nd``, ... in order is read back as the ``order`` question it was exported from,
so ``export -> import -> export`` gives the same GIFT.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from quizapp.lessons.gift import ordinal, without_accents

__all__ = ["GiftLesson", "lesson_yaml", "read_gift"]

_ESCAPED = {"\\": "\ue000", "~": "\ue001", "=": "\ue002", "#": "\ue003", "{": "\ue004"}
_ESCAPED |= {"}": "\ue005", ":": "\ue006", "n": "\ue007"}
_LITERAL = {mark: ("\n" if char == "n" else char) for char, mark in _ESCAPED.items()}
_ESCAPE = re.compile(r"\\([\\~=#{}:n])")
_FORMAT = re.compile(r"^\s*\[(html|plain|markdown|moodle)\]")
_WEIGHT = re.compile(r"^%(-?[0-9]+(?:\.[0-9]*)?)%")
_HEADER = re.compile(r"^//\s*quizapp lesson ([a-z0-9][a-z0-9_-]*):")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

_Warn = Callable[[str], None]


@dataclass
class GiftLesson:
    """The questions of one GIFT category, as lesson-file data (plain dicts)."""

    title: str
    lesson_id: str | None = None  # from a quizapp export's header comment
    questions: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_gift(text: str, default_title: str) -> list[GiftLesson]:
    """The lessons (one per category holding questions) in GIFT ``text``."""
    lessons = [GiftLesson(default_title)]
    header_id: str | None = None
    block: list[str] = []

    def flush() -> None:
        if block:
            _read_block("\n".join(block), lessons, header_id)
            block.clear()

    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        stripped = line.strip()
        if not stripped:
            flush()
        elif stripped.startswith("//"):
            found = _HEADER.match(stripped)
            header_id = found.group(1) if found else header_id
        else:
            block.append(line)
    flush()
    return [lesson for lesson in lessons if lesson.questions]


def _read_block(raw: str, lessons: list[GiftLesson], header_id: str | None) -> None:
    text = _ESCAPE.sub(lambda m: _ESCAPED[m.group(1)], raw).strip()
    if text.startswith("$CATEGORY:"):
        path = text[len("$CATEGORY:") :].strip()
        parts = [p.replace("//", "/").strip() for p in re.split(r"(?<!/)/(?!/)", path)]
        lessons.append(GiftLesson(_plain(parts[-1]) or "Imported questions", header_id))
        return
    lesson = lessons[-1]
    name = ""
    if text.startswith("::") and "::" in text[2:]:
        name, text = text[2:].split("::", 1)
        name = _plain(name)
    where = name or f"question {len(lesson.questions) + 1}"

    def warn(message: str) -> None:
        lesson.warnings.append(f"{where}: {message}")

    start = text.find("{")
    end = text.find("}", start + 1)
    if start < 0 or end < 0:
        warn("left out: a description (no answers), which quizapp has no place for")
        return
    if text[end + 1 :].strip():
        warn("left out: answers inside the text (a 'missing word' question)")
        return
    prompt = _plain(_FORMAT.sub("", text[:start]))
    answers, _, general = text[start + 1 : end].partition("####")
    question = _question(answers.strip(), warn)
    if question is None:
        return
    if not prompt:
        warn("left out: the question has no text")
        return
    taken = {str(q["id"]) for q in lesson.questions}
    kind = question.pop("type")
    question = {"id": _question_id(name, taken), "type": kind, "prompt": prompt, **question}
    explanation = _text(general)
    if explanation:
        question["explanation"] = explanation
    lesson.questions.append(question)


def _question(answers: str, warn: _Warn) -> dict[str, Any] | None:
    """The type and answers of a question (without id, prompt and explanation)."""
    if not answers:
        warn("left out: an essay question (quizapp grades only what it can check)")
        return None
    if answers.startswith("#"):
        return _numerical(answers[1:], warn)
    if answers.split("#")[0].strip() in ("T", "TRUE", "F", "FALSE"):
        if "#" in answers:
            warn("the feedback on the true/false answer is left out (keep it in the explanation)")
        return {"type": "true_false", "answer": answers.strip().startswith("T")}
    if "=" in answers and "->" in answers:
        return _matching(answers, warn)
    if "~" in answers:
        return _choices(answers, warn)
    return _short_answer(answers, warn)


def _parts(answers: str, markers: str) -> list[tuple[str, str]]:
    """Split answers at their markers (``=`` or ``~``): ``(marker, rest)`` pairs."""
    return [
        (match.group(1), match.group(2).strip())
        for match in re.finditer(rf"([{markers}])([^{markers}]*)", answers)
    ]


def _weight(text: str, default: float) -> tuple[float, str]:
    found = _WEIGHT.match(text)
    if found:
        return float(found.group(1)), text[found.end() :]
    return default, text


def _text_feedback(part: str) -> tuple[str, str]:
    text, _, feedback = part.partition("#")
    return _text(text), _text(feedback)


def _choices(answers: str, warn: _Warn) -> dict[str, Any] | None:
    choices: list[Any] = []
    weights: list[float] = []
    for marker, part in _parts(answers, "=~"):
        weight, rest = _weight(part, 100.0 if marker == "=" else 0.0)
        text, feedback = _text_feedback(rest)
        choices.append({"text": text, "feedback": feedback} if feedback else text)
        weights.append(weight)
    texts = [c["text"] if isinstance(c, dict) else c for c in choices]
    right = [t for t, w in zip(texts, weights, strict=True) if w > 0]
    if not right:
        warn("left out: no choice earns any credit")
        return None
    if "=" in answers:  # Moodle: one right answer
        if len(right) > 1 or any(0 < w < 100 for w in weights):
            warn(f"only {right[0]!r} is kept as right: quizapp's single choice has one answer")
        return {"type": "single", "choices": choices, "answer": right[0]}
    share = 100 / len(right)
    if any(abs(w - (share if w > 0 else -share)) > 1e-3 for w in weights):
        warn(
            "the choices' weights differ from quizapp's (each right choice 1/k, each wrong "
            "one as much back): graded quizapp's way"
        )
    return {"type": "multi", "choices": choices, "answer": right}


def _short_answer(answers: str, warn: _Warn) -> dict[str, Any] | None:
    accept: list[str] = []
    for _, part in _parts(answers, "="):
        weight, rest = _weight(part, 100.0)
        text, feedback = _text_feedback(rest)
        if weight < 100:
            warn(f"answer {text!r} ({weight:g}%) is left out: quizapp gives full or no credit")
            continue
        if feedback:
            warn(f"the feedback on answer {text!r} is left out")
        if re.search(r"(?<!\\)\*", text):
            warn(f"answer {text!r}: a * is a wildcard in Moodle; quizapp reads it as a star")
        text = text.replace("\\*", "*")
        # Spellings differing only in case, or the accent-free form of an earlier one (which
        # quizapp's export adds and its grading already accepts), are not repeated.
        if text and not any(
            text.casefold() in (a.casefold(), without_accents(a).casefold()) for a in accept
        ):
            accept.append(text)
    if not accept:
        warn("left out: no answer earns full credit")
        return None
    return {"type": "text", "accept": accept}


def _numerical(answers: str, warn: _Warn) -> dict[str, Any] | None:
    options = _parts(answers, "=~") if answers.lstrip()[:1] in ("=", "~") else [("=", answers)]
    for marker, part in options:
        weight, rest = _weight(part, 100.0 if marker == "=" else 0.0)
        value, _, feedback = rest.partition("#")
        if weight < 100:
            continue
        if feedback.strip():
            warn("the feedback on the numerical answer is left out")
        if len(options) > 1:
            warn("only the fully right numerical answer is kept (quizapp has one)")
        value = value.strip()
        try:
            if ".." in value:
                low, high = (float(x) for x in value.split(".."))
                return {
                    "type": "number",
                    "answer": _num((low + high) / 2),
                    "tolerance": _num((high - low) / 2),
                }
            number, _, tolerance = value.partition(":")
            question = {"type": "number", "answer": _num(float(number))}
            if tolerance.strip() and float(tolerance) != 0:
                question["tolerance"] = _num(abs(float(tolerance)))
            return question
        except ValueError:
            warn(f"left out: {value!r} is not a number")
            return None
    warn("left out: no numerical answer earns full credit")
    return None


def _num(value: float) -> float | int:
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _matching(answers: str, warn: _Warn) -> dict[str, Any] | None:
    pairs: dict[str, str] = {}
    distractors: list[str] = []
    for _, part in _parts(answers, "="):
        left, arrow, right = part.partition("->")
        if not arrow:
            continue
        left_text, right_text = _text(left), _plain(right)
        if not left_text:
            distractors.append(right_text)
        elif left_text in pairs:
            warn(f"a second {left_text!r} is left out: each left item is matched once")
        else:
            pairs[left_text] = right_text
    if len(pairs) >= 3 and not distractors:
        positions = [ordinal(n) for n in range(1, len(pairs) + 1)]
        if list(pairs.values()) == positions:  # how quizapp exports an order question
            return {"type": "order", "items": list(pairs)}
    question: dict[str, Any] = {"type": "match", "pairs": pairs}
    if distractors:
        question["distractors"] = distractors
    return question


def _question_id(name: str, taken: set[str]) -> str:
    """The question's GIFT name when it is an id, else made into one; never one taken."""
    base = name if _SLUG.match(name) and len(name) <= 80 else _slug(name)
    base = base or f"q{len(taken) + 1}"
    found, n = base, 1
    while found in taken:
        n += 1
        found = f"{base[:74]}-{n}"
    return found


def _slug(text: str) -> str:
    """``Question 3: the coup`` as ``question-3-the-coup`` (at most 60 characters)."""
    words = re.sub(r"[^a-z0-9]+", "-", without_accents(text).lower()).strip("-")
    return words[:60].rstrip("-")


def _text(part: str) -> str:
    """Text that may start with a format marker (a choice, a feedback): the marker dropped."""
    return _plain(_FORMAT.sub("", part, count=1))


def _plain(part: str) -> str:
    """Escapes back to their characters, surrounding space dropped."""
    return "".join(_LITERAL.get(ch, ch) for ch in part).strip()


# --------------------------------------------------------------------------- lesson file


def lesson_yaml(lesson: GiftLesson, lesson_id: str, source_name: str) -> str:
    """A lesson file for ``lesson``'s questions that ``quizapp validate`` accepts: a source
    and a card stand in, with comments saying what is left for the instructor. Questions that
    would not validate (a repeated choice, say) are left out with a warning."""
    import yaml

    questions = [q for q in lesson.questions if _valid_question(q, lesson.warnings)]
    head = {
        "id": lesson_id,
        "title": lesson.title,
        "summary": f"Questions imported from {source_name} (Moodle GIFT).",
        "minutes": min(600, max(5, len(questions))),
        "sources": [_SOURCE],
    }
    quiz = {"quiz": {"questions": questions}}

    def dump(data: dict[str, Any]) -> str:
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)

    return "".join(
        [
            f"# Imported by `quizapp import gift` from {source_name}.\n"
            "# GIFT carries questions only: this lesson's cards, its sources, and which card\n"
            "# teaches each question (`card:`) are left for you to write. Then run\n"
            f"#     quizapp validate --strict lessons/{lesson_id}.yaml\n",
            dump(head),
            "# Cards: a GIFT file has none. Replace this one with the lesson's cards.\n",
            dump({"cards": [_CARD]}),
            dump(quiz),
        ]
    )


_SOURCE = {
    "id": "gift-import",
    "title": "Imported question bank",
    "note": "Stands in for the real sources: list them here and cite them in `sources:`.",
}
_CARD = {"title": "To write", "body": "This lesson's cards are still to be written."}


def _valid_question(question: dict[str, Any], warnings: list[str]) -> bool:
    """Whether ``question`` passes the validator; if not, a warning says why."""
    from pydantic import ValidationError

    from quizapp.lessons.checks import lesson_problems
    from quizapp.lessons.model import Lesson

    data = {
        "id": "check",
        "title": "check",
        "summary": "check",
        "minutes": 5,
        "sources": [_SOURCE],
        "cards": [_CARD],
        "quiz": {"questions": [question]},
    }
    try:
        problems = [message for _, message in lesson_problems(Lesson.model_validate(data))]
    except ValidationError as error:
        problems = [str(e["msg"]) for e in error.errors()]
    if problems:
        warnings.append(f"{question['id']}: left out: {'; '.join(problems)}")
    return not problems
