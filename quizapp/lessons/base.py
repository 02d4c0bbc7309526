"""What every lesson model shares: strictness (unknown keys are errors), review dates, and
the content hashes that tell two versions of a question or a lesson apart.

The hashes are stored with every attempt and answer, so what goes into them must never
change by accident: review dates are left out (:data:`REVIEW_FIELDS`), and so are fields
added later while they hold their "not used" value (:data:`LATER_FIELDS`).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from quizapp.lessons.fields import FullDate

__all__ = ["LATER_FIELDS", "REVIEW_FIELDS"]


class _Strict(BaseModel):
    """Base for every lesson model: unknown keys are errors; numbers may stand for text."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=True)


#: Dates about when facts were checked: not content, so never part of a content hash.
REVIEW_FIELDS = frozenset({"as_of", "review_by"})
#: Question fields added after answers were first stored, with the value that means "not
#: used". While a question leaves such a field at that value it is left out of the hashes, so
#: adding the field to the format changed no stored hash (answers would otherwise look like
#: answers to another version of every question). Add each new question field here.
LATER_FIELDS: dict[str, object] = {"typo_tolerance": 0, "hint": None}


def _without_unused_later_fields(question: dict[str, Any]) -> dict[str, Any]:
    """``question`` (dumped as JSON) without the later fields it leaves unused."""
    return {
        key: value
        for key, value in question.items()
        if not (key in LATER_FIELDS and value == LATER_FIELDS[key])
    }


class _Dated(_Strict):
    """A card or question that states something which can change (a court case, a legal
    status, a policy): when its facts were last checked, and when to check them again."""

    as_of: FullDate | None = Field(
        default=None,
        description="When the time-sensitive facts here were last checked against their "
        "sources (YYYY-MM-DD).",
    )
    review_by: FullDate | None = Field(
        default=None,
        description="Check these facts again by this date (YYYY-MM-DD): `quizapp validate` "
        "warns once it has passed, and `--strict` fails.",
    )

    @model_validator(mode="after")
    def _review_after_check(self) -> Self:
        if self.as_of and self.review_by and self.review_by < self.as_of:
            raise ValueError(
                f"review_by {self.review_by} is before as_of {self.as_of}: the next check "
                "comes after the last one"
            )
        return self


def _hash(data: Any) -> str:
    """A short hash of ``data`` in a canonical JSON form (keys sorted, no spaces)."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]
