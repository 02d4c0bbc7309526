"""Cold start to the first frame of the lesson list, quit to process gone, and peak memory,
each beside its floor: a bare Textual ``App`` with no widgets that exits after its first frame.

Every run is a fresh interpreter (``python -c ...``) running headless at 100x30, so the
figures include imports, lesson loading and opening the score database. The warm rows run as a
student's second start does: Python's bytecode cache written (whatever
``PYTHONDONTWRITEBYTECODE`` says in the calling shell) and the lesson-list cache filled. The
first start after install runs a copy of the ``quizapp`` package that has no ``__pycache__``
yet (an editable install compiles nothing; a wheel's installer may) and an empty lesson-list
cache, against the same bare app (whose Textual was compiled when it was installed).

    python -m benchmarks.startup [--runs 15] [--lessons 500] [--quick]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.common import Figure, print_table, write_lessons

REPO = Path(__file__).resolve().parent.parent

# Child programs. Each prints, after the interpreter has run it, three numbers:
# ms to first frame (from the interpreter's start), ms from exit() to app.run() returning,
# and peak RSS in KiB. The parent adds the time from run() returning to process gone.
_MEASURE = """
import os, sys, time
_t0 = float(os.environ["BENCH_T0"])
def _peak_kib():
    # VmHWM belongs to this process image; ru_maxrss would carry the parent's peak over exec.
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
def _report(app, quit_started):
    first = app._bench_first_frame
    returned = time.perf_counter()
    peak = _peak_kib()
    print(f"{(first - _t0) * 1000:.3f} {(returned - quit_started) * 1000:.3f} {peak}", flush=True)
"""

BARE = (
    _MEASURE
    + """
from textual.app import App
class Bare(App):
    def on_mount(self):
        self.call_after_refresh(self._first)
    def _first(self):
        self._bench_first_frame = time.perf_counter()
        self._bench_quit = time.perf_counter()
        self.exit()
app = Bare()
app.run(headless=True, size=(100, 30))
_report(app, app._bench_quit)
"""
)

# The app's modules are patched as they are first imported, by the app itself: importing them
# here first would import Textual before the CLI pauses the garbage collector for start-up
# (quizapp/cli/run.py), and measure a start no student has (about 13 ms slower).
QUIZAPP = (
    _MEASURE
    + """
class _Patch:
    # A finder that never finds a module itself: it hands on the spec of one of the hooked
    # modules with a loader that runs the hook once the module has been executed.
    def __init__(self, hooks):
        self.hooks = hooks
    def find_spec(self, name, path=None, target=None):
        hook = self.hooks.pop(name, None)
        if hook is None:
            return None
        for finder in sys.meta_path:
            spec = None if finder is self else finder.find_spec(name, path, target)
            if spec is not None:
                run_module = spec.loader.exec_module
                def exec_module(module):
                    run_module(module)
                    hook(module)
                spec.loader.exec_module = exec_module
                return spec
        return None
def _lessons_loaded(module):
    _mount = module.LessonListScreen.on_mount
    def on_mount(self):
        _mount(self)
        def first():
            self.app._bench_first_frame = time.perf_counter()
            self.app._bench_quit = time.perf_counter()
            self.app.exit()
        self.call_after_refresh(first)
    module.LessonListScreen.on_mount = on_mount
apps = []
def _app_loaded(module):
    _run = module.QuizApp.run
    def run(self, *args, **kwargs):
        apps.append(self)
        return _run(self, headless=True, size=(100, 30))
    module.QuizApp.run = run
sys.meta_path.insert(
    0, _Patch({"quizapp.tui.screens.lessons": _lessons_loaded, "quizapp.tui.app": _app_loaded})
)
from quizapp.cli import main
code = main(sys.argv[1:])
_report(apps[0], apps[0]._bench_quit)
"""
)


def _once(
    program: str, argv: Sequence[str], env: dict[str, str], cwd: Path = REPO
) -> tuple[float, float, int]:
    """Run one child; returns (ms to first frame, ms from quit to process gone, peak KiB).
    ``python -c`` puts ``cwd`` first on the path, so the ``quizapp`` found there is run."""
    env = {**env, "BENCH_T0": ""}
    start = time.perf_counter()
    env["BENCH_T0"] = repr(start)
    done = subprocess.run(
        [sys.executable, "-c", program, *argv],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=cwd,
    )
    gone = time.perf_counter()
    if done.returncode != 0 or not done.stdout.strip():
        raise RuntimeError(f"benchmark child failed:\n{done.stdout}\n{done.stderr}")
    first_ms, quit_ms, peak_kib = done.stdout.split()[-3:]
    # time.perf_counter is system-wide monotonic on Linux, so parent and child agree.
    returned_at = start + float(first_ms) / 1000 + float(quit_ms) / 1000
    teardown_ms = (gone - returned_at) * 1000
    return float(first_ms), float(quit_ms) + teardown_ms, int(peak_kib)


def _fresh_install(tmp: Path, run: int, env: dict[str, str]) -> tuple[Path, dict[str, str]]:
    """A copy of the package without bytecode, and an empty lesson-list cache: the first start
    after install."""
    install = tmp / f"install-{run}"
    shutil.copytree(
        REPO / "quizapp", install / "quizapp", ignore=shutil.ignore_patterns("__pycache__")
    )
    return install, {**env, "QUIZAPP_CACHE": str(install / "lessons-cache.json")}


def _medians(results: list[tuple[float, float, int]]) -> tuple[float, float, float]:
    return (
        statistics.median(r[0] for r in results),
        statistics.median(r[1] for r in results),
        statistics.median(r[2] for r in results) / 1024,
    )


def measure(runs: int, generated: int) -> list[Figure]:
    """Start-up, quit and memory of the app vs the bare app.

    The programs take turns (bare, app, app with many lessons, first start; then again), so
    a slower minute of a shared machine slows each of them alike and the ratios hold.
    """
    with tempfile.TemporaryDirectory() as tmp:
        base = {**os.environ, "QUIZAPP_DB": str(Path(tmp) / "scores.sqlite3")}
        base.pop("TEXTUAL_FPS", None)
        base.pop("PYTHONDONTWRITEBYTECODE", None)  # a student's second start has bytecode
        shipped = ["--lessons", str(REPO / "lessons"), "--student", "Bench"]
        many = ["--lessons", str(write_lessons(Path(tmp) / "many", generated)), "--student", "B"]
        # Each folder its own lesson-list cache (the cache holds the folder last listed).
        series = {
            "bare": (BARE, [], base),
            "app": (QUIZAPP, shipped, {**base, "QUIZAPP_CACHE": str(Path(tmp) / "a.json")}),
            "many": (QUIZAPP, many, {**base, "QUIZAPP_CACHE": str(Path(tmp) / "m.json")}),
        }
        results: dict[str, list[tuple[float, float, int]]] = {name: [] for name in series}
        for program, argv, env in series.values():
            _once(program, argv, env)  # warm the disk cache, write bytecode and lesson caches
        first_starts = []
        for run in range(runs):
            for name, (program, argv, env) in series.items():
                results[name].append(_once(program, argv, env))
            install, fresh = _fresh_install(Path(tmp), run, base)
            first_starts.append(_once(QUIZAPP, shipped, fresh, cwd=install)[0])
        bare_first, bare_quit, bare_mem = _medians(results["bare"])
        app_first, app_quit, app_mem = _medians(results["app"])
        many_first, _, many_mem = _medians(results["many"])
        first_start = statistics.median(first_starts)
    return [
        Figure(
            "start to lesson list (shipped lessons)", app_first, "bare App", bare_first, "<= 1.25x"
        ),
        Figure(
            f"start to lesson list ({generated} lessons)",
            many_first,
            "bare App",
            bare_first,
            "<= 1.35x",
        ),
        Figure(
            "first start (no bytecode, no lesson cache)",
            first_start,
            "bare App",
            bare_first,
            "<= 2x",
        ),
        Figure("quit to process gone", app_quit, "bare App", bare_quit, "<= 50 ms"),
        Figure("peak memory at lesson list", app_mem, "bare App", bare_mem, "<= 1.5x", "MiB"),
        Figure(f"peak memory, {generated} lessons", many_mem, "bare App", bare_mem, "", "MiB"),
    ]


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    """Run and print; returns the figures for `make bench`."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--lessons", type=int, default=500, help="generated lessons to list")
    parser.add_argument("--quick", action="store_true", help="tiny input, for the smoke test")
    args = parser.parse_args(argv)
    runs, generated = (1, 3) if args.quick else (args.runs, args.lessons)
    figures = measure(runs, generated)
    print_table(figures)
    return figures


if __name__ == "__main__":
    main()
