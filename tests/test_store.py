"""The score store: students, attempts, answers, scores by rule, card progress, gradebook.

The contract tests take the ``db`` fixture and run on both backends (SQLite and PostgreSQL,
``tests/conftest.py``). The tests that take ``tmp_path`` are about SQLite files themselves
(the WAL journal, a folder given as the file, SQLite's busy lock) and stay SQLite-only.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import quizapp.store as store_module
from quizapp.store import (
    SCHEMA_VERSION,
    Attempt,
    Store,
    StoreError,
    retry_busy,
)
from tests.support.store import Clock

QS = ["q1", "q2", "q3", "q4"]

ODD_NAMES = [
    "Ana María Núñez",
    "O'Brien",
    'Say "hi"',
    "Robert'); DROP TABLE students;--",
    "[bold red]markup[/] and [link=x]y[/link]",
    "李小龍",
    "عبد الله",
    "Zoë 🇸🇻 ✓",
    "  leading and trailing spaces  ",
    "back\\slash %s {0} $HOME",
]


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(db: Path | str, clock: Clock) -> Iterator[Store]:
    with Store.open(db, clock=clock) as opened:
        yield opened


def finished_attempt(store: Store, student_id: int, lesson: str, scores: list[float]) -> int:
    """A finished attempt of len(scores) questions with those scores; returns its id."""
    ids = [f"q{i}" for i in range(len(scores))]
    attempt = store.start_attempt(student_id, lesson, "lh", 7, ids, ["h"] * len(ids))
    for qid, score in zip(ids, scores, strict=True):
        store.record_answer(attempt.id, qid, "h", "resp", score, 2.0)
    store.finish_attempt(attempt.id)
    return attempt.id


# ---------------------------------------------------------------------- opening


# SQLite-only: the file, its folder and its journal.
def test_open_creates_folder_and_a_durable_wal_database(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "scores.sqlite3"
    with Store.open(path) as store:
        assert path.is_file()
        assert store.journal_mode == "wal"
        assert store.synchronous == "FULL"
        assert store.schema_version == SCHEMA_VERSION
        assert store.notices == []


def test_reopening_keeps_everything(db: Path | str) -> None:
    path = db
    with Store.open(path) as store:
        ana = store.student("Ana")
        attempt_id = finished_attempt(store, ana.id, "cicig", [1, 0.5])
    with Store.open(path) as store:
        assert [s.name for s in store.students()] == ["Ana"]
        assert store.attempt(attempt_id).percent == 75.0
        assert [a.score for a in store.answers(attempt_id)] == [1.0, 0.5]


# SQLite-only: files and folders.
def test_a_folder_given_as_database_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="folder"):
        Store.open(tmp_path)


def test_create_false_refuses_a_missing_file_and_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "none" / "scores.sqlite3"
    with pytest.raises(StoreError, match="no score database"):
        Store.open(path, create=False)
    assert not path.parent.exists()


# ---------------------------------------------------------------------- students


@pytest.mark.parametrize("name", ODD_NAMES)
def test_names_are_stored_and_returned_as_typed_but_trimmed(db: Path | str, name: str) -> None:
    path = db
    with Store.open(path) as store:
        created = store.student(name)
        assert created.name == name.strip()
        assert store.student(name).id == created.id
    with Store.open(path) as store:
        assert [s.name for s in store.students()] == [name.strip()]
        assert store.find_student(name) == created


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    names=st.lists(
        st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=30).filter(
            str.strip
        ),
        min_size=1,
        max_size=4,
        unique_by=store_module.name_key,
    ).filter(lambda names: all(map(store_module.clean_name, names)))
)
def test_any_unicode_name_round_trips(
    new_db: Callable[[str], Path | str], names: list[str]
) -> None:
    path = new_db(uuid.uuid4().hex)
    with Store.open(path) as store:
        ids = [store.student(name).id for name in names]
        assert [store.student(name).id for name in names] == ids
    with Store.open(path) as store:
        stored = sorted(s.name for s in store.students())
        assert stored == sorted(map(store_module.clean_name, names))


def test_two_unicode_spellings_of_one_name_are_one_student(store: Store) -> None:
    composed, decomposed = "Jos\u00e9", "Jose\u0301"
    first = store.student(composed)
    assert store.student(decomposed).id == first.id
    assert store.student(decomposed).name == composed
    assert len(store.students()) == 1


@pytest.mark.parametrize("name", ["", "   ", "line\nbreak", "nul\x00byte", "x" * 201])
def test_unusable_names_are_refused_with_a_message(store: Store, name: str) -> None:
    with pytest.raises(StoreError) as caught:
        store.student(name)
    assert "name" in str(caught.value)
    assert store.students() == []


def test_students_are_listed_most_recently_active_first(store: Store) -> None:
    ana, ben = store.student("Ana"), store.student("Ben")
    store.student("Cy")
    assert [s.name for s in store.students()] == ["Cy", "Ben", "Ana"]
    attempt = store.start_attempt(ana.id, "l", "h", 1, QS)
    store.record_answer(attempt.id, "q1", "h", "x", 1, 1)
    assert [s.name for s in store.students()] == ["Ana", "Cy", "Ben"]
    store.save_card_progress(ben.id, "l", 2)
    assert store.students()[0].name == "Ben"


# ---------------------------------------------------------------------- attempts


def test_an_attempt_records_order_answers_and_score(store: Store) -> None:
    ana = store.student("Ana")
    attempt = store.start_attempt(ana.id, "cicig", "lesshash", 12345, QS, ["a", "b", "c", "d"])
    assert attempt.in_progress and attempt.question_ids == tuple(QS) and attempt.seed == 12345
    assert store.unfinished_attempt(ana.id, "cicig") == attempt
    response = {"CICIG": "Guatemala", "Mano Dura": "El Salvador ñ"}
    store.record_answer(attempt.id, "q2", "b", response, 0.5, 3.25)
    store.record_answer(attempt.id, "q1", "a", ["x", "y"], 1.0, 1.5)
    answers = store.answers(attempt.id)
    assert [(a.question_id, a.response, a.score, a.seconds) for a in answers] == [
        ("q2", response, 0.5, 3.25),
        ("q1", ["x", "y"], 1.0, 1.5),
    ]
    assert all(a.answered_at.tzinfo is not None for a in answers)
    assert answers[0].answered_at.utcoffset() == dt.timedelta(0)
    finished = store.finish_attempt(attempt.id)
    assert finished.status == "finished"
    assert (finished.score, finished.max_score) == (1.5, 4.0)
    assert finished.percent == 37.5
    assert store.unfinished_attempt(ana.id, "cicig") is None
    assert store.finish_attempt(attempt.id) == finished  # finishing twice changes nothing


def test_answers_to_an_ended_attempt_are_refused(store: Store) -> None:
    ana = store.student("Ana")
    attempt = store.start_attempt(ana.id, "l", "h", 1, QS)
    store.finish_attempt(attempt.id)
    with pytest.raises(StoreError, match="finished"):
        store.record_answer(attempt.id, "q1", "h", "x", 1, 1)
    other = store.start_attempt(ana.id, "l", "h", 1, QS)
    store.abandon_attempt(other.id)
    with pytest.raises(StoreError, match="abandoned"):
        store.record_answer(other.id, "q1", "h", "x", 1, 1)
    with pytest.raises(StoreError, match="abandoned"):
        store.finish_attempt(other.id)
    assert store.answers(attempt.id) == store.answers(other.id) == []


def test_an_answer_is_recorded_once_per_question(store: Store) -> None:
    ana = store.student("Ana")
    attempt = store.start_attempt(ana.id, "l", "h", 1, QS)
    store.record_answer(attempt.id, "q1", "h", "first", 1, 1)
    with pytest.raises(StoreError, match="already answered"):
        store.record_answer(attempt.id, "q1", "h", "second", 0, 1)
    with pytest.raises(StoreError, match="not part"):
        store.record_answer(attempt.id, "q9", "h", "x", 0, 1)
    assert [a.response for a in store.answers(attempt.id)] == ["first"]


@pytest.mark.parametrize(
    ("response", "score", "seconds"),
    [({1, 2}, 1.0, 1.0), ("x", 1.5, 1.0), ("x", -0.1, 1.0), ("x", float("nan"), 1.0), ("x", 1, -1)],
)
def test_bad_answer_values_are_refused(
    store: Store, response: object, score: float, seconds: float
) -> None:
    ana = store.student("Ana")
    attempt = store.start_attempt(ana.id, "l", "h", 1, QS)
    with pytest.raises(ValueError):
        store.record_answer(attempt.id, "q1", "h", response, score, seconds)
    assert store.answers(attempt.id) == []


def test_starting_again_abandons_the_unfinished_attempt(store: Store) -> None:
    ana = store.student("Ana")
    first = store.start_attempt(ana.id, "l", "h", 1, QS)
    store.record_answer(first.id, "q1", "h", "x", 1, 1)
    second = store.start_attempt(ana.id, "l", "h", 2, QS)
    assert store.attempt(first.id).status == "abandoned"
    assert store.unfinished_attempt(ana.id, "l") == second
    assert len(store.answers(first.id)) == 1  # abandoning keeps the answers


def test_unknown_student_or_attempt_is_a_store_error(store: Store) -> None:
    with pytest.raises(StoreError, match="no student"):
        store.start_attempt(99, "l", "h", 1, QS)
    with pytest.raises(StoreError, match="no attempt"):
        store.record_answer(99, "q1", "h", "x", 1, 1)
    with pytest.raises(StoreError, match="no attempt"):
        store.attempt(99)


def test_dropped_questions_do_not_count_towards_the_maximum(store: Store) -> None:
    ana = store.student("Ana")
    attempt = store.start_attempt(ana.id, "l", "h", 1, QS)
    store.record_answer(attempt.id, "q1", "h", "x", 1, 1)
    store.drop_questions(attempt.id, ["q3", "q3", "nope"])
    assert store.attempt(attempt.id).dropped == ("q3",)
    finished = store.finish_attempt(attempt.id)
    assert (finished.score, finished.max_score) == (1.0, 3.0)


# ---------------------------------------------------------------------- scores


def test_lesson_score_by_rule(store: Store) -> None:
    ana = store.student("Ana")
    assert store.lesson_score(ana.id, "l", "best") is None
    finished_attempt(store, ana.id, "l", [1, 0, 0, 0])  # 25 %
    finished_attempt(store, ana.id, "l", [1, 1, 1, 0])  # 75 %
    finished_attempt(store, ana.id, "l", [1, 1, 0, 0])  # 50 %
    # Neither an unfinished attempt, an abandoned one nor a retry counts.
    store.record_answer(store.start_attempt(ana.id, "l", "h", 1, QS).id, "q1", "h", "x", 1, 1)
    retry = store.start_attempt(ana.id, "l", "h", 1, ["q1"], mode="retry")
    store.record_answer(retry.id, "q1", "h", "x", 1, 1)
    store.finish_attempt(retry.id)
    assert store.lesson_score(ana.id, "l", "best") == 75.0
    assert store.lesson_score(ana.id, "l", "first") == 25.0
    assert store.lesson_score(ana.id, "l", "last") == 50.0
    assert store.lesson_score(ana.id, "l", "average") == pytest.approx(50.0)
    assert store.lesson_score(ana.id, "other", "best") is None
    with pytest.raises(ValueError, match="rule"):
        store.lesson_score(ana.id, "l", "median")  # type: ignore[arg-type]


def test_history_is_chronological_and_filters_by_lesson(store: Store) -> None:
    ana, ben = store.student("Ana"), store.student("Ben")
    a1 = finished_attempt(store, ana.id, "l1", [1, 0])
    finished_attempt(store, ben.id, "l1", [1, 1])
    a2 = finished_attempt(store, ana.id, "l2", [0, 0])
    a3 = store.start_attempt(ana.id, "l1", "h", 1, QS).id
    assert [a.id for a in store.history(ana.id)] == [a1, a2, a3]
    assert [a.id for a in store.history(ana.id, "l1")] == [a1, a3]
    history = store.history(ana.id, "l1")
    assert [a.percent for a in history] == [50.0, None]
    assert history[0].finished_at is not None and history[0].seconds is not None
    assert len(store.history(None)) == 4


def test_lesson_summaries_cover_every_lesson_touched(store: Store) -> None:
    ana, ben = store.student("Ana"), store.student("Ben")
    finished_attempt(store, ana.id, "l1", [1, 0])
    finished_attempt(store, ana.id, "l1", [0, 0])
    unfinished = store.start_attempt(ana.id, "l2", "h", 1, QS)
    store.save_card_progress(ana.id, "l3", 4)
    finished_attempt(store, ben.id, "l1", [1, 1])
    summaries = store.lesson_summaries(ana.id)
    assert set(summaries) == {"l1", "l2", "l3"}
    l1, l2, l3 = summaries["l1"], summaries["l2"], summaries["l3"]
    assert (l1.attempts, l1.best_percent, l1.last_percent) == (2, 50.0, 0.0)
    assert l1.unfinished_attempt_id is None and l1.card_index is None
    assert (l2.attempts, l2.best_percent, l2.unfinished_attempt_id) == (0, None, unfinished.id)
    assert (l3.attempts, l3.card_index) == (0, 4)
    assert l3.last_activity is not None and l1.last_activity is not None
    assert l3.last_activity > l1.last_activity
    assert store.lesson_summaries(store.student("Cy").id) == {}


def test_card_progress_is_remembered_per_student_and_lesson(db: Path | str) -> None:
    path = db
    with Store.open(path) as store:
        ana, ben = store.student("Ana"), store.student("Ben")
        assert store.card_progress(ana.id, "l") is None
        store.save_card_progress(ana.id, "l", 2)
        store.save_card_progress(ana.id, "l", 5)
        store.save_card_progress(ben.id, "l", 1)
    with Store.open(path) as store:
        assert store.card_progress(ana.id, "l") == 5
        assert store.card_progress(ben.id, "l") == 1
        assert store.card_progress(ana.id, "other") is None


def test_gradebook_has_a_row_per_student_and_lesson(store: Store) -> None:
    ana, ben = store.student("Ana"), store.student("ben")
    finished_attempt(store, ana.id, "l1", [1, 0])  # 50
    finished_attempt(store, ana.id, "l1", [1, 1])  # 100
    finished_attempt(store, ben.id, "l1", [0, 1, 1, 1])  # 75
    finished_attempt(store, ben.id, "l2", [0, 0])  # 0
    store.start_attempt(ben.id, "l3", "h", 1, QS)  # only begun
    rows = store.gradebook("first", pass_marks={"l1": 70, "l2": 50})
    got = [(r.student, r.lesson_id, r.attempts, r.score, r.best, r.last, r.passed) for r in rows]
    assert got == [
        ("Ana", "l1", 2, 50.0, 100.0, 100.0, False),
        ("ben", "l1", 1, 75.0, 75.0, 75.0, True),
        ("ben", "l2", 1, 0.0, 0.0, 0.0, False),
        ("ben", "l3", 0, None, None, None, None),
    ]
    assert rows[3].unfinished == 1
    assert store.gradebook("best")[0].score == 100.0
    assert store.gradebook("best")[0].passed is None  # no pass mark given
    assert store.gradebook("average")[0].score == 75.0


def test_answered_lessons_are_those_with_an_answer_whatever_their_attempts_state(
    store: Store,
) -> None:
    # The class view lists these lessons; it reads them from the per student and lesson
    # results, which hold a lesson with only an attempt in progress too.
    ana, ben = store.student("Ana"), store.student("Ben")
    assert store.answered_lessons() == set()
    finished_attempt(store, ana.id, "done", [1, 0])
    going = store.start_attempt(ben.id, "going", "h", 1, QS)
    store.record_answer(going.id, "q1", "h", "x", 1, 1)  # in progress, one answer
    store.start_attempt(ana.id, "begun", "h", 1, QS)  # no answer yet
    left = store.start_attempt(ben.id, "left", "h", 1, QS)
    assert store.discard_attempt(left.id)  # left before answering: deleted
    given_up = store.start_attempt(ana.id, "given up", "h", 1, QS)
    store.record_answer(given_up.id, "q2", "h", "x", 0, 1)
    store.abandon_attempt(given_up.id)
    assert store.answered_lessons() == {"done", "going", "given up"}


def test_answer_rows_carry_student_lesson_and_raw_json(store: Store) -> None:
    ana = store.student("Zoë")
    attempt = store.start_attempt(ana.id, "l", "lh", 1, QS, ["h1", "h2", "h3", "h4"])
    store.record_answer(attempt.id, "q2", "h2", {"ñ": ["é"]}, 0.5, 2)
    rows = list(store.answer_rows())
    assert len(rows) == 1
    row = rows[0]
    assert (row.student, row.lesson_id, row.question_id, row.question_hash) == (
        "Zoë",
        "l",
        "q2",
        "h2",
    )
    assert json.loads(row.response) == {"ñ": ["é"]}
    assert row.attempt_uuid == attempt.uuid and row.lesson_hash == "lh"
    assert list(store.answer_rows("other")) == []


# ---------------------------------------------------------------------- retries


def test_retry_busy_waits_and_retries_only_busy_errors() -> None:
    calls: list[int] = []
    pauses: list[float] = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise sqlite3.OperationalError("database is locked")
        return "done"

    assert retry_busy(flaky, pause=pauses.append) == "done"
    assert len(calls) == 3 and len(pauses) == 2 and pauses[1] > pauses[0]

    def broken() -> None:
        raise sqlite3.OperationalError("no such table: x")

    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        retry_busy(broken, pause=pauses.append)

    def always_busy() -> None:
        raise sqlite3.OperationalError("database is locked")

    pauses.clear()
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        retry_busy(always_busy, retries=3, pause=pauses.append)
    assert len(pauses) == 3


# SQLite-only: SQLite's file lock and busy timeout (PostgreSQL writers wait for the advisory
# lock; tests/test_pg_store.py).
def test_a_write_lock_held_elsewhere_becomes_a_clear_store_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.sqlite3"
    with Store.open(path, busy_timeout_ms=1) as store:
        ana = store.student("Ana")
        attempt = store.start_attempt(ana.id, "l", "h", 1, QS)
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        with monkeypatch.context() as patch:
            patch.setattr(
                store_module,
                "retry_busy",
                lambda operation, **_: retry_busy(operation, retries=1, pause=lambda _: None),
            )
            with pytest.raises(StoreError, match="busy"):
                store.record_answer(attempt.id, "q1", "h", "x", 1, 1)
        other.execute("ROLLBACK")
        other.close()
        store.record_answer(attempt.id, "q1", "h", "x", 1, 1)  # works once the lock is free
        assert len(store.answers(attempt.id)) == 1


# ---------------------------------------------------------------------- summaries agree

attempt_specs = st.lists(
    st.tuples(
        st.sampled_from(["Ana", "Ben", "Cy"]),
        st.sampled_from(["l1", "l2"]),
        st.sampled_from(["full", "full", "retry"]),
        st.lists(st.sampled_from([0.0, 0.25, 1.0]), min_size=1, max_size=4),
        st.sampled_from(["finish", "finish", "abandon", "leave"]),
    ),
    max_size=12,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(specs=attempt_specs)
def test_gradebook_and_lesson_list_agree_with_the_attempts(
    new_db: Callable[[str], Path | str],
    specs: list[tuple[str, str, str, list[float], str]],
) -> None:
    """The gradebook and lesson list read precomputed per-lesson results; they must say
    what the attempts themselves say, whatever happened."""
    with Store.open(new_db(uuid.uuid4().hex)) as store:
        for name, lesson, mode, scores, ending in specs:
            student = store.student(name)
            ids = [f"q{i}" for i in range(len(scores))]
            attempt = store.start_attempt(student.id, lesson, "h", 1, ids, mode=mode)  # type: ignore[arg-type]
            for qid, score in zip(ids, scores, strict=True):
                store.record_answer(attempt.id, qid, "h", score, score, 1)
            if ending == "finish":
                store.finish_attempt(attempt.id)
            elif ending == "abandon":
                store.abandon_attempt(attempt.id)
        names = {s.id: s.name for s in store.students()}
        groups: dict[tuple[str, str], list[Attempt]] = {}
        for attempt in store.history(None):
            groups.setdefault((names[attempt.student_id], attempt.lesson_id), []).append(attempt)
        expected = {}
        for key, attempts in groups.items():
            counted = sorted(
                (a for a in attempts if a.counts),
                key=lambda a: (a.finished_at, a.id),
            )
            percents = [p for a in counted if (p := a.percent) is not None]
            assert len(percents) == len(counted)  # a counted attempt has ended with a score
            expected[key] = (
                len(counted),
                max(percents, default=None),
                percents[0] if percents else None,
                percents[-1] if percents else None,
                sum(percents) / len(percents) if percents else None,
                sum(1 for a in attempts if a.in_progress),
                max(a.last_activity for a in attempts),
            )
        book = {
            (r.student, r.lesson_id): (
                r.attempts,
                r.best,
                r.first,
                r.last,
                r.average,
                r.unfinished,
                r.last_activity,
            )
            for r in store.gradebook("best")
        }
        assert book.keys() == expected.keys()
        for key, values in expected.items():
            assert book[key][:4] == values[:4] and book[key][5:] == values[5:]
            assert book[key][4] == pytest.approx(values[4])
        for student in store.students():
            for lesson, summary in store.lesson_summaries(student.id).items():
                count, best, _first, last, _avg, _open, activity = expected[(student.name, lesson)]
                assert (summary.attempts, summary.best_percent, summary.last_percent) == (
                    count,
                    best,
                    last,
                )
                assert summary.last_activity == activity
