"""Backing up and restoring a score database, and commands that only read changing nothing.

A crash leaves answers in the ``-wal`` journal beside the file; ``quizapp backup`` copies them
too. A backup restored beside the journal of the file it replaces must not be undone by it,
and every message about a file must be true (a file said "not changed" is not changed).
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.lessons.loader import load_paths
from quizapp.session import QuizSession
from quizapp.store import Store, StoreError
from tests.support.lessons import MINIMAL
from tests.support.permissions import run_as_user
from tests.support.store import make_lesson, right_response


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def names(path: Path) -> list[str]:
    with Store.open(path, readonly=True) as store:
        return sorted(s.name for s in store.students())


def crash_copy(store_path: Path, to: Path) -> None:
    """What a crash leaves: the file and its journal as they are while the app runs."""
    shutil.copyfile(store_path, to)
    shutil.copyfile(f"{store_path}-wal", f"{to}-wal")


def finished_quiz(store: Store, name: str) -> int:
    lesson = make_lesson()
    session = QuizSession.start(store, store.student(name), lesson, seed=1)
    while session.current is not None:
        session.answer(right_response(session.current), 1.0)
    return session.finish().id


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Store]:
    """A store in use by the app: its latest answers are in the journal, not the file."""
    with Store.open(tmp_path / "scores.sqlite3") as store:
        finished_quiz(store, "Ana")
        yield store


# ---------------------------------------------------------------------- 8: backup


def test_backup_copies_the_answers_still_in_the_journal(
    running: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Copying the file alone, as the docs used to advise, misses them.
    shutil.copyfile(running.path, tmp_path / "copied.sqlite3")
    with Store.open(tmp_path / "copied.sqlite3") as copied:
        assert copied.history(None) == []
    out = tmp_path / "usb" / "backup.sqlite3"
    assert main(["backup", "--db", str(running.path), "--out", str(out)]) == 0  # app running
    assert "1 student, 1 attempt, 7 answers" in capsys.readouterr().out
    assert sorted(p.name for p in out.parent.iterdir()) == ["backup.sqlite3"]  # one file
    with Store.open(out, readonly=True) as backup:
        [attempt] = backup.history(None)
        assert attempt.answered == 7 and attempt.percent == 100.0


def test_backup_never_replaces_a_file(
    running: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "backup.sqlite3"
    out.write_bytes(b"precious")
    assert main(["backup", "--db", str(running.path), "--out", str(out)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert out.read_bytes() == b"precious"


def test_a_restored_backup_is_not_undone_by_the_old_journal_beside_it(
    running: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "backup.sqlite3"
    copy = sqlite3.connect(backup)  # as quizapp backup writes it: one file, rollback mode
    with copy:
        running._conn.backup(copy)
    copy.execute("PRAGMA journal_mode = DELETE")
    copy.close()
    running.student("Ben")  # work after the backup, then a crash
    crashed = tmp_path / "restore" / "scores.sqlite3"
    crashed.parent.mkdir()
    crash_copy(Path(running.path), crashed)
    shutil.copyfile(backup, crashed)  # the restore: the backup over the file, journal left
    before = {p.name: digest(p) for p in crashed.parent.iterdir()}
    # A command that only reads explains and changes nothing.
    assert main(["scores", "--db", str(crashed)]) == 1
    err = capsys.readouterr().err
    assert "scores.sqlite3-wal" in err and "restored" in err and "Nothing was changed" in err
    assert {p.name: digest(p) for p in crashed.parent.iterdir()} == before
    # The app sets the journal aside (kept), says so, and uses the restored file as it is.
    with Store.open(crashed) as store:
        assert any("was not applied" in notice for notice in store.notices)
        assert [s.name for s in store.students()] == ["Ana"]
        assert len(store.history(None)) == 1
    kept = sorted(p.name for p in crashed.parent.iterdir())
    assert any(name.startswith("scores.sqlite3-wal.stale-") for name in kept)


# ---------------------------------------------------------------------- 9: true messages


def test_scores_on_an_empty_file_writes_nothing_into_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "scores.sqlite3"
    empty.touch()
    assert main(["scores", "--db", str(empty)]) == 1
    assert "empty" in capsys.readouterr().err
    assert empty.stat().st_size == 0
    assert [p.name for p in tmp_path.iterdir()] == ["scores.sqlite3"]


def test_read_only_commands_leave_the_file_and_its_folder_as_they_were(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "data" / "scores.sqlite3"
    with Store.open(db) as store:
        finished_quiz(store, "Ana")
    before = digest(db)
    assert main(["scores", "--db", str(db)]) == 0
    assert main(["export", "gradebook", "--db", str(db)]) == 0
    capsys.readouterr()
    assert digest(db) == before
    assert [p.name for p in db.parent.iterdir()] == ["scores.sqlite3"]


def test_a_newer_file_whose_version_is_in_its_journal_is_refused_unchanged(
    tmp_path: Path,
) -> None:
    source = tmp_path / "source.sqlite3"
    with Store.open(source) as store:
        store.student("Ana")
    writer = sqlite3.connect(source, isolation_level=None)  # a newer quizapp, mid-run
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("PRAGMA user_version = 99")
    crashed = tmp_path / "scores.sqlite3"
    crash_copy(source, crashed)
    writer.close()
    before = (digest(crashed), digest(Path(f"{crashed}-wal")))
    with pytest.raises(StoreError, match=r"newer version of quizapp.*not changed"):
        Store.open(crashed)
    assert (digest(crashed), digest(Path(f"{crashed}-wal"))) == before


@pytest.fixture
def locked_folder(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "class"
    folder.mkdir()
    try:
        yield folder
    finally:
        folder.chmod(0o755)


def test_report_reads_a_database_in_a_read_only_folder(locked_folder: Path, tmp_path: Path) -> None:
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / "01-test.yaml").write_text(MINIMAL, encoding="utf-8")
    db = locked_folder / "scores.sqlite3"
    with Store.open(db) as store:
        [lesson] = load_paths([lessons]).lessons
        session = QuizSession.start(store, store.student("Ana"), lesson, seed=1)
        while session.current is not None:
            session.answer(right_response(session.current), 1.0)
        session.finish()
    db.chmod(0o644)
    locked_folder.chmod(0o555)  # a shared class folder students may only read
    script = "import sys; from quizapp.cli import main; sys.exit(main(sys.argv[1:]))"
    result = run_as_user(
        [sys.executable, "-c", script, "report", "--db", str(db), "--lessons", str(lessons)]
    )
    assert result.returncode == 0, result.stderr
    assert "not a quizapp score database" not in result.stderr
    assert "test-lesson" in result.stdout or "A test lesson" in result.stdout
    assert [p.name for p in locked_folder.iterdir()] == ["scores.sqlite3"]
