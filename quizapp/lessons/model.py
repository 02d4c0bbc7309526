"""The lesson schema: what an instructor may write in a lesson file.

These pydantic models are the contract between instructors (who write YAML) and the app.
Unknown keys are errors so that a typo such as ``explenation`` is reported rather than
silently ignored. Cross-field rules that need a YAML line to point at (an answer that is not
one of the choices, a card number out of range, ...) live in :mod:`quizapp.lessons.checks`.
What each field accepts (text, numbers, dates), for the validator and the JSON Schema alike,
is defined in :mod:`quizapp.lessons.fields`.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any, Literal, Self, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from quizapp.lessons.fields import (
    FINITE,
    LARGEST,
    TEXT_OR_NUMBER,
    AnyText,
    Bool,
    ChoiceText,
    FullDate,
    Markdown,
    Number,
    PartialDate,
    Slug,
    SourceRefs,
    Text,
    Url,
    WholeNumber,
    not_text,
    parse_partial_date,
)

__all__ = [
    "QUESTION_TYPES",
    "SETTINGS_FIELDS",
    "Card",
    "Choice",
    "Feedback",
    "GlossaryEntry",
    "GradeRule",
    "Lesson",
    "MatchQuestion",
    "MultiQuestion",
    "NumberQuestion",
    "OrderQuestion",
    "Question",
    "Quiz",
    "SingleQuestion",
    "Source",
    "TextQuestion",
    "TimelineEvent",
    "TrueFalseQuestion",
    "parse_partial_date",
]


class _Strict(BaseModel):
    """Base for every lesson model: unknown keys are errors; numbers may stand for text."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=True)


#: Dates about when facts were checked: not content, so never part of a content hash.
REVIEW_FIELDS = frozenset({"as_of", "review_by"})
#: Question fields added after answers were first stored, with the value that means "not
#: used". While a question leaves such a field at that value it is left out of the hashes, so
#: adding the field to the format changed no stored hash (answers would otherwise look like
#: answers to another version of every question). Add each new question field here.
LATER_FIELDS: dict[str, object] = {"typo_tolerance": 0}


def _without_unused_later_fields(question: dict[str, Any]) -> dict[str, Any]:
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


class Source(_Strict):
    """A publication the lesson's facts come from; cards and questions cite it by ``id``."""

    id: Slug
    title: Text
    author: AnyText | None = Field(default=None, description="Author(s), if named.")
    publisher: AnyText | None = Field(default=None, description="Publisher, outlet or agency.")
    date: PartialDate | None = Field(
        default=None, description="Publication date: YYYY, YYYY-MM or YYYY-MM-DD."
    )
    accessed: PartialDate | None = Field(
        default=None,
        description="When a living page with no publication date (a wiki, a database) was read.",
    )
    url: Url | None = Field(default=None, description="Canonical address (http/https).")
    note: AnyText | None = Field(default=None, description="What the source is used for, caveats.")

    @field_validator("date", "accessed")
    @classmethod
    def _real_date(cls, value: str | None) -> str | None:
        if value is not None:
            parse_partial_date(value)
        return value

    def citation(self) -> str:
        """One line for students: author/publisher, title, date."""
        who = ", ".join(part for part in (self.author, self.publisher) if part)
        when = self.date or (f"accessed {self.accessed}" if self.accessed else None)
        parts = [part for part in (who, f"“{self.title}”", when) if part]
        return ", ".join(parts)


class TimelineEvent(_Strict):
    """One dated event on a timeline card."""

    date: PartialDate = Field(
        description="YYYY, YYYY-MM or YYYY-MM-DD; events are shown in this order."
    )
    label: AnyText | None = Field(
        default=None, description="How to show the date, e.g. '1980s' (defaults to `date`)."
    )
    text: Markdown
    sources: SourceRefs

    @field_validator("date")
    @classmethod
    def _real_date(cls, value: str) -> str:
        parse_partial_date(value)
        return value

    @property
    def shown_date(self) -> str:
        """The date as the student sees it."""
        return self.label or self.date


class Card(_Dated):
    """A lesson card: Markdown ``body``, or a ``timeline`` of dated events (or both)."""

    # The loader's checks say "a card needs a `body` or a `timeline`"; editors say it too.
    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"required": [key], "properties": {key: {"not": {"type": "null"}}}}
                for key in ("body", "timeline")
            ]
        }
    )

    title: Text
    body: Markdown | None = Field(default=None, description="Markdown text of the card.")
    timeline: list[TimelineEvent] | None = Field(
        default=None, min_length=1, description="Dated events, drawn as a timeline."
    )
    sources: SourceRefs


class GlossaryEntry(_Strict):
    """A key term of the lesson and its definition."""

    term: Text
    definition: Markdown


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


#: How a quiz is run (not what it asks): left out of the lesson's content hash, so adding
#: ``attempts: 3`` to a lesson does not make its earlier attempts look like another version.
SETTINGS_FIELDS = frozenset(
    {"feedback", "time_limit", "attempts", "shuffle_questions", "shuffle_choices", "grade"}
)

Feedback = Literal["immediate", "deferred"]
GradeRule = Literal["best", "last", "first", "average"]


class Quiz(_Strict):
    """The lesson's quiz and how it is run (feedback, limits, shuffling, which attempt counts).

    ``shuffle`` is the default of both ``shuffle_questions`` and ``shuffle_choices``; either
    of these, when written, wins for its part (read :attr:`shuffles_questions` and
    :attr:`shuffles_choices`, never the three keys directly).
    """

    # A time limit runs in exam mode only; editors say so too.
    model_config = ConfigDict(
        json_schema_extra={
            "dependentSchemas": {
                "time_limit": {
                    "anyOf": [
                        {"properties": {"time_limit": {"type": "null"}}},
                        {
                            "required": ["feedback"],
                            "properties": {"feedback": {"const": "deferred"}},
                        },
                    ]
                }
            }
        }
    )

    pass_mark: WholeNumber = Field(default=70, ge=0, le=100, description="Percent needed to pass.")
    shuffle: Bool = Field(
        default=True,
        description="Shuffle questions and choices (seeded per attempt); `shuffle_questions` "
        "and `shuffle_choices`, when written, win for their part.",
    )
    shuffle_questions: Bool | None = Field(
        default=None, description="Shuffle the order of the questions (default: `shuffle`)."
    )
    shuffle_choices: Bool | None = Field(
        default=None, description="Shuffle the choices of each question (default: `shuffle`)."
    )
    feedback: Feedback = Field(
        default="immediate",
        description="`immediate`: right or wrong after each answer (practice); `deferred`: "
        "exam mode, no feedback until the attempt is submitted.",
    )
    time_limit: Annotated[int, Field(ge=1, le=600), BeforeValidator(not_text)] | None = Field(
        default=None, description="Minutes an attempt may take (1-600); none if absent."
    )
    attempts: Annotated[int, Field(ge=1, le=100), BeforeValidator(not_text)] | None = Field(
        default=None, description="Most graded attempts a student may make; unlimited if absent."
    )
    grade: GradeRule = Field(
        default="best",
        description="Which attempt counts: `best`, `last`, `first`, or the `average` of all.",
    )
    questions: list[Question] = Field(min_length=1)

    @model_validator(mode="after")
    def _timed_exams_only(self) -> Self:
        if self.time_limit is not None and self.feedback != "deferred":
            raise ValueError(
                "a time_limit needs `feedback: deferred` (exam mode): a practice quiz "
                "marks each answer as it goes and has no clock"
            )
        return self

    @property
    def shuffles_questions(self) -> bool:
        """Whether each attempt shuffles the order of the questions."""
        return self.shuffle if self.shuffle_questions is None else self.shuffle_questions

    @property
    def shuffles_choices(self) -> bool:
        """Whether each attempt shuffles the choices of single and multi questions."""
        return self.shuffle if self.shuffle_choices is None else self.shuffle_choices

    @property
    def exam(self) -> bool:
        """Deferred feedback (exam mode): nothing is marked until the attempt is submitted."""
        return self.feedback == "deferred"


class Lesson(_Strict):
    """One lesson file: metadata, sources, cards, glossary and quiz."""

    model_config = ConfigDict(
        json_schema_extra={"title": "quizapp lesson", "$id": "lesson.schema.json"}
    )

    id: Slug = Field(description="Unique across all lesson files; stored with scores.")
    title: Text
    summary: Text
    objectives: list[Text] = Field(default_factory=list)
    minutes: WholeNumber = Field(
        ge=1, le=600, description="Estimated minutes to read and take the quiz."
    )
    sources: list[Source] = Field(min_length=1)
    cards: list[Card] = Field(min_length=1)
    glossary: list[GlossaryEntry] = Field(default_factory=list)
    quiz: Quiz

    def content_hash(self) -> str:
        """A short hash of the whole lesson, recorded with each attempt (review dates left
        out, as in :meth:`_QuestionBase.content_hash`)."""
        dates = {"__all__": set(REVIEW_FIELDS)}
        quiz: dict[str, Any] = {"questions": dates, **dict.fromkeys(SETTINGS_FIELDS, True)}
        data = self.model_dump(mode="json", exclude={"cards": dates, "quiz": quiz})
        data["quiz"]["questions"] = [
            _without_unused_later_fields(question) for question in data["quiz"]["questions"]
        ]
        return _hash(data)

    def source(self, source_id: str) -> Source | None:
        """The lesson's source with this id, if any."""
        return next((s for s in self.sources if s.id == source_id), None)


def _hash(data: Any) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]
