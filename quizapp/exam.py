"""Exam mode (a lesson with ``feedback: deferred``): answer in any order, flag, change, submit.

An :class:`ExamFlow` drives one exam attempt that a :class:`~quizapp.flow.QuizFlow` has
opened (ASKING): the front end sends it events (go to a question, answer, clear, flag,
submit) and shows what it holds; nothing is marked right or wrong until :meth:`submit`.
Every answer and every change is committed the moment it is given, as a new version
(:mod:`quizapp.store.exam`: earlier versions stay, the latest counts), and so are the
question shown and the flags: after a crash the attempt resumes on the same question with
the same answers. On submit the latest answers are graded and recorded as the attempt's
answers, and the flow scores the attempt (FINISHED), so results, history and reports read
an exam attempt like any other.

A time limit (``quiz.time_limit``) gives the attempt a deadline, stored when it starts. The
clock does not stop while the app is closed, as in Moodle: :meth:`check_time` (the front
end calls it every second, and it runs on every event) submits the attempt with what was
answered once the deadline has passed, also when that happened while the app was closed.
No UI here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from quizapp.flow import FlowError, Phase, QuizFlow
from quizapp.lessons.model import Question
from quizapp.store import ExamState

__all__ = ["ExamFlow", "submit_if_expired", "utc_now"]


def utc_now() -> dt.datetime:
    """The time now, in UTC (the default clock; tests pass a fake one)."""
    return dt.datetime.now(dt.UTC)


class ExamFlow:
    """One exam attempt over an opened :class:`QuizFlow` (see the module).

    Read :attr:`questions` (in the attempt's order), :attr:`position`, :attr:`current`,
    :meth:`response`, :meth:`flagged`, :meth:`unanswered`, :meth:`remaining`; send
    :meth:`goto`, :meth:`forward`, :meth:`back`, :meth:`answer`, :meth:`clear`,
    :meth:`toggle_flag`, :meth:`submit`, :meth:`check_time`.
    """

    def __init__(self, flow: QuizFlow, clock: Callable[[], dt.datetime] = utc_now) -> None:
        if flow.phase is not Phase.ASKING or flow.session is None:
            raise FlowError("An exam starts on an open attempt.")
        self.flow = flow
        self.clock = clock
        self.questions: list[Question] = flow.session.questions
        attempt = flow.session.attempt
        limit = flow.lesson.quiz.time_limit
        deadline = attempt.started_at + dt.timedelta(minutes=limit) if limit else None
        flow.store.start_exam(attempt.id, deadline)
        state: ExamState = flow.store.exam_state(attempt.id)
        known = {q.id for q in self.questions}
        self.position = min(state.position, max(len(self.questions) - 1, 0))
        self.flags: set[str] = {f for f in state.flags if f in known}
        self.drafts: dict[str, Any] = {k: v for k, v in state.drafts.items() if k in known}
        self.deadline = state.deadline
        #: Seconds each question was on screen before its answer (this run of the app).
        self._seconds: dict[str, float] = {}
        self._shown_at = clock()

    # ------------------------------------------------------------------ reading

    @property
    def attempt_id(self) -> int:
        """The attempt's id."""
        assert self.flow.session is not None
        return self.flow.session.attempt.id

    @property
    def current(self) -> Question:
        """The question shown."""
        return self.questions[self.position]

    @property
    def submitted(self) -> bool:
        """True once the attempt is submitted (the flow is FINISHED, or still scoring)."""
        return self.flow.phase is not Phase.ASKING

    def response(self, question_id: str) -> Any:
        """The latest answer to a question, or None."""
        return self.drafts.get(question_id)

    def flagged(self, question_id: str) -> bool:
        """Whether the student flagged the question for review."""
        return question_id in self.flags

    def unanswered(self) -> list[int]:
        """The numbers (1-based, as on the question map) of the questions not answered."""
        return [n for n, q in enumerate(self.questions, 1) if q.id not in self.drafts]

    def remaining(self) -> float | None:
        """Seconds left before the deadline (0 once passed); None without a time limit."""
        if self.deadline is None:
            return None
        return max(0.0, (self.deadline - self.clock()).total_seconds())

    # ------------------------------------------------------------------ events

    def goto(self, position: int) -> None:
        """Show question ``position`` (0-based); stored at once."""
        if self.check_time():
            return
        if not 0 <= position < len(self.questions):
            raise FlowError(f"There is no question {position + 1}.")
        self._leave_question()
        self.position = position
        self._save_place()

    def forward(self) -> None:
        """The next question (stays on the last)."""
        self.goto(min(self.position + 1, len(self.questions) - 1))

    def back(self) -> None:
        """The previous question (stays on the first)."""
        self.goto(max(self.position - 1, 0))

    def answer(self, response: Any) -> None:
        """Answer the question shown, or change its answer: stored at once, as a new version.
        Sets become sorted lists, as in practice mode."""
        if self.check_time():
            return
        if isinstance(response, set | frozenset):
            response = sorted(response)
        question = self.current
        self.flow.store.save_draft(self.attempt_id, question.id, response, owner=self.flow.owner)
        self.drafts[question.id] = response
        self._leave_question()

    def reveal_hint(self) -> str | None:
        """Show the hint of the question shown: stored at once (see
        :meth:`QuizSession.reveal_hint`); it stays shown, also after a resume. None for a
        question without a hint, or once the time is up."""
        if self.check_time():
            return None
        assert self.flow.session is not None
        return self.flow.session.reveal_hint(self.current)

    def hinted(self, question_id: str) -> bool:
        """Whether the question's hint was shown in this attempt."""
        return self.flow.session is not None and question_id in self.flow.session.hinted

    def clear(self) -> None:
        """Take back the answer to the question shown (stored as a new, empty version)."""
        if self.check_time() or self.current.id not in self.drafts:
            return
        self.flow.store.save_draft(self.attempt_id, self.current.id, None, owner=self.flow.owner)
        del self.drafts[self.current.id]

    def toggle_flag(self) -> None:
        """Flag the question shown for review, or unflag it; stored at once."""
        if self.check_time():
            return
        self.flags ^= {self.current.id}
        self._save_place()

    def submit(self) -> Phase:
        """Grade and record the latest answers, then score the attempt (FINISHED; ANSWERED
        when scoring failed, to be finished when next opened). Unanswered questions count 0."""
        if self.submitted:
            return self.flow.phase
        self._leave_question()
        store, owner = self.flow.store, self.flow.owner
        session = self.flow.session
        assert session is not None
        recorded = {a.question_id for a in store.answers(self.attempt_id)}
        for question in self.questions:
            if question.id in self.drafts and question.id not in recorded:
                response = self.drafts[question.id]
                store.record_answer(
                    self.attempt_id,
                    question.id,
                    question.content_hash(),
                    response,
                    session.graded(question, response).score,
                    self._seconds.get(question.id, 0.0),
                    owner=owner,
                    hinted=question.id in session.hinted,
                )
        return self.flow.submit()

    def check_time(self) -> bool:
        """Submit the attempt if its deadline has passed; True when it has (now or before)."""
        if self.submitted:
            return True
        remaining = self.remaining()
        if remaining is None or remaining > 0:
            return False
        self.submit()
        return True

    # ------------------------------------------------------------------ steps

    def _leave_question(self) -> None:
        now = self.clock()
        spent = max(0.0, (now - self._shown_at).total_seconds())
        question_id = self.current.id
        self._seconds[question_id] = self._seconds.get(question_id, 0.0) + spent
        self._shown_at = now

    def _save_place(self) -> None:
        self.flow.store.save_exam_place(
            self.attempt_id, self.position, frozenset(self.flags), owner=self.flow.owner
        )


def submit_if_expired(flow: QuizFlow, clock: Callable[[], dt.datetime] = utc_now) -> bool:
    """An offered (CHOOSING) timed exam attempt whose deadline has passed is not offered to
    resume: it is taken up and submitted with what was answered, as it would have been had
    the app stayed open. True when it was (the flow is then FINISHED, or ANSWERED when
    scoring failed); False, with the flow untouched, for any other offer."""
    offer = flow.offer
    if flow.phase is not Phase.CHOOSING or offer is None or not flow.lesson.quiz.exam:
        return False
    deadline = flow.store.exam_state(offer.attempt.id).deadline
    if deadline is None or deadline > clock():
        return False
    if flow.resume() is Phase.ASKING:
        ExamFlow(flow, clock).check_time()
    return True
