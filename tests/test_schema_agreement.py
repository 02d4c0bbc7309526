"""One truth for the lesson format: `quizapp validate` and the JSON Schema editors use
(``docs/lesson.schema.json``, checked with ``jsonschema``) accept exactly the same files.

Each case edits the minimal lesson (which uses every question type) and says whether a
lesson file like it is good. Both the app's validator and the schema must agree with that
verdict. Rules across fields (an answer among the choices, cited sources that exist, unique
ids, card numbers in range) and across files are beyond a JSON Schema, so the corpus keeps
them satisfied; ``quizapp validate`` alone reports those.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest

from quizapp.lessons.loader import load_file
from quizapp.lessons.schema import lesson_schema
from quizapp.lessons.yamlread import parse
from tests.support.lessons import MINIMAL

GOOD, BAD = True, False

# (what, text in the minimal lesson, its replacement, good?)
CASES: list[tuple[str, str, str, bool]] = [
    ("the minimal lesson", "", "", GOOD),
    # numbers standing for text: accepted wherever text is
    ("numbers as choices", "choices: [A, B, C, D]\n      answer: [A, C]",
     "choices: [1989, 1992, 1.5, -3]\n      answer: [1989, 1.5]", GOOD),
    ("a number as a single answer", "        - No\n      answer: Los Angeles",
     "        - 2012\n      answer: 2012", GOOD),
    ("a number as an accepted text", "accept: [Árbenz, Jacobo Árbenz]", "accept: [2012]", GOOD),
    ("numbers as order items", "items: [first, second, third]", "items: [1, 2, 3]", GOOD),
    ("a number as a title", 'title: "A test lesson"', "title: 1996", GOOD),
    ("a number as a label", "{date: 1980, text: First",
     "{date: 1980, label: 1980, text: First", GOOD),
    ("numbers as match items", "pairs: {CICIG: Guatemala, Mano Dura: El Salvador}",
     "pairs: {1954: Guatemala, 1992: 1996}", GOOD),
    ("a number as feedback", "feedback: It spread there later.", "feedback: 42", GOOD),
    ("a number as an explanation", "explanation: It is.", "explanation: 7", GOOD),
    # ids and addresses must be text of their own form
    ("a number as a lesson id", "id: test-lesson", "id: 2012", BAD),
    ("a number as a question id", "id: q-tf", "id: 7", BAD),
    ("an upper-case id", "id: test-lesson", "id: Test", BAD),
    ("an id ending in a line break", "id: test-lesson", 'id: "test-lesson\\n"', BAD),
    ("a url ending in a line break", "url: https://example.org/a", 'url: "https://e.org/\\n"', BAD),
    ("a date ending in a line break", "date: 2008", 'date: "2008\\n"', BAD),
    ("a number as a url", "url: https://example.org/a", "url: 5", BAD),
    ("a url without a scheme", "url: https://example.org/a", "url: example.org", BAD),
    # choices
    ("an empty choice", "        - No\n", '        - ""\n', BAD),
    ("a blank choice", "        - No\n", '        - "   "\n', BAD),
    ("a choice that is true", "        - No\n", "        - true\n", BAD),
    ("a choice mapping without text", "{text: San Salvador, feedback: It spread there later.}",
     "{feedback: It spread there later.}", BAD),
    ("an empty prompt", "prompt: The sky is blue.", 'prompt: ""', BAD),
    # dates
    ("a year as a number", "date: 2008", "date: 2008", GOOD),
    ("a year and month", "date: 2008", "date: 2008-02", GOOD),
    ("a leap day", "date: 2008", "date: 2008-02-29", GOOD),
    ("an impossible day", "date: 2008", "date: 2019-02-30", BAD),
    ("a thirteenth month", "date: 2008", "date: 2019-13", BAD),
    ("month zero", "date: 2008", "date: 2019-00", BAD),
    ("a three-digit year", "date: 2008", "date: 999", BAD),
    ("a year with a fraction", "date: 2008", "date: 2008.5", BAD),
    ("a whole year written as a float", "date: 2008", "date: 2008.0", GOOD),
    ("a date in words", "date: 2008", "date: March 2008", BAD),
    ("a date with a time", "date: 2008", "date: 2008-03-01T10:00", BAD),
    ("a date that is true", "date: 2008", "date: true", BAD),
    # numbers
    ("minutes as text", "minutes: 5", 'minutes: "10"', BAD),
    ("minutes as a whole float", "minutes: 5", "minutes: 10.0", GOOD),
    ("minutes with a fraction", "minutes: 5", "minutes: 10.5", BAD),
    ("minutes that are true", "minutes: 5", "minutes: true", BAD),
    ("no minutes", "minutes: 5\n", "", BAD),
    ("zero minutes", "minutes: 5", "minutes: 0", BAD),
    ("a pass mark over 100", "pass_mark: 70", "pass_mark: 101", BAD),
    ("a pass mark as text", "pass_mark: 70", 'pass_mark: "70"', BAD),
    ("card as text", "card: 2\n    - id: q-order", 'card: "2"\n    - id: q-order', BAD),
    ("card zero", "card: 2\n    - id: q-order", "card: 0\n    - id: q-order", BAD),
    ("a number answer as text", "answer: 1996", 'answer: "2012"', BAD),
    ("a number answer .nan", "answer: 1996", "answer: .nan", BAD),
    ("a number answer .inf", "answer: 1996", "answer: .inf", BAD),
    ("a negative fractional answer", "answer: 1996", "answer: -12.75", GOOD),
    ("a tolerance .inf", "tolerance: 0", "tolerance: .inf", BAD),
    ("a tolerance .nan", "tolerance: 0", "tolerance: .nan", BAD),
    ("a negative tolerance", "tolerance: 0", "tolerance: -1", BAD),
    ("a typo tolerance", "accept: [Árbenz, Jacobo Árbenz]",
     "accept: [Árbenz, Jacobo Árbenz]\n      typo_tolerance: 1", GOOD),
    ("a typo tolerance as text", "accept: [Árbenz, Jacobo Árbenz]",
     "accept: [Árbenz, Jacobo Árbenz]\n      typo_tolerance: \"1\"", BAD),
    ("a typo tolerance of 6", "accept: [Árbenz, Jacobo Árbenz]",
     "accept: [Árbenz, Jacobo Árbenz]\n      typo_tolerance: 6", BAD),
    ("a fractional typo tolerance", "accept: [Árbenz, Jacobo Árbenz]",
     "accept: [Árbenz, Jacobo Árbenz]\n      typo_tolerance: 1.5", BAD),
    ("a number answer that is true", "answer: 1996", "answer: true", BAD),
    # true or false
    ("shuffle as text", "shuffle: true", 'shuffle: "yes"', BAD),
    ("shuffle as a number", "shuffle: true", "shuffle: 1", BAD),
    ("a true/false answer as text", "answer: true", 'answer: "true"', BAD),
    ("a true/false answer of 0", "answer: true", "answer: 0", BAD),
    # quiz settings (issue 16)
    ("exam mode", "shuffle: true", "shuffle: true\n  feedback: deferred", GOOD),
    ("immediate feedback", "shuffle: true", "shuffle: true\n  feedback: immediate", GOOD),
    ("an unknown feedback", "shuffle: true", "shuffle: true\n  feedback: later", BAD),
    ("a timed exam", "shuffle: true", "shuffle: true\n  feedback: deferred\n  time_limit: 20",
     GOOD),
    ("a time limit on a practice quiz", "shuffle: true", "shuffle: true\n  time_limit: 20", BAD),
    ("a time limit, immediate feedback", "shuffle: true",
     "shuffle: true\n  feedback: immediate\n  time_limit: 20", BAD),
    ("a time limit of zero", "shuffle: true", "shuffle: true\n  time_limit: 0", BAD),
    ("a time limit as text", "shuffle: true", 'shuffle: true\n  time_limit: "20"', BAD),
    ("a time limit in words", "shuffle: true", "shuffle: true\n  time_limit: 20 min", BAD),
    ("a fractional time limit", "shuffle: true", "shuffle: true\n  time_limit: 2.5", BAD),
    ("no time limit written as null", "shuffle: true", "shuffle: true\n  time_limit: null",
     GOOD),
    ("three attempts", "shuffle: true", "shuffle: true\n  attempts: 3", GOOD),
    ("zero attempts", "shuffle: true", "shuffle: true\n  attempts: 0", BAD),
    ("attempts that are true", "shuffle: true", "shuffle: true\n  attempts: true", BAD),
    ("attempts as text", "shuffle: true", 'shuffle: true\n  attempts: "3"', BAD),
    ("shuffle questions only", "shuffle: true",
     "shuffle: false\n  shuffle_questions: true\n  shuffle_choices: false", GOOD),
    ("shuffle_choices as text", "shuffle: true", 'shuffle: true\n  shuffle_choices: "no"', BAD),
    ("shuffle_questions as a number", "shuffle: true",
     "shuffle: true\n  shuffle_questions: 0", BAD),
    ("the last attempt counts", "shuffle: true", "shuffle: true\n  grade: last", GOOD),
    ("the average counts", "shuffle: true", "shuffle: true\n  grade: average", GOOD),
    ("an unknown grade rule", "shuffle: true", "shuffle: true\n  grade: highest", BAD),
    ("a grade rule in capitals", "shuffle: true", "shuffle: true\n  grade: Best", BAD),
    ("a misspelt setting", "shuffle: true", "shuffle: true\n  time_limt: 20", BAD),
    # hints (issue 16)
    ("a hint", "answer: true\n", "answer: true\n      hint: Look up.\n", GOOD),
    ("a number as a hint", "answer: true\n", "answer: true\n      hint: 1954\n", GOOD),
    ("an empty hint", "answer: true\n", 'answer: true\n      hint: ""\n', BAD),
    ("a hint that is true", "answer: true\n", "answer: true\n      hint: true\n", BAD),
    ("a hint as a list", "answer: true\n", "answer: true\n      hint: [a, b]\n", BAD),
    ("a misspelt hint", "answer: true\n", "answer: true\n      hnit: Look up.\n", BAD),
    ("a hint penalty", "shuffle: true", "shuffle: true\n  hint_penalty: 0.25", GOOD),
    ("no hint penalty", "shuffle: true", "shuffle: true\n  hint_penalty: 0", GOOD),
    ("a whole hint penalty", "shuffle: true", "shuffle: true\n  hint_penalty: 1", GOOD),
    ("a hint penalty above 1", "shuffle: true", "shuffle: true\n  hint_penalty: 1.5", BAD),
    ("a negative hint penalty", "shuffle: true", "shuffle: true\n  hint_penalty: -0.1", BAD),
    ("a hint penalty in percent", "shuffle: true", "shuffle: true\n  hint_penalty: 25%", BAD),
    ("a hint penalty as text", "shuffle: true", 'shuffle: true\n  hint_penalty: "0.25"', BAD),
    ("a hint penalty that is true", "shuffle: true", "shuffle: true\n  hint_penalty: true", BAD),
    ("a hint penalty of .nan", "shuffle: true", "shuffle: true\n  hint_penalty: .nan", BAD),
    # shapes
    ("an unknown key", "minutes: 5", "minutes: 5\nexplenation: x", BAD),
    ("an unknown question type", "type: true_false", "type: essay", BAD),
    ("a card with neither body nor timeline", "    body: |\n      Some *Markdown* text.\n", "",
     BAD),
    ("a card whose body is null", "    body: |\n      Some *Markdown* text.\n",
     "    body: null\n", BAD),
    ("an explanation that is null", "explanation: It is.", "explanation: null", GOOD),
    ("one choice only", "choices: [A, B, C, D]\n      answer: [A, C]",
     "choices: [A]\n      answer: [A]", BAD),
    ("two order items", "items: [first, second, third]", "items: [first, second]", BAD),
    ("one pair", "pairs: {CICIG: Guatemala, Mano Dura: El Salvador}",
     "pairs: {CICIG: Guatemala}", BAD),
    ("a pair keyed true", "pairs: {CICIG: Guatemala, Mano Dura: El Salvador}",
     "pairs: {true: Guatemala, Mano Dura: El Salvador}", BAD),
    ("no questions", "  questions:\n", "  questions: []\n  old:\n", BAD),
    ("objectives as text", "objectives: [Know the test facts]", "objectives: Know them", BAD),
]  # fmt: skip


def _edit(old: str, new: str) -> str:
    if not old:
        return MINIMAL
    assert MINIMAL.count(old) >= 1, old
    return MINIMAL.replace(old, new, 1)


def _schema_accepts(data: Any) -> bool:
    validator = jsonschema.Draft202012Validator(
        lesson_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return bool(validator.is_valid(data))


@pytest.mark.parametrize(("what", "old", "new", "good"), CASES, ids=[c[0] for c in CASES])
def test_the_validator_and_the_schema_agree(
    what: str, old: str, new: str, good: bool, tmp_path: Path
) -> None:
    text = _edit(old, new)
    path = tmp_path / "lesson.yaml"
    path.write_text(text, encoding="utf-8")
    lesson, errors = load_file(path)
    assert (lesson is not None) is good, f"validator on {what}: {[str(e) for e in errors]}"
    assert _schema_accepts(parse(text).data) is good, f"schema on {what}"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("minutes: 5", 'minutes: "10"', "minutes: must be a number, not the text '10'"),
        ("id: test-lesson", "id: 2012", "id: must be text: put it in quotes"),
        ("shuffle: true", 'shuffle: "yes"', "quiz.shuffle: must be true or false, without quotes"),
        ("date: 2008", "date: 2008.5", "date: must be a date: YYYY, YYYY-MM or YYYY-MM-DD"),
        ("shuffle: true", 'shuffle: true\n  time_limit: "20"', "quiz.time_limit: must be a number"),
        ("shuffle: true", "shuffle: true\n  attempts: 0", "quiz.attempts"),
        ("shuffle: true", "shuffle: true\n  time_limit: 20", "needs `feedback: deferred`"),
        ("shuffle: true", "shuffle: true\n  feedback: later", "quiz.feedback"),
        ("shuffle: true", "shuffle: true\n  grade: highest", "quiz.grade"),
        ("shuffle: true", "shuffle: true\n  time_limt: 20", "did you mean 'time_limit'"),
    ],
)
def test_what_the_schema_refuses_the_validator_explains(
    old: str, new: str, message: str, tmp_path: Path
) -> None:
    path = tmp_path / "lesson.yaml"
    path.write_text(_edit(old, new), encoding="utf-8")
    _, errors = load_file(path)
    assert len(errors) == 1 and message in errors[0].message
