"""The quiz flow as one explicit state machine: start, answer, leave, resume, retry, finish.

A front end (the TUI, a script, a test) creates one :class:`QuizFlow` per quiz it shows
and only sends it events; the flow decides what each event means in each :class:`Phase`,
and the store records it. The rules it keeps, whatever order the events come in:

* **No acknowledged answer is lost.** An answer is acknowledged when :meth:`QuizFlow.answer`
  returns a grade; it is then committed. A failed save acknowledges nothing and leaves the
  question open (:attr:`Phase.SAVE_FAILED`): the same answer can be sent again.
* **Answering the last question completes the attempt** at once: whatever the student does
  next (Enter, Escape, closing the terminal), the score is recorded.
* **An attempt with no answer is not worth keeping**: leaving it deletes it, and one left
  by a crash is cleared at the next start instead of being offered; except a timed exam
  attempt, whose clock is running (:mod:`quizapp.exam`), and one where a hint was shown
  (its use is not taken back by starting anew).
* **Work is given up only when asked twice**: an unfinished attempt with answers is offered
  (:attr:`Phase.CHOOSING`); :meth:`~QuizFlow.cancel` keeps it, :meth:`~QuizFlow.resume`
  goes on with it, only :meth:`~QuizFlow.start_over` (which the TUI confirms) gives it up,
  and its answers stay in the history.
* **One live attempt per student and lesson, answered from one window.** Each flow has an
  owner token; the attempt records which window has it open. A second window finding it
  open is told so (:attr:`Offer.open_elsewhere`) and may take it over; the first window's
  next answer is then refused and it moves to :attr:`Phase.CLOSED`, saying why.
* **One score rule**: :func:`quizapp.store.lesson_best` by the lesson's ``quiz.grade``
  (finished full attempts; a retry of missed questions never counts), the same the store
  uses for the list and gradebook.
* **An attempt limit closes the quiz**: with ``quiz.attempts`` set, a new full attempt once
  that many are finished or given up goes to :attr:`Phase.CLOSED` (:attr:`QuizFlow.problem`
  says why); resuming an unfinished attempt and retrying missed questions stay open.

Transitions (event: from -> to)::

    open:        IDLE, LEFT, FINISHED, CLOSED -> ASKING | CHOOSING | CLOSED (limit reached)
    resume:      CHOOSING -> ASKING | FINISHED (every question was already answered)
    start_over:  CHOOSING -> ASKING | CLOSED (the attempt given up was the last allowed)
    cancel:      CHOOSING -> IDLE
    answer:      ASKING, SAVE_FAILED -> ANSWERED | FINISHED | SAVE_FAILED | CLOSED
    next:        ANSWERED -> ASKING | FINISHED (a finish that had failed, done now)
    submit:      ASKING -> FINISHED | ANSWERED (exam mode, :mod:`quizapp.exam`)
    leave:       ASKING, ANSWERED, SAVE_FAILED, FINISHED, CLOSED -> LEFT

Any other event in a phase raises :class:`FlowError`. No UI here.
"""

from __future__ import annotations

import enum
import os
import socket
import uuid
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from quizapp.grading import Grade
from quizapp.lessons.model import Lesson
from quizapp.session import QuizSession, SessionError
from quizapp.store import Attempt, AttemptClosed, Store, StoreError, Student, lesson_best
from quizapp.wording import attempts_closed

__all__ = ["FlowError", "Offer", "Phase", "QuizFlow", "owner_is_known", "owner_is_live"]


class FlowError(SessionError):
    """An event that makes no sense in the flow's phase (a programming error, not a user's)."""


class Phase(enum.Enum):
    """Where a quiz flow is."""

    IDLE = "idle"  #: nothing open yet, or the offer to resume was cancelled
    CHOOSING = "choosing"  #: an unfinished attempt is offered: resume, start over or cancel
    ASKING = "asking"  #: a question waits for its answer
    SAVE_FAILED = "save_failed"  #: the answer could not be saved; it can be sent again
    ANSWERED = "answered"  #: the answer is saved and its feedback shown; next question
    FINISHED = "finished"  #: every question answered and the attempt scored
    LEFT = "left"  #: left mid-quiz (kept to resume; deleted when it had no answer)
    CLOSED = "closed"  #: the attempt was taken over or ended in another window


@dataclass(frozen=True)
class Offer:
    """The unfinished attempt a student is asked about before a quiz starts."""

    attempt: Attempt
    #: True when another quizapp window has it open, or may have (resuming takes it over).
    open_elsewhere: bool
    #: True when that window is known to be running (this machine); False when it cannot be
    #: told (another machine sharing the folder, or Windows): it may have closed without
    #: saying so.
    surely: bool = True
    #: How many hints were shown in it (issue 16): an attempt with only a hint is offered too.
    hints: int = 0

    @property
    def answered(self) -> int:
        """How many questions of it are answered."""
        return self.attempt.answered


# The flows of this process that have an attempt open, by owner token: a token of this
# process that is not here belongs to a flow that is gone (a crash, in tests).
_LIVE: weakref.WeakValueDictionary[str, QuizFlow] = weakref.WeakValueDictionary()
_HOST = socket.gethostname()


def _new_owner() -> str:
    return f"{_HOST}/{os.getpid()}/{uuid.uuid4().hex[:12]}"


def owner_is_live(owner: str | None, me: str) -> bool:
    """Whether the window ``owner`` may still have its attempt open (and is not ``me``).

    A token of this process is live while its flow exists; one of another process on this
    machine while that process runs; one of another machine (a shared folder) or of a
    system where processes cannot be probed safely (Windows) is taken as live
    (:func:`owner_is_known`: not surely), so the student is asked rather than the other
    window overruled in silence.
    """
    if owner is None or owner == me:
        return False
    if not owner_is_known(owner):
        return True
    _, _, rest = owner.partition("/")
    pid_text, _, _ = rest.partition("/")
    pid = int(pid_text)
    if pid == os.getpid():
        return owner in _LIVE
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except OSError:  # it exists but is someone else's
        return True
    return True


def owner_is_known(owner: str) -> bool:
    """Whether it can be told if the window ``owner`` still runs: a process of this machine,
    on a system where it can be probed safely (not Windows, where the probe would end it)."""
    host, _, rest = owner.partition("/")
    return host == _HOST and rest.partition("/")[0].isdigit() and os.name != "nt"


class QuizFlow:
    """One student's way through one lesson's quiz, as a state machine (see the module).

    Read :attr:`phase`, :attr:`offer` (in CHOOSING), :attr:`session` (from ASKING on),
    :attr:`problem` (why a save failed or the attempt closed) and :attr:`messages` (for the
    student: questions dropped because the lesson changed). ``seed`` fixes new attempts'
    orders (tests); ``owner`` is this window's token (a fresh one when None).
    """

    def __init__(
        self,
        store: Store,
        student: Student,
        lesson: Lesson,
        *,
        seed: int | None = None,
        owner: str | None = None,
    ) -> None:
        self.store = store
        self.student = student
        self.lesson = lesson
        self.seed = seed
        self.owner = owner or _new_owner()
        self.phase = Phase.IDLE
        self.offer: Offer | None = None
        self.session: QuizSession | None = None
        self.problem: str | None = None
        self.messages: list[str] = []
        self.last_grade: Grade | None = None
        #: The questions a retry asks (None: the whole quiz); kept for start_over.
        self._only: list[str] | None = None

    # ------------------------------------------------------------------ events

    def open(self, only: Sequence[str] | None = None) -> Phase:
        """Begin the quiz (``only``: retry these questions). An unfinished attempt with
        answers, or open in another window, is offered (CHOOSING); one with no answer is
        cleared and a new attempt starts (ASKING)."""
        self._expect("open", Phase.IDLE, Phase.LEFT, Phase.FINISHED, Phase.CLOSED)
        self._only = list(only) if only is not None else None
        self.session, self.offer, self.problem, self.last_grade = None, None, None, None
        unfinished = self.store.unfinished_attempt(self.student.id, self.lesson.id)
        if unfinished is not None:
            elsewhere = owner_is_live(unfinished.owner, self.owner)
            if (
                unfinished.answered
                or elsewhere
                or self._timed(unfinished.id)
                or self.store.hints_shown(unfinished.id)  # a hint used is not taken back
            ):
                surely = not elsewhere or owner_is_known(unfinished.owner or "")
                hints = len(self.store.hints_shown(unfinished.id))
                self.offer = Offer(unfinished, elsewhere, surely, hints)
                self.phase = Phase.CHOOSING
                return self.phase
            self.store.discard_attempt(unfinished.id)
        return self._start()

    def resume(self) -> Phase:
        """Go on with the offered attempt here (taking it over from another window)."""
        offer = self._offered("resume")
        attempt = self.store.claim_attempt(offer.attempt.id, self.owner)
        if attempt is None or not attempt.in_progress:  # it ended elsewhere meanwhile
            self.phase = Phase.IDLE
            return self.open(self._only)
        self.session = QuizSession.resume(self.store, attempt, self.lesson, owner=self.owner)
        self.messages = list(self.session.messages)
        self.offer = None
        _LIVE[self.owner] = self
        if self.session.current is None:  # answered to the end before a crash
            return self._complete()
        self.phase = Phase.ASKING
        return self.phase

    def start_over(self) -> Phase:
        """Give the offered attempt up (its answers stay in the history; one without any is
        deleted) and start anew."""
        offer = self._offered("start over")
        if offer.answered:
            self.store.abandon_attempt(offer.attempt.id)
        else:  # open, unanswered, in another window: nothing to keep
            self.store.discard_attempt(offer.attempt.id)
        self.offer = None
        return self._start()

    def cancel(self) -> Phase:
        """Do neither: the offered attempt is kept as it is, to resume later."""
        self._offered("cancel")
        self.offer = None
        self.phase = Phase.IDLE
        return self.phase

    def answer(self, response: Any, seconds: float) -> Grade | None:
        """Grade and save the answer to the current question; the grade once it is saved.

        A save that fails leaves the question open (SAVE_FAILED, :attr:`problem` says why)
        and returns None: send the answer again. An attempt taken over or ended elsewhere
        moves to CLOSED. The last answer also finishes the attempt (FINISHED); if that
        fails, the attempt is finished when it is next opened.
        """
        self._expect("answer", Phase.ASKING, Phase.SAVE_FAILED)
        session = self._session()
        try:
            result = session.answer(response, seconds)
        except AttemptClosed as closed:
            self.problem = str(closed)
            self._let_go(release=False)
            self.phase = Phase.CLOSED
            return None
        except StoreError as error:
            self.problem = str(error)
            self.phase = Phase.SAVE_FAILED
            return None
        self.problem = None
        self.last_grade = result
        if session.current is None:
            self._complete()
        else:
            self.phase = Phase.ANSWERED
        return result

    def next(self) -> Phase:
        """On to the next question after reading the feedback (after the last one, finish
        the attempt if that failed before)."""
        self._expect("next", Phase.ANSWERED)
        self.last_grade = None
        if self._session().current is None:
            return self._complete()
        self.phase = Phase.ASKING
        return self.phase

    def submit(self) -> Phase:
        """Exam mode (:mod:`quizapp.exam`): the answers are recorded; score the attempt now,
        whether or not every question was answered (unanswered ones count 0)."""
        self._expect("submit", Phase.ASKING)
        session = self._session()
        attempt = self.store.attempt(session.attempt.id)
        self.session = QuizSession.resume(self.store, attempt, self.lesson, owner=self.owner)
        return self._complete()

    def leave(self) -> Phase:
        """Stop here. An attempt with answers is kept to resume (and no longer marked open
        in this window); one with none is deleted; a finished one is already scored."""
        self._expect(
            "leave", Phase.ASKING, Phase.ANSWERED, Phase.SAVE_FAILED, Phase.FINISHED, Phase.CLOSED
        )
        session = self._session()
        if self.phase in (Phase.ASKING, Phase.ANSWERED, Phase.SAVE_FAILED):
            # Exam drafts are answers too (Attempt.answered counts them; quizapp.exam).
            # A hint shown counts too: starting anew must not take its use back.
            answered = (
                bool(session.answered) or bool(session.hinted) or self._drafted(session.attempt.id)
            )
            if not answered and not self._timed(session.attempt.id):
                self.store.discard_attempt(session.attempt.id, self.owner)
                self._let_go(release=False)
            else:
                self._let_go(release=True)
        self.phase = Phase.LEFT
        return self.phase

    # ------------------------------------------------------------------ reading

    @property
    def attempt(self) -> Attempt | None:
        """The attempt being answered (or just finished), if any."""
        return self.session.attempt if self.session is not None else None

    def lesson_best(self) -> float | None:
        """The student's score at this lesson now, by the one rule every view uses (the
        lesson's ``quiz.grade``: best, last, first or average)."""
        return lesson_best(
            self.store.history(self.student.id, self.lesson.id), self.lesson.quiz.grade
        )

    def missed(self) -> list[str]:
        """The questions not fully right in the finished attempt (what a retry asks)."""
        return self._session().missed()

    # ------------------------------------------------------------------ steps

    def attempts_used(self) -> int:
        """Full attempts of this lesson that use up the lesson's ``attempts`` limit: finished
        ones and ones given up with answers (start over). Retries of missed questions are
        practice and never count."""
        history = self.store.history(self.student.id, self.lesson.id)
        return sum(1 for a in history if a.mode == "full" and a.status != "in_progress")

    def _start(self) -> Phase:
        """A new attempt, open in this window; none (CLOSED, :attr:`problem` says why) once
        the lesson's attempt limit is reached. A retry of missed questions is never limited."""
        limit = self.lesson.quiz.attempts
        if self._only is None and limit is not None and self.attempts_used() >= limit:
            self.session = None
            self.problem = attempts_closed(limit)
            self.phase = Phase.CLOSED
            return self.phase
        self.session = QuizSession.start(
            self.store, self.student, self.lesson, seed=self.seed, only=self._only, owner=self.owner
        )
        self.messages = []
        _LIVE[self.owner] = self
        self.phase = Phase.ASKING
        return self.phase

    def _complete(self) -> Phase:
        """Every question is answered: score the attempt now."""
        session = self._session()
        try:
            session.finish()
        except StoreError as error:
            # The answers are saved; the attempt is finished when it is next opened.
            self.problem = str(error)
            self.phase = Phase.ANSWERED
            return self.phase
        self._let_go(release=False)
        self.phase = Phase.FINISHED
        return self.phase

    def _let_go(self, *, release: bool) -> None:
        """This window no longer has the attempt open (``release``: say so in the store,
        so the next window resumes it without asking)."""
        _LIVE.pop(self.owner, None)
        session = self.session
        if release and session is not None:
            try:
                if self.store.attempt(session.attempt.id).owner == self.owner:
                    self.store.claim_attempt(session.attempt.id, None)
            except StoreError:
                pass  # the attempt is kept either way; only the marker stays

    def _drafted(self, attempt_id: int) -> bool:
        """Exam mode: the attempt has answers not yet graded (drafts, :mod:`quizapp.exam`).
        An attempt gone meanwhile (given up in another window) has none."""
        if not self.lesson.quiz.exam:
            return False
        try:
            return self.store.attempt(attempt_id).answered > 0
        except StoreError:
            return False

    def _timed(self, attempt_id: int) -> bool:
        """A timed exam attempt is kept even without answers: its clock is running, and
        starting anew must not give the student a fresh deadline."""
        if self.lesson.quiz.time_limit is None:
            return False
        return self.store.exam_state(attempt_id).deadline is not None

    def _expect(self, event: str, *phases: Phase) -> None:
        if self.phase not in phases:
            raise FlowError(f"Cannot {event} a quiz that is {self.phase.value.replace('_', ' ')}.")

    def _offered(self, event: str) -> Offer:
        self._expect(event, Phase.CHOOSING)
        assert self.offer is not None
        return self.offer

    def _session(self) -> QuizSession:
        if self.session is None:
            raise FlowError("No attempt is open.")
        return self.session
