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

The lesson list shows what is due (:func:`summary`) on every start, so importing this module
is cheap: ``fsrs``, the grader and the lesson model (pydantic) are imported by the functions
that schedule or grade (see docs/performance.md).
"""

from __future__ import annotations

import datetime as dt
import random
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from quizapp.store import Store, Student

if TYPE_CHECKING:
    from fsrs import Card, Rating, Scheduler

    from quizapp.grading import Grade
    from quizapp.lessons.model import GlossaryEntry, Lesson, Question

__all__ = [
    "DEFAULT_REVIEW_LIMIT",
    "FAST_SECONDS",
    "DueSummary",
    "ReviewItem",
    "ReviewSession",
    "rating_for",
    "record",
    "record_answer",
    "scheduler",
    "summary",
    "term_key",
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


@cache
def scheduler() -> Scheduler:
    """The one scheduler: FSRS defaults (90% desired retention), no fuzzing (reproducible)."""
    from fsrs import Scheduler

    return Scheduler(enable_fuzzing=False)


def rating_for(question_type: str, grade: Grade, seconds: float) -> Rating:
    """The FSRS rating of an answer: wrong -> Again, partial -> Hard, right -> Good, right
    within :data:`FAST_SECONDS` for its type -> Easy."""
    from fsrs import Rating

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
    card, _log = scheduler().review_card(card, rating, moment)
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
    from fsrs import Card

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


def term_key(term: str) -> str:
    """The review item id of a glossary term: ``term:`` and the term folded to lowercase
    ASCII words joined by hyphens ("Mano Dura" -> ``term:mano-dura``); a term with no such
    letters gets a short hash."""
    folded = unicodedata.normalize("NFKD", term).encode("ascii", "ignore").decode().lower()
    slug = "-".join(re.findall(r"[a-z0-9]+", folded))[:100]
    if not slug:
        import hashlib  # rare: not imported by every start of the app

        slug = "h" + hashlib.sha256(term.encode()).hexdigest()[:12]
    return f"term:{slug}"


@dataclass(frozen=True)
class ReviewItem:
    """One item to review: its lesson, when it fell due, and either a question (answered
    and graded) or a glossary term (a flashcard, self-rated)."""

    lesson: Lesson
    question: Question | None
    due: dt.datetime
    term: GlossaryEntry | None = None


class ReviewSession:
    """A review of a student's due items across lessons: mixed, oldest due first, at most
    ``limit``. Each answer is graded as in a quiz and recorded as a review of its item only:
    a review is no attempt, so it never counts toward a lesson's score.

    Items whose lesson or question no longer exists (a lesson edited or removed) are
    skipped: they stay in the store and come back if the question does.
    """

    def __init__(
        self,
        store: Store,
        student: Student,
        lesson_of: Callable[[str], Lesson | None],
        limit: int = DEFAULT_REVIEW_LIMIT,
        now: dt.datetime | None = None,
        seed: int | None = None,
    ) -> None:
        """Pick the due items (``lesson_of`` loads a lesson by id, None if it is gone)."""
        self.store = store
        self.student = student
        self.seed = seed if seed is not None else random.randrange(2**31)
        moment = now if now is not None else store.review_now()
        lessons: dict[str, Lesson | None] = {}
        items: list[ReviewItem] = []
        # A few more than the cap, so that items of a removed question do not shrink it.
        for due in store.due_items(student.id, moment, 2 * max(0, limit) + 10):
            if len(items) >= limit:
                break
            if due.lesson_id not in lessons:
                lessons[due.lesson_id] = lesson_of(due.lesson_id)
            lesson = lessons[due.lesson_id]
            if lesson is None:
                continue
            question = _question(lesson, due.item_id)
            term = _term(lesson, due.item_id)
            if question is not None or term is not None:
                items.append(ReviewItem(lesson, question, due.due, term))
        self._setup(items)

    def _setup(self, items: list[ReviewItem]) -> None:
        self.items = items
        self.index = 0
        #: The grade of each item answered so far, in order.
        self.grades: list[Grade] = []

    @property
    def total(self) -> int:
        """How many items this session asks."""
        return len(self.items)

    @property
    def current(self) -> ReviewItem | None:
        """The item waiting for its answer (None when the session is done)."""
        return self.items[self.index] if self.index < len(self.items) else None

    @property
    def right(self) -> int:
        """How many answers so far were fully right."""
        return sum(1 for g in self.grades if g.correct)

    def answer(self, response: object, seconds: float, now: dt.datetime | None = None) -> Grade:
        """Grade the current item's answer, record the review (durable when this returns)
        and move on. Raises ``IndexError`` when nothing is left to answer."""
        item = self.current
        if item is None or item.question is None:
            raise IndexError("this review has no question left to answer")
        from quizapp.grading import grade

        if isinstance(response, set | frozenset):
            response = sorted(response)
        result = grade(item.question, response)
        record_answer(
            self.store,
            self.student.id,
            item.lesson.id,
            item.question,
            result,
            max(0.0, float(seconds)),
            now,
        )
        self.grades.append(result)
        self.index += 1
        return result

    def rate(self, rating: Rating, seconds: float, now: dt.datetime | None = None) -> None:
        """Record the student's own rating of the current flashcard (a glossary term) and
        move on. Raises ``IndexError`` when the current item is no flashcard."""
        item = self.current
        if item is None or item.term is None:
            raise IndexError("this review has no flashcard left to rate")
        from fsrs import Rating

        from quizapp.grading import Grade

        record(
            self.store,
            self.student.id,
            item.lesson.id,
            term_key(item.term.term),
            rating,
            max(0.0, float(seconds)),
            now,
        )
        self.grades.append(Grade(1.0 if rating >= Rating.Good else 0.0, rating >= Rating.Good))
        self.index += 1

    @classmethod
    def glossary(
        cls,
        store: Store,
        student: Student,
        lesson: Lesson,
        limit: int = DEFAULT_REVIEW_LIMIT,
        now: dt.datetime | None = None,
    ) -> ReviewSession:
        """A drill of one lesson's glossary as flashcards: the terms due (oldest first),
        then the terms never drilled (in the glossary's order), at most ``limit``."""
        moment = now if now is not None else store.review_now()
        session = cls.__new__(cls)
        session.store, session.student, session.seed = store, student, 0
        known = {item.item_id: item for item in store.lesson_review_items(student.id, lesson.id)}
        due: list[ReviewItem] = []
        new: list[ReviewItem] = []
        for entry in lesson.glossary:
            stored = known.get(term_key(entry.term))
            if stored is None:
                new.append(ReviewItem(lesson, None, moment, entry))
            elif stored.due <= moment:
                due.append(ReviewItem(lesson, None, stored.due, entry))
        due.sort(key=lambda item: item.due)
        session._setup((due + new)[: max(0, limit)])
        return session


def _term(lesson: Lesson, item_id: str) -> GlossaryEntry | None:
    if not item_id.startswith("term:"):
        return None
    return next((g for g in lesson.glossary if term_key(g.term) == item_id), None)


def _question(lesson: Lesson, question_id: str) -> Question | None:
    return next((q for q in lesson.quiz.questions if q.id == question_id), None)
