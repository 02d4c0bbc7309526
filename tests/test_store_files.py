"""Bad files: damaged, not a database, newer schema, another program's, read-only; and the
upgrade of a database written by the first schema version."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from quizapp.store import SCHEMA_VERSION, Store, StoreError
from quizapp.store import connect as connect_module
from tests.support.permissions import run_as_user
from tests.support.store import version_1_database


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def filled_database(path: Path, attempts: int = 40) -> None:
    """A real score database big enough to span many pages."""
    with Store.open(path) as store:
        ana = store.student("Ana")
        with store.batch():
            for i in range(attempts):
                ids = [f"q{j}" for j in range(10)]
                attempt = store.start_attempt(ana.id, f"lesson-{i}", "h", i, ids)
                for qid in ids:
                    store.record_answer(attempt.id, qid, "h", "an answer " * 5, 1.0, 1.0)


def aside_files(folder: Path, name: str) -> list[Path]:
    return sorted(folder.glob(f"{name}.corrupt-*"))


# ---------------------------------------------------------------------- damaged files


@pytest.mark.parametrize(
    "content",
    [b"I am a shopping list, not a database.\n" * 20, b"\x00\x01garbage" * 500, b"SQLite"],
    ids=["text", "binary", "short"],
)
def test_a_file_that_is_not_a_database_is_moved_aside_not_overwritten(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "scores.sqlite3"
    path.write_bytes(content)
    with Store.open(path) as store:
        (aside,) = aside_files(tmp_path, "scores.sqlite3")
        assert aside.read_bytes() == content  # kept byte for byte
        assert len(store.notices) == 1
        assert aside.name in store.notices[0] and "not a SQLite database" in store.notices[0]
        store.student("Ana")  # the new database works
    with Store.open(path) as store:
        assert store.notices == []
        assert [s.name for s in store.students()] == ["Ana"]


def test_a_damaged_database_is_kept_beside_a_new_one(tmp_path: Path) -> None:
    path = tmp_path / "scores.sqlite3"
    filled_database(path)
    data = bytearray(path.read_bytes())
    data[4096 * 3 : 4096 * 3 + 3000] = b"\xff" * 3000  # scribble over a page
    path.write_bytes(bytes(data))
    with Store.open(path) as store:
        (aside,) = aside_files(tmp_path, "scores.sqlite3")
        assert aside.read_bytes() == bytes(data)
        assert "damaged" in store.notices[0] and aside.name in store.notices[0]
        assert store.students() == []


def test_two_damaged_files_in_a_row_are_both_kept(tmp_path: Path) -> None:
    path = tmp_path / "scores.sqlite3"
    path.write_bytes(b"first bad file" * 10)
    Store.open(path).close()
    path.unlink()
    path.write_bytes(b"second bad file" * 10)
    Store.open(path).close()
    kept = {p.read_bytes() for p in aside_files(tmp_path, "scores.sqlite3")}
    assert kept == {b"first bad file" * 10, b"second bad file" * 10}


def test_reading_commands_report_damage_without_moving_anything(tmp_path: Path) -> None:
    path = tmp_path / "scores.sqlite3"
    path.write_bytes(b"not a database at all" * 10)
    with pytest.raises(StoreError, match="not a SQLite database"):
        Store.open(path, create=False)
    assert path.read_bytes() == b"not a database at all" * 10
    assert aside_files(tmp_path, "scores.sqlite3") == []


def test_an_empty_file_becomes_a_database(tmp_path: Path) -> None:
    path = tmp_path / "scores.sqlite3"
    path.touch()
    with Store.open(path) as store:
        assert store.notices == []
        assert store.schema_version == SCHEMA_VERSION


# ---------------------------------------------------------------------- two openers at once


@pytest.mark.parametrize("rival_at", [1, 2, 3, 4])
def test_a_database_another_quizapp_creates_meanwhile_is_not_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rival_at: int
) -> None:
    """Two students start on one new class database at once: whichever moment the other
    quizapp commits the new schema, between any two of this one's first statements, both
    open it. (Seen in CI: the identity was read in three statements, and a commit landing
    between them looked like tables without quizapp's id, "a database of some other
    program".)"""
    path = tmp_path / "scores.sqlite3"
    real_connect = connect_module._connect
    statements = 0
    rival: list[str] = []  # what the rival's open did (a trace callback's errors are lost)

    def rival_commits(sql: str) -> None:
        nonlocal statements
        if sql.startswith("--"):
            return  # a statement run inside the one before (a pragma function): no gap
        statements += 1
        if statements == rival_at:
            try:
                Store.open(path).close()
            except StoreError as error:
                rival.append(str(error))
            else:
                rival.append("opened")

    def connect_watched(
        where: Path, target: str, busy_timeout_ms: int, *, uri: bool
    ) -> sqlite3.Connection:
        conn = real_connect(where, target, busy_timeout_ms, uri=uri)
        monkeypatch.setattr(connect_module, "_connect", real_connect)  # the rival is plain
        conn.set_trace_callback(rival_commits)
        return conn

    monkeypatch.setattr(connect_module, "_connect", connect_watched)
    with Store.open(path) as store:
        assert rival == ["opened"]  # the rival created the database in the middle
        assert store.schema_version == SCHEMA_VERSION
        assert store.students() == []


# ---------------------------------------------------------------------- refused files


def test_a_newer_schema_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "scores.sqlite3"
    filled_database(path, attempts=2)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    before = digest(path)
    with pytest.raises(StoreError) as caught:
        Store.open(path)
    message = str(caught.value)
    assert "newer version of quizapp" in message and str(SCHEMA_VERSION + 5) in message
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scores.sqlite3"]


def test_another_programs_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "firefox.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE bookmarks (url TEXT)")
    conn.execute("INSERT INTO bookmarks VALUES ('https://example.org')")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(StoreError, match="some other program"):
        Store.open(path)
    assert digest(path) == before
    assert aside_files(tmp_path, "firefox.sqlite") == []


# ---------------------------------------------------------------------- read-only

_CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from quizapp.store import Store, StoreError
    try:
        Store.open(Path(sys.argv[1])).close()
    except StoreError as error:
        print(error)
        sys.exit(3)
    print("opened")
    """
)


@pytest.fixture
def locked_tmp(tmp_path: Path) -> Iterator[Path]:
    """tmp_path, with write permission given back afterwards so it can be cleaned up."""
    try:
        yield tmp_path
    finally:
        for root, dirs, files in os.walk(tmp_path):
            for name in dirs + files:
                Path(root, name).chmod(0o755)


def open_as_user(path: Path) -> subprocess.CompletedProcess[str]:
    """Try Store.open(path) in a child process that file permissions apply to."""
    return run_as_user([sys.executable, "-B", "-c", _CHILD, str(path)])


def test_a_read_only_folder_gives_a_clear_message(locked_tmp: Path) -> None:
    folder = locked_tmp / "locked"
    folder.mkdir()
    path = folder / "scores.sqlite3"
    filled_database(path, attempts=2)
    path.chmod(0o644)  # the file itself is writable: only the folder is not
    folder.chmod(0o555)
    before = digest(path)
    result = open_as_user(path)
    assert result.returncode == 3, result.stderr
    assert "read-only" in result.stdout and str(folder) in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert digest(path) == before
    assert sorted(p.name for p in folder.iterdir()) == ["scores.sqlite3"]


def test_a_read_only_file_gives_a_clear_message(locked_tmp: Path) -> None:
    folder = locked_tmp / "open"
    folder.mkdir()
    path = folder / "scores.sqlite3"
    filled_database(path, attempts=2)
    path.chmod(0o444)
    before = digest(path)
    result = open_as_user(path)
    assert result.returncode == 3, result.stderr
    assert "read-only" in result.stdout
    assert digest(path) == before


def test_a_new_database_in_a_read_only_folder_is_refused(locked_tmp: Path) -> None:
    folder = locked_tmp / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    result = open_as_user(folder / "scores.sqlite3")
    assert result.returncode == 3, result.stderr
    assert "read-only" in result.stdout
    assert list(folder.iterdir()) == []


def test_the_read_only_child_can_open_a_writable_database(tmp_path: Path) -> None:
    """Guards the three tests above: the child itself works when nothing is read-only."""
    folder = tmp_path / "open"
    folder.mkdir()
    result = open_as_user(folder / "scores.sqlite3")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "opened"


# ---------------------------------------------------------------------- migrations


# The schema exactly as version 1 of quizapp created it. Never edit: it stands for the files
# already on students' machines.
def test_a_version_1_database_is_upgraded_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    version_1_database(path)
    with Store.open(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        (zoe,) = store.students()
        assert zoe.name == "Zoë"
        assert store.lesson_score(zoe.id, "cicig", "best") == 75.0
        (row,) = store.gradebook("best")  # per-lesson results are built for old attempts
        assert (row.student, row.attempts, row.best, row.unfinished) == ("Zoë", 1, 75.0, 1)
        unfinished = store.unfinished_attempt(zoe.id, "cicig")
        assert unfinished is not None
        assert unfinished.question_ids == ("b", "a") and unfinished.answered == 1
        assert unfinished.mode == "full" and unfinished.dropped == ()
        # Last activity is rebuilt from the answers for the lesson list.
        assert unfinished.last_activity.isoformat().startswith("2025-01-02T09:05")
        # And the upgraded file works like a new one.
        store.record_answer(unfinished.id, "a", "qh", "y", 1.0, 2.0)
        assert store.finish_attempt(unfinished.id).percent == 100.0
        store.save_card_progress(zoe.id, "cicig", 3)
    with Store.open(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.card_progress(zoe.id, "cicig") == 3
