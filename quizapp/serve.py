"""``quizapp serve``: the app in the browser, one app process per tab, all on one database.

`textual-serve <https://pypi.org/project/textual-serve/>`_ runs a small aiohttp server: the
page at ``/`` opens a websocket, and for each websocket it starts the app command (through
the shell, so every part of the command is quoted here) with Textual's web driver, relaying
keys and screen updates. Every tab is a separate ``quizapp`` process writing to the same
score database; each answer is committed on its own, so stopping the server loses none.

The database reaches each tab's process in its environment (``$QUIZAPP_DB``), never on its
command line, where any user of the machine could read it (``ps``), with a PostgreSQL URL's
password. Stopping the server (Ctrl-C, SIGTERM) first tells every open tab's app to quit,
kills any still running after :data:`QUIT_WAIT` seconds, and closes the tabs' websockets:
no app process outlives the server.

textual-serve has no authentication of its own: the app's sign-in (a roster with PINs) is
the gate, so :func:`check_serve` refuses to serve without one unless sign-in is turned off on
a loopback address. The class view has its own page, ``/instructor``, served only when the
instructor's passphrase is set (it asks for it).

This module is a front end beside :mod:`quizapp.tui`: it starts app processes and never
imports the TUI.
"""

from __future__ import annotations

import asyncio
import ipaddress
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quizapp.paths import DB_ENV, shown_db
from quizapp.store import Store, StoreError

__all__ = [
    "ServeError",
    "ServePlan",
    "app_command",
    "app_environment",
    "check_serve",
    "run_server",
]

INSTRUCTOR_PATH = "/instructor"
#: Seconds a tab's app process has to quit when the server stops, before it is killed.
QUIT_WAIT = 3.0


class ServeError(Exception):
    """Why the server cannot start, written for the instructor."""


@dataclass(frozen=True)
class ServePlan:
    """What :func:`run_server` serves: where, on which files, with or without sign-in."""

    host: str
    port: int
    db: Path | str
    lessons: Path
    sign_in: bool
    instructor_page: bool

    @property
    def address(self) -> str:
        """The address to open in a browser."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_serve(
    host: str, port: int, db: Path | str, lessons: Path, *, no_sign_in: bool = False
) -> ServePlan:
    """The plan to serve ``db`` and ``lessons``, or :class:`ServeError` saying why not: a
    roster with PINs is required (``no_sign_in`` only on a loopback address)."""
    if not 0 < port < 65536:
        raise ServeError(f"--port {port} is not a port number (1-65535)")
    try:
        with Store.open(db) as store:
            roster = store.has_roster()
            guarded = store.has_instructor_passphrase()
    except StoreError as error:
        raise ServeError(str(error)) from None
    if no_sign_in and not is_loopback(host):
        raise ServeError(
            f"--no-sign-in is allowed only on this machine (--host 127.0.0.1), not on {host}: "
            "anyone who can reach the address could answer as anyone"
        )
    if not roster and not no_sign_in:
        raise ServeError(
            f"no roster with PINs in {shown_db(db)}: in the browser, sign-in is the only "
            "gate. Make one with  quizapp students add NAME...  or  "
            "quizapp students import roster.csv  "
            f"(with --db {shown_db(db)}), then start serve again"
        )
    return ServePlan(host, port, db, lessons, not no_sign_in, guarded)


def app_command(plan: ServePlan, *, instructor: bool = False) -> str:
    """The shell command each tab runs (every part quoted: paths may hold spaces). It names
    no database: that comes in the environment (:func:`app_environment`). ``exec``: the
    shell becomes the app, so the process the server stops is the app itself."""
    parts = [sys.executable, "-m", "quizapp", "--lessons", str(plan.lessons)]
    if instructor:
        parts.append("--instructor")
    return f"exec {shlex.join(parts)}"


def app_environment(plan: ServePlan) -> dict[str, str]:
    """What each tab's app process gets in its environment beside the server's own: the
    score database (a path or a URL with its password: readable by its own user only)."""
    return {DB_ENV: str(plan.db)}


def _size(value: str | None, default: int) -> int:
    try:
        return max(10, min(int(value or default), 1000))
    except ValueError:
        return default


def run_server(plan: ServePlan) -> None:
    """Serve until Ctrl-C (or SIGTERM); prints the address first."""
    from aiohttp import WSCloseCode, web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server

    class TabService(AppService):
        """One tab's app process, with the score database in its environment."""

        def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
            return {**super()._build_environment(width, height), **app_environment(plan)}

        async def end(self) -> None:
            """Ask the app to quit (as a closed tab does); kill it after QUIT_WAIT s."""
            process = self._process
            if process is None or process.returncode is not None:
                return
            await self.send_meta({"type": "quit"})
            try:
                await asyncio.wait_for(process.wait(), QUIT_WAIT)
            except TimeoutError:
                process.kill()
                await process.wait()

    class QuizServer(Server):
        """textual-serve's server with a second page, the class view, at /instructor, and
        every tab's app process ended when the server stops."""

        def __init__(self) -> None:
            super().__init__(app_command(plan), host=plan.host, port=plan.port, title="quizapp")
            self.instructor_command = app_command(plan, instructor=True)
            self.tabs: dict[web.WebSocketResponse, TabService] = {}

        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            if plan.instructor_page:
                app.add_routes(
                    [
                        web.get(INSTRUCTOR_PATH, self.handle_instructor, name="instructor"),
                        web.get(
                            f"{INSTRUCTOR_PATH}/ws",
                            self.handle_instructor_websocket,
                            name="instructor-websocket",
                        ),
                    ]
                )
            return app

        async def handle_instructor(self, request: web.Request) -> web.StreamResponse:
            """The page of the class view: the app's page, its websocket at /instructor/ws."""
            response: web.StreamResponse = await self.handle_index(request)
            assert isinstance(response, web.Response) and response.text is not None
            socket = f':{plan.port}/ws"'
            response.text = response.text.replace(socket, f':{plan.port}{INSTRUCTOR_PATH}/ws"')
            return response

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            """A student's tab: one app process."""
            return await self.run_tab(request, self.command)

        async def handle_instructor_websocket(self, request: web.Request) -> Any:
            """The class view's websocket: one app process running ``--instructor``."""
            return await self.run_tab(request, self.instructor_command)

        async def run_tab(self, request: web.Request, command: str) -> web.WebSocketResponse:
            """Start ``command`` for the websocket of ``request`` and relay until either
            side closes; the app process is stopped when it does."""
            websocket = web.WebSocketResponse(heartbeat=15)
            width = _size(request.query.get("width"), 80)
            height = _size(request.query.get("height"), 24)
            service: TabService | None = None

            async def close() -> None:
                await websocket.close()

            try:
                await websocket.prepare(request)
                service = TabService(
                    command,
                    write_bytes=websocket.send_bytes,
                    write_str=websocket.send_str,
                    close=close,
                    download_manager=self.download_manager,
                    debug=self.debug,
                )
                await service.start(width, height)
                self.tabs[websocket] = service
                await self._process_messages(websocket, service)
            finally:
                self.tabs.pop(websocket, None)
                if service is not None:
                    await service.stop()
            return websocket

        async def on_shutdown(self, app: web.Application) -> None:
            """Before aiohttp waits on open connections: end every tab's app (bounded by
            QUIT_WAIT), then close its websocket, so no app process outlives the server."""
            tabs = list(self.tabs.items())
            await asyncio.gather(*(service.end() for _, service in tabs))
            await asyncio.gather(
                *(
                    websocket.close(code=WSCloseCode.GOING_AWAY, message=b"server stopping")
                    for websocket, _ in tabs
                )
            )

        async def on_startup(self, app: web.Application) -> None:
            print(f"quizapp serve: open {plan.address} in a browser", flush=True)
            if plan.instructor_page:
                print(f"  class view: {plan.address}{INSTRUCTOR_PATH} (asks the passphrase)")
            else:
                print("  no class view page: set one with  quizapp instructor set-passphrase")
            if not plan.sign_in:
                print("  sign-in is off (--no-sign-in): anyone here can answer as anyone")
            print(f"  scores: {shown_db(plan.db)}   Ctrl-C stops", flush=True)

    QuizServer().serve()
