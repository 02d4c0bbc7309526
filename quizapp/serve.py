"""``quizapp serve``: the app in the browser, one app process per tab, all on one database.

`textual-serve <https://pypi.org/project/textual-serve/>`_ runs a small aiohttp server: the
page at ``/`` opens a websocket, and for each websocket it starts the app command (through
the shell, so every part of the command is quoted here) with Textual's web driver, relaying
keys and screen updates. Every tab is a separate ``quizapp`` process writing to the same
SQLite file; each answer is committed on its own, so stopping the server loses none.

textual-serve has no authentication of its own: the app's sign-in (a roster with PINs) is
the gate, so :func:`check_serve` refuses to serve without one unless sign-in is turned off on
a loopback address. The class view has its own page, ``/instructor``, served only when the
instructor's passphrase is set (it asks for it).

This module is a front end beside :mod:`quizapp.tui`: it starts app processes and never
imports the TUI.
"""

from __future__ import annotations

import ipaddress
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quizapp.paths import shown_db
from quizapp.store import Store, StoreError

__all__ = ["ServeError", "ServePlan", "app_command", "check_serve", "run_server"]

INSTRUCTOR_PATH = "/instructor"


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
    """The shell command each tab runs (every part quoted: paths may hold spaces)."""
    parts = [sys.executable, "-m", "quizapp", "--db", str(plan.db), "--lessons", str(plan.lessons)]
    if instructor:
        parts.append("--instructor")
    return shlex.join(parts)


def _size(value: str | None, default: int) -> int:
    try:
        return max(10, min(int(value or default), 1000))
    except ValueError:
        return default


def run_server(plan: ServePlan) -> None:
    """Serve until Ctrl-C (or SIGTERM); prints the address first."""
    from aiohttp import web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server

    class QuizServer(Server):
        """textual-serve's server with a second page, the class view, at /instructor."""

        def __init__(self) -> None:
            super().__init__(app_command(plan), host=plan.host, port=plan.port, title="quizapp")
            self.instructor_command = app_command(plan, instructor=True)

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

        async def handle_instructor_websocket(self, request: web.Request) -> Any:
            """The class view's websocket: one app process running ``--instructor``."""
            websocket = web.WebSocketResponse(heartbeat=15)
            width = _size(request.query.get("width"), 80)
            height = _size(request.query.get("height"), 24)
            service: AppService | None = None

            async def close() -> None:
                await websocket.close()

            try:
                await websocket.prepare(request)
                service = AppService(
                    self.instructor_command,
                    write_bytes=websocket.send_bytes,
                    write_str=websocket.send_str,
                    close=close,
                    download_manager=self.download_manager,
                    debug=self.debug,
                )
                await service.start(width, height)
                await self._process_messages(websocket, service)
            finally:
                if service is not None:
                    await service.stop()
            return websocket

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
