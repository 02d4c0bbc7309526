"""The values of item analysis: what goes in, what comes out, and the thresholds of its flags.

:class:`AnswerRecord` is one stored answer as the statistics see it (plain values, so the
statistics can be tested without a database); :class:`LessonReport` (with its
:class:`QuizStats`, :class:`QuestionStats`, :class:`ChoiceCount` and :class:`Flag`) is what
:func:`quizapp.reports.stats.item_analysis` computes and the renderers of
:mod:`quizapp.reports.render` draw. :mod:`quizapp.reports` re-exports the public names;
import them from there.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from quizapp.store import AnswerRecord

__all__ = [
    "ATTEMPT_RULES",
    "LOW_DISCRIMINATION_BELOW",
    "MIN_ANSWERS_FOR_FLAGS",
    "MIN_ATTEMPTS_FOR_CORRELATION",
    "TOO_EASY_ABOVE",
    "TOO_FEW",
    "TOO_HARD_BELOW",
    "AnswerRecord",
    "AttemptRule",
    "ChoiceCount",
    "Flag",
    "LessonReport",
    "QuestionStats",
    "QuizStats",
    "ReportError",
]

AttemptRule = Literal["first", "last", "best", "all"]
ATTEMPT_RULES: tuple[AttemptRule, ...] = ("first", "last", "best", "all")

# Thresholds for the flags (see docs/instructors.md), the usual rules of thumb of item
# analysis: above 90% right a question tells little; below 20% it is harder than guessing
# among 4 choices (25%); a discrimination below 0.1 separates nobody, below 0 it points the
# wrong way (often a wrong answer key).
TOO_EASY_ABOVE = 90.0
TOO_HARD_BELOW = 20.0
LOW_DISCRIMINATION_BELOW = 0.1
# No flag is raised on fewer answers than this: 2 answers out of 3 is not a finding.
MIN_ANSWERS_FOR_FLAGS = 5
# A correlation (discrimination, alpha) needs at least this many attempts, with spread.
MIN_ATTEMPTS_FOR_CORRELATION = 3

TOO_FEW = "too few answers"


class ReportError(Exception):
    """The scores cannot be read: a message fit to show the instructor as it is."""


@dataclass(frozen=True)
class ChoiceCount:
    """How often one choice was picked: the class's misconceptions are in the wrong ones."""

    text: str
    right: bool
    count: int
    percent: float | None  # of the question's answers; None when it has none


@dataclass(frozen=True)
class Flag:
    """Something an instructor should act on, with a short reason."""

    kind: Literal[
        "too_easy", "too_hard", "negative_discrimination", "low_discrimination", "wrong_choice"
    ]
    message: str


@dataclass(frozen=True)
class QuestionStats:
    """The item analysis of one question (current version only)."""

    number: int  # 1-based position in the lesson file
    question_id: str
    type: str
    prompt: str
    answers: int
    facility: float | None  # percent, 0..100
    discrimination: float | None  # correlation with the rest of the quiz, -1..1
    discrimination_note: str | None  # why discrimination is None
    average_seconds: float | None
    choices: tuple[ChoiceCount, ...] = ()
    other_responses: int = 0  # single/true_false answers that picked none of the choices
    flags: tuple[Flag, ...] = ()
    hinted: int = 0  # answers given after the question's hint was shown


@dataclass(frozen=True)
class QuizStats:
    """The whole quiz over the selected attempts; scores are attempt percentages."""

    students: int
    attempts: int
    mean: float | None
    median: float | None
    sd: float | None  # sample standard deviation (n - 1), as Moodle
    alpha: float | None  # Cronbach's alpha over attempts that answered every question
    alpha_note: str | None
    pass_mark: int
    passed: int
    scores: tuple[float, ...] = field(default=())  # each attempt's percent, for histograms


@dataclass(frozen=True)
class LessonReport:
    """Item analysis of one lesson: quiz figures, one entry per question, what was left out."""

    lesson_id: str
    lesson_title: str
    rule: AttemptRule
    quiz: QuizStats
    questions: tuple[QuestionStats, ...]
    outdated_answers: int  # answers to an older version of a question (or a removed one)
    unfinished_attempts: int  # attempts left out because they were not finished
    retry_attempts: int = 0  # retries of missed questions, left out (not a whole quiz)

    @property
    def flagged(self) -> tuple[QuestionStats, ...]:
        """The questions with at least one flag."""
        return tuple(q for q in self.questions if q.flags)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (floats rounded to 4 decimals; None stays None)."""
        rounded: dict[str, Any] = _rounded(asdict(self))
        return rounded


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    return value
