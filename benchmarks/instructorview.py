"""The class view (``quizapp --instructor``) over a big class, headless: how long until the
gradebook holds every student, and how long a key moving to the next lesson's column takes
to show that lesson's item analysis. Used by :mod:`benchmarks.classscale`.

The fill is timed in a fresh process a run (``python -m benchmarks.instructorview DB
LESSONS STUDENTS`` prints one figure), from ``QuizApp(...)`` with only ``quizapp.tui.app``
imported, as ``quizapp --instructor`` starts: the class view's own modules are imported in
the timed span, as they are for an instructor. (In one process, the analyses a run starts
once the gradebook is in would keep a thread busy for seconds after its app has closed,
sharing the GIL with the next run.)
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from textual import events
from textual.widgets import DataTable, Static

from quizapp.tui.app import QuizApp

SIZE = (120, 40)
ROOT = Path(__file__).resolve().parent.parent  # where ``benchmarks`` imports from


async def _until(check: object, timeout: float = 120.0) -> None:
    """Poll (5 ms) until ``check()`` is true."""
    end = time.perf_counter() + timeout
    while not check():  # type: ignore[operator]
        if time.perf_counter() > end:
            raise TimeoutError("the class view did not get there")
        await asyncio.sleep(0.005)


async def _filled(db: Path, lessons: Path, students: int) -> float:
    """ms from the app's start to the gradebook holding every student."""
    app = QuizApp(lessons, db, instructor=True)
    start = time.perf_counter()
    async with app.run_test(size=SIZE):

        def full() -> bool:
            tables = app.screen.query("#gradebook")
            return bool(tables) and tables.first(DataTable).row_count >= students

        await _until(full)
        return (time.perf_counter() - start) * 1000


def time_filled(db: Path, lessons: Path, runs: int, students: int) -> list[float]:
    """ms to the whole gradebook shown, each run in a fresh process."""
    command = [sys.executable, "-m", "benchmarks.instructorview", str(db), str(lessons)]
    return [
        float(subprocess.run([*command, str(students)], check=True, capture_output=True,
                             text=True, cwd=ROOT).stdout)
        for _ in range(runs)
    ]  # fmt: skip


async def _one(db: Path, lessons: Path, students: int) -> tuple[float, float, float]:
    """One run: ms from the app's start to the whole gradebook filled; ms until every
    lesson is analysed (in the background); median ms from a key to the next lesson's
    analysis shown, once analysed."""
    from quizapp.tui.screens.instructor import InstructorScreen

    app = QuizApp(lessons, db, instructor=True)
    start = time.perf_counter()
    async with app.run_test(size=SIZE) as pilot:

        def table() -> DataTable[object] | None:
            screen = app.screen
            if not isinstance(screen, InstructorScreen):
                return None
            return screen.query_one("#gradebook", DataTable)

        await _until(lambda: (t := table()) is not None and t.row_count >= students)
        filled = (time.perf_counter() - start) * 1000
        await app.workers.wait_for_complete()
        analysed = (time.perf_counter() - start) * 1000
        screen = app.screen
        assert isinstance(screen, InstructorScreen)
        body = screen.query_one("#analysis-body", Static)
        await pilot.press("right")  # from the names to the first lesson's column
        await pilot.pause()
        frames: list[float] = []
        original = app._display

        def display(screen: object, renderable: object) -> None:
            original(screen, renderable)  # type: ignore[arg-type]
            render = getattr(renderable, "render_segments", None)
            if render is not None:  # what a terminal would be sent (headless skips it)
                render(app.console)
            frames.append(time.perf_counter())

        app._display = display  # type: ignore[method-assign]
        updated: list[float] = []
        update = body.update

        def timed_update(*args: object, **kwargs: object) -> None:
            update(*args, **kwargs)  # type: ignore[arg-type]
            updated.append(time.perf_counter())

        body.update = timed_update  # type: ignore[method-assign]
        moves = []
        for _ in range(len(screen.lesson_ids) - 1):
            before = screen.lesson_id
            await pilot.pause()

            def moved(before: str | None = before) -> bool:
                return screen.lesson_id != before and bool(updated)

            updated.clear()
            begin = time.perf_counter()
            # A real key event, not the test pilot's press (its own waits cost ~60 ms).
            app.post_message(events.Key("right", None))
            await _until(moved)
            await _until(lambda: frames[-1] > updated[-1])
            painted = next(f for f in frames if f > updated[-1])
            moves.append((painted - begin) * 1000)
    return filled, analysed, statistics.median(moves)


async def time_class_view(
    db: Path, lessons: Path, runs: int, students: int
) -> tuple[float, float, float]:
    """Medians over ``runs`` of :func:`_one`."""
    results = [await _one(db, lessons, students) for _ in range(runs)]
    return tuple(statistics.median(r[i] for r in results) for i in range(3))  # type: ignore[return-value]


def main(argv: Sequence[str] | None = None) -> None:
    """One run of :func:`_filled` (arguments: the database, the lessons folder, how many
    students): prints the ms."""
    db, lessons, students = argv if argv is not None else sys.argv[1:]
    print(f"{asyncio.run(_filled(Path(db), Path(lessons), int(students))):.2f}")


if __name__ == "__main__":
    main()
