"""Per-lesson quiz settings (issue 16): feedback, time limit, attempts, shuffling, grade rule.

Defaults keep every lesson as it was (same content hashes, same shuffle, the best attempt
counts); the grade rule is one rule everywhere (``lesson_best``, the lesson list's summary,
the gradebook); an attempt limit closes the quiz, never a retry of missed questions.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.flow import Phase, QuizFlow
from quizapp.lessons.loader import load_file
from quizapp.lessons.model import Lesson
from quizapp.session import QuizSession
from quizapp.store import RULES, Rule, Store, Student, lesson_best
from tests.support.lessons import MINIMAL
from tests.support.store import make_lesson, right_response, wrong_response


def _lesson(tmp_path: Path, settings_text: str = "") -> Lesson:
    path = tmp_path / "lesson.yaml"
    path.write_text(MINIMAL.replace("shuffle: true", "shuffle: true" + settings_text))
    lesson, errors = load_file(path)
    assert lesson is not None, [str(e) for e in errors]
    return lesson


# Computed with the code before issue 16: a lesson that does not use the new keys keeps its
# hashes, so its stored attempts and statistics stay one version with it.
MINIMAL_HASH = "dec8a4cf639829d2"
MINIMAL_QUESTION_HASHES = [
    "0cc5d4100a4d3932",
    "6e1dafdee2591c81",
    "7e4d03257a5c8cf0",
    "c9f8a12d8ced263d",
    "8f137715356dc920",
    "25dade01ccc32fa2",
    "8a2c14bc45520124",
]


def test_a_lesson_without_settings_keeps_its_content_hashes(tmp_path: Path) -> None:
    lesson = _lesson(tmp_path)
    assert lesson.content_hash() == MINIMAL_HASH
    assert [q.content_hash() for q in lesson.quiz.questions] == MINIMAL_QUESTION_HASHES


def test_settings_are_how_a_quiz_runs_not_what_it_asks(tmp_path: Path) -> None:
    written = (
        "\n  feedback: deferred\n  time_limit: 20\n  attempts: 2\n  grade: last"
        "\n  shuffle_questions: false\n  shuffle_choices: true"
    )
    lesson = _lesson(tmp_path, written)
    assert lesson.content_hash() == MINIMAL_HASH
    assert (lesson.quiz.exam, lesson.quiz.time_limit, lesson.quiz.attempts) == (True, 20, 2)
    assert lesson.quiz.grade == "last"


def test_defaults_are_todays_practice_quiz(tmp_path: Path) -> None:
    quiz = _lesson(tmp_path).quiz
    assert (quiz.feedback, quiz.time_limit, quiz.attempts, quiz.grade) == (
        "immediate",
        None,
        None,
        "best",
    )
    assert not quiz.exam
    assert quiz.shuffles_questions and quiz.shuffles_choices


@pytest.mark.parametrize(
    ("written", "questions", "choices"),
    [
        ("", True, True),
        ("\n  shuffle_choices: false", True, False),
        ("\n  shuffle_questions: false", False, True),
    ],
)
def test_shuffle_is_the_default_of_both_parts(
    tmp_path: Path, written: str, questions: bool, choices: bool
) -> None:
    quiz = _lesson(tmp_path, written).quiz
    assert (quiz.shuffles_questions, quiz.shuffles_choices) == (questions, choices)


def test_a_written_part_wins_over_shuffle_false(tmp_path: Path) -> None:
    path = tmp_path / "lesson.yaml"
    path.write_text(MINIMAL.replace("shuffle: true", "shuffle: false\n  shuffle_questions: true"))
    lesson, _ = load_file(path)
    assert lesson is not None
    assert lesson.quiz.shuffles_questions and not lesson.quiz.shuffles_choices


def test_the_session_keeps_choices_in_written_order_when_told(tmp_path: Path) -> None:
    lesson = _lesson(tmp_path, "\n  shuffle_choices: false")
    single = next(q for q in lesson.quiz.questions if q.type == "single")
    written = [c.text for c in single.options]
    with Store.open(":memory:") as store:
        student = store.student("Ana")
        orders = set()
        for seed in range(8):
            session = QuizSession.start(store, student, lesson, seed=seed)
            assert session.display_choices(single) == written
            orders.add(tuple(session.attempt.question_ids))
            store.discard_attempt(session.attempt.id)
        assert len(orders) > 1  # the questions still shuffle


# ----------------------------------------------------------------- which attempt counts


def _finish(store: Store, student: Student, lesson: Lesson, right: int) -> None:
    """A finished full attempt with the first ``right`` questions right, the rest wrong."""
    session = QuizSession.start(store, student, lesson, seed=1)
    for index in range(session.total):
        question = session.current
        assert question is not None
        response = right_response(question) if index < right else wrong_response(question)
        session.answer(response, 1.0)
    session.finish()


@settings(max_examples=15, deadline=None)
@given(rights=st.lists(st.integers(0, 3), min_size=1, max_size=4))
def test_every_rule_agrees_with_the_stores_sql(rights: list[int]) -> None:
    lesson = make_lesson(shuffle=False, questions=_three_questions())
    with Store.open(":memory:") as store:
        ana = store.student("Ana")
        for right in rights:
            _finish(store, ana, lesson, right)
        history = store.history(ana.id, lesson.id)
        percents = [100.0 * r / 3 for r in rights]
        expected = {
            "best": max(percents),
            "first": percents[0],
            "last": percents[-1],
            "average": sum(percents) / len(percents),
        }
        summary = store.lesson_summaries(ana.id)[lesson.id]
        for rule in RULES:
            assert lesson_best(history, rule) == pytest.approx(expected[rule])
            assert store.lesson_score(ana.id, lesson.id, rule) == pytest.approx(expected[rule])
            assert summary.percent(rule) == pytest.approx(expected[rule])


def _three_questions() -> list[dict[str, object]]:
    return [
        {"id": f"tf{n}", "type": "true_false", "prompt": f"Statement {n}.", "answer": True}
        for n in range(3)
    ]


def test_the_gradebook_follows_each_lessons_rule() -> None:
    first = make_lesson("first-counts", shuffle=False, questions=_three_questions())
    best = make_lesson("best-counts", shuffle=False, questions=_three_questions())
    with Store.open(":memory:") as store:
        ana = store.student("Ana")
        for lesson in (first, best):
            _finish(store, ana, lesson, 0)
            _finish(store, ana, lesson, 3)
        rules: dict[str, Rule] = {"first-counts": "first"}
        rows = {row.lesson_id: row.score for row in store.gradebook("best", None, rules)}
        assert rows == {"first-counts": 0.0, "best-counts": 100.0}


def test_the_flows_score_follows_the_lessons_rule() -> None:
    data = make_lesson(shuffle=False, questions=_three_questions()).model_dump()
    data["quiz"]["grade"] = "last"
    lesson = Lesson.model_validate(data)
    with Store.open(":memory:") as store:
        ana = store.student("Ana")
        _finish(store, ana, lesson, 3)
        _finish(store, ana, lesson, 1)
        flow = QuizFlow(store, ana, lesson)
        assert flow.lesson_best() == pytest.approx(100 / 3)


# ----------------------------------------------------------------- attempt limit


def _limited(attempts: int) -> Lesson:
    data = make_lesson(shuffle=False, questions=_three_questions()).model_dump()
    data["quiz"]["attempts"] = attempts
    return Lesson.model_validate(data)


def test_past_the_limit_the_quiz_is_closed_and_says_why() -> None:
    lesson = _limited(2)
    with Store.open(":memory:") as store:
        ana = store.student("Ana")
        _finish(store, ana, lesson, 1)
        assert QuizFlow(store, ana, lesson).open() is Phase.ASKING
        opened = store.unfinished_attempt(ana.id, lesson.id)
        assert opened is not None
        store.discard_attempt(opened.id)
        _finish(store, ana, lesson, 2)
        flow = QuizFlow(store, ana, lesson)
        assert flow.open() is Phase.CLOSED
        assert flow.problem is not None and "all 2 attempts" in flow.problem
        assert "read the cards" in flow.problem
        assert store.unfinished_attempt(ana.id, lesson.id) is None  # nothing was started
        # a retry of missed questions is practice: never limited, never counted
        retry = QuizFlow(store, ana, lesson)
        assert retry.open(["tf2"]) is Phase.ASKING


def test_an_attempt_given_up_uses_up_the_limit() -> None:
    lesson = _limited(1)
    with Store.open(":memory:") as store:
        ana = store.student("Ana")
        flow = QuizFlow(store, ana, lesson)
        flow.open()
        flow.answer(True, 1.0)
        flow.leave()
        again = QuizFlow(store, ana, lesson)
        assert again.open() is Phase.CHOOSING  # resuming stays open
        assert again.start_over() is Phase.CLOSED  # the one allowed attempt was given up
        assert store.lesson_summaries(ana.id)[lesson.id].given_up == 1


def test_the_store_summary_counts_what_the_limit_counts() -> None:
    lesson = _limited(3)
    with Store.open(":memory:") as store:
        ana = store.student("Ana")
        _finish(store, ana, lesson, 3)
        summary = store.lesson_summaries(ana.id)[lesson.id]
        flow = QuizFlow(store, ana, lesson)
        assert summary.attempts + summary.given_up == flow.attempts_used() == 1


def test_a_later_question_field_changes_the_hash_only_when_used(tmp_path: Path) -> None:
    """`typo_tolerance` came after answers were stored: left at 0 it changes no hash; set, it
    changes how the question is graded, so it is a new version of the question."""
    plain = _lesson(tmp_path)
    path = tmp_path / "typos.yaml"
    path.write_text(
        MINIMAL.replace("      type: text\n", "      type: text\n      typo_tolerance: 1\n")
    )
    tolerant, errors = load_file(path)
    assert tolerant is not None, [str(e) for e in errors]
    changed = [
        q.id
        for q, p in zip(tolerant.quiz.questions, plain.quiz.questions, strict=True)
        if q.content_hash() != p.content_hash()
    ]
    assert changed == [q.id for q in plain.quiz.questions if q.type == "text"]
    assert tolerant.content_hash() != plain.content_hash()
