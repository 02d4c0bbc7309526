"""`quizapp serve` refuses to start where sign-in would not be the gate, and quotes the app
command it hands textual-serve (which runs it through the shell), keeping the database out of
it."""

from __future__ import annotations

import shlex
import shutil
import sys
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.serve import app_command, app_environment, check_serve, is_loopback
from quizapp.store import Store


def test_serve_without_a_roster_says_how_to_make_one(
    tmp_path: Path, quiz_lessons: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "class.sqlite3"
    assert main(["serve", "--db", str(db), "--lessons", str(quiz_lessons)]) == 2
    err = capsys.readouterr().err
    assert "no roster with PINs" in err and "quizapp students add" in err


def test_no_sign_in_only_on_this_machine(
    tmp_path: Path, quiz_lessons: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["serve", "--db", str(tmp_path / "c.sqlite3"), "--lessons", str(quiz_lessons)]
    assert main([*args, "--no-sign-in", "--host", "0.0.0.0"]) == 2
    assert "only on this machine" in capsys.readouterr().err
    plan = check_serve("127.0.0.1", 8000, tmp_path / "c.sqlite3", quiz_lessons, no_sign_in=True)
    assert not plan.sign_in and not plan.instructor_page
    assert is_loopback("localhost") and is_loopback("::1") and not is_loopback("10.0.0.1")


def test_the_class_view_page_only_behind_a_passphrase(tmp_path: Path, quiz_lessons: Path) -> None:
    db = tmp_path / "c.sqlite3"
    with Store.open(db) as store:
        store.enrol([("Ana", None, None)])
    assert not check_serve("127.0.0.1", 8000, db, quiz_lessons).instructor_page
    with Store.open(db) as store:
        store.set_instructor_passphrase("teacher passphrase")
    plan = check_serve("0.0.0.0", 8000, db, quiz_lessons)
    assert plan.instructor_page and plan.sign_in and plan.address == "http://0.0.0.0:8000"


def test_the_app_command_quotes_every_path_and_names_no_database(
    tmp_path: Path, quiz_lessons: Path
) -> None:
    lessons = tmp_path / "a class; rm -rf ~" / "$(x)"
    shutil.copytree(quiz_lessons, lessons)
    db = tmp_path / "c.sqlite3"
    with Store.open(db) as store:
        store.enrol([("Ana", None, None)])
    plan = check_serve("127.0.0.1", 8000, db, lessons)
    words = shlex.split(app_command(plan, instructor=True))
    assert words == [
        "exec",
        sys.executable,
        "-m",
        "quizapp",
        "--lessons",
        str(lessons),
        "--instructor",
    ]
    assert app_environment(plan) == {"QUIZAPP_DB": str(db)}  # the database, out of `ps`


def test_a_bad_port_is_refused(tmp_path: Path, quiz_lessons: Path) -> None:
    db = str(tmp_path / "c.sqlite3")
    assert main(["serve", "--port", "70000", "--db", db, "--lessons", str(quiz_lessons)]) == 2
