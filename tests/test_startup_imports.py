"""Starting the app to the lesson list imports only what the list needs (issue 19).

The lesson list is drawn from the header cache and the score store; the lesson model
(pydantic), the YAML parser, the grader, the FSRS scheduler, the reports and the PostgreSQL
driver are imported when a lesson, a quiz, a review or a report is opened. Each of them costs
milliseconds on every start (docs/performance.md), so this is checked the way a student
starts the app: ``quizapp --student NAME`` in a fresh interpreter, looking at ``sys.modules``
when the lesson list has drawn its first frame.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

#: Modules that must not be imported before the lesson list is shown.
NOT_AT_START = (
    "pydantic",
    "yaml",
    "fsrs",
    "psycopg",
    "quizapp.lessons.model",
    "quizapp.lessons.loader",
    "quizapp.grading",
    "quizapp.flow",
    "quizapp.reports",
    # The subcommands' modules: `quizapp --student NAME` names none (see quizapp.cli).
    "quizapp.cli.exports",
    "quizapp.cli.instructor",
    "quizapp.cli.scores",
    "quizapp.cli.students",
    "quizapp.cli.serve",
    "quizapp.cli.review",
    "csv",
    # The app's own options are read without argparse (quizapp/cli/run.py); the list's due
    # line asks the store, so the review engine waits for a review.
    "argparse",
    "quizapp.review",
    # The store's methods a start never calls import their modules on first call
    # (quizapp/store/deferred.py); the roster hashes no PIN at start.
    "quizapp.store.merge",
    "quizapp.store.incoming",
    "quizapp.store.incoming_checks",
    "quizapp.store.regrade",
    "quizapp.store.exam",
    "quizapp.store.hints",
    "quizapp.store.backup",
    # The class views' rows (named tuples, about 1 ms to define) come with the first view.
    "quizapp.store.rows",
    "hmac",
    "secrets",
    # The lesson list draws its title line itself (quizapp/tui/widgets/title_bar.py); the
    # header and progress bar of the question screens are imported with them.
    "textual.widgets._header",
    "textual.widgets._progress_bar",
)

#: Not imported by a warm start either (the first start hashes the lesson files to find
#: them in the shipped index).
NOT_AT_A_WARM_START = ("hashlib",)

# Runs the real entry point, headless; prints the modules loaded at the list's first frame.
CHILD = """
import sys
from quizapp.cli import main
from quizapp.tui.app import QuizApp
from quizapp.tui.screens.lessons import LessonListScreen

mounted = LessonListScreen.on_mount
loaded = []

def defined_dataclasses():
    # "dataclass:quizapp.x.Name" for each dataclass that a loaded quizapp module defines
    import dataclasses
    return [
        f"dataclass:{name}.{value.__qualname__}"
        for name, module in list(sys.modules.items())
        if name == "quizapp" or name.startswith("quizapp.")
        for value in vars(module).values()
        if isinstance(value, type) and value.__module__ == name and dataclasses.is_dataclass(value)
    ]

def on_mount(self):
    mounted(self)
    def first_frame():
        loaded.extend(sorted(sys.modules))
        loaded.extend(defined_dataclasses())
        self.app.exit()
    self.call_after_refresh(first_frame)

LessonListScreen.on_mount = on_mount
run = QuizApp.run
QuizApp.run = lambda self, *a, **k: run(self, headless=True, size=(80, 24))
code = main(sys.argv[1:])
print(" ".join(loaded))
sys.exit(code)
"""


def modules_at_lesson_list(home: Path, lessons: Path = REPO / "lessons") -> set[str]:
    """Start ``quizapp`` on ``lessons`` (the shipped ones) in a fresh interpreter; the modules
    loaded when the lesson list first painted."""
    env = {
        **os.environ,
        "QUIZAPP_DB": str(home / "scores.sqlite3"),
        "QUIZAPP_CACHE": str(home / "lessons-cache.json"),
    }
    done = subprocess.run(
        [sys.executable, "-c", CHILD, "--lessons", str(lessons), "--student", "Ana"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    modules = set(done.stdout.split())
    assert "quizapp.tui.screens.lessons" in modules  # the list was really shown
    return modules


def too_early(modules: set[str], names: tuple[str, ...] = NOT_AT_START) -> list[str]:
    """The modules of ``names`` (and their submodules) among ``modules``."""
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


def test_a_warm_start_imports_nothing_the_lesson_list_does_not_need(tmp_path: Path) -> None:
    modules_at_lesson_list(tmp_path)  # the first start writes the lesson cache
    warm = modules_at_lesson_list(tmp_path)
    assert too_early(warm, NOT_AT_START + NOT_AT_A_WARM_START) == []


def test_a_start_defines_no_dataclass(tmp_path: Path) -> None:
    # Defining a dataclass compiles its methods (exec): about 1 ms a class, and a start
    # defined twelve. The records a start needs are quizapp.frozen.Frozen classes instead.
    modules_at_lesson_list(tmp_path)
    warm = modules_at_lesson_list(tmp_path)
    assert sorted(m for m in warm if m.startswith("dataclass:")) == []


def test_the_first_start_lists_the_shipped_lessons_without_parsing_them(tmp_path: Path) -> None:
    # No lesson cache yet: the shipped lessons' headers come from the index in the package.
    assert too_early(modules_at_lesson_list(tmp_path)) == []


def test_a_first_start_parses_lessons_the_index_does_not_know(tmp_path: Path) -> None:
    # An instructor's edited lesson is parsed and validated: the checks above are not vacuous.
    lessons = tmp_path / "lessons"
    shutil.copytree(REPO / "lessons", lessons)
    edited = sorted(lessons.glob("*.yaml"))[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    modules = modules_at_lesson_list(tmp_path, lessons)
    assert {"yaml", "pydantic", "quizapp.lessons.loader"} <= modules


def test_the_store_face_still_gives_the_names_imported_on_first_use() -> None:
    # quizapp.store hands out these names when first asked (PEP 562), not at import.
    code = (
        "import sys, quizapp.store as s\n"
        "assert 'quizapp.store.merge' not in sys.modules\n"
        "from quizapp.store import MERGE_STEPS_PER_BYTE, ExamState, MergeReport, StoredAnswer\n"
        "from quizapp.store.incoming import STEPS_PER_BYTE\n"
        "assert MERGE_STEPS_PER_BYTE == STEPS_PER_BYTE and MergeReport.__name__ == 'MergeReport'\n"
        "assert {ExamState.__name__, StoredAnswer.__name__} == {'ExamState', 'StoredAnswer'}\n"
        "try:\n    s.NoSuchName\nexcept AttributeError as e:\n    print(e)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "has no attribute 'NoSuchName'" in done.stdout
