"""The class view (``quizapp --instructor``) over a big class, headless: how long until the
gradebook holds every student, and how long a key moving to the next lesson's column takes
to show that lesson's item analysis. Used by :mod:`benchmarks.classscale`."""

from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path

from textual import events
from textual.widgets import DataTable, Static

from quizapp.tui.app import QuizApp
from quizapp.tui.screens.instructor import InstructorScreen

SIZE = (120, 40)


async def _until(check: object, timeout: float = 120.0) -> None:
    """Poll (5 ms) until ``check()`` is true."""
    end = time.perf_counter() + timeout
    while not check():  # type: ignore[operator]
        if time.perf_counter() > end:
            raise TimeoutError("the class view did not get there")
        await asyncio.sleep(0.005)


async def _one(db: Path, lessons: Path, students: int) -> tuple[float, float, float]:
    """One run: ms from the app's start to the whole gradebook filled; ms until every
    lesson is analysed (in the background); median ms from a key to the next lesson's
    analysis shown, once analysed."""
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
