"""Spaced review: every question a student answers becomes a review item, scheduled by FSRS.

FSRS (the Free Spaced Repetition Scheduler, the scheduler Anki uses) predicts when a student
is about to forget an item and brings it back then. We use the ``fsrs`` package's
:class:`fsrs.Scheduler` with its default parameters and without fuzzing (the same answers at
the same times always give the same schedule, on every machine, so merged files agree).

The rating rule (documented in docs/review.md) turns a graded answer into an FSRS rating:

* wrong (score 0) -> Again
* partly right (0 < score < 1) -> Hard
* right (score 1) -> Good
* right and fast -> Easy, where fast means answered in at most :data:`FAST_SECONDS` for its
  question type (a true/false question in 8 seconds, a typed answer in 20, ...).

The store keeps each item's latest card and a log of every review; this module only decides
the rating and the next state. Nothing here imports the UI.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fsrs import Card, Rating, Scheduler

from quizapp.grading import Grade
from quizapp.lessons.model import Question
from quizapp.store import Store

__all__ = [
    "DEFAULT_REVIEW_LIMIT",
    "FAST_SECONDS",
    "SCHEDULER",
    "DueSummary",
    "rating_for",
    "record",
    "record_answer",
    "summary",
]

#: How many items one review session asks at most (``--review-limit`` changes it).
DEFAULT_REVIEW_LIMIT = 20

#: An answer that is right and given within this many seconds (by question type) is "fast":
#: rated Easy instead of Good.
FAST_SECONDS: dict[str, float] = {
    "true_false": 8.0,
    "single": 12.0,
    "multi": 20.0,
    "text": 20.0,
    "number": 20.0,
    "order": 30.0,
    "match": 30.0,
}
_FAST_DEFAULT = 15.0

#: The one scheduler: FSRS defaults (90% desired retention), no fuzzing (reproducible).
SCHEDULER = Scheduler(enable_fuzzing=False)


def rating_for(question_type: str, grade: Grade, seconds: float) -> Rating:
    """The FSRS rating of an answer: wrong -> Again, partial -> Hard, right -> Good, right
    within :data:`FAST_SECONDS` for its type -> Easy."""
    if grade.score <= 0:
        return Rating.Again
    if not grade.correct and grade.score < 1:
        return Rating.Hard
    if seconds <= FAST_SECONDS.get(question_type, _FAST_DEFAULT):
        return Rating.Easy
    return Rating.Good


def record(
    store: Store,
    student_id: int,
    lesson_id: str,
    item_id: str,
    rating: Rating,
    seconds: float,
    now: dt.datetime | None = None,
) -> Card:
    """Review one item: schedule it with FSRS from its stored state (a new card if the
    student never met it) and save the review (durable when this returns). Returns the new
    card (its ``due`` says when it comes back)."""
    moment = now if now is not None else store.review_now()
    stored = store.review_item(student_id, lesson_id, item_id)
    card = _card(stored.card if stored is not None else None, moment)
    card, _log = SCHEDULER.review_card(card, rating, moment)
    store.record_review(
        student_id,
        lesson_id,
        item_id,
        rating=int(rating),
        seconds=seconds,
        reviewed_at=moment,
        card=card.to_json(),
        due=card.due,
    )
    return card


def _card(stored: str | None, moment: dt.datetime) -> Card:
    """The stored card, or a new one (never met, or a damaged state: it starts afresh)."""
    if stored is not None:
        try:
            return Card.from_json(stored)
        except (ValueError, KeyError, TypeError):
            pass
    return Card(card_id=0, due=moment)


def record_answer(
    store: Store,
    student_id: int,
    lesson_id: str,
    question: Question,
    grade: Grade,
    seconds: float,
    now: dt.datetime | None = None,
) -> Card:
    """Make a graded answer to ``question`` a review of its item (the question's id)."""
    rating = rating_for(question.type, grade, seconds)
    return record(store, student_id, lesson_id, question.id, rating, seconds, now)


@dataclass(frozen=True)
class DueSummary:
    """A student's review items due now: per lesson, in all, and the next due time when
    none is due."""

    per_lesson: dict[str, int]
    next_due: dt.datetime | None

    @property
    def total(self) -> int:
        """Items due now, across lessons."""
        return sum(self.per_lesson.values())


def summary(store: Store, student_id: int, now: dt.datetime | None = None) -> DueSummary:
    """What is due for the student at ``now`` (the store's clock by default)."""
    moment = now if now is not None else store.review_now()
    counts = store.due_counts(student_id, moment)
    return DueSummary(counts, None if counts else store.next_due(student_id, moment))
