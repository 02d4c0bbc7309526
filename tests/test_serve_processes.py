"""`quizapp serve`'s app processes, seen from the operating system: the score database
never on their command lines (where any user of the server reads it with `ps`), and none
left running once the server has stopped. A tab is a websocket opened by aiohttp's client,
as the page opens it; no browser needed."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from quizapp.store import Store
from tests.support import backends
from tests.support.services import POSTGRES, need
from tests.support.serving import PATIENCE, command_line, open_tab, serve

pytestmark = pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc")


def _enrol(db: Path | str) -> str:
    with Store.open(db) as store:
        return store.enrol([("Ana", None, None)])[0][1]


async def _sign_in_checks_the_database_without_it_on_a_command_line(
    db: Path | str, lessons: Path, secret: str
) -> None:
    pin = _enrol(db)
    with serve(db, lessons) as served:
        async with await open_tab(served.url) as tab:
            await tab.shows("PIN")
            (app,) = served.apps()
            argv = " ".join(command_line(app) or [])
            assert "quizapp" in argv and secret not in argv and "--db" not in argv
            await tab.keys("Ana", "\r")
            await tab.shows("Now your PIN")
            await tab.keys(pin, "\r")
            await tab.shows("Pick")  # signed in: the app checked the PIN in this database
    with Store.open(db, readonly=True) as store:
        assert [(name, outcome) for _, name, outcome in store.signin_log()] == [("Ana", "ok")]


async def test_a_tab_gets_the_database_through_its_environment(
    tmp_path: Path, quiz_lessons: Path
) -> None:
    db = tmp_path / "secret-class-name" / "scores.sqlite3"
    await _sign_in_checks_the_database_without_it_on_a_command_line(db, quiz_lessons, str(db))


async def test_a_postgresql_password_never_shows_on_a_command_line(quiz_lessons: Path) -> None:
    need(POSTGRES, backends.missing())
    with backends.fresh_schema("serve") as url:
        password = "quizapp_test"  # the test server's (tests/support/backends.py)
        assert f":{password}@" in url
        await _sign_in_checks_the_database_without_it_on_a_command_line(
            url, quiz_lessons, f":{password}@"
        )


async def test_stopping_the_server_under_an_open_tab_leaves_no_app_running(
    tmp_path: Path, quiz_lessons: Path
) -> None:
    db = tmp_path / "class.sqlite3"
    _enrol(db)
    with serve(db, quiz_lessons) as served:
        async with await open_tab(served.url) as tab:
            await tab.shows("PIN")  # the tab's app process is up
            apps = served.apps()
            assert len(apps) == 1
            served.process.terminate()  # SIGTERM, as systemctl stop sends
            code = await asyncio.to_thread(served.process.wait, PATIENCE)
            assert code == 0
            assert [pid for pid in apps if command_line(pid) is not None] == []
