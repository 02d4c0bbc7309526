"""The values the score store hands out, and how its rows become them.

:class:`Student`, :class:`Attempt`, :class:`Answer` and :class:`LessonSummary` are frozen
records (the class views' rows are named tuples, in :mod:`.rows`): a caller can keep them,
share them between threads or put them in a set without the database changing under it.
Also here: :class:`StoreError` (every problem a user may see), the score rules and attempt
states, the checks a student name must pass, and the conversions from SQLite rows and UTC
text to these records, which every part of the store shares. :mod:`quizapp.store` re-exports
the public names; import them from there.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import unicodedata
from collections.abc import Iterable
from typing import Any, Literal, get_args

from quizapp.frozen import Frozen
from quizapp.store.dialect import Dialect
from quizapp.text import clean

__all__ = [
    "RULES",
    "UNREADABLE_TIME",
    "Answer",
    "Attempt",
    "AttemptClosed",
    "LessonSummary",
    "Mode",
    "Rule",
    "Status",
    "StoreError",
    "Student",
    "clean_name",
    "lesson_best",
    "name_key",
]

Rule = Literal["best", "last", "first", "average"]
Status = Literal["in_progress", "finished", "abandoned"]
Mode = Literal["full", "retry"]
RULES: tuple[Rule, ...] = get_args(Rule)

_MAX_NAME = 200


class StoreError(Exception):
    """A problem with the score database, in words fit to show a user (no traceback)."""


class AttemptClosed(StoreError):
    """An answer was refused because its attempt no longer takes answers here: it ended,
    was given up, or was taken over by another quizapp window. Nothing was saved; the
    answers acknowledged before are kept."""


class Student(Frozen):
    """A student profile. ``name`` is exactly as typed; several can share one machine."""

    id: int
    name: str
    created_at: dt.datetime
    last_active: dt.datetime


class Attempt(Frozen):
    """One go at a lesson's quiz.

    ``question_ids`` is the order the questions were asked in (fixed by ``seed``);
    ``question_hashes`` their content hashes when the attempt started; ``dropped`` the ids
    left out on resume because the lesson changed; ``mode`` is ``"retry"`` for a retry of
    some questions only (not counted in lesson scores). ``score``/``max_score`` are set when
    the attempt ends; ``answered`` is the number of answers recorded so far.
    """

    id: int
    uuid: str
    student_id: int
    lesson_id: str
    lesson_hash: str
    seed: int
    question_ids: tuple[str, ...]
    question_hashes: tuple[str, ...]
    dropped: tuple[str, ...]
    mode: Mode
    status: Status
    started_at: dt.datetime
    finished_at: dt.datetime | None
    last_activity: dt.datetime
    score: float | None
    max_score: float | None
    answered: int
    #: True when a stored value of the attempt could not be read (a damaged row, from an old
    #: merge or an edited file): the unreadable values are shown as damaged, never trusted.
    damaged: bool = False
    #: Which quizapp window has the attempt open (see :mod:`quizapp.flow`); None when no
    #: window has it open (left, ended, or merged from another machine).
    owner: str | None = None

    @property
    def percent(self) -> float | None:
        """Score in percent once the attempt has ended, else None."""
        if self.score is None or not self.max_score:
            return None
        return 100.0 * self.score / self.max_score

    @property
    def in_progress(self) -> bool:
        """True while the attempt can still take answers."""
        return self.status == "in_progress"

    @property
    def counts(self) -> bool:
        """True if the attempt counts towards the lesson's score (a finished full attempt).
        The same rule as the store's SQL (``schema._COUNTS``); a test holds them equal."""
        return self.status == "finished" and self.mode == "full" and bool(self.max_score)

    @property
    def seconds(self) -> float | None:
        """Wall-clock length of an ended attempt, in seconds."""
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


class Answer(Frozen):
    """One answer, as given (``response`` decoded from JSON), with its score in 0..1."""

    id: int
    uuid: str
    attempt_id: int
    question_id: str
    question_hash: str
    response: Any
    score: float
    seconds: float
    answered_at: dt.datetime
    #: The question's hint was shown before this answer (its score carries the penalty).
    hinted: bool = False


class LessonSummary(Frozen):
    """What the lesson list shows for one lesson of one student."""

    lesson_id: str
    attempts: int
    best_percent: float | None
    last_percent: float | None
    last_activity: dt.datetime | None
    card_index: int | None
    unfinished_attempt_id: int | None
    first_percent: float | None = None
    average_percent: float | None = None
    #: Full attempts given up with answers (start over): they use up an attempt limit.
    given_up: int = 0

    def percent(self, rule: Rule = "best") -> float | None:
        """The lesson's score by ``rule`` (the lesson's ``quiz.grade``), as :func:`lesson_best`."""
        return {
            "best": self.best_percent,
            "last": self.last_percent,
            "first": self.first_percent,
            "average": self.average_percent,
        }[rule]


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _iso(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("times must be timezone-aware")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


#: A stored time that cannot be read (a damaged row) comes back as this moment, the start of
#: Unix time, which no real answer has; views show it as damaged.
UNREADABLE_TIME = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _time(value: object) -> dt.datetime:
    """A stored UTC timestamp as an aware datetime; :data:`UNREADABLE_TIME` if it is not one."""
    if not isinstance(value, str):
        return UNREADABLE_TIME
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return UNREADABLE_TIME
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _shown(value: object) -> str:
    """A stored text value made fit to show: any SQLite value as text, cleaned of control
    characters and bidi overrides (the one display sanitiser, :func:`quizapp.text.clean`)."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return clean(value if isinstance(value, str) else "" if value is None else str(value))


def _real(value: object) -> float | None:
    """A stored number, or None when the row holds something else."""
    if isinstance(value, int | float) and math.isfinite(value):
        return float(value)
    return None


def lesson_best(attempts: Iterable[Attempt], rule: Rule = "best") -> float | None:
    """A lesson's score in percent by the lesson's grading ``rule`` (``quiz.grade``: best,
    last, first or average of the attempts that count — :attr:`Attempt.counts`: finished,
    full, not a retry of missed questions), or None before any counts.

    The one rule every view shows (the lesson list, history, results, the gradebook,
    ``quizapp scores``); the store computes the same in SQL for the class views (first and
    last by finishing time, then by id, as there).
    """
    if rule not in RULES:
        raise ValueError(f"rule must be one of {', '.join(RULES)}")
    counted = sorted(
        (a for a in attempts if a.counts and a.percent is not None),
        key=lambda a: (a.finished_at or a.started_at, a.id),
    )
    percents = [a.percent for a in counted if a.percent is not None]
    if not percents:
        return None
    if rule == "first":
        return percents[0]
    if rule == "last":
        return percents[-1]
    if rule == "average":
        return sum(percents) / len(percents)
    return max(percents)


# Characters that change nothing a reader sees: zero-width spaces and joiners, the word
# joiner, the byte order mark, and the bidirectional controls (marks, embeddings,
# overrides, isolates). A name typed with one on one machine is the same name.
_INVISIBLE = (
    dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u061c"), None)
    | dict.fromkeys(range(0x202A, 0x202F), None)
    | dict.fromkeys(range(0x2066, 0x206A), None)
)


def clean_name(name: str) -> str:
    """A name as it is kept and shown: NFC, without zero-width or bidirectional control
    characters, trimmed, each run of spaces inside made one space. Case is kept as typed."""
    text = unicodedata.normalize("NFC", name).translate(_INVISIBLE)
    return " ".join(text.split())


def name_key(name: str) -> str:
    """The key every spelling of one name shares: :func:`clean_name`, then case-folded
    (``"BEN"``, ``"Ben"`` and ``" ben "`` are one student; so are "José" typed with a
    combining accent and precomposed)."""
    return unicodedata.normalize("NFC", clean_name(name).casefold())


def _check_name(name: str) -> None:
    if not isinstance(name, str) or not clean_name(name):
        raise StoreError("A student name cannot be empty.")
    if len(name) > _MAX_NAME:
        raise StoreError(f"A student name can have at most {_MAX_NAME} characters.")
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        raise StoreError("A student name cannot contain control characters (such as newlines).")


_ATTEMPT_COLUMNS_TEMPLATE = """a.id, a.uuid, a.student_id, a.lesson_id, a.lesson_hash, a.seed,
    a.question_ids, a.question_hashes, a.dropped, a.mode, a.status, a.started_at, a.finished_at,
    a.last_activity, a.score, a.max_score,
    {greatest}((SELECT count(*) FROM answers n WHERE n.attempt_id = a.id),
        (SELECT count(DISTINCT d.question_id) FROM exam_drafts d WHERE d.attempt_id = a.id))
        AS answered, a.owner"""


def _attempt_columns(dialect: Dialect) -> str:
    """The columns :func:`_attempt` reads, of ``attempts a``, in ``dialect``."""
    return _ATTEMPT_COLUMNS_TEMPLATE.format(greatest=dialect.greatest)


def _json_list(text: object) -> tuple[str, ...] | None:
    """A stored JSON list of ids; None when it is not one (a damaged row)."""
    if text == "[]":
        return ()
    try:
        value = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        return None
    if not isinstance(value, list):
        return None
    return tuple(_shown(item) for item in value)


def _attempt(row: Any) -> Attempt:
    # Positional, in _ATTEMPT_COLUMNS order: a history of hundreds of attempts is built
    # row by row, and lookups by name cost more than the query.
    (id_, uuid_, student_id, lesson_id, lesson_hash, seed, question_ids, question_hashes,
     dropped, mode, status, started_at, finished_at, last_activity, score, max_score,
     answered, owner) = row  # fmt: skip
    lists = [_json_list(question_ids), _json_list(question_hashes), _json_list(dropped)]
    times = [_time(started_at), None if finished_at is None else _time(finished_at)]
    times.append(_time(last_activity))
    numbers = [
        None if score is None else _real(score),
        None if max_score is None else _real(max_score),
    ]
    damaged = (
        None in lists
        or UNREADABLE_TIME in times
        or (numbers[0] is None) != (score is None)
        or (numbers[1] is None) != (max_score is None)
        or not isinstance(seed, int)
        or not isinstance(lesson_id, str)
        or _shown(lesson_id) != lesson_id
    )
    asked, hashes, left_out = (ids or () for ids in lists)
    return Attempt(
        id_,
        _shown(uuid_),
        student_id,
        _shown(lesson_id),
        _shown(lesson_hash),
        seed if isinstance(seed, int) else 0,
        asked,
        hashes,
        left_out,
        mode,
        status,
        times[0] or UNREADABLE_TIME,
        times[1],
        times[2] or UNREADABLE_TIME,
        numbers[0],
        numbers[1],
        answered,
        damaged,
        owner if isinstance(owner, str) else None,
    )


def _student(row: Any) -> Student:
    return Student(
        id=row["id"],
        name=_shown(row["name"]) or "(unreadable name)",
        created_at=_time(row["created_at"]),
        last_active=_time(row["last_active"]),
    )
