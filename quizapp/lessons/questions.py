"""The quiz's questions: the seven question types a lesson may ask, the ``Question`` union
the loader validates against (by ``type``), and each question's content hash.

What the fields accept is defined in :mod:`quizapp.lessons.fields`; rules across fields (an
answer that is not one of the choices) in :mod:`quizapp.lessons.checks`. The models are
re-exported by :mod:`quizapp.lessons.model`, which callers import.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, BeforeValidator, Field

from quizapp.lessons.base import (
    REVIEW_FIELDS,
    _Dated,
    _hash,
    _Strict,
    _without_unused_later_fields,
)
from quizapp.lessons.fields import (
    FINITE,
    LARGEST,
    TEXT_OR_NUMBER,
    AnyText,
    Bool,
    ChoiceText,
    Markdown,
    Number,
    Slug,
    SourceRefs,
    Text,
    WholeNumber,
    not_text,
)

__all__ = [
    "QUESTION_TYPES",
    "Choice",
    "MatchQuestion",
    "MultiQuestion",
    "NumberQuestion",
    "OrderQuestion",
    "Question",
    "SingleQuestion",
    "TextQuestion",
    "TrueFalseQuestion",
]


class Choice(_Strict):
    """A choice of a single or multi question, with optional feedback shown when picked."""

    text: Text
    feedback: AnyText | None = None


def _non_empty(value: Choice | str) -> Choice | str:
    if isinstance(value, str) and not value.strip():
        raise ValueError("a choice cannot be empty")
    return value


def _colon_in_choice(value: Any) -> Any:
    """``- Tegucigalpa: the capital`` is YAML for a mapping; say so once, plainly."""
    if isinstance(value, dict) and len(value) == 1 and not {"text", "feedback"} & set(value):
        raise ValueError("a choice that contains ': ' must be in quotes")
    return value


ChoiceInput = Annotated[
    Choice | ChoiceText,
    AfterValidator(_non_empty),
    BeforeValidator(_colon_in_choice),
    Field(description="A choice: its text, or {text, feedback}."),
]


def _choice(value: Choice | str) -> Choice:
    return value if isinstance(value, Choice) else Choice(text=value)


class _QuestionBase(_Dated):
    id: Slug = Field(description="Unique within the lesson; stored with every answer.")
    prompt: Markdown
    explanation: AnyText | None = Field(
        default=None, description="Why the answer is right; shown after every answer."
    )
    sources: SourceRefs
    card: Annotated[int, Field(ge=1), BeforeValidator(not_text)] | None = Field(
        default=None, description="Number (1-based) of the card that teaches this."
    )
    hint: Text | None = Field(
        default=None,
        description="A hint the student may reveal (key h) before answering; shown as "
        "written. Using it is recorded, and costs `quiz.hint_penalty` of the credit.",
    )

    def content_hash(self) -> str:
        """A short hash of everything that defines the question (not its position).

        Stored with every answer so that statistics never mix two versions of a question.
        Review dates are left out: checking a fact again does not change the question.
        """
        data = self.model_dump(mode="json", exclude=set(REVIEW_FIELDS))
        return _hash(_without_unused_later_fields(data))


class SingleQuestion(_QuestionBase):
    """One right choice among several."""

    type: Literal["single"]
    choices: list[ChoiceInput] = Field(min_length=2)
    answer: Text = Field(description="The text of the right choice.")

    @property
    def options(self) -> list[Choice]:
        """Choices as objects, in the order written."""
        return [_choice(c) for c in self.choices]


class MultiQuestion(_QuestionBase):
    """Several right choices; partial credit per item."""

    type: Literal["multi"]
    choices: list[ChoiceInput] = Field(min_length=2)
    answer: list[Text] = Field(min_length=1, description="The texts of every right choice.")

    @property
    def options(self) -> list[Choice]:
        """Choices as objects, in the order written."""
        return [_choice(c) for c in self.choices]


class TrueFalseQuestion(_QuestionBase):
    """A statement that is true or false."""

    type: Literal["true_false"]
    answer: Bool


class TextQuestion(_QuestionBase):
    """A typed answer; case, accents, punctuation and extra spaces are ignored."""

    type: Literal["text"]
    accept: list[Text] = Field(
        min_length=1, description="Accepted answers; the first is shown as the right one."
    )
    typo_tolerance: WholeNumber = Field(
        default=0,
        ge=0,
        le=5,
        description="Typos forgiven: an answer this many letters (edit distance) from an "
        "accepted one is right; 0 (the default) forgives none.",
    )


class NumberQuestion(_QuestionBase):
    """A typed number (often a year), right within ``tolerance``."""

    type: Literal["number"]
    answer: Number = Field(json_schema_extra={"minimum": -LARGEST, **FINITE})
    tolerance: Number = Field(default=0, ge=0, json_schema_extra=FINITE)
    unit: AnyText | None = Field(default=None, description="Shown after the input, e.g. '%'.")


class OrderQuestion(_QuestionBase):
    """Items to put in order; partial credit by the longest correctly ordered run."""

    type: Literal["order"]
    items: list[Text] = Field(min_length=3, description="The items, listed in the right order.")


class MatchQuestion(_QuestionBase):
    """Match each left item with its partner; partial credit per pair."""

    type: Literal["match"]
    pairs: dict[AnyText, Text] = Field(
        min_length=2,
        json_schema_extra={"propertyNames": TEXT_OR_NUMBER},
        description="Left item: its right partner.",
    )
    distractors: list[Text] = Field(
        default_factory=list, description="Extra right-hand options that match nothing."
    )


Question = Annotated[
    SingleQuestion
    | MultiQuestion
    | TrueFalseQuestion
    | TextQuestion
    | NumberQuestion
    | OrderQuestion
    | MatchQuestion,
    Field(discriminator="type"),
]


def _tag(model: type[_QuestionBase]) -> str:
    """The ``type`` a question model answers to (its ``Literal``)."""
    (tag,) = get_args(model.model_fields["type"].annotation)
    return str(tag)


#: Each ``type`` tag and its model, in the order written above; read from the union itself,
#: so a new question type cannot be left out of the loader's messages.
QUESTION_TYPES: dict[str, type[_QuestionBase]] = {
    _tag(model): model for model in get_args(get_args(Question)[0])
}
