"""The quiz flow and the score store under random sequences of what students do.

Two windows (two quizapp instances of one student on one score file) send random events to
their :class:`~quizapp.flow.QuizFlow`: open, resume, start over, cancel, answer (right,
wrong, or with the save failing), reveal a question's hint, next, leave, retry, retry the
missed questions; and the machine crashes (every window gone, the store closed and opened
again). After every step:

* no acknowledged answer is lost (every answer a flow returned a grade for is stored, with
  that score);
* at most one attempt per student and lesson is in progress;
* the lesson's best score is the same in every view: the lesson list's summary, the
  history (:func:`lesson_best`), the gradebook, ``lesson_score``, ``quizapp scores``'s
  lesson scores, a finished window's results, and the report counts the same attempts;
* no attempt without an answer or a hint shown is offered to resume, unless another window
  has it open;
* a hint once shown stays shown (stored before it is shown; back after a crash and a
  resume), and a hinted answer scores its raw credit less the lesson's ``hint_penalty``.

``make test`` runs a bounded number of examples; ``make test-deep`` (``QUIZAPP_DEEP=1``)
runs many more (see ``EXAMPLES``). The same machine also runs, fewer times, with the score
store on PostgreSQL (a fresh schema per sequence; :func:`test_quiz_flow_on_postgresql`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from quizapp.cli.scores import format_bests
from quizapp.exam import ExamFlow
from quizapp.flow import Phase, QuizFlow
from quizapp.lessons.model import Lesson
from quizapp.reports import select_attempts
from quizapp.review import ReviewSession
from quizapp.store import Store, StoreError, lesson_best
from tests.support import backends
from tests.support.services import POSTGRES, need
from tests.support.store import make_lesson, question_dicts, right_response, wrong_response

DEEP = os.environ.get("QUIZAPP_DEEP") == "1"
#: Examples (random sequences) and steps per sequence: bounded in ``make test``, many more
#: in ``make test-deep``.
EXAMPLES, STEPS = (1000, 50) if DEEP else (40, 30)

#: The share of a question's credit a hint costs (issue 16).
PENALTY = 0.25
LESSON = make_lesson(
    "flow",
    shuffle=False,
    questions=[
        {**q, "hint": f"A hint for {q['id']}."}
        for q in question_dicts()
        if q["id"] in ("origin", "tf")
    ],
    hint_penalty=PENALTY,
)
AT_LIST = (None, Phase.IDLE, Phase.LEFT, Phase.FINISHED, Phase.CLOSED)
IN_QUIZ = (Phase.ASKING, Phase.ANSWERED, Phase.SAVE_FAILED, Phase.FINISHED, Phase.CLOSED)


class FlakyStore(Store):
    """A store whose next answer can be made to fail as a full disk would."""

    fail_next = False

    def record_answer(self, *args: Any, **kwargs: Any) -> None:
        if self.fail_next:
            self.fail_next = False
            raise StoreError("The disk holding the score database is full; free some space.")
        super().record_answer(*args, **kwargs)


class QuizFlowMachine(RuleBasedStateMachine):
    """Two windows of one student on one lesson, and crashes."""

    def __init__(self) -> None:
        super().__init__()
        # In memory where the system has it: every answer is flushed to disk (fsync).
        shm = Path("/dev/shm")
        self.folder = tempfile.TemporaryDirectory(dir=shm if shm.is_dir() else None)
        self.path: Path | str = self.new_database(Path(self.folder.name))
        self.store = FlakyStore.open(self.path)
        self.student = self.store.student("Ana")
        self.windows: dict[str, QuizFlow | None] = {"A": None, "B": None}
        #: Every acknowledged answer: attempt id -> question id -> score.
        self.acknowledged: dict[int, dict[str, float]] = {}
        #: Every hint a window showed: attempt uuid -> question ids (issue 16). By uuid: an
        #: attempt started over is deleted, and SQLite may give its id to the next one.
        self.revealed: dict[str, set[str]] = {}
        #: Answers given in review sessions (spaced review, issue 15).
        self.reviewed = 0
        self.days = 0

    def new_database(self, folder: Path) -> Path | str:
        """The score database the windows share: a SQLite file in ``folder``."""
        return folder / "scores.sqlite3"

    def teardown(self) -> None:
        self.windows.clear()
        self.store.close()
        self.folder.cleanup()

    # ------------------------------------------------------------------ helpers

    def phase(self, window: str) -> Phase | None:
        flow = self.windows[window]
        return None if flow is None else flow.phase

    def flow(self, window: str) -> QuizFlow:
        flow = self.windows[window]
        assert flow is not None
        return flow

    def windows_in(self, *phases: Phase | None) -> list[str]:
        """The windows whose flow is in one of ``phases`` (None: no flow yet)."""
        return [w for w in self.windows if self.phase(w) in phases]

    def pick(self, data: st.DataObject, *phases: Phase | None) -> str:
        return data.draw(st.sampled_from(self.windows_in(*phases)), label="window")

    # ------------------------------------------------------------------ events

    @precondition(lambda self: self.windows_in(*AT_LIST))
    @rule(data=st.data())
    def open(self, data: st.DataObject) -> None:
        """Open the quiz (a new window, or one back at the list)."""
        window = self.pick(data, *AT_LIST)
        flow = self.windows[window] or QuizFlow(self.store, self.student, LESSON, seed=1)
        self.windows[window] = flow
        flow.open()
        if flow.phase is Phase.CHOOSING:
            assert flow.offer is not None
            assert flow.offer.answered > 0 or flow.offer.hints > 0 or flow.offer.open_elsewhere

    @precondition(lambda self: self.windows_in(Phase.CHOOSING))
    @rule(data=st.data(), choice=st.sampled_from(["resume", "start_over", "cancel"]))
    def choose(self, data: st.DataObject, choice: str) -> None:
        """Answer the offer to resume: resume (take over), start over, or Escape."""
        window = self.pick(data, Phase.CHOOSING)
        flow = self.flow(window)
        getattr(flow, choice)()
        if choice == "cancel":
            assert flow.phase is Phase.IDLE
        if choice == "resume" and flow.session is not None:  # the hints shown come back
            revealed = self.revealed.get(flow.session.attempt.uuid, set())
            assert revealed <= flow.session.hinted | set(flow.session.answered)

    @precondition(lambda self: self.windows_in(Phase.ASKING, Phase.SAVE_FAILED))
    @rule(
        data=st.data(),
        right=st.sampled_from([True, True, False]),
        save_fails=st.sampled_from([False, False, False, True]),
    )
    def answer(self, data: st.DataObject, right: bool, save_fails: bool) -> None:
        """Answer the current question; now and then the disk is full."""
        window = self.pick(data, Phase.ASKING, Phase.SAVE_FAILED)
        flow = self.flow(window)
        assert flow.session is not None
        question = flow.session.current
        assert question is not None
        attempt_id = flow.session.attempt.id
        self.store.fail_next = save_fails
        response = right_response(question) if right else wrong_response(question)
        grade = flow.answer(response, 3.0)
        self.store.fail_next = False
        if grade is None:
            assert flow.phase in (Phase.SAVE_FAILED, Phase.CLOSED)
            assert flow.problem
            if flow.phase is Phase.SAVE_FAILED:
                assert flow.session.current is question  # the question stays open
        else:
            assert not save_fails
            if question.id in flow.session.hinted:  # the hint's cost, and only that
                assert grade.score == (1.0 - PENALTY if right else 0.0)
            else:
                assert grade.score == (1.0 if right else 0.0)
            self.acknowledged.setdefault(attempt_id, {})[question.id] = grade.score
            if flow.session.current is None:
                assert flow.phase is Phase.FINISHED  # the last answer finishes the attempt
                assert self.store.attempt(attempt_id).status == "finished"

    @precondition(lambda self: self.windows_in(Phase.ASKING, Phase.SAVE_FAILED))
    @rule(data=st.data())
    def reveal_hint(self, data: st.DataObject) -> None:
        """Press h: the hint of the current question is shown, and stored before it is."""
        flow = self.flow(self.pick(data, Phase.ASKING, Phase.SAVE_FAILED))
        assert flow.session is not None
        question = flow.session.current
        assert question is not None
        try:
            shown = flow.session.reveal_hint(question)
        except StoreError:  # taken over by the other window: not shown, nothing to keep
            assert question.id not in flow.session.hinted
            return
        assert shown == question.hint
        self.revealed.setdefault(flow.session.attempt.uuid, set()).add(question.id)

    @precondition(lambda self: self.windows_in(Phase.ANSWERED))
    @rule(data=st.data())
    def next_question(self, data: st.DataObject) -> None:
        self.flow(self.pick(data, Phase.ANSWERED)).next()

    @precondition(lambda self: self.windows_in(*IN_QUIZ))
    @rule(data=st.data())
    def leave(self, data: st.DataObject) -> None:
        """Escape: back to the list."""
        flow = self.flow(self.pick(data, *IN_QUIZ))
        # An attempt with an answer or a hint shown is kept (a hint is not taken back).
        answered = bool(flow.session and (flow.session.answered or flow.session.hinted))
        flow.leave()
        assert flow.phase is Phase.LEFT
        if not answered and flow.session is not None:
            mine = flow.session.attempt
            left = [a for a in self.store.history(self.student.id) if a.id == mine.id]
            assert not left or left[0].answered or left[0].owner not in (None, flow.owner)

    @precondition(lambda self: self.windows_in(Phase.FINISHED))
    @rule(data=st.data())
    def retry_missed(self, data: st.DataObject) -> None:
        """From the results: retry only the questions missed."""
        flow = self.flow(self.pick(data, Phase.FINISHED))
        missed = flow.missed()
        if missed:
            flow.open(only=missed)

    @precondition(lambda self: self.windows_in(*IN_QUIZ, Phase.CHOOSING))
    @rule()
    def crash(self) -> None:
        """The machine dies: every window gone (no cycles hold a flow: they go at once, as
        with the process), the score file opened again."""
        self.windows = {"A": None, "B": None}
        self.store.close()
        self.store = FlakyStore.open(self.path)

    # ------------------------------------------------------------------ invariants

    @rule(rights=st.lists(st.booleans(), min_size=1, max_size=3))
    def review(self, rights: list[bool]) -> None:
        """A review session a day later (everything answered so far is due by then): its
        answers are reviews only, never an attempt or a score."""
        self.days += 1
        later = dt.datetime.now(dt.UTC) + dt.timedelta(days=self.days * 400)
        before = self.store.history(self.student.id)
        session = ReviewSession(self.store, self.student, {LESSON.id: LESSON}.get, 3, later)
        for right in rights[: session.total]:
            item = session.current
            assert item is not None and item.question is not None
            response = right_response(item.question) if right else wrong_response(item.question)
            assert session.answer(response, 3.0, later).correct is right
            self.reviewed += 1
        assert self.store.history(self.student.id) == before

    @invariant()
    def every_answer_is_a_review(self) -> None:
        answers = sum(len(given) for given in self.acknowledged.values())
        assert self.store.review_count(self.student.id) == answers + self.reviewed
        questions = {q for given in self.acknowledged.values() for q in given}
        for question in questions:
            assert self.store.review_item(self.student.id, LESSON.id, question) is not None

    @invariant()
    def a_hint_shown_stays_shown(self) -> None:
        """A hint once shown is never taken back: not by a crash, a resume or another
        window (an attempt started over before any answer may go, and its hints with it)."""
        kept = {a.uuid: a.id for a in self.store.history(self.student.id)}
        for uuid, questions in self.revealed.items():
            if uuid in kept:
                assert questions <= self.store.hints_shown(kept[uuid])

    @invariant()
    def no_acknowledged_answer_is_lost(self) -> None:
        for attempt_id, given in self.acknowledged.items():
            stored = {a.question_id: a.score for a in self.store.answers(attempt_id)}
            assert stored == given

    @invariant()
    def at_most_one_live_attempt(self) -> None:
        live = [
            a for a in self.store.history(self.student.id, LESSON.id) if a.status == "in_progress"
        ]
        assert len(live) <= 1

    @invariant()
    def one_best_score_everywhere(self) -> None:
        history = self.store.history(self.student.id, LESSON.id)
        best = lesson_best(history)
        summary = self.store.lesson_summaries(self.student.id).get(LESSON.id)
        assert (summary.best_percent if summary else None) == best
        assert self.store.lesson_score(self.student.id, LESSON.id, "best") == best
        rows = [r for r in self.store.gradebook() if r.lesson_id == LESSON.id]
        assert (rows[0].best if rows else None) == best
        bests = format_bests(history, {self.student.id: "Ana"})
        assert (f"best {best:.1f}".removesuffix(".0") in bests) if best is not None else not bests
        for flow in self.windows.values():
            if flow is not None and flow.phase is Phase.FINISHED:
                assert flow.lesson_best() == best
        # The report counts the finished whole attempts, as every other view does.
        counted = {str(a.id) for a in history if a.counts and a.answered}
        reported = {r.attempt_id for r in select_attempts(self.store.answer_records(), "all")}
        assert reported == counted

    @invariant()
    def phases_match_the_store(self) -> None:
        for flow in self.windows.values():
            if flow is None or flow.session is None:
                continue
            if flow.phase is Phase.ASKING:
                assert flow.session.current is not None
            if flow.phase is Phase.FINISHED:
                assert self.store.attempt(flow.session.attempt.id).status == "finished"


QuizFlowMachine.TestCase.settings = settings(
    max_examples=EXAMPLES,
    stateful_step_count=STEPS,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestQuizFlow = QuizFlowMachine.TestCase


class QuizFlowMachineOnPostgres(QuizFlowMachine):
    """The same sequences with the score store on PostgreSQL (each in a new schema)."""

    def new_database(self, folder: Path) -> Path | str:
        self.schema = contextlib.ExitStack()
        return self.schema.enter_context(backends.fresh_schema("flow"))

    def teardown(self) -> None:
        super().teardown()
        self.schema.close()


def test_quiz_flow_on_postgresql() -> None:
    need(POSTGRES, backends.missing())
    run_state_machine_as_test(
        QuizFlowMachineOnPostgres,
        settings=settings(
            max_examples=max(EXAMPLES // 4, 10),
            stateful_step_count=STEPS,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )


# ---------------------------------------------------------------------- exam mode (issue 16)

EXAM = Lesson.model_validate(
    LESSON.model_dump(mode="json")
    | {"id": "exam", "quiz": LESSON.quiz.model_dump(mode="json") | {"feedback": "deferred"}}
)


class ExamFlowMachine(RuleBasedStateMachine):
    """One student's exam attempt under any order of events, with crashes between them.

    A model keeps what the student last gave for each question, the flags and the position;
    the invariants: what a fresh window reads back is the model (no answer or change lost,
    none invented), and a submitted attempt's graded answers are exactly the latest ones.
    """

    def __init__(self) -> None:
        super().__init__()
        self.store = Store.open(":memory:")
        self.ana = self.store.student("Ana")
        self.exam: ExamFlow | None = None
        self.latest: dict[str, Any] = {}
        self.flags: set[str] = set()
        self.position = 0
        self.submitted: dict[str, Any] | None = None
        #: An answer was given in this attempt (cleared or not): without one, a crash or
        #: leaving deletes the attempt, flags and all (nothing to keep, as in practice).
        self.touched = False

    def teardown(self) -> None:
        self.store.close()

    def _open(self) -> ExamFlow:
        flow = QuizFlow(self.store, self.ana, EXAM, seed=1)
        phase = flow.open()
        if phase is Phase.CHOOSING:
            phase = flow.resume()
        assert phase is Phase.ASKING
        return ExamFlow(flow)

    @precondition(lambda self: self.exam is None)
    @rule()
    def start(self) -> None:
        if self.submitted is not None or not self.touched:  # a new attempt
            self.latest, self.flags, self.position, self.submitted = {}, set(), 0, None
        self.exam = self._open()
        assert self.exam.position == self.position
        assert self.exam.drafts == self.latest
        assert self.exam.flags == self.flags

    @precondition(lambda self: self.exam is not None)
    @rule(where=st.integers(0, len(LESSON.quiz.questions) - 1))
    def goto(self, where: int) -> None:
        assert self.exam is not None
        self.exam.goto(where)
        self.position = where

    @precondition(lambda self: self.exam is not None)
    @rule(right=st.booleans())
    def answer(self, right: bool) -> None:
        assert self.exam is not None
        question = self.exam.current
        response = right_response(question) if right else wrong_response(question)
        self.exam.answer(response)
        self.latest[question.id] = response
        self.touched = True

    @precondition(lambda self: self.exam is not None)
    @rule()
    def clear(self) -> None:
        assert self.exam is not None
        self.exam.clear()
        self.latest.pop(self.exam.current.id, None)

    @precondition(lambda self: self.exam is not None)
    @rule()
    def flag(self) -> None:
        assert self.exam is not None
        self.exam.toggle_flag()
        self.flags ^= {self.exam.current.id}

    @precondition(lambda self: self.exam is not None)
    @rule()
    def crash(self) -> None:
        self.exam = None  # the window is gone: nothing was left or submitted

    @precondition(lambda self: self.exam is not None)
    @rule()
    def submit(self) -> None:
        assert self.exam is not None
        assert self.exam.submit() is Phase.FINISHED
        self.submitted = dict(self.latest)
        graded = {a.question_id: a.response for a in self.store.answers(self.exam.attempt_id)}
        assert graded == self.submitted
        self.exam = None
        self.touched = False

    @invariant()
    def a_fresh_window_reads_the_model(self) -> None:
        if self.exam is None or self.submitted is not None:
            return
        state = self.store.exam_state(self.exam.attempt_id)
        assert state.drafts == self.latest
        assert state.flags == self.flags
        assert state.position == self.position


ExamFlowMachine.TestCase.settings = settings(
    max_examples=EXAMPLES // 2,
    stateful_step_count=STEPS,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestExamFlow = ExamFlowMachine.TestCase
