"""The JSON Schema of a lesson file, for editors (``quizapp schema``,
``docs/lesson.schema.json``).

It is generated from the same pydantic models the validator uses, whose annotations decide,
field by field, what each accepts (see the comment above ``Slug`` in
:mod:`quizapp.lessons.model`); ``tests/test_schema_agreement.py`` runs a corpus of good and
bad files through both and fails on any disagreement. Rules across fields (an answer among
the choices, cited sources that exist, unique ids, a card number in range) and across files
(unique lesson ids) are beyond a JSON Schema: ``quizapp validate`` reports them.
"""

from __future__ import annotations

from typing import Any

__all__ = ["lesson_schema"]


def lesson_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a lesson file."""
    from quizapp.lessons.model import Lesson

    schema = Lesson.model_json_schema()
    _drop_discriminators(schema)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def _drop_discriminators(node: Any) -> None:
    """yaml-language-server ignores OpenAPI's ``discriminator`` and then offers only two of
    the seven question types; without it, ``oneOf`` with a ``const`` type works everywhere."""
    if isinstance(node, dict):
        node.pop("discriminator", None)
        for value in node.values():
            _drop_discriminators(value)
    elif isinstance(node, list):
        for value in node:
            _drop_discriminators(value)
