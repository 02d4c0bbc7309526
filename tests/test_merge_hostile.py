"""Merging hostile score files (issue 12): every file an attacker could hand in is refused
or has its bad rows set aside, with a report and exit 1; the class database keeps only
valid rows; every read command still works and prints no control character."""

from __future__ import annotations

import shutil
import signal
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.cli import main
from quizapp.store import Store, StoreError
from quizapp.store.incoming import _Budget, _read_incoming
from tests.support.hostile import (
    HOSTILE_FILES,
    has_control_bytes,
    lessons_folder,
    loosen,
    random_bytes_inside,
    student_file,
)

READ_COMMANDS = (
    ["scores"],
    ["export", "answers"],
    ["export", "gradebook"],
    ["report", "--format", "table"],
    ["report", "--format", "csv"],
    ["report", "--format", "json"],
)


def rows(db: Path) -> dict[str, set[tuple[object, ...]]]:
    """Every row of every table (what "unchanged" means for a class database)."""
    conn = sqlite3.connect(db)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: set(conn.execute(f"SELECT * FROM {t}")) for t in tables}
    finally:
        conn.close()


def only_valid_rows(db: Path) -> None:
    """The class database passes every check a merge makes of an incoming file."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "copy.sqlite3"
        shutil.copyfile(db, copy)
        wal = db.with_name(db.name + "-wal")
        if wal.exists():
            shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
        found = _read_incoming(copy, _Budget(10**9))
    assert found.refused == 0, found.reasons


def read_everything(db: Path, lessons: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """Every read command exits 0 with no traceback and no control character."""
    for command in READ_COMMANDS:
        code = main(["--lessons", str(lessons), *command, "--db", str(db)])
        out, err = capfd.readouterr()
        assert code == 0, (command, err)
        assert "Traceback" not in out + err
        assert not has_control_bytes(out) and not has_control_bytes(err), command


def class_database(tmp_path: Path) -> Path:
    db = tmp_path / "class.sqlite3"
    student_file(db, name="Ben", attempts=1)
    return db


@pytest.mark.parametrize("hostile", list(HOSTILE_FILES))
def test_each_hostile_file_is_refused_or_set_aside(
    hostile: str, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    db = class_database(tmp_path)
    lessons = lessons_folder(tmp_path / "lessons")
    bad = HOSTILE_FILES[hostile](tmp_path / "bad.sqlite3")
    before = bad.read_bytes()
    code = main(["merge", "--db", str(db), str(bad)])
    out, err = capfd.readouterr()
    assert code == 1
    assert "Traceback" not in out + err
    assert "refused" in out or "nothing was merged" in err
    assert not has_control_bytes(out + err)
    assert bad.read_bytes() == before  # the student's file is never changed
    only_valid_rows(db)
    read_everything(db, lessons, capfd)


def test_the_report_names_each_refused_row(tmp_path: Path) -> None:
    db = class_database(tmp_path)
    bad = HOSTILE_FILES["bad JSON and timestamps"](tmp_path / "bad.sqlite3")
    with Store.open(db) as store:
        report = store.merge_from(bad)
    assert report.refused == 6 and report.answers_added == 4 and report.attempts_added == 2
    text = str(report)
    assert "refused 6 rows (not merged)" in text
    assert "answers row 2: response is not valid JSON" in text
    assert "attempts row 2: started_at 'yesterday' is not a UTC timestamp" in text
    assert "3 rows of missing or refused students or attempts" in text


@pytest.mark.parametrize(
    ("hostile", "message"),
    [
        ("endless view", "holds a view quizapp does not make ('students')"),
        ("looping trigger", "holds a trigger quizapp does not make ('forever')"),
        ("random bytes inside", "is damaged"),
    ],
)
def test_files_that_cannot_be_trusted_are_refused_whole(
    hostile: str, message: str, tmp_path: Path
) -> None:
    db = class_database(tmp_path)
    before = rows(db)
    bad = HOSTILE_FILES[hostile](tmp_path / "bad.sqlite3")
    with Store.open(db) as store, pytest.raises(StoreError, match="nothing was merged") as caught:
        store.merge_from(bad)
    assert message in str(caught.value) and str(bad) in str(caught.value)
    assert rows(db) == before


def steps(merge: Callable[[Callable[[], bool]], object]) -> int:
    """How often SQLite's progress handler ran during ``merge`` (every 1,000 steps)."""
    calls = [0]

    def count() -> bool:
        calls[0] += 1
        return False

    merge(count)
    return calls[0]


def test_ctrl_c_stops_a_merge_at_once_and_nothing_is_written(tmp_path: Path) -> None:
    db = class_database(tmp_path)
    student = student_file(tmp_path / "ana.sqlite3", attempts=30, answers=10)
    with tempfile.TemporaryDirectory() as tmp:
        trial = Path(tmp) / "trial.sqlite3"
        shutil.copyfile(db, trial)
        with Store.open(trial) as store:
            total = steps(lambda stop: store.merge_from(student, stop=stop))
    before = rows(db)
    for at in (1, total // 2, total - 1):  # checking the file, and writing to the class
        calls = [0]

        def press_ctrl_c(at: int = at, calls: list[int] = calls) -> bool:
            calls[0] += 1
            if calls[0] == at:
                signal.raise_signal(signal.SIGINT)
            return False

        with Store.open(db) as store, pytest.raises(KeyboardInterrupt):
            store.merge_from(student, stop=press_ctrl_c)
        assert rows(db) == before
    with Store.open(db) as store:
        assert store.merge_from(student).answers_added == 300  # the lock was let go


def test_a_merge_needing_more_work_than_its_size_allows_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = class_database(tmp_path)
    before = rows(db)
    monkeypatch.setattr("quizapp.store.merge.MIN_STEPS", 1)
    monkeypatch.setattr("quizapp.store.merge.STEPS_PER_BYTE", 0)
    student = student_file(tmp_path / "ana.sqlite3", attempts=30, answers=10)
    with Store.open(db) as store, pytest.raises(StoreError, match="far more work"):
        store.merge_from(student)
    assert rows(db) == before


def test_merge_work_grows_linearly_with_one_students_attempts(tmp_path: Path) -> None:
    """The work of merging N attempts of one student at one lesson, measured in SQLite
    steps (deterministic): doubling N must not quadruple it."""

    def work(attempts: int) -> int:
        folder = tmp_path / str(attempts)
        folder.mkdir()
        student = student_file(folder / "ana.sqlite3", attempts=attempts, answers=1)
        with Store.open(folder / "class.sqlite3") as store:
            return steps(lambda stop: store.merge_from(student, stop=stop))

    small, large = work(400), work(1600)
    assert large < 5 * small  # quadratic would be 16x


def test_the_merged_results_match_what_the_triggers_compute(tmp_path: Path) -> None:
    student = student_file(tmp_path / "ana.sqlite3", attempts=5)
    with Store.open(tmp_path / "class.sqlite3") as store:
        store.merge_from(student)
        (row,) = store.gradebook("average")
        assert row.attempts == 5
        assert row.score == pytest.approx(100 / 3)
        ana = store.find_student("Ana")
        assert ana is not None
        attempt = store.start_attempt(ana.id, "l1", "lh", 9, ["q0"])  # triggers are back
        store.record_answer(attempt.id, "q0", "qh", "x", 1.0, 1.0)
        store.finish_attempt(attempt.id)
        (row,) = store.gradebook("best")
        assert (row.attempts, row.best) == (6, 100.0)


# ---------------------------------------------------------------------- fuzzing

COLUMNS = {
    "students": ["name", "name_key", "created_at", "last_active", "id"],
    "attempts": [
        "uuid", "student_id", "lesson_id", "lesson_hash", "seed", "question_ids",
        "question_hashes", "dropped", "mode", "status", "started_at", "finished_at",
        "last_activity", "score", "max_score", "id",
    ],
    "answers": [
        "uuid", "attempt_id", "question_id", "question_hash", "response", "score", "seconds",
        "answered_at", "id",
    ],
    "card_progress": ["student_id", "lesson_id", "card_index", "updated_at"],
}  # fmt: skip

SPECIAL = ["[]", '["q0"]', '{"a": 1}', "finished", "retry", "2026-01-01T00:00:00.000000Z",
           "\x1b]0;pwned\x07", '=HYPERLINK("x")', "nan", "1e999"]  # fmt: skip
values = st.one_of(
    st.none(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.binary(max_size=30),
    st.sampled_from(SPECIAL),
)
mutations = st.lists(
    st.sampled_from(list(COLUMNS)).flatmap(
        lambda table: st.tuples(
            st.just(table), st.sampled_from(COLUMNS[table]), st.integers(1, 4), values
        )
    ),
    min_size=1,
    max_size=4,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(changes=mutations)
def test_fuzzed_score_files_never_harm_the_class_database(
    changes: list[tuple[str, str, int, object]], capfd: pytest.CaptureFixture[str]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = class_database(folder)
        lessons_folder(folder / "lessons")
        bad = student_file(folder / "bad.sqlite3", name="Zoë", attempts=2)
        loosen(bad, *COLUMNS)
        conn = sqlite3.connect(bad)
        for table, column, row, value in changes:
            conn.execute(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", (value, row))
        conn.commit()
        conn.close()
        code = main(["merge", "--db", str(db), str(bad)])
        out, err = capfd.readouterr()
        assert code in (0, 1) and "Traceback" not in out + err
        assert not has_control_bytes(out + err)
        only_valid_rows(db)
        read_everything(db, folder / "lessons", capfd)


def test_a_damaged_file_merges_nothing_it_cannot_read(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    db = class_database(tmp_path)
    for seed in range(6):
        bad = random_bytes_inside(tmp_path / f"bad{seed}.sqlite3", seed=seed)
        assert main(["merge", "--db", str(db), str(bad)]) in (0, 1)
        out, err = capfd.readouterr()
        assert "Traceback" not in out + err
    only_valid_rows(db)
