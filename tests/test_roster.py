"""The class roster and sign-in in the store and on the command line: PINs stored only as
salted scrypt hashes, the lockout rule kept in the database, the log, all-or-nothing imports,
and a student's file that can never bring credentials in through merge."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.cli import main
from quizapp.cli.students import parse_roster
from quizapp.store import FREE_FAILURES, Store, StoreError, lockout
from tests.support.store import Clock


# SQLite-only: reads the stored hashes straight from the file.
def test_a_pin_is_stored_only_as_a_salted_scrypt_hash(tmp_path: Path) -> None:
    db = tmp_path / "class.sqlite3"
    with Store.open(db) as store:
        assert not store.has_roster()
        ((name, pin),) = store.enrol([("Ana", "7", "ana@school.org")])
        other = store.enrol([("Bea", None, None)])[0][1]
        assert store.has_roster() and name == "Ana" and len(pin) == 6 and pin.isdigit()
        assert store.check_pin("  ana ", pin).ok
        assert not store.check_pin("Ana", other).ok
    with sqlite3.connect(db) as conn:
        secrets = [row[0] for row in conn.execute("SELECT secret FROM roster")]
    assert all(s.startswith("scrypt$16384$8$1$") for s in secrets)
    assert secrets[0].split("$")[4] != secrets[1].split("$")[4]  # a salt of its own
    assert not any(pin in s or other in s for s in secrets)


def test_wrong_pins_lock_the_name_and_a_restart_does_not_lift_it(db: Path | str) -> None:
    clock = Clock()
    with Store.open(db, clock=clock) as store:
        pin = store.enrol([("Ana", None, None)])[0][1]
        wrong = "000000" if pin != "000000" else "111111"
        results = [store.check_pin("Ana", wrong) for _ in range(FREE_FAILURES)]
        assert [r.outcome for r in results] == ["wrong"] * FREE_FAILURES
        assert all(r.until is None for r in results)  # the first four cost nothing
        fifth = store.check_pin("Ana", wrong)
        assert fifth.outcome == "wrong" and fifth.until is not None
    with Store.open(db, clock=clock) as store:  # a restart
        assert store.check_pin("Ana", pin).outcome == "locked"  # even the right PIN
        clock.now += dt.timedelta(minutes=2)
        assert store.check_pin("Ana", pin).ok
        assert store.roster()[0].failures == 0
        log = [outcome for _, _, outcome in store.signin_log()]
    assert log == ["wrong"] * 5 + ["locked", "ok"]


def test_a_name_not_on_the_roster_is_refused_like_a_wrong_pin(db: Path | str) -> None:
    with Store.open(db) as store:
        store.enrol([("Ana", None, None)])
        result = store.check_pin("Zed", "123456")
        assert result.outcome == "wrong" and store.signin_log()[-1][1:] == ("Zed", "unknown name")
        assert store.find_student("Zed") is None  # no one is made by trying


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_lockout_grows_and_never_passes_an_hour(failures: int) -> None:
    wait = lockout(failures)
    assert (wait == dt.timedelta(0)) == (failures <= FREE_FAILURES)
    assert lockout(failures + 1) >= wait and wait <= dt.timedelta(hours=1)


def test_reset_pin_gives_a_new_pin_and_lifts_the_lock(db: Path | str) -> None:
    with Store.open(db) as store:
        old = store.enrol([("Ana", None, None)])[0][1]
        for _ in range(FREE_FAILURES + 1):
            store.check_pin("Ana", "x")
        new = store.reset_pin("ANA")
        assert store.check_pin("Ana", new).ok
        assert new == old or not store.check_pin("Ana", old).ok
        with pytest.raises(StoreError, match="not on the roster"):
            store.reset_pin("Zed")


def test_enrol_is_all_or_nothing(db: Path | str) -> None:
    with Store.open(db) as store:
        store.enrol([("Ana", None, None)])
        with pytest.raises(StoreError, match="already on the roster"):
            store.enrol([("Bea", None, None), ("ana", None, None)])
        assert [e.name for e in store.roster()] == ["Ana"]
        assert store.find_student("Bea") is None


def test_the_instructor_passphrase_is_hashed_and_checked(db: Path | str) -> None:
    with Store.open(db) as store:
        assert not store.has_instructor_passphrase()
        assert not store.check_instructor("anything at all").ok
        with pytest.raises(StoreError, match="at least 8"):
            store.set_instructor_passphrase("short")
        store.set_instructor_passphrase("correct horse")
        assert store.has_instructor_passphrase()
        assert store.check_instructor("correct horse").ok
        assert not store.check_instructor("Correct horse").ok


def test_merge_never_brings_in_pins_passphrase_or_log(
    tmp_path: Path, new_db: Callable[[str], Path | str]
) -> None:
    """A student's file is hostile: a forged PIN hash, passphrase and log rows in it change
    nothing in the class database; its scores still merge."""
    class_db, student_db = new_db("class"), tmp_path / "student.sqlite3"
    with Store.open(class_db) as store:
        pin = store.enrol([("Ana", None, None)])[0][1]
        store.set_instructor_passphrase("the real one")
        before_log = store.signin_log()
    with Store.open(student_db) as student:
        student.enrol([("Ana", None, None), ("Mallory", None, None)])
        student.set_instructor_passphrase("forged passphrase")
        student.reset_pin("Ana")
        student.check_pin("Ana", "nope")
        student.student("Bea")
    with sqlite3.connect(student_db) as conn:  # a forged PIN: the hash of a known one
        forged = conn.execute("SELECT secret FROM roster LIMIT 1").fetchone()[0]
        conn.execute("UPDATE roster SET secret = ?", (forged,))
    with Store.open(class_db) as store:
        report = store.merge_from(student_db)
        assert report.refused == 0
        assert [e.name for e in store.roster()] == ["Ana"]
        assert store.check_pin("Ana", pin).ok
        assert not store.check_instructor("forged passphrase").ok
        assert store.check_instructor("the real one").ok
        assert store.find_student("Bea") is not None  # the scores' students did merge
        assert store.signin_log()[: len(before_log)] == before_log
        assert all(name != "Mallory" for _, name, _ in store.signin_log())


def test_students_add_list_and_reset_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "c.sqlite3")
    assert main(["students", "add", "Ana", "José [b]Pérez", "--db", db]) == 0
    out = capsys.readouterr().out
    pins = [line.split()[-1] for line in out.splitlines()[1:]]
    assert len(pins) == 2 and "José [b]Pérez" in out
    assert main(["students", "list", "--db", db]) == 0
    listed = capsys.readouterr().out
    assert "Ana" in listed and not any(pin in listed for pin in pins)
    assert main(["students", "add", "ana", "--db", db]) == 1
    assert "already on the roster" in capsys.readouterr().err
    assert main(["students", "reset-pin", "Zed", "--db", db]) == 1
    assert "not on the roster" in capsys.readouterr().err
    assert main(["students", "reset-pin", "Ana", "--db", db]) == 0
    with Store.open(db) as store:
        assert store.check_pin("Ana", capsys.readouterr().out.split()[-1]).ok


def test_import_reports_bad_rows_by_line_and_imports_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, roster = tmp_path / "c.sqlite3", tmp_path / "roster.csv"
    roster.write_bytes(
        "\ufeffName,Student ID,Email\nAna,1,ana@s.org\n,2,\nBea,3,not-mail\nana,4,\n".encode()
    )
    assert main(["students", "import", str(roster), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "line 3: no name" in err and "line 4:" in err and "line 5:" in err
    with Store.open(db) as store:
        assert store.roster() == []
    roster.write_bytes("\ufeffemail,name\nana@s.org,Ana\n,Bea\n".encode())
    assert main(["students", "import", str(roster), "--db", str(db)]) == 0
    with Store.open(db) as store:
        assert [(e.name, e.email) for e in store.roster()] == [("Ana", "ana@s.org"), ("Bea", None)]


def test_roster_without_header_takes_name_id_email_in_order() -> None:
    rows, problems = parse_roster("Ana,7,a@b.c\n\nBea\n")
    assert problems == [] and rows == [("Ana", "7", "a@b.c"), ("Bea", None, None)]
    assert parse_roster("")[1] == ["the file is empty"]


def test_set_passphrase_asks_twice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "c.sqlite3"
    typed = iter(["correct horse", "correct hose", "correct horse", "correct horse"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    assert main(["instructor", "set-passphrase", "--db", str(db)]) == 1  # the two differ
    with Store.open(db) as store:
        assert not store.has_instructor_passphrase()
    assert main(["instructor", "set-passphrase", "--db", str(db)]) == 0
    with Store.open(db) as store:
        assert store.check_instructor("correct horse").ok
