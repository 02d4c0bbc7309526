"""A quiz attempt in progress, for any front end (the TUI, scripts, tests); no UI here.

:class:`QuizSession` decides the question order and the order choices are shown in (both
fixed by the attempt's seed; the choices' by :func:`quizapp.choices.display_choices`), which
question is next, grades answers through :func:`quizapp.grading.grade` and saves each one
through the :class:`~quizapp.store.Store` the moment it is given, so a killed app loses
nothing and the attempt can be resumed with the same order. When the lesson was edited since
the attempt started, the questions that changed (or were removed) and are not answered yet
are dropped from the resumed attempt and :attr:`QuizSession.messages` tells the student why.

Orders come from :class:`random.Random`: the question order from ``Random(seed)``, each
question's choice order from ``Random(f"{seed}:{question id}")``, so a question's choices
do not depend on which other questions are in the attempt. String seeds are hashed the same
way on every run and platform, whatever ``PYTHONHASHSEED`` says.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from quizapp import review
from quizapp.choices import display_choices
from quizapp.grading import Grade, grade, right_answer, with_hint
from quizapp.lessons.model import (
    Lesson,
    Question,
)
from quizapp.store import Answer, Attempt, Mode, Store, StoreError, Student
from quizapp.wording import plural

__all__ = ["AnsweredQuestion", "QuizSession", "ResultRow", "SessionError", "new_seed"]


class SessionError(ValueError):
    """A session used in a way that makes no sense (an answer after the end, unknown
    question ids, an attempt of another lesson); the message says which."""


@dataclass(frozen=True)
class AnsweredQuestion:
    """A question answered in this attempt: what was given, its grade and time taken."""

    question_id: str
    response: Any
    grade: Grade
    seconds: float


@dataclass(frozen=True)
class ResultRow:
    """One line of the results screen: the question, the student's response (None when
    not answered), its grade and the right answer as text."""

    question: Question
    response: Any
    grade: Grade
    right_answer: str
    answered: bool
    #: The question's hint was shown before the answer (its score carries the cost).
    hinted: bool = False


def new_seed() -> int:
    """A fresh random seed for a new attempt (31 bits: fits everywhere it is stored)."""
    return random.SystemRandom().randrange(2**31)


def question_order(lesson: Lesson, seed: int, only: Sequence[str] | None = None) -> list[str]:
    """The ids of the questions an attempt asks, in the order asked: the written order,
    filtered to ``only`` if given, shuffled by ``Random(seed)`` if the quiz shuffles."""
    ids = [q.id for q in lesson.quiz.questions]
    if only is not None:
        wanted = set(only)
        unknown = sorted(wanted - set(ids))
        if unknown:
            raise SessionError(
                f"Lesson {lesson.id!r} has no question {', '.join(map(repr, unknown))}."
            )
        ids = [q for q in ids if q in wanted]
    if not ids:
        raise SessionError("There are no questions to ask.")
    if lesson.quiz.shuffles_questions:
        random.Random(seed).shuffle(ids)
    return ids


class QuizSession:
    """The attempt in progress: its questions in order, which one is current, the answers
    given so far. Create one with :meth:`start` or :meth:`resume`.

    ``answer(response, seconds)`` grades the current question, saves the answer (committed
    before it returns) and moves on; when :attr:`finished`, call :meth:`finish` to record the
    attempt's score, then :meth:`results` for the results screen.
    """

    def __init__(
        self,
        store: Store,
        attempt: Attempt,
        lesson: Lesson,
        questions: list[Question],
        answered: dict[str, AnsweredQuestion],
        dropped: list[str],
        messages: list[str],
    ) -> None:
        """Use :meth:`start` or :meth:`resume`."""
        self.store = store
        self.attempt = attempt
        self.lesson = lesson
        self._questions = questions
        self._answered = answered
        #: Ids of the questions left out of this attempt because the lesson changed after
        #: it started (in the order they would have been asked).
        self.dropped = dropped
        #: Messages for the student about this resume (questions just dropped, and why).
        self.messages = messages
        #: The window answering this attempt: answers are refused once another claims it.
        self.owner: str | None = None
        #: The questions whose hint was shown (stored the moment it was; see reveal_hint).
        self.hinted: set[str] = set()

    # ------------------------------------------------------------------ creating

    @classmethod
    def start(
        cls,
        store: Store,
        student: Student,
        lesson: Lesson,
        seed: int | None = None,
        only: Sequence[str] | None = None,
        *,
        owner: str | None = None,
    ) -> QuizSession:
        """Start a new attempt of ``lesson``'s quiz for ``student`` and record it.

        ``seed`` fixes the question and choice order (a random one when None). ``only``
        restricts the attempt to these question ids ("retry the ones I missed"); such a
        retry is recorded with mode ``"retry"`` and does not count towards the lesson's
        score. An earlier unfinished attempt at this lesson is marked abandoned (deleted
        when it has no answer). ``owner`` is the window answering it (see
        :meth:`Store.claim_attempt`).
        """
        seed = new_seed() if seed is None else seed
        ids = question_order(lesson, seed, only)
        by_id = {q.id: q for q in lesson.quiz.questions}
        questions = [by_id[qid] for qid in ids]
        mode: Mode = "retry" if only is not None else "full"
        attempt = store.start_attempt(
            student.id,
            lesson.id,
            lesson.content_hash(),
            seed,
            ids,
            [q.content_hash() for q in questions],
            mode=mode,
            owner=owner,
        )
        session = cls(store, attempt, lesson, questions, {}, [], [])
        session.owner = owner
        return session

    @classmethod
    def resume(
        cls, store: Store, attempt: Attempt, lesson: Lesson, *, owner: str | None = None
    ) -> QuizSession:
        """Pick an attempt up again, in the same order, with its answers kept.

        In four steps, each its own function: read the attempt's latest state
        (:meth:`Store.attempt`), sort its questions into those still asked and those
        removed from the lesson or changed before being answered (:func:`_sort_questions`),
        rebuild the answers already given (:func:`_restore_answers`), and record the
        questions left out so they do not count (:func:`_drop_questions`) with the message
        that tells the student why (:func:`_drop_messages`). An answered question that was
        edited keeps its answer and score. A finished or abandoned attempt can be loaded
        too (to review it); then nothing is recorded. ``owner`` is the window answering it
        from now on (see :meth:`Store.claim_attempt`); the caller claims it.
        """
        if attempt.lesson_id != lesson.id:
            raise SessionError(
                f"That attempt is of lesson {attempt.lesson_id!r}, not {lesson.id!r}."
            )
        attempt = store.attempt(attempt.id)  # the latest state, not a stale copy
        stored = {a.question_id: a for a in store.answers(attempt.id)}
        kept, removed, changed = _sort_questions(attempt, lesson, stored)
        answered = _restore_answers(kept, stored, lesson.quiz.hint_penalty)
        attempt = _drop_questions(store, attempt, removed + changed)
        session = cls(
            store,
            attempt,
            lesson,
            kept,
            answered,
            [q for q in attempt.question_ids if q in attempt.dropped or q in removed + changed],
            _drop_messages(removed, changed),
        )
        session.owner = owner
        session.hinted = set(store.hints_shown(attempt.id)) | {
            a.question_id for a in stored.values() if a.hinted
        }
        return session

    # ------------------------------------------------------------------ state

    @property
    def questions(self) -> list[Question]:
        """The attempt's questions in the order asked (dropped ones left out)."""
        return list(self._questions)

    @property
    def total(self) -> int:
        """How many questions the attempt asks."""
        return len(self._questions)

    @property
    def index(self) -> int:
        """0-based position of the current question; :attr:`total` when all are answered."""
        for position, question in enumerate(self._questions):
            if question.id not in self._answered:
                return position
        return len(self._questions)

    @property
    def current(self) -> Question | None:
        """The question to answer now, or None when every question is answered."""
        position = self.index
        return self._questions[position] if position < len(self._questions) else None

    @property
    def answered(self) -> dict[str, AnsweredQuestion]:
        """Answers given so far, by question id."""
        return dict(self._answered)

    @property
    def score(self) -> float:
        """Sum of the scores (0..1 each) of the answers so far."""
        return sum(a.grade.score for a in self._answered.values())

    @property
    def max_score(self) -> float:
        """The most :attr:`score` could be so far: the number of questions answered.
        (The attempt's final maximum is :attr:`total`.)"""
        return float(len(self._answered))

    @property
    def finished(self) -> bool:
        """True when every question is answered or the attempt has ended."""
        return self.current is None or not self.attempt.in_progress

    @property
    def seed(self) -> int:
        """The seed that fixed this attempt's orders."""
        return self.attempt.seed

    def display_choices(self, question: Question) -> list[str]:
        """The options of ``question`` in this attempt's display order (see
        :func:`display_choices`); the same every time for the same attempt."""
        return display_choices(question, self.attempt.seed, self.lesson.quiz.shuffles_choices)

    # ------------------------------------------------------------------ acting

    def reveal_hint(self, question: Question) -> str | None:
        """Show ``question``'s hint: its use is stored before this returns (a crash cannot
        take it back), and the answer given after it loses the lesson's ``hint_penalty``.
        The hint's text (None for a question without one); revealing it again costs nothing
        more. Raises :class:`~quizapp.store.StoreError` when it could not be stored (then
        the hint is not shown)."""
        if question.hint is None:
            return None
        if question.id not in self.hinted:
            if question.id in self._answered:  # after the answer it is feedback, not a hint
                return question.hint
            self.store.record_hint(self.attempt.id, question.id, owner=self.owner)
            self.hinted.add(question.id)
        return question.hint

    def graded(self, question: Question, response: Any) -> Grade:
        """``response`` graded, with the hint's cost when the question's hint was shown."""
        result = grade(question, response)
        if question.id in self.hinted:
            result = with_hint(result, self.lesson.quiz.hint_penalty)
        return result

    def answer(self, response: Any, seconds: float) -> Grade:
        """Grade ``response`` to the current question, save it (committed before this
        returns) and move to the next question. Sets become sorted lists before saving."""
        question = self.current
        if question is None or not self.attempt.in_progress:
            raise SessionError("This quiz has no question left to answer.")
        if isinstance(response, set | frozenset):
            response = sorted(response)
        result = self.graded(question, response)
        self.store.record_answer(
            self.attempt.id,
            question.id,
            question.content_hash(),
            response,
            result.score,
            max(0.0, float(seconds)),
            owner=self.owner,
            hinted=question.id in self.hinted,
        )
        # The answer is saved; now it becomes a review of the question's item (spaced review).
        # A review that cannot be saved costs only that review: the answer is acknowledged
        # (saying it failed would have the student send it again, and it is already there).
        with contextlib.suppress(StoreError):
            review.record_answer(
                self.store,
                self.attempt.student_id,
                self.lesson.id,
                question,
                result,
                max(0.0, float(seconds)),
            )
        self._answered[question.id] = AnsweredQuestion(
            question.id, response, result, max(0.0, float(seconds))
        )
        return result

    def finish(self) -> Attempt:
        """End the attempt and record its score (unanswered questions count 0)."""
        self.attempt = self.store.finish_attempt(self.attempt.id)
        return self.attempt

    def abandon(self) -> Attempt:
        """Give the attempt up (kept in the history, not counted)."""
        self.attempt = self.store.abandon_attempt(self.attempt.id)
        return self.attempt

    def missed(self) -> list[str]:
        """Ids of the questions not fully right (unanswered included), in the order asked:
        what ``QuizSession.start(..., only=session.missed())`` retries."""
        return [
            q.id
            for q in self._questions
            if q.id not in self._answered or not self._answered[q.id].grade.correct
        ]

    def results(self) -> list[ResultRow]:
        """Every question in order with the response, grade and right answer."""
        rows = []
        for question in self._questions:
            given = self._answered.get(question.id)
            rows.append(
                ResultRow(
                    question=question,
                    response=None if given is None else given.response,
                    grade=given.grade if given else Grade(0.0, False, ["Not answered."]),
                    right_answer=right_answer(question),
                    answered=given is not None,
                    hinted=given is not None and question.id in self.hinted,
                )
            )
        return rows


# ---------------------------------------------------------------------- resuming, step by step


def _sort_questions(
    attempt: Attempt, lesson: Lesson, stored: dict[str, Answer]
) -> tuple[list[Question], list[str], list[str]]:
    """The attempt's questions still asked, in order; the ids of those removed from the
    lesson since; the ids of those changed since and not answered yet. Questions dropped
    on an earlier resume are in none of the three."""
    by_id = {q.id: q for q in lesson.quiz.questions}
    started_hash = dict(zip(attempt.question_ids, attempt.question_hashes, strict=False))
    kept: list[Question] = []
    removed: list[str] = []
    changed: list[str] = []
    for qid in attempt.question_ids:
        if qid in attempt.dropped:
            continue
        question = by_id.get(qid)
        if question is None:
            removed.append(qid)
        elif qid not in stored and started_hash.get(qid, question.content_hash()) != (
            question.content_hash()
        ):
            changed.append(qid)
        else:
            kept.append(question)
    return kept, removed, changed


def _restore_answers(
    questions: list[Question], stored: dict[str, Answer], penalty: float = 0.0
) -> dict[str, AnsweredQuestion]:
    """The answers already given to ``questions``, with their stored scores; feedback is
    rebuilt only for a question that is unchanged since it was answered (with the hint's
    cost when the answer came after its hint, right or not as graded then)."""
    answered: dict[str, AnsweredQuestion] = {}
    for question in questions:
        previous = stored.get(question.id)
        if previous is None:
            continue
        same = previous.question_hash == question.content_hash()
        correct = previous.score >= 1.0
        feedback: list[str] = []
        if same:
            again = grade(question, previous.response)
            if previous.hinted:
                again = with_hint(again, penalty)
            feedback, correct = again.feedback, correct or again.correct
        answered[question.id] = AnsweredQuestion(
            question_id=question.id,
            response=previous.response,
            grade=Grade(previous.score, correct, feedback),
            seconds=previous.seconds,
        )
    return answered


def _drop_questions(store: Store, attempt: Attempt, ids: list[str]) -> Attempt:
    """Record ``ids`` as left out of an unfinished attempt (they no longer count towards
    its maximum); an ended attempt, or nothing to drop, records nothing."""
    if not ids or not attempt.in_progress:
        return attempt
    return store.drop_questions(attempt.id, sorted(ids))


def _drop_messages(removed: list[str], changed: list[str]) -> list[str]:
    """What to tell the student about the questions just left out, and why."""
    messages: list[str] = []
    if removed:
        one = len(removed) == 1
        messages.append(
            f"{plural(len(removed), 'question')} of this attempt "
            f"{'was' if one else 'were'} removed from the lesson since you started; "
            f"{'it no longer counts' if one else 'they no longer count'}."
        )
    if changed:
        one = len(changed) == 1
        messages.append(
            f"{plural(len(changed), 'question')} you had not answered yet "
            f"{'was' if one else 'were'} changed by your teacher since you started; "
            f"{'it was' if one else 'they were'} left out of this attempt "
            "and will not count against you."
        )
    return messages
