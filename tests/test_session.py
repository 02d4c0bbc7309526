"""QuizSession: seeded order, choice display order, answering, resume after a lesson edit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.choices import display_choices
from quizapp.lessons.model import OrderQuestion
from quizapp.session import QuizSession, SessionError
from quizapp.store import Store, Student
from tests.support.store import make_lesson, question_dicts, right_response, wrong_response


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "scores.sqlite3") as opened:
        yield opened


@pytest.fixture
def ana(store: Store) -> Student:
    return store.student("Ana")


def order_of(session: QuizSession) -> list[str]:
    return [q.id for q in session.questions]


WRITTEN = [q["id"] for q in question_dicts()]


# ---------------------------------------------------------------------- order


def test_the_seed_fixes_question_order_and_every_question_is_asked(
    store: Store, ana: Student
) -> None:
    lesson = make_lesson()
    orders = {seed: order_of(QuizSession.start(store, ana, lesson, seed=seed)) for seed in range(8)}
    for seed, order in orders.items():
        assert sorted(order) == sorted(WRITTEN)
        assert order_of(QuizSession.start(store, ana, lesson, seed=seed)) == order
    assert len({tuple(order) for order in orders.values()}) > 1  # seeds do shuffle


def test_without_shuffle_the_written_order_is_kept(store: Store, ana: Student) -> None:
    lesson = make_lesson(shuffle=False)
    for seed in range(5):
        session = QuizSession.start(store, ana, lesson, seed=seed)
        assert order_of(session) == WRITTEN
        single = session.questions[0]
        assert session.display_choices(single) == [c.text for c in single.options]  # type: ignore[union-attr]
        order = next(q for q in session.questions if isinstance(q, OrderQuestion))
        assert session.display_choices(order) != order.items  # still scrambled


def test_a_seed_is_chosen_and_recorded_when_none_is_given(store: Store, ana: Student) -> None:
    session = QuizSession.start(store, ana, make_lesson())
    stored = store.attempt(session.attempt.id)
    assert stored.seed == session.seed
    assert list(stored.question_ids) == order_of(session)


def test_display_choices_are_a_seeded_permutation(store: Store, ana: Student) -> None:
    lesson = make_lesson()
    session = QuizSession.start(store, ana, lesson, seed=11)
    by_id = {q.id: q for q in lesson.quiz.questions}
    single, multi = by_id["origin"], by_id["countries"]
    match, order = by_id["pairs"], by_id["sequence"]
    assert sorted(session.display_choices(single)) == sorted(c.text for c in single.options)  # type: ignore[union-attr]
    assert sorted(session.display_choices(multi)) == sorted(c.text for c in multi.options)  # type: ignore[union-attr]
    assert sorted(session.display_choices(order)) == sorted(order.items)  # type: ignore[union-attr]
    assert sorted(session.display_choices(match)) == sorted(
        [*match.pairs.values(), *match.distractors]  # type: ignore[union-attr]
    )
    assert session.display_choices(by_id["tf"]) == []
    assert session.display_choices(by_id["cicig"]) == []
    shown = {
        seed: display_choices(single, seed) for seed in range(10)
    }  # the same question over several attempts
    assert len({tuple(v) for v in shown.values()}) > 1
    assert all(display_choices(single, seed) == shown[seed] for seed in shown)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=2**63 - 1),
    items=st.lists(st.text(min_size=1, max_size=5), min_size=3, max_size=7, unique=True),
)
def test_an_order_question_never_starts_in_the_right_order(seed: int, items: list[str]) -> None:
    question = OrderQuestion(id="o", type="order", prompt="Order", items=items, sources=[])
    shown = display_choices(question, seed)
    assert sorted(shown) == sorted(items)
    assert shown != items
    assert display_choices(question, seed) == shown


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**62), answers=st.integers(0, 7))
def test_a_resumed_attempt_has_the_same_orders(
    tmp_path_factory: Any, seed: int, answers: int
) -> None:
    folder = tmp_path_factory.mktemp("resume")
    lesson = make_lesson()
    with Store.open(folder / "s.sqlite3") as store:
        session = QuizSession.start(store, store.student("Ana"), lesson, seed=seed)
        choices = {q.id: session.display_choices(q) for q in session.questions}
        for _ in range(answers):
            session.answer(right_response(session.current), 1.0)  # type: ignore[arg-type]
    with Store.open(folder / "s.sqlite3") as store:
        attempt = store.unfinished_attempt(store.student("Ana").id, lesson.id)
        assert attempt is not None
        resumed = QuizSession.resume(store, attempt, lesson)
        assert order_of(resumed) == order_of(session)
        assert {q.id: resumed.display_choices(q) for q in resumed.questions} == choices
        assert resumed.index == answers
        assert set(resumed.answered) == set(order_of(session)[:answers])


# ---------------------------------------------------------------------- answering


def test_answering_grades_saves_and_moves_on(store: Store, ana: Student) -> None:
    lesson = make_lesson()
    session = QuizSession.start(store, ana, lesson, seed=3)
    assert (session.index, session.total, session.finished) == (0, 7, False)
    first = session.current
    assert first is not None
    grade = session.answer(right_response(first), 4.5)
    assert grade.correct and grade.score == 1.0
    saved = store.answers(session.attempt.id)
    assert [(a.question_id, a.response, a.score, a.seconds) for a in saved] == [
        (first.id, right_response(first), 1.0, 4.5)
    ]
    assert saved[0].question_hash == first.content_hash()
    assert session.index == 1 and session.current is not first
    second = session.current
    assert second is not None
    assert session.answer(wrong_response(second), 2.0).score == 0.0
    assert (session.score, session.max_score) == (1.0, 2.0)
    while session.current is not None:
        session.answer(right_response(session.current), 1.0)
    assert session.finished and session.index == session.total
    with pytest.raises(SessionError):
        session.answer("late", 1.0)
    attempt = session.finish()
    assert attempt.status == "finished"
    assert attempt.percent == pytest.approx(600 / 7)
    assert store.lesson_score(ana.id, lesson.id, "best") == pytest.approx(600 / 7)
    assert session.missed() == [second.id]


def test_results_list_every_question_with_the_right_answer(store: Store, ana: Student) -> None:
    session = QuizSession.start(store, ana, make_lesson(), seed=5)
    first = session.current
    assert first is not None
    session.answer(wrong_response(first), 1.0)
    session.finish()  # early: the rest count 0
    rows = session.results()
    assert [r.question.id for r in rows] == order_of(session)
    assert rows[0].answered and rows[0].response == wrong_response(first)
    assert rows[0].right_answer and rows[0].grade.score == 0.0
    assert not any(r.answered for r in rows[1:])
    assert session.attempt.max_score == 7 and session.attempt.score == 0
    assert session.finished


def test_multi_answers_given_as_a_set_are_saved(store: Store, ana: Student) -> None:
    lesson = make_lesson(shuffle=False)
    session = QuizSession.start(store, ana, lesson, only=["countries"])
    session.answer({"Honduras", "Guatemala", "El Salvador"}, 1.0)
    (saved,) = store.answers(session.attempt.id)
    assert saved.response == ["El Salvador", "Guatemala", "Honduras"] and saved.score == 1.0


def test_retrying_the_missed_questions_does_not_change_the_lesson_score(
    store: Store, ana: Student
) -> None:
    lesson = make_lesson()
    session = QuizSession.start(store, ana, lesson, seed=1)
    for i in range(session.total):
        question = session.current
        assert question is not None
        session.answer(right_response(question) if i % 2 else wrong_response(question), 1)
    session.finish()
    score = store.lesson_score(ana.id, lesson.id, "last")
    missed = session.missed()
    retry = QuizSession.start(store, ana, lesson, seed=2, only=missed)
    assert sorted(order_of(retry)) == sorted(missed)
    assert retry.attempt.mode == "retry"
    while retry.current is not None:
        retry.answer(right_response(retry.current), 1)
    assert retry.finish().percent == 100.0
    assert store.lesson_score(ana.id, lesson.id, "last") == score
    with pytest.raises(SessionError, match="no question"):
        QuizSession.start(store, ana, lesson, only=["not-there"])
    with pytest.raises(SessionError):
        QuizSession.start(store, ana, lesson, only=[])


# ---------------------------------------------------------------------- resume


def test_resume_continues_at_the_next_unanswered_question(store: Store, ana: Student) -> None:
    lesson = make_lesson()
    session = QuizSession.start(store, ana, lesson, seed=99)
    given = []
    for _ in range(3):
        question = session.current
        assert question is not None
        given.append((question.id, wrong_response(question)))
        session.answer(wrong_response(question), 2.0)
    attempt = store.unfinished_attempt(ana.id, lesson.id)
    assert attempt is not None
    resumed = QuizSession.resume(store, attempt, lesson)
    assert resumed.dropped == [] and resumed.messages == []
    assert resumed.index == 3 and resumed.current == session.current
    assert [(qid, a.response) for qid, a in resumed.answered.items()] == given
    assert resumed.score == 0.0 and resumed.max_score == 3.0
    while resumed.current is not None:
        resumed.answer(right_response(resumed.current), 1.0)
    assert resumed.finish().percent == pytest.approx(400 / 7)


def edited(change: dict[str, dict[str, Any]], remove: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    questions = []
    for q in question_dicts():
        if q["id"] in remove:
            continue
        questions.append({**q, **change.get(q["id"], {})})
    return questions


def test_questions_edited_since_the_attempt_started_are_dropped(store: Store, ana: Student) -> None:
    lesson = make_lesson(shuffle=False)
    session = QuizSession.start(store, ana, lesson)
    # Answer the first two in written order: origin (right) and countries (wrong).
    session.answer(right_response(session.questions[0]), 1.0)
    session.answer(wrong_response(session.questions[1]), 1.0)
    # The instructor edits "origin" (answered), "tf" (not yet) and removes "pairs".
    new_lesson = make_lesson(
        shuffle=False,
        questions=edited(
            {"origin": {"prompt": "Where was MS-13 founded?"}, "tf": {"answer": False}},
            remove=("pairs",),
        ),
    )
    attempt = store.unfinished_attempt(ana.id, lesson.id)
    assert attempt is not None
    resumed = QuizSession.resume(store, attempt, new_lesson)
    assert resumed.dropped == ["tf", "pairs"]
    assert len(resumed.messages) == 2
    assert "removed" in resumed.messages[0] and "changed" in resumed.messages[1]
    assert order_of(resumed) == ["origin", "countries", "cicig", "iirira", "sequence"]
    assert set(resumed.answered) == {"origin", "countries"}  # the edited answer is kept
    assert resumed.current is not None and resumed.current.id == "cicig"
    while resumed.current is not None:
        resumed.answer(right_response(resumed.current), 1.0)
    finished = resumed.finish()
    assert (finished.score, finished.max_score) == (4.0, 5.0)
    # A later look at the attempt remembers what was dropped, and says nothing new.
    again = QuizSession.resume(store, finished, new_lesson)
    assert again.dropped == ["tf", "pairs"] and again.messages == []
    assert again.finished and len(again.results()) == 5


def test_resume_refuses_an_attempt_of_another_lesson(store: Store, ana: Student) -> None:
    session = QuizSession.start(store, ana, make_lesson("one"))
    with pytest.raises(SessionError, match="lesson"):
        QuizSession.resume(store, session.attempt, make_lesson("two"))
