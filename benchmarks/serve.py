"""Load on `quizapp serve`: concurrent students over textual-serve's websocket protocol.

Starts `quizapp serve` on a free loopback port with a roster of S students, opens S
websockets at once (what a browser tab does: ``["stdin", keys]`` messages in, the screen's
bytes out), and has each sign in and answer a whole quiz of single-choice questions at
random, human-like intervals compressed in time. Then reads the database: answers lost
(must be 0) and, per answer, the time from the Enter sent to the answer committed
(``answered_at``). Memory: the resident size of each app process while all are running,
beside one bare Textual app under the same web driver; CPU: the server's and its children's
CPU seconds per session.

python -m benchmarks.serve            # 30 students, 8 questions each
python -m benchmarks.serve --quick    # 2 students, 2 questions
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import aiohttp

from benchmarks.common import Figure, print_table
from quizapp.store import Store

PATIENCE = 60.0


def _lesson(questions: int) -> str:
    items = "".join(
        f"""    - id: q{n}
      type: single
      prompt: Question number {n}?
      choices: [Right {n}, Wrong {n}]
      answer: Right {n}
      explanation: Because.
"""
        for n in range(1, questions + 1)
    )
    return f"""id: load-test
title: Load test
summary: Single-choice questions for the serve benchmark.
objectives: [Answer]
minutes: 5
sources:
  - {{id: src, title: Source, publisher: Publisher, date: 2008, url: "https://example.org"}}
cards:
  - title: Card
    body: Text.
    sources: [src]
quiz:
  pass_mark: 50
  shuffle: false
  questions:
{items}"""


def _wait_until_listening(port: int) -> None:
    """The address is printed as the server starts, a moment before its socket listens (on a
    busy machine, long enough for a first connection to be refused): wait for the socket,
    at most PATIENCE seconds."""
    deadline = time.monotonic() + PATIENCE
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Session:
    """One browser tab's worth of websocket: keys in, the screen's bytes out."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.drawn = ""
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.drawn += message.data.decode("utf-8", "replace")
            elif message.type == aiohttp.WSMsgType.TEXT:
                self.drawn += message.data

    async def shows(self, word: str) -> None:
        """Wait until ``word`` is drawn (after the last wait)."""
        deadline = time.monotonic() + PATIENCE
        while word not in self.drawn:
            if time.monotonic() > deadline:
                raise TimeoutError(f"the app never showed {word!r}")
            await asyncio.sleep(0.01)
        self.drawn = self.drawn[self.drawn.index(word) + len(word) :]

    async def keys(self, text: str) -> None:
        """Send keys as a browser does."""
        await self.ws.send_json(["stdin", text])


async def _student(
    http: aiohttp.ClientSession,
    url: str,
    name: str,
    pin: str,
    questions: int,
    pace: float,
    sent: dict[tuple[str, str], float],
) -> None:
    rng = random.Random(name)
    async with http.ws_connect(f"{url}/ws?width=80&height=24") as ws:
        tab = Session(ws)
        await tab.shows("PIN")
        await tab.keys(name + "\r")
        await tab.shows("Now your PIN")
        await tab.keys(pin + "\r")
        await tab.shows("Pick")
        await tab.keys("t")
        for number in range(1, questions + 1):
            await tab.shows(f"Question number {number}?")
            await asyncio.sleep(rng.uniform(0.5, 3.0) * pace)  # reading and thinking
            await tab.keys("1")
            sent[(name, f"q{number}")] = time.time()
            await tab.keys("\r")
            await tab.shows("Because")
            await tab.keys("\r")
        await tab.shows("Retry")  # the results
        await ws.close()
        tab.reader.cancel()


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    deeper = [grand for child in found for grand in _children(child)]
    return found + deeper


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(fields[i]) for i in (11, 12, 13, 14))  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def _bare_app_rss_kb() -> int:
    """A bare Textual app under the web driver, as textual-serve would start it."""
    code = (
        "from textual.app import App\nfrom textual.widgets import Label\n"
        "class Bare(App[None]):\n    def compose(self):\n        yield Label('bare')\n"
        "Bare().run()\n"
    )
    env = dict(os.environ, TEXTUAL_DRIVER="textual.drivers.web_driver:WebDriver")
    bare = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
    )
    try:
        assert bare.stdout is not None
        bare.stdout.read(1)  # the first screen update: it has started
        time.sleep(0.5)
        return _rss_kb(bare.pid)
    finally:
        bare.kill()
        bare.wait()


async def _load(
    url: str, server: int, pins: dict[str, str], questions: int, pace: float
) -> dict[str, float]:
    sent: dict[tuple[str, str], float] = {}
    sampled: list[list[int]] = []
    async with aiohttp.ClientSession() as http:
        tasks = [
            asyncio.create_task(_student(http, url, name, pin, questions, pace, sent))
            for name, pin in pins.items()
        ]
        while not all(t.done() for t in tasks):
            await asyncio.sleep(0.5)
            apps = [p for p in _children(server) if _rss_kb(p) > 20_000]
            sampled.append([_rss_kb(p) for p in apps])
        await asyncio.gather(*tasks)
    full = max(sampled, key=len) if sampled else []
    return {
        "sent": float(len(sent)),
        "rss_per_app_kb": statistics.median(full) if full else 0.0,
        "apps_seen": float(len(full)),
        **{f"{n}|{q}": t for (n, q), t in sent.items()},
    }


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    """Run the load and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="2 students, 2 questions")
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--questions", type=int, default=8)
    parser.add_argument("--pace", type=float, default=0.2, help="think time scale (1 = human)")
    args = parser.parse_args(argv)
    students, questions = (2, 2) if args.quick else (min(args.students, 60), args.questions)
    with tempfile.TemporaryDirectory(prefix="quizapp-serve-bench-") as folder:
        root = Path(folder)
        (root / "lessons").mkdir()
        (root / "lessons" / "01-load.yaml").write_text(_lesson(questions), encoding="utf-8")
        db = root / "class.sqlite3"
        with Store.open(db) as store:
            pins = dict(store.enrol([(f"Student {n:02d}", None, None) for n in range(students)]))
        port = _free_port()
        started = time.monotonic()
        server = subprocess.Popen(
            [
                *(sys.executable, "-m", "quizapp", "serve", "--port", str(port)),
                *("--db", str(db), "--lessons", str(root / "lessons")),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            assert server.stdout is not None
            server.stdout.readline()
            _wait_until_listening(port)
            start_ms = (time.monotonic() - started) * 1000
            cpu_before = _cpu_seconds(server.pid)
            result = asyncio.run(
                _load(f"http://127.0.0.1:{port}", server.pid, pins, questions, args.pace)
            )
            cpu = _cpu_seconds(server.pid) - cpu_before
        finally:
            server.terminate()
            server.wait(timeout=PATIENCE)
        committed: dict[tuple[str, ...], float] = {}
        with Store.open(db, readonly=True) as store:
            for student in store.students():
                for attempt in store.history(student.id):
                    for answer in store.answers(attempt.id):
                        key = (student.name, answer.question_id)
                        committed[key] = answer.answered_at.timestamp()
    sent = {tuple(k.split("|", 1)): v for k, v in result.items() if "|" in k}
    lost = sum(1 for key in sent if key not in committed)
    latencies = sorted((committed[key] - at) * 1000 for key, at in sent.items() if key in committed)
    p50 = statistics.median(latencies) if latencies else float("nan")
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else p50
    bare = _bare_app_rss_kb()
    figures = [
        Figure("serve: start to address printed", start_ms),
        Figure(
            f"serve: answers committed of {len(sent)} sent ({students} sessions, {lost} lost)",
            float(len(sent) - lost),
            unit="n",
        ),
        Figure("serve: Enter to answer committed, p50", p50, goal="< 100 ms p99"),
        Figure("serve: Enter to answer committed, p99", p99, goal="< 100 ms"),
        Figure(
            "serve: memory per session (MiB)",
            result["rss_per_app_kb"] / 1024,
            "bare Textual app under the web driver",
            bare / 1024,
            goal="<= 1.3x",
            unit="MiB",
        ),
        Figure("serve: CPU seconds per session", cpu / students * 1000, unit="ms"),
    ]
    print(f"{int(result['apps_seen'])} app processes seen at once; {dt.datetime.now(dt.UTC):%F}")
    print(f"ANSWERS LOST: {lost} of {len(sent)}" if lost else f"no answer lost of {len(sent)}")
    print_table(figures)
    return figures


if __name__ == "__main__":
    main()
