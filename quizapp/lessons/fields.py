"""What each field of a lesson file accepts, decided once for the validator and the schema.

Every annotated type here carries both its validation (pydantic) and its JSON Schema
(``WithJsonSchema`` or constraints that pydantic turns into one), so that ``quizapp validate``
and the schema editors use (:mod:`quizapp.lessons.schema`) agree; the models in
:mod:`quizapp.lessons.model` are built from them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints, WithJsonSchema

__all__ = [
    "FINITE",
    "LARGEST",
    "TEXT_OR_NUMBER",
    "AnyText",
    "Bool",
    "ChoiceText",
    "Markdown",
    "Number",
    "PartialDate",
    "Slug",
    "SourceRefs",
    "Text",
    "Url",
    "WholeNumber",
    "not_text",
    "parse_partial_date",
]

# Which fields take a number as text, and the JSON Schema of each, are decided here, once:
# the validator and `quizapp schema` (quizapp.lessons.schema) read the same annotations, and
# tests/test_schema_agreement.py runs a corpus through both. Text fields accept a number as
# its text (`choices: [1989, 1992]`, `answer: 2012`); ids and addresses must be text;
# numeric fields (`minutes`, `pass_mark`, `card`, a number question's `answer`) must be
# numbers, not quoted text; `shuffle` and a true/false answer must be true or false.
TEXT_OR_NUMBER: dict[str, Any] = {"type": ["string", "number"]}

# Patterns in the schema end with `(?!\n)$`: Python's `$` (jsonschema's) also matches before
# a final line break, which the validator's (and editors') `$` does not.
_SLUG = "^[a-z0-9][a-z0-9_-]*$"
Slug = Annotated[
    str,
    Field(pattern=_SLUG, max_length=80, strict=True),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": _SLUG.replace("$", r"(?!\n)$"),
            "maxLength": 80,
            "description": "Lower-case letters, digits, '-' and '_'; starts with a letter "
            "or digit.",
        }
    ),
]
_URL = r"^https?://\S+$"
Url = Annotated[
    str,
    Field(pattern=_URL),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": _URL.replace("$", r"(?!\n)$"),
            "description": "Canonical address (http/https).",
        }
    ),
]
Text = Annotated[
    str, StringConstraints(min_length=1), WithJsonSchema({**TEXT_OR_NUMBER, "minLength": 1})
]
Markdown = Annotated[
    str,
    StringConstraints(min_length=1),
    WithJsonSchema({**TEXT_OR_NUMBER, "minLength": 1, "description": "Markdown text."}),
]
AnyText = Annotated[str, WithJsonSchema(TEXT_OR_NUMBER)]
SourceRefs = Annotated[
    list[AnyText],
    Field(default_factory=list, description="Ids of sources listed in the lesson's `sources`."),
]


def not_text(value: Any) -> Any:
    """A numeric field takes a number, not quoted text or true/false (as the schema says)."""
    if isinstance(value, bool):
        raise ValueError("must be a number, not true or false")
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            raise ValueError(f"must be a number, not the text {value!r}") from None
        raise ValueError(f"must be a number, not the text {value!r} (remove the quotes)")
    return value


# Finite numbers only, in the schema as in the validator. JSON has no NaN or infinity, but
# YAML's .nan and .inf reach a JSON Schema validator run on YAML data: the bounds refuse an
# infinity, and NaN, for which every comparison is false, passes both parts of the `not`.
LARGEST = 1.7976931348623157e308
FINITE: dict[str, Any] = {"maximum": LARGEST, "not": {"minimum": 0, "maximum": -1}}
WholeNumber = Annotated[int, BeforeValidator(not_text)]
Number = Annotated[float, BeforeValidator(not_text), Field(allow_inf_nan=False)]
Bool = Annotated[bool, Field(strict=True)]

_PARTIAL_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\Z")


# In YAML an unquoted year is a number; the loader turns it into text. Editors are told so.
def _year_as_text(value: Any) -> Any:
    """``date: 1996`` (a YAML number) is the year ``"1996"``; ``1996.0`` too, as JSON Schema
    counts it a whole number."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


# A full date is checked by `format: date` (a real day: no 1996-02-30); editors check it too.
PartialDate = Annotated[
    str,
    BeforeValidator(_year_as_text),
    Field(strict=True),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": r"^[0-9]{4}(-(0[1-9]|1[0-2]))?(?!\n)$"},
                {
                    "type": "string",
                    "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?!\n)$",
                    "format": "date",
                },
                {"type": "integer", "minimum": 1000, "maximum": 9999},
            ],
            "description": "YYYY, YYYY-MM or YYYY-MM-DD",
        }
    ),
]


def parse_partial_date(value: str) -> tuple[int, int, int]:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` into a sortable ``(y, m, d)`` tuple.

    Missing parts are 0, so ``1992`` sorts before ``1992-01-16``. Raises ``ValueError`` with
    a message fit for an instructor when the text is not such a date or the day does not exist.
    """
    match = _PARTIAL_DATE.match(value)
    if not match:
        raise ValueError(f"{value!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(part) if part else 0 for part in match.groups())
    if match.group(2) and not 1 <= month <= 12:
        raise ValueError(f"{value!r} is not a real date: there is no month {month}")
    if match.group(3):
        try:
            dt.date(year, month, day)
        except ValueError:
            raise ValueError(f"{value!r} is not a real date: that month has no day {day}") from None
    return (year, month, day)


_FULL_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


def full_date(value: str | None) -> str | None:
    """Check a ``YYYY-MM-DD`` date that must name a real day (``as_of``, ``review_by``)."""
    if value is not None:
        if not _FULL_DATE.match(value):
            raise ValueError(f"{value!r} is not a date: write YYYY-MM-DD")
        parse_partial_date(value)
    return value


# A whole date, for when facts were checked: `format: date` refuses 2026-02-30 in editors too.
FullDate = Annotated[
    str,
    Field(strict=True),
    AfterValidator(full_date),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?!\n)$",
            "format": "date",
            "description": "YYYY-MM-DD",
        }
    ),
]


# A choice written as text must have a letter or digit that is not a space.
ChoiceText = Annotated[str, WithJsonSchema({**TEXT_OR_NUMBER, "pattern": r"\S"})]
