"""How long a student waits after a key: from the key event entering the app to the screen
repainted, measured inside the app (not through the test pilot, whose own waits cost about
60 ms a key). Headless, 100x30, on the shipped lessons.

* next card: ``n`` on a lesson's cards until the last card;
* answer: Enter on a chosen single-choice option, to its feedback painted;
* next question: Enter after the feedback, to the next question painted;
* the app's own work per question: the same at ``TEXTUAL_FPS=240`` (frames every ~4 ms, so
  the figure is mostly the app's work rather than the wait for the next frame), also apart
  for a next question of the same type (one widget reloaded) and of another type;
* widgets re-rendered per next question (median, same type and another type): every widget
  Textual draws for the frames from Enter to the one that shows the question, from its line
  cache or anew (a ``BLANK`` widget, which Textual fills with its background, is not
  drawn). A count, not a time: it does not depend on the machine's load, so a regression
  shows without timing noise;
* Python calls per next question (median, same type and another type): every Python function
  call from Enter to that frame, the app's and Textual's, counted by ``cProfile`` in a run of
  its own (the profiler slows each call, so that run is not timed). Also load-independent,
  and closer to the time than the widget count: a widget drawn from its cache is cheap.

An answer counts as painted at the first frame with its feedback laid out (a frame before
that shows only the answer dimmed).

A next question counts as painted at the first frame after a layout that started once the
question was loaded, with its widget on screen and holding the keyboard, and the last
question's widget (another type) gone: a frame before that layout still shows the old
widget where it was.

The floor is a bare app repainting one ``Static`` after a key, at the same frame rate.

    python -m benchmarks.interaction [--keys 40] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from benchmarks.common import Figure, print_table

REPO = Path(__file__).resolve().parent.parent

CHILD = r"""
import asyncio, cProfile, json, pstats, statistics, sys, time
from pathlib import Path
from textual import events
from textual.app import App
from textual.screen import Screen
from textual.widgets import Static
from textual._styles_cache import StylesCache
from quizapp.tui.app import make_app
from quizapp.tui.screens.quiz import QuizScreen

KEYS = int(sys.argv[1])
LESSONS, DB = Path(sys.argv[2]), Path(sys.argv[3])
# In the counting run (not timed: the profiler slows every call), the Python function calls
# of each next question, another load-independent count of the app's and Textual's work.
COUNT_CALLS = len(sys.argv) > 4 and sys.argv[4] == "calls"
CALLS = {"same": [], "change": []}

# Widgets re-rendered per step, a count that does not depend on the machine's load: every
# widget Textual draws (from its line cache or anew) for a frame goes through
# StylesCache.render_widget; counted from the key to the frame that shows the step.
RENDERED = None
_render_widget = StylesCache.render_widget
def render_widget(cache, widget, crop):
    if RENDERED is not None:
        RENDERED.append(widget)
    return _render_widget(cache, widget, crop)
StylesCache.render_widget = render_widget


def instrument(app):
    # Wrap App._display, which receives each frame's update: time the first frame after a
    # key, and render it to the text a terminal would receive (headless skips that part).
    original = app._display
    app._bench_waiter = None
    app._bench_done = lambda: True
    # A frame counts only once a layout ran after the key's handler: a frame painted before
    # it (a repaint for a focus change) still shows the old widget in the old place.
    app._bench_laid_out = lambda: None
    refresh_layout = Screen._refresh_layout
    def laid_out(screen, *args, **kwargs):
        app._bench_laid_out()
        return refresh_layout(screen, *args, **kwargs)
    Screen._refresh_layout = laid_out
    def display(screen, renderable):
        original(screen, renderable)
        waiter = app._bench_waiter
        if (
            renderable is not None
            and waiter is not None
            and not waiter.done()
            and app._bench_done()
        ):
            render = getattr(renderable, "render_segments", None)
            if render is not None:
                render(app.console)
            waiter.set_result(time.perf_counter())
    app._display = display


async def key_to_paint(app, screen, key, character=None, done=lambda: True):
    # Post a real key event and wait for the first frame that shows its whole effect
    # (``done`` says when the app has finished handling it).
    app._bench_done = done
    app._bench_waiter = asyncio.get_running_loop().create_future()
    start = time.perf_counter()
    app.post_message(events.Key(key, character))
    end = await asyncio.wait_for(app._bench_waiter, 5)
    return (end - start) * 1000


async def settle(pilot):
    await pilot.pause()
    await pilot.pause()


class Bare(App):
    def compose(self):
        yield Static("0", id="n")
    def key_n(self):
        widget = self.query_one("#n", Static)
        widget.update(str(int(str(widget.content)) + 1))


async def bare():
    app = Bare()
    times = []
    async with app.run_test(headless=True, size=(100, 30)) as pilot:
        instrument(app)
        await settle(pilot)
        for _ in range(KEYS):
            times.append(await key_to_paint(app, app.screen, "n", "n"))
            await settle(pilot)
    return statistics.median(times)


async def cards():
    app = make_app(LESSONS, DB, student="Bench", seed=1)
    times = []
    async with app.run_test(headless=True, size=(100, 30)) as pilot:
        instrument(app)
        await settle(pilot)
        lessons = app.lessons
        for lesson in lessons:
            app.open_lesson(lesson.id)
            await settle(pilot)
            for _ in range(lesson.cards - 1):
                screen, before = app.screen, app.screen.index
                times.append(
                    await key_to_paint(app, screen, "n", "n", lambda: screen.index != before)
                )
                await settle(pilot)
                if len(times) >= KEYS:
                    return statistics.median(times)
            app.pop_screen()
            await settle(pilot)
    return statistics.median(times)


async def quiz():
    global RENDERED
    app = make_app(LESSONS, DB, student="Bench", seed=1)
    answer_times, next_times, same, change = [], [], [], []
    renders = {"same": [], "change": []}
    async with app.run_test(headless=True, size=(100, 30)) as pilot:
        instrument(app)
        await settle(pilot)
        for lesson in app.lessons:
            await pilot.press("t")
            await settle(pilot)
            screen = app.screen
            if not isinstance(screen, QuizScreen):
                await pilot.press("y")  # resume prompt from an earlier run
                await settle(pilot)
                screen = app.screen
            while screen.session.current is not None:
                question = screen.session.current
                if question.type in ("single", "true_false"):
                    app.post_message(events.Key("1", "1"))  # choose (not timed)
                    await settle(pilot)
                    feedback = screen.query_one("#feedback")
                    answer_times.append(
                        await key_to_paint(
                            # The feedback is laid out: a frame before that shows the
                            # answer dimmed, without its feedback.
                            app, screen, "enter", None,
                            lambda: screen.last_grade is not None and bool(feedback.region),
                        )
                    )
                else:
                    screen.view.answer(None)  # other types: answer directly, not timed
                await settle(pilot)
                if screen.session.current is None:
                    break
                old_question, old_view = screen.view.question, screen.view
                layouts = []
                app._bench_laid_out = lambda: layouts.append(screen.view.question)
                def shown():
                    # The next question's widget is laid out, shown and has the keyboard,
                    # and the last one's widget (another type) is gone from the screen.
                    view = screen.view
                    return (
                        view.question is not old_question
                        and any(q is view.question for q in layouts)
                        and view.is_mounted
                        and view.has_focus_within
                        and bool(view.region)
                        and (old_view is view or not old_view.region)
                    )
                RENDERED = []
                profile = cProfile.Profile() if COUNT_CALLS else None
                if profile is not None:
                    profile.enable()
                next_times.append(await key_to_paint(app, screen, "enter", None, shown))
                if profile is not None:
                    profile.disable()
                # "Another type" as main's widgets had it before round five (one per kind):
                # the rows stay comparable now that every list kind shares one widget.
                kind_of = {"true_false": "single", "number": "text"}
                kinds = [kind_of.get(q.type, q.type) for q in (old_question, screen.view.question)]
                step = "same" if kinds[0] == kinds[1] else "change"
                renders[step].append(len(RENDERED))
                if profile is not None:
                    CALLS[step].append(pstats.Stats(profile).total_calls)
                RENDERED = None
                app._bench_laid_out = lambda: None
                (same if step == "same" else change).append(next_times[-1])
                await settle(pilot)
                if len(next_times) >= KEYS:
                    return answer_times, next_times, same, change, renders
            await pilot.press("enter")
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("down")
    return answer_times, next_times, same, change, renders


async def main():
    result = {"bare": await bare(), "card": await cards()}
    answers, nexts, same, change, renders = await quiz()
    result["answer"], result["next"] = statistics.median(answers), statistics.median(nexts)
    # The steps to a question of the same type (one widget reloaded) and of another type.
    result["same"] = statistics.median(same) if same else float("nan")
    result["change"] = statistics.median(change) if change else float("nan")
    for kind, counts in renders.items():
        result["renders_" + kind] = statistics.median(counts) if counts else float("nan")
    for kind, counts in CALLS.items():
        result["calls_" + kind] = statistics.median(counts) if counts else float("nan")
    print(json.dumps(result))

asyncio.run(main())
"""


def _run(keys: int, fps: int | None, *, count_calls: bool = False) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        env.pop("TEXTUAL_FPS", None)
        if fps:
            env["TEXTUAL_FPS"] = str(fps)
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                CHILD,
                str(keys),
                str(REPO / "lessons"),
                f"{tmp}/s.sqlite3",
                *(["calls"] if count_calls else []),
            ],
            capture_output=True,
            text=True,
            env=env,
            cwd=REPO,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"interaction child failed:\n{done.stdout}\n{done.stderr}")
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def measure(keys: int) -> list[Figure]:
    """Key-to-paint medians at 60 FPS, and the app's own work at 240 FPS."""
    at60 = _run(keys, None)
    at240 = _run(keys, 240)
    counted = _run(keys, 240, count_calls=True)
    return [
        Figure(
            "key to next card painted", at60["card"], "bare key->paint", at60["bare"], "<= 35 ms"
        ),
        Figure(
            "answer (Enter) to feedback painted",
            at60["answer"],
            "bare key->paint",
            at60["bare"],
            "",
        ),
        Figure(
            "Enter to next question painted",
            at60["next"],
            "bare key->paint",
            at60["bare"],
            "<= 25 ms",
        ),
        Figure(
            "  same at TEXTUAL_FPS=240 (app's own work)",
            at240["next"],
            "bare at 240",
            at240["bare"],
            "<= 8 ms",
        ),
        Figure(
            "    to a question of the same type", at240["same"], "bare at 240", at240["bare"], ""
        ),
        Figure(
            "    to a question of another type", at240["change"], "bare at 240", at240["bare"], ""
        ),
        Figure("  next card at TEXTUAL_FPS=240", at240["card"], "bare at 240", at240["bare"], ""),
        # Load-independent: how many widgets Textual draws for a next question (median).
        Figure(
            "widgets re-rendered, next question, same type",
            at240["renders_same"],
            unit="",
            goal="see docs/performance.md",
        ),
        Figure(
            "widgets re-rendered, next question, another type",
            at240["renders_change"],
            unit="",
        ),
        # Also load-independent: Python function calls per next question (the app's and
        # Textual's), counted in a run of their own.
        Figure("Python calls, next question, same type", round(counted["calls_same"]), unit=""),
        Figure(
            "Python calls, next question, another type", round(counted["calls_change"]), unit=""
        ),
    ]


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    """Run and print; returns the figures for `make bench`."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keys", type=int, default=40, help="timed keys per figure")
    parser.add_argument("--quick", action="store_true", help="tiny input, for the smoke test")
    args = parser.parse_args(argv)
    figures = measure(3 if args.quick else args.keys)
    print_table(figures)
    return figures


if __name__ == "__main__":
    main()
