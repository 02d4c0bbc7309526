"""The cyclic garbage collector is paused while the app starts (issue 19) and resumed once
the first screen is drawn, with what start-up made frozen; whatever happens, it is never
left paused. Checked in a fresh interpreter (a frozen heap would outlive the test), through
the real entry point, as a student starts the app."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

CHILD = """
import gc, sys
from quizapp.cli import main
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.lessons import LessonListScreen

seen = {}
shown = QuizApp._show_first_screen
def show(self):
    seen["while starting"] = gc.isenabled()
    shown(self)
QuizApp._show_first_screen = show

mounted = LessonListScreen.on_mount
def on_mount(self):
    mounted(self)
    def later():
        seen["once shown"] = gc.isenabled()
        seen["frozen"] = gc.get_freeze_count()
        self.app.exit()
    self.set_timer(0.05, later)
LessonListScreen.on_mount = on_mount

run = QuizApp.run
def headless(self, *a, **k):
    if sys.argv[-1] == "--fail":
        raise RuntimeError("the app could not start")
    return run(self, headless=True, size=(80, 24))
QuizApp.run = headless
argv = [a for a in sys.argv[1:] if a != "--fail"]
try:
    code = main(argv)
except RuntimeError:
    code = "raised"
seen["after"] = gc.isenabled()
print(code, seen)
"""


def start(tmp_path: Path, *extra: str) -> str:
    env = {
        **os.environ,
        "QUIZAPP_DB": str(tmp_path / "scores.sqlite3"),
        "QUIZAPP_CACHE": str(tmp_path / "lessons-cache.json"),
    }
    argv = ["--lessons", str(REPO / "lessons"), "--student", "Ana", *extra]
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *argv],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_start_up_runs_without_the_collector_which_resumes_once_the_list_is_shown(
    tmp_path: Path,
) -> None:
    out = start(tmp_path)
    code, seen = out.split(" ", 1)
    assert code == "0"
    values = ast.literal_eval(seen)  # the child's dict of booleans and a count
    assert values["while starting"] is False
    assert values["once shown"] is True
    assert values["frozen"] > 10_000  # start-up's objects, never walked again
    assert values["after"] is True


def test_the_collector_is_resumed_when_the_app_fails_to_start(tmp_path: Path) -> None:
    out = start(tmp_path, "--fail")
    assert out.startswith("raised ")
    assert "'after': True" in out
