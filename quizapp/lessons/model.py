"""The lesson schema: what an instructor may write in a lesson file.

These pydantic models are the contract between instructors (who write YAML) and the app.
Unknown keys are errors so that a typo such as ``explenation`` is reported rather than
silently ignored. Cross-field rules that need a YAML line to point at (an answer that is not
one of the choices, a card number out of range, ...) live in :mod:`quizapp.lessons.checks`.
What each field accepts (text, numbers, dates), for the validator and the JSON Schema alike,
is defined in :mod:`quizapp.lessons.fields`. The questions are defined in
:mod:`quizapp.lessons.questions` and what every model shares (strictness, review dates,
content hashes) in :mod:`quizapp.lessons.base`; both are re-exported here, so callers import
every lesson model from this module.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Self

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from quizapp.lessons.base import (
    REVIEW_FIELDS,
    _Dated,
    _hash,
    _Strict,
    _without_unused_later_fields,
)
from quizapp.lessons.fields import (
    FINITE,
    AnyText,
    Bool,
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
from quizapp.lessons.questions import (
    QUESTION_TYPES,
    Choice,
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


#: How a quiz is run (not what it asks): left out of the lesson's content hash, so adding
#: ``attempts: 3`` to a lesson does not make its earlier attempts look like another version.
SETTINGS_FIELDS = frozenset(
    {
        "feedback",
        "time_limit",
        "attempts",
        "shuffle_questions",
        "shuffle_choices",
        "grade",
        "hint_penalty",
    }
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
    hint_penalty: Number = Field(
        default=0,
        ge=0,
        le=1,
        json_schema_extra={"not": FINITE["not"]},  # NaN fails every bound: refuse it too
        description="Share of a question's credit a used hint costs: 0.25 takes a quarter "
        "of the score of an answer given after its hint was shown (0, the default: none).",
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
        out, as in :meth:`.questions._QuestionBase.content_hash`)."""
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
