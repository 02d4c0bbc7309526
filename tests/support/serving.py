"""A real `quizapp serve` for tests: started on a free loopback port, with a tab opened on it
over its websocket by aiohttp's client (no browser), and the app processes it started found
by PID under ``/proc`` (Linux)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The longest any one step may take before a test gives up (a wait, not a measurement).
PATIENCE = 20.0


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def listening(port: int) -> bool:
    """Whether something accepts connections on 127.0.0.1:``port``."""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return False
    return True


def command_line(pid: int) -> list[str] | None:
    """The argv of process ``pid``, or None when it is gone (or a zombie, whose is empty)."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    return [part.decode("utf-8", "replace") for part in raw.split(b"\0") if part] or None


def children(pid: int) -> list[int]:
    """The live descendants of process ``pid`` (every generation)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses.
        fields = stat.rpartition(")")[2].split()
        parents[int(entry.name)] = int(fields[1])
    found: list[int] = []
    todo = [pid]
    while todo:
        parent = todo.pop()
        kids = [child for child, of in parents.items() if of == parent]
        found += kids
        todo += kids
    return [child for child in found if command_line(child) is not None]


def app_processes(server: int) -> list[int]:
    """The app processes (``python -m quizapp`` without ``serve``) under ``server``."""
    found = []
    for pid in children(server):
        argv = command_line(pid) or []
        if "quizapp" in argv and "serve" not in argv:
            found.append(pid)
    return found


@dataclass
class Served:
    """A running `quizapp serve`: its process and address."""

    process: subprocess.Popen[str]
    port: int
    seen: set[int]

    def apps(self) -> list[int]:
        """The app processes running under the server now (remembered, so that any left
        behind are killed when the block ends)."""
        found = app_processes(self.process.pid)
        self.seen.update(found)
        return found

    @property
    def url(self) -> str:
        """The page's address."""
        return f"http://127.0.0.1:{self.port}"


@contextlib.contextmanager
def serve(db: Path | str, lessons: Path) -> Iterator[Served]:
    """`quizapp serve` of ``db`` on a free loopback port for the block. Stopped after, with
    SIGTERM; any app process it leaves behind is killed (so a failing test leaks none)."""
    port = free_port()
    command = [sys.executable, "-m", "quizapp", "serve", "--port", str(port), "--db", str(db)]
    server = subprocess.Popen(
        [*command, "--lessons", str(lessons)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    seen: set[int] = set()
    try:
        assert server.stdout is not None
        first = server.stdout.readline()  # printed as the server starts
        assert f"http://127.0.0.1:{port}" in first, first
        deadline = time.monotonic() + PATIENCE
        while not listening(port):
            assert time.monotonic() < deadline, f"the server never listened on port {port}"
            time.sleep(0.05)
        yield Served(server, port, seen)
    finally:
        if server.poll() is None:
            seen.update(children(server.pid))
            server.terminate()
            try:
                server.wait(timeout=PATIENCE)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        for pid in seen:
            with contextlib.suppress(OSError):
                os.kill(pid, 9)


async def open_tab(url: str, path: str = "/ws") -> Any:
    """A websocket on ``url`` as a browser tab opens it (80x24): the server starts an app
    process for it. The caller closes it (``async with``)."""
    import aiohttp

    session = aiohttp.ClientSession()
    try:
        socket = await session.ws_connect(
            f"{url.replace('http', 'ws', 1)}{path}?width=80&height=24"
        )
    except BaseException:
        await session.close()
        raise
    return _Tab(session, socket)


class _Tab:
    """An open websocket and its client session; :meth:`shows` waits for drawn text."""

    def __init__(self, session: Any, socket: Any) -> None:
        self.session, self.socket = session, socket
        self.drawn = ""

    async def __aenter__(self) -> _Tab:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.socket.close()
        await self.session.close()

    async def shows(self, word: str) -> None:
        """Wait until the app has drawn ``word`` (after the last call), at most PATIENCE."""
        async with asyncio.timeout(PATIENCE):
            while word not in self.drawn:
                message = await self.socket.receive()
                if isinstance(message.data, bytes):
                    self.drawn += message.data.decode("utf-8", "replace")
                elif message.data is None:
                    raise AssertionError(f"the tab closed before it showed {word!r}")
        self.drawn = self.drawn[self.drawn.index(word) + len(word) :]

    async def keys(self, *texts: str) -> None:
        """Type ``texts`` in order ("\\r" is Enter)."""
        for text in texts:
            await self.socket.send_json(["stdin", text])


async def _measure_stop(lessons: Path) -> None:
    """Start serve on a new SQLite class, open one tab, SIGTERM the server: print how long
    it took to exit and how many of its app processes are left."""
    import tempfile

    from quizapp.store import Store

    db = Path(tempfile.mkdtemp()) / "class.sqlite3"
    with Store.open(db) as store:
        store.enrol([("Ana", None, None)])
    with serve(db, lessons) as served:
        async with await open_tab(served.url) as tab:
            await tab.shows("PIN")  # the tab's app is up and drawn
            apps = served.apps()
            start = time.monotonic()
            served.process.terminate()
            code = await asyncio.to_thread(served.process.wait, 120)
            took = time.monotonic() - start
            left = [pid for pid in apps if command_line(pid) is not None]
    print(f"SIGTERM to exit: {took:.2f} s (exit {code}); app processes left: {len(left)}")


if __name__ == "__main__":
    # The stop time in docs/serve.md:  .venv/bin/python -m tests.support.serving [LESSONS]
    asyncio.run(_measure_stop(Path(sys.argv[1] if len(sys.argv) > 1 else "lessons")))
