"""Merging students' databases into an instructor's: idempotent, never touching the source.

The students' files are SQLite files (what the app writes on a laptop); the class database
they merge into is on each backend (``db``/``new_db``): a merge into PostgreSQL reads and
checks the files exactly as a merge into SQLite does."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.store import Store, StoreError
from tests.support.store import version_1_database


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(store: Store) -> dict[str, object]:
    """Everything a gradebook could show, independent of row ids."""
    names = {s.id: s.name for s in store.students()}
    attempts = {}
    for attempt in store.history(None):
        answers = {
            (a.uuid, a.question_id, a.score, repr(a.response)) for a in store.answers(attempt.id)
        }
        attempts[attempt.uuid] = (
            names[attempt.student_id],
            attempt.lesson_id,
            attempt.status,
            attempt.score,
            frozenset(answers),
        )
    return {"students": sorted(names.values()), "attempts": attempts}


def student_machine(path: Path, name: str, lessons: dict[str, list[float]]) -> None:
    """A student's database with one finished attempt per lesson."""
    with Store.open(path) as store:
        student = store.student(name)
        for lesson, scores in lessons.items():
            ids = [f"q{i}" for i in range(len(scores))]
            attempt = store.start_attempt(student.id, lesson, "lh", 1, ids)
            for qid, score in zip(ids, scores, strict=True):
                store.record_answer(attempt.id, qid, "qh", {"given": qid}, score, 1.0)
            store.finish_attempt(attempt.id)
        store.save_card_progress(student.id, next(iter(lessons)), 2)


def test_merging_collects_the_class_and_twice_adds_nothing(tmp_path: Path, db: Path | str) -> None:
    ana_file, ben_file = tmp_path / "ana.sqlite3", tmp_path / "ben.sqlite3"
    student_machine(ana_file, "Ana", {"l1": [1, 1], "l2": [0, 1]})
    student_machine(ben_file, "Ben 'B' [x]", {"l1": [0, 0]})
    before = digest(ana_file), digest(ben_file)
    with Store.open(db) as gradebook:
        first = gradebook.merge_from(ana_file)
        assert (first.students_added, first.attempts_added, first.answers_added) == (1, 2, 4)
        assert first.cards_updated == 1 and not first.nothing_new
        assert "1 new student" in str(first) and "4 new answers" in str(first)
        second = gradebook.merge_from(ben_file)
        assert (second.students_added, second.attempts_added, second.answers_added) == (1, 1, 2)
        state = snapshot(gradebook)
        again = [gradebook.merge_from(ana_file), gradebook.merge_from(ben_file)]
        assert all(report.nothing_new for report in again)
        assert str(again[0]).endswith("nothing new")
        assert snapshot(gradebook) == state
        rows = [(r.student, r.lesson_id, r.best) for r in gradebook.gradebook("best")]
        assert rows == [("Ana", "l1", 100.0), ("Ana", "l2", 50.0), ("Ben 'B' [x]", "l1", 0.0)]
        ana = gradebook.find_student("Ana")
        assert ana is not None and gradebook.card_progress(ana.id, "l1") == 2
    assert (digest(ana_file), digest(ben_file)) == before  # sources never modified


def test_one_student_on_two_machines_is_one_student(tmp_path: Path, db: Path | str) -> None:
    lab, home = tmp_path / "lab.sqlite3", tmp_path / "home.sqlite3"
    student_machine(lab, "Ana", {"l1": [0, 0]})
    student_machine(home, "Ana", {"l1": [1, 1]})
    with Store.open(db) as gradebook:
        gradebook.merge_from(lab)
        report = gradebook.merge_from(home)
        assert report.students_added == 0 and report.attempts_added == 1
        (ana,) = gradebook.students()
        assert len(gradebook.history(ana.id)) == 2
        assert gradebook.lesson_score(ana.id, "l1", "best") == 100.0
        assert gradebook.lesson_score(ana.id, "l1", "first") in {0.0, 100.0}


def test_merging_again_after_the_student_went_on_adds_only_the_new(
    tmp_path: Path, db: Path | str
) -> None:
    laptop = tmp_path / "laptop.sqlite3"
    with Store.open(laptop) as store:
        ana = store.student("Ana")
        attempt = store.start_attempt(ana.id, "l1", "lh", 5, ["a", "b", "c"])
        store.record_answer(attempt.id, "a", "h", "x", 1.0, 1.0)
    with Store.open(db) as gradebook:
        gradebook.merge_from(laptop)
        with Store.open(laptop) as store:
            store.record_answer(attempt.id, "b", "h", "y", 1.0, 1.0)
            store.record_answer(attempt.id, "c", "h", "z", 0.0, 1.0)
            store.finish_attempt(attempt.id)
        report = gradebook.merge_from(laptop)
        assert (report.attempts_added, report.attempts_updated, report.answers_added) == (0, 1, 2)
        (merged,) = gradebook.history(None)
        assert merged.status == "finished" and merged.percent == pytest.approx(200 / 3)
        assert merged.answered == 3
        assert gradebook.merge_from(laptop).nothing_new


def test_an_older_database_merges_after_upgrading_a_copy(tmp_path: Path, db: Path | str) -> None:
    old = tmp_path / "old.sqlite3"
    version_1_database(old)
    before = digest(old)
    with Store.open(db) as gradebook:
        report = gradebook.merge_from(old)
        assert (report.students_added, report.attempts_added, report.answers_added) == (1, 2, 3)
        (zoe,) = gradebook.students()
        assert zoe.name == "Zoë"
    assert digest(old) == before


def test_bad_sources_are_refused_and_left_alone(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database" * 10)
    with Store.open(tmp_path / "class.sqlite3") as gradebook:
        with pytest.raises(StoreError, match="not a SQLite database") as caught:
            gradebook.merge_from(junk)
        assert str(junk) in str(caught.value)
        with pytest.raises(StoreError, match="no such file"):
            gradebook.merge_from(tmp_path / "missing.sqlite3")
        with pytest.raises(StoreError, match="itself"):
            gradebook.merge_from(tmp_path / "class.sqlite3")
        assert gradebook.students() == []
    assert junk.read_bytes() == b"this is not a database" * 10
    assert not list(tmp_path.glob("junk.sqlite3.corrupt-*"))


# A student's machine: names and, per attempt, a lesson and answer scores.
machines = st.lists(
    st.tuples(
        st.sampled_from(["Ana", "Ben", "Zoë", "O'Neil [x]"]),
        st.sampled_from(["l1", "l2"]),
        st.lists(st.sampled_from([0.0, 0.5, 1.0]), min_size=1, max_size=3),
        st.booleans(),
    ),
    min_size=1,
    max_size=4,
)


def build(path: Path, attempts: list[tuple[str, str, list[float], bool]]) -> None:
    with Store.open(path) as store, store.batch():
        for name, lesson, scores, finish in attempts:
            student = store.student(name)
            ids = [f"q{i}" for i in range(len(scores))]
            attempt = store.start_attempt(student.id, lesson, "lh", 3, ids)
            for qid, score in zip(ids, scores, strict=True):
                store.record_answer(attempt.id, qid, "qh", score, score, 1.0)
            if finish:
                store.finish_attempt(attempt.id)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(first=machines, second=machines)
def test_merge_is_idempotent_and_order_free(
    new_db: Callable[[str], Path | str],
    first: list[tuple[str, str, list[float], bool]],
    second: list[tuple[str, str, list[float], bool]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        a, b = folder / "a.sqlite3", folder / "b.sqlite3"
        build(a, first)
        build(b, second)
        with (
            Store.open(new_db(f"ab{folder.name}")) as ab,
            Store.open(new_db(f"ba{folder.name}")) as ba,
        ):
            ab.merge_from(a)
            ab.merge_from(b)
            ba.merge_from(b)
            ba.merge_from(a)
            assert snapshot(ab) == snapshot(ba)
            state = snapshot(ab)
            assert ab.merge_from(a).nothing_new and ab.merge_from(b).nothing_new
            assert snapshot(ab) == state
            assert len(state["attempts"]) == len(first) + len(second)  # type: ignore[arg-type]
