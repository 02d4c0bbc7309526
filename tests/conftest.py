"""Fixtures only (helpers are in :mod:`tests.support`): an isolated user data folder, the
minimal lesson, temp lesson folders, a recorder in place of the app."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support import backends
from tests.support.lessons import IN_ORDER, MINIMAL
from tests.support.services import MARK, POSTGRES, need


@pytest.fixture(autouse=True)
def isolated_user_data(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reads or writes the user's real scores or lesson cache."""
    home = tmp_path_factory.mktemp("user-data")
    monkeypatch.setenv("QUIZAPP_DB", str(home / "scores.sqlite3"))
    monkeypatch.setenv("QUIZAPP_CACHE", str(home / "lessons-cache.json"))


@pytest.fixture
def minimal_text() -> str:
    """The YAML text of tests/fixtures/minimal.yaml (valid; uses every question type)."""
    return MINIMAL


@pytest.fixture
def write_lesson(tmp_path: Path) -> Callable[..., Path]:
    """Write YAML text (or bytes) to a lesson file in a temp folder and return its path."""

    def write(content: str | bytes, name: str = "lesson.yaml") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write


@pytest.fixture
def fake_app_factory(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """Replace ``make_app`` with a recorder: returns the keyword arguments it was given
    (and ``ran`` once the CLI ran the app), without starting a terminal UI."""
    made: dict[str, object] = {}

    class Recorder:
        return_code = 0

        def run(self) -> None:
            made["ran"] = True

    def fake_make_app(**kwargs: object) -> Recorder:
        made.update(kwargs)
        return Recorder()

    monkeypatch.setattr("quizapp.tui.app.make_app", fake_make_app)
    return made


@pytest.fixture
def quiz_lessons(tmp_path: Path) -> Path:
    """A lessons folder holding the minimal lesson, questions in the written order."""
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "01-test.yaml").write_text(IN_ORDER, encoding="utf-8")
    return folder


@pytest.fixture(params=backends.BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Each store contract test runs twice: on a SQLite file and on PostgreSQL (skipped
    loudly without a server; a failure under ``QUIZAPP_PG_TESTS=required``)."""
    name: str = request.param
    if name == "postgresql":
        need(POSTGRES, backends.missing())
    return name


@pytest.fixture
def new_db(backend: str, tmp_path: Path) -> Iterator[Callable[[str], Path | str]]:
    """Make a fresh, empty score database on the test's backend: ``new_db("class")`` is
    ``tmp_path / "class.sqlite3"`` on SQLite, a URL into a new schema on PostgreSQL (dropped
    after the test)."""
    with contextlib.ExitStack() as stack:

        def make(name: str = "scores") -> Path | str:
            if backend == "sqlite":
                return tmp_path / f"{name}.sqlite3"
            return stack.enter_context(backends.fresh_schema())

        yield make


@pytest.fixture
def db(new_db: Callable[[str], Path | str]) -> Path | str:
    """A fresh, empty score database on the test's backend (see :func:`new_db`)."""
    return new_db("scores")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say plainly which tests were skipped for a missing service, how many, and why: a
    skipped service is never a silent pass."""
    reasons: dict[str, int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = report.longrepr
        message = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        if MARK in message:
            reason = message.split(MARK, 1)[1].lstrip(": ")
            reasons[reason] = reasons.get(reason, 0) + 1
    if reasons:
        terminalreporter.section("tests skipped for a missing service", sep="!", yellow=True)
        for reason, count in sorted(reasons.items()):
            terminalreporter.line(f"SKIPPED {count} test(s): {reason}", yellow=True, bold=True)
