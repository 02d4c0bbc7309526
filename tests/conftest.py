"""Fixtures only (helpers are in :mod:`tests.support`): an isolated user data folder, the
minimal lesson, temp lesson folders, a recorder in place of the app."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.lessons import IN_ORDER, MINIMAL


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
