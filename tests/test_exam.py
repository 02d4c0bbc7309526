"""Exam mode (issue 16): answers in any order, flags, changes kept, crash and resume, a time
limit that expires on a fake clock (no sleeps), and the attempt scored only on submit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from quizapp.exam import ExamFlow
from quizapp.flow import Phase, QuizFlow
from quizapp.lessons.model import Lesson
from quizapp.store import Store
from tests.support.store import make_lesson, right_response, wrong_response

START = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


class FakeClock:
    """A clock that moves only when told."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def exam_lesson(**settings: object) -> Lesson:
    data = make_lesson(shuffle=False).model_dump()
    data["quiz"].update({"feedback": "deferred", **settings})
    return Lesson.model_validate(data)


def open_exam(store: Store, lesson: Lesson, clock: FakeClock) -> ExamFlow:
    flow = QuizFlow(store, store.student("Ana"), lesson, seed=1)
    phase = flow.open()
    if phase is Phase.CHOOSING:
        phase = flow.resume()
    assert phase is Phase.ASKING
    return ExamFlow(flow, clock)


def test_out_of_order_with_flags_and_changes_scores_only_the_latest(db: Path | str) -> None:
    lesson, clock = exam_lesson(), FakeClock()
    with Store.open(db, clock=clock) as store:
        exam = open_exam(store, lesson, clock)
        questions = exam.questions
        exam.goto(3)
        exam.answer(right_response(questions[3]))
        exam.toggle_flag()
        exam.back()
        exam.answer(wrong_response(questions[2]))
        exam.answer(right_response(questions[2]))  # changed: the latest counts
        exam.goto(0)
        exam.answer(right_response(questions[0]))
        assert exam.unanswered() == [2, 5, 6, 7]
        assert exam.flagged(questions[3].id)
        assert store.answers(exam.attempt_id) == []  # nothing graded before submit
        assert exam.submit() is Phase.FINISHED
        attempt = store.history(None)[0]
        assert attempt.score == 3.0 and attempt.max_score == 7.0
        graded = {a.question_id: a.score for a in store.answers(exam.attempt_id)}
        assert graded == {questions[0].id: 1.0, questions[2].id: 1.0, questions[3].id: 1.0}


def test_a_crash_resumes_on_the_same_question_with_the_same_answers(db: Path | str) -> None:
    lesson, clock, path = exam_lesson(), FakeClock(), db
    with Store.open(path, clock=clock) as store:
        exam = open_exam(store, lesson, clock)
        exam.goto(4)
        exam.answer("1996")
        exam.goto(1)
        exam.toggle_flag()
        questions = [q.id for q in exam.questions]
    # the app died: a new window, a new flow, the same database
    with Store.open(path, clock=clock) as store:
        again = open_exam(store, lesson, clock)
        assert again.position == 1
        assert [q.id for q in again.questions] == questions
        assert again.response(questions[4]) == "1996"
        assert again.flagged(questions[1])


def test_every_change_is_kept_as_a_version(db: Path | str) -> None:
    lesson, clock = exam_lesson(), FakeClock()
    with Store.open(db, clock=clock) as store:
        exam = open_exam(store, lesson, clock)
        exam.answer("Los Angeles")
        exam.answer("San Salvador")
        exam.clear()
        assert exam.response(exam.current.id) is None
        assert store.exam_state(exam.attempt_id).drafts == {}
        assert exam.unanswered()[0] == 1


def test_a_time_limit_submits_what_was_answered(db: Path | str) -> None:
    lesson, clock = exam_lesson(time_limit=10), FakeClock()
    with Store.open(db, clock=clock) as store:
        exam = open_exam(store, lesson, clock)
        assert exam.remaining() == 600
        exam.answer(right_response(exam.current))
        clock.advance(minutes=9, seconds=59)
        assert not exam.check_time()
        clock.advance(seconds=1)
        assert exam.check_time()
        assert exam.flow.phase is Phase.FINISHED
        attempt = store.history(None)[0]
        assert attempt.score == 1.0 and attempt.max_score == 7.0
        assert attempt.seconds == 600  # time spent, stored


def test_the_clock_runs_while_the_app_is_closed(db: Path | str) -> None:
    lesson, clock, path = exam_lesson(time_limit=10), FakeClock(), db
    with Store.open(path, clock=clock) as store:
        exam = open_exam(store, lesson, clock)
        exam.answer(right_response(exam.current))
        clock.advance(minutes=4)
    with Store.open(path, clock=clock) as store:
        again = open_exam(store, lesson, clock)
        assert again.remaining() == 360  # 6 minutes left, not 10
        clock.advance(minutes=7)
    with Store.open(path, clock=clock) as store:
        late = open_exam(store, lesson, clock)
        assert late.check_time()  # expired while closed: submitted with what was answered
        assert store.history(None)[0].status == "finished"


def test_leaving_an_exam_with_answers_keeps_it_to_resume(db: Path | str) -> None:
    lesson, clock = exam_lesson(), FakeClock()
    with Store.open(db, clock=clock) as store:
        exam = open_exam(store, lesson, clock)
        exam.goto(2)
        exam.answer(True)
        assert exam.flow.leave() is Phase.LEFT
        flow = QuizFlow(store, store.student("Ana"), lesson)
        assert flow.open() is Phase.CHOOSING  # offered, not deleted
        assert flow.offer is not None and flow.offer.answered == 1


def test_a_timed_attempt_without_answers_keeps_its_clock(db: Path | str) -> None:
    lesson, clock = exam_lesson(time_limit=10), FakeClock()
    with Store.open(db, clock=clock) as store:
        exam = open_exam(store, lesson, clock)
        clock.advance(minutes=3)
        exam.flow.leave()  # or a crash: no answer given
        again = open_exam(store, lesson, clock)
        assert again.attempt_id == exam.attempt_id
        assert again.remaining() == 420  # not a fresh 10 minutes
