"""Spaced review: the rating rule, scheduling through the fsrs package with a fixed clock,
answers becoming review items, due counts, and merging review logs idempotently."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fsrs import Card, Rating, Scheduler

from quizapp import review
from quizapp.grading import Grade
from quizapp.lessons.model import GlossaryEntry
from quizapp.session import QuizSession
from quizapp.store import Store
from tests.support.backends import execute_raw
from tests.support.store import Clock, make_lesson, right_response, wrong_response

T0 = dt.datetime(2026, 11, 28, 10, 15, tzinfo=dt.UTC)


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
def store(db: Path | str, clock: Clock) -> Iterator[Store]:
    with Store.open(db, clock=clock) as opened:
        yield opened


# ---------------------------------------------------------------------- the rating rule


@pytest.mark.parametrize(
    ("score", "correct", "seconds", "rating"),
    [
        (0.0, False, 1.0, Rating.Again),
        (0.5, False, 1.0, Rating.Hard),
        (1.0, True, 60.0, Rating.Good),
        (1.0, True, 5.0, Rating.Easy),
        (1.0, True, 8.0, Rating.Easy),  # the threshold itself is still fast
        (1.0, True, 8.5, Rating.Good),
    ],
)
def test_a_grade_becomes_the_documented_rating(
    score: float, correct: bool, seconds: float, rating: Rating
) -> None:
    assert review.rating_for("true_false", Grade(score, correct), seconds) == rating


def test_fast_depends_on_the_question_type() -> None:
    right = Grade(1.0, True)
    assert review.rating_for("true_false", right, 15) == Rating.Good
    assert review.rating_for("match", right, 15) == Rating.Easy


# ---------------------------------------------------------------------- scheduling


def test_reviews_follow_the_fsrs_scheduler_with_a_fixed_clock(store: Store) -> None:
    ana = store.student("Ana")
    ratings = [Rating.Good, Rating.Again, Rating.Good, Rating.Easy, Rating.Hard]
    expected = Card(card_id=0, due=T0)
    scheduler = Scheduler(enable_fuzzing=False)
    moment = T0
    for rating in ratings:
        ours = review.record(store, ana.id, "cicig", "q1", rating, 4.0, now=moment)
        expected, _ = scheduler.review_card(expected, rating, moment)
        assert ours.due == expected.due
        assert ours.stability == expected.stability
        stored = store.review_item(ana.id, "cicig", "q1")
        assert stored is not None and stored.due == expected.due
        moment = expected.due + dt.timedelta(hours=1)
    assert store.review_count(ana.id) == len(ratings)


def test_a_wrong_answer_comes_back_due_and_a_right_one_moves_out(store: Store) -> None:
    ana = store.student("Ana")
    lesson = make_lesson()
    session = QuizSession.start(store, ana, lesson, seed=1)
    first, second = session.questions[0], session.questions[1]
    session.answer(wrong_response(first), 3.0)
    session.answer(right_response(second), 3.0)
    soon = T0 + dt.timedelta(minutes=15)
    due = store.due_items(ana.id, soon, 20)
    assert [(d.lesson_id, d.item_id) for d in due] == [(lesson.id, first.id)]
    assert review.summary(store, ana.id, soon).per_lesson == {lesson.id: 1}
    # Reviewed right now, the wrong one leaves the due list too (for a while).
    review.record(store, ana.id, lesson.id, first.id, Rating.Good, 3.0, now=soon)
    later = review.summary(store, ana.id, soon + dt.timedelta(seconds=1))
    assert later.total == 0
    assert later.next_due is not None and later.next_due > soon


def test_due_items_are_oldest_first_across_lessons_and_capped(store: Store) -> None:
    ana = store.student("Ana")
    for minute, (lesson, item) in enumerate([("b", "q2"), ("a", "q1"), ("b", "q3")]):
        review.record(
            store, ana.id, lesson, item, Rating.Again, 1.0, now=T0 + dt.timedelta(minutes=minute)
        )
    later = T0 + dt.timedelta(days=1)
    assert [d.item_id for d in store.due_items(ana.id, later, 20)] == ["q2", "q1", "q3"]
    assert [d.item_id for d in store.due_items(ana.id, later, 2)] == ["q2", "q1"]
    assert store.due_counts(ana.id, later) == {"a": 1, "b": 2}
    assert store.due_counts(store.student("Ben").id, later) == {}


def test_a_damaged_stored_card_starts_afresh(store: Store, db: Path | str) -> None:
    ana = store.student("Ana")
    review.record(store, ana.id, "a", "q1", Rating.Good, 1.0, now=T0)
    execute_raw(db, "UPDATE review_items SET card = '{\"nonsense\": 1}'")
    card = review.record(store, ana.id, "a", "q1", Rating.Again, 1.0, now=T0)
    assert card.due > T0


# ---------------------------------------------------------------------- review sessions


def test_a_review_session_mixes_lessons_oldest_first_and_never_counts_as_a_score(
    store: Store,
) -> None:
    ana = store.student("Ana")
    lessons = {"a": make_lesson("a"), "b": make_lesson("b")}
    qa, qb = lessons["a"].quiz.questions, lessons["b"].quiz.questions
    for minute, (lesson, question) in enumerate([("b", qb[0]), ("a", qa[1]), ("b", qb[2])]):
        review.record(
            store,
            ana.id,
            lesson,
            question.id,
            Rating.Again,
            1.0,
            now=T0 + dt.timedelta(minutes=minute),
        )
    review.record(store, ana.id, "gone", "q1", Rating.Again, 1.0, now=T0)
    later = T0 + dt.timedelta(hours=1)
    session = review.ReviewSession(store, ana, lessons.get, limit=20, now=later)
    assert [(i.lesson.id, i.question and i.question.id) for i in session.items] == [
        ("b", qb[0].id), ("a", qa[1].id), ("b", qb[2].id)
    ]  # fmt: skip
    assert review.ReviewSession(store, ana, lessons.get, limit=2, now=later).total == 2
    wrong = session.answer(wrong_response(qb[0]), 3.0, now=later)
    right = session.answer(right_response(qa[1]), 30.0, now=later)
    assert (wrong.correct, right.correct, session.right, session.index) == (False, True, 1, 2)
    after = later + dt.timedelta(minutes=5)  # Again: back in a minute; Good: in ten
    due = {(d.lesson_id, d.item_id) for d in store.due_items(ana.id, after, 20)}
    assert ("b", qb[0].id) in due and ("a", qa[1].id) not in due
    assert store.history(ana.id) == []
    assert store.lesson_summaries(ana.id) == {}


# ---------------------------------------------------------------------- merging


def machine(path: Path, name: str, start: dt.datetime, ratings: list[Rating]) -> None:
    with Store.open(path) as other:
        student = other.student(name)
        for index, rating in enumerate(ratings):
            review.record(
                other, student.id, "cicig", "q1", rating, 2.0, now=start + dt.timedelta(days=index)
            )


def test_merging_two_files_with_review_logs_twice_adds_nothing(
    store: Store, tmp_path: Path
) -> None:
    home, lab = tmp_path / "home.sqlite3", tmp_path / "lab.sqlite3"
    machine(home, "Ana", T0, [Rating.Good, Rating.Good])
    machine(lab, "ana", T0 + dt.timedelta(days=5), [Rating.Again])
    first = [store.merge_from(home), store.merge_from(lab)]
    assert [r.reviews_added for r in first] == [2, 1]
    assert "1 new review" in str(first[1])
    again = [store.merge_from(home), store.merge_from(lab)]
    assert all(r.nothing_new and r.reviews_added == 0 for r in again)
    ana = store.student("Ana")
    assert store.review_count(ana.id) == 3
    # The item's state is its latest review in the merged log: the lab's Again, days later.
    item = store.review_item(ana.id, "cicig", "q1")
    assert item is not None
    with Store.open(lab) as other:
        lab_item = other.review_item(other.student("Ana").id, "cicig", "q1")
    assert lab_item is not None and item.due == lab_item.due and item.card == lab_item.card


def test_a_bad_review_row_is_refused_and_the_rest_merged(store: Store, tmp_path: Path) -> None:
    home = tmp_path / "home.sqlite3"
    machine(home, "Ana", T0, [Rating.Good, Rating.Hard])
    with sqlite3.connect(home) as conn:
        conn.execute("UPDATE review_log SET card = 'not json' WHERE id = 1")
    report = store.merge_from(home)
    assert report.reviews_added == 1
    assert report.refused == 1 and "review_log row 1: card is not valid JSON" in str(report)


# ---------------------------------------------------------------------- quizapp due


def test_quizapp_due_prints_due_counts_per_lesson(
    tmp_path: Path, db: Path | str, capsys: pytest.CaptureFixture[str]
) -> None:
    from quizapp.cli import main

    yesterday = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    with Store.open(db) as store:
        ana = store.student("Ana [b]")
        review.record(store, ana.id, "cicig", "q1", Rating.Again, 1.0, now=yesterday)
        review.record(store, ana.id, "cicig", "q2", Rating.Again, 1.0, now=yesterday)
        review.record(store, ana.id, "contras", "q1", Rating.Again, 1.0, now=yesterday)
        store.student("Ben")
    assert main(["due", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "Ana [b]  cicig    2" in out and "Ana [b]  contras  1" in out
    assert main(["due", "--db", str(db), "--student", "ana [b]", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == 3 and data["next_due"] is None
    assert main(["due", "--db", str(db), "--student", "Ben"]) == 0
    assert capsys.readouterr().out == "Nothing is due for review.\n"
    assert main(["due", "--db", str(db), "--student", "Zed"]) == 2
    assert "Zed" in capsys.readouterr().err
    assert main(["due", "--db", str(tmp_path / "missing.sqlite3")]) == 2


# ---------------------------------------------------------------------- glossary drill


def test_term_keys_are_stable_ids() -> None:
    assert review.term_key("Mano Dura") == "term:mano-dura"
    assert review.term_key("Árbenz's reform") == "term:arbenz-s-reform"
    assert review.term_key("ÁÉ") == "term:ae"
    assert review.term_key("中文").startswith("term:h")


def test_a_glossary_drill_schedules_terms_like_questions(store: Store) -> None:
    ana = store.student("Ana")
    lesson = make_lesson("g").model_copy(
        update={
            "glossary": [
                GlossaryEntry(term="CICIG", definition="A UN-backed commission."),
                GlossaryEntry(term="TPS", definition="Temporary protected status."),
            ]
        }
    )
    drill = review.ReviewSession.glossary(store, ana, lesson, now=T0)
    assert [i.term.term for i in drill.items if i.term] == ["CICIG", "TPS"]  # new: in order
    drill.rate(Rating.Again, 2.0, now=T0)
    drill.rate(Rating.Easy, 2.0, now=T0)
    assert drill.current is None and drill.right == 1
    later = T0 + dt.timedelta(minutes=5)
    again = review.ReviewSession.glossary(store, ana, lesson, now=later)
    assert [i.term.term for i in again.items if i.term] == ["CICIG"]  # TPS moved out
    # Due terms also come back in the mixed review of every lesson.
    mixed = review.ReviewSession(store, ana, {"g": lesson}.get, now=later)
    assert [(i.term.term if i.term else None) for i in mixed.items] == ["CICIG"]
    assert store.due_counts(ana.id, later) == {"g": 1}


def test_a_review_that_cannot_be_saved_never_costs_the_answer(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quizapp.store import StoreError

    def full(*args: object, **kwargs: object) -> None:
        raise StoreError("The disk holding the score database is full; free some space.")

    ana = store.student("Ana")
    session = QuizSession.start(store, ana, make_lesson(), seed=1)
    question = session.questions[0]
    monkeypatch.setattr(store, "record_review", full)
    assert session.answer(right_response(question), 3.0).correct
    assert [a.question_id for a in store.answers(session.attempt.id)] == [question.id]
    assert session.current is session.questions[1]
