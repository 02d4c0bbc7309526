"""`quizapp serve` in a real browser: headless Chromium (Debian's `chromium`, driven by
Playwright; never a browser Playwright downloads) against a server this test starts on a free
loopback port. Sign in, read a card, answer, reload mid-quiz and resume; a wrong PIN is
refused; the class view needs the passphrase. What happened is read from the database, which
is what a student's work comes to.

The same walk runs with the score database on PostgreSQL (a fresh schema per test, dropped
after), and a department's set-up is checked: two servers on one PostgreSQL database, a
student answering through one, the instructor's class view through the other showing it.

Without chromium or playwright these tests skip loudly; with QUIZAPP_E2E=required (CI) they
fail instead (tests/support/services.py); so do the PostgreSQL ones without a server
(QUIZAPP_TEST_POSTGRES; QUIZAPP_PG_TESTS=required).
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from benchmarks import pgserver
from quizapp.store import Store
from tests.support import backends
from tests.support.services import BROWSER, POSTGRES, need
from tests.support.serving import PATIENCE, serve

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSPHRASE = "teacher passphrase"
#: Where a test that gave up waiting leaves a picture of the page.
FAILED_SCREEN = Path(tempfile.gettempdir()) / "quizapp-e2e-failed.png"


def _missing() -> str | None:
    if shutil.which("chromium") is None:
        return "no chromium on PATH (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    return None


def wait_for(condition: Callable[[], bool], what: str, page: Any = None) -> None:
    """Wait until ``condition()`` holds (checked every 50 ms); fail after :data:`PATIENCE`
    (with a picture of ``page``)."""
    deadline = time.monotonic() + PATIENCE
    while not condition():
        if time.monotonic() > deadline:
            if page is not None:
                page.screenshot(path=str(FAILED_SCREEN))
            pytest.fail(f"gave up waiting for {what} ({FAILED_SCREEN})")
        time.sleep(0.05)


class Class:
    """A served class: the server's address, its database and Ana's PIN."""

    def __init__(self, url: str, db: Path | str, pin: str) -> None:
        self.url, self.db, self.pin = url, db, pin

    def log(self) -> list[tuple[str, str]]:
        """The sign-in log: (name, outcome)."""
        with Store.open(self.db, readonly=True) as store:
            return [(name, outcome) for _, name, outcome in store.signin_log()]

    def answers(self) -> list[tuple[int, int]]:
        """Ana's attempts: (attempt id, answers given)."""
        with Store.open(self.db, readonly=True) as store:
            ana = store.find_student("Ana")
            assert ana is not None
            return [(a.id, a.answered) for a in store.history(ana.id)]

    def card(self) -> int | None:
        """The card Ana last read in the test lesson."""
        with Store.open(self.db, readonly=True) as store:
            ana = store.find_student("Ana")
            assert ana is not None
            return store.card_progress(ana.id, "test-lesson")


def enrol_ana(db: Path | str) -> str:
    """Ana on the roster of ``db`` and the instructor's passphrase set; Ana's PIN."""
    with Store.open(db) as store:
        pin = store.enrol([("Ana", None, None)])[0][1]
        store.set_instructor_passphrase(PASSPHRASE)
    return pin


@contextlib.contextmanager
def serving(db: Path | str, lessons: Path) -> Iterator[str]:
    """`quizapp serve` of ``db`` on a free loopback port for the block; its address."""
    with serve(db, lessons) as server:
        yield server.url


@pytest.fixture
def served(quiz_lessons: Path, tmp_path: Path) -> Iterator[Class]:
    """`quizapp serve` on a free loopback port, Ana on the roster, a passphrase set."""
    need(BROWSER, _missing())
    db = tmp_path / "class.sqlite3"
    pin = enrol_ana(db)
    with serving(db, quiz_lessons) as url:
        yield Class(url, db, pin)


@pytest.fixture
def postgres_db() -> Iterator[str]:
    """A fresh schema on the test PostgreSQL server (a URL whose store lives there),
    dropped after."""
    need(POSTGRES, backends.missing())
    with backends.fresh_schema("e2e") as url:
        yield url


@pytest.fixture
def served_pg(quiz_lessons: Path, postgres_db: str) -> Iterator[Class]:
    """As :func:`served`, with the score database on PostgreSQL."""
    need(BROWSER, _missing())
    pin = enrol_ana(postgres_db)
    with serving(postgres_db, quiz_lessons) as url:
        yield Class(url, postgres_db, pin)


@pytest.fixture
def browser() -> Iterator[Any]:
    """Headless Debian Chromium."""
    need(BROWSER, _missing())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


class Tab:
    """A browser tab on the app, with everything the app has drawn in it (the screen
    updates the websocket carried), to wait for a word to appear."""

    def __init__(self, browser: Any, url: str) -> None:
        self.page = browser.new_page(viewport={"width": 1000, "height": 640})
        self.url = url
        self.drawn = ""
        self.load()

    def load(self) -> None:
        """Open the page (again: a reload starts a new app process)."""
        with self.page.expect_websocket() as info:
            if self.page.url.startswith("http"):
                self.page.reload()
            else:
                self.page.goto(self.url)
        self.drawn = ""
        info.value.on("framereceived", self._drawn)
        self.page.locator(".xterm-helper-textarea").focus()

    def _drawn(self, payload: str | bytes) -> None:
        text = payload if isinstance(payload, str) else payload.decode("utf-8", "replace")
        self.drawn += text

    def shows(self, word: str) -> None:
        """Wait until the app draws ``word`` (after the last call); fail after PATIENCE."""
        deadline = time.monotonic() + PATIENCE
        while word not in self.drawn:
            if time.monotonic() > deadline:
                self.page.screenshot(path=str(FAILED_SCREEN))
                pytest.fail(f"gave up waiting for the app to show {word!r} ({FAILED_SCREEN})")
            self.page.wait_for_timeout(50)  # lets Playwright deliver the frames
        self.drawn = self.drawn[self.drawn.index(word) + len(word) :]

    def keys(self, *presses: str) -> None:
        """Type text or press named keys (``"Enter"``, ``"Escape"``) in order."""
        for press in presses:
            if press in {"Enter", "Escape"}:
                self.page.keyboard.press(press)
            else:
                self.page.keyboard.type(press)


def sign_in(tab: Tab, served: Class, pin: str) -> None:
    before = len(served.log())
    tab.shows("PIN")
    tab.keys("Ana", "Enter")
    tab.shows("Now your PIN")
    tab.keys(pin, "Enter")
    wait_for(lambda: len(served.log()) > before, "the sign-in to be checked", tab.page)


def test_sign_in_read_answer_reload_and_resume(served: Class, browser: Any) -> None:
    sign_in_read_answer_reload_and_resume(served, browser)


def test_on_postgresql_sign_in_read_answer_reload_and_resume(
    served_pg: Class, browser: Any
) -> None:
    sign_in_read_answer_reload_and_resume(served_pg, browser)
    assert isinstance(served_pg.db, str)
    with Store.open(served_pg.db, readonly=True) as store:
        ana = store.find_student("Ana")
        assert ana is not None
        ((attempt,),) = [[a.id for a in store.history(ana.id)]]
        assert len(store.answers(attempt)) == 2
    assert pgserver.count_rows(served_pg.db, "answers") == 2  # in PostgreSQL, nowhere else


def sign_in_read_answer_reload_and_resume(served: Class, browser: Any) -> None:
    """Sign in, read a card, answer, reload mid-quiz, resume and answer again: every step
    checked in the database."""
    tab = Tab(browser, served.url)
    sign_in(tab, served, served.pin)
    assert served.log()[-1] == ("Ana", "ok")
    tab.shows("Pick")
    tab.keys("Enter")  # open the lesson: its first card
    tab.shows("Markdown")  # the first card
    tab.keys("n")  # the next card
    wait_for(lambda: served.card() == 1, "the card read to be kept")
    tab.keys("Escape")
    tab.shows("Pick")
    tab.keys("t")  # take the quiz
    tab.shows("gang")
    tab.keys("1", "Enter")  # an answer to the first question
    wait_for(lambda: served.answers() != [] and served.answers()[0][1] == 1, "the answer")
    ((attempt, _),) = served.answers()

    tab.load()  # reload mid-quiz: a new app process
    sign_in(tab, served, served.pin)
    tab.shows("Pick")
    tab.keys("t")
    tab.shows("unfinished")
    tab.keys("r")  # resume
    tab.shows("Enter")
    tab.keys("1", "Enter")  # the second question
    wait_for(lambda: served.answers()[0][1] == 2, "the second answer's commit")
    assert served.answers() == [(attempt, 2)]  # the same attempt, resumed: nothing lost
    backend = "sqlite" if isinstance(served.db, Path) else "postgresql"
    tab.page.screenshot(path=str(Path(tempfile.gettempdir()) / f"quizapp-e2e-quiz-{backend}.png"))


def test_a_wrong_pin_is_refused(served: Class, browser: Any) -> None:
    tab = Tab(browser, served.url)
    wrong = "000000" if served.pin != "000000" else "111111"
    sign_in(tab, served, wrong)
    assert served.log() == [("Ana", "wrong")]
    tab.shows("match")  # "Name and PIN do not match"
    tab.keys(served.pin, "Enter")  # the name is kept, the PIN box emptied and still focused
    wait_for(lambda: len(served.log()) == 2, "the second try to be checked")
    assert served.log()[-1] == ("Ana", "ok")
    assert served.answers() == []


def test_the_class_view_needs_the_passphrase(served: Class, browser: Any) -> None:
    tab = Tab(browser, served.url + "/instructor")
    tab.shows("passphrase")
    tab.keys("a guess", "Enter")
    wait_for(lambda: served.log() == [("(instructor)", "wrong")], "the guess to be refused")
    tab.keys(PASSPHRASE, "Enter")
    wait_for(lambda: served.log()[-1] == ("(instructor)", "ok"), "the passphrase to be taken")
    tab.shows("Class view")


def test_a_department_two_servers_one_postgresql_gradebook(
    quiz_lessons: Path, postgres_db: str, browser: Any
) -> None:
    """Two `quizapp serve` instances (two lab servers) on one PostgreSQL database: Ana
    answers through the first; the class view served by the second shows her score."""
    need(BROWSER, _missing())
    pin = enrol_ana(postgres_db)
    with serving(postgres_db, quiz_lessons) as lab_a, serving(postgres_db, quiz_lessons) as lab_b:
        student = Class(lab_a, postgres_db, pin)
        tab = Tab(browser, lab_a)
        sign_in(tab, student, pin)
        tab.shows("Pick")
        tab.keys("t")  # take the quiz
        tab.shows("gang")
        tab.keys("1", "Enter")  # the right answer to the first question (Los Angeles)
        wait_for(lambda: student.answers() != [] and student.answers()[0][1] == 1, "the answer")
        tab.page.close()  # Ana leaves mid-quiz: her attempt stays unfinished

        with Store.open(postgres_db, readonly=True) as store:
            ((row,),) = [store.gradebook()]
        assert (row.student, row.lesson_id, row.unfinished) == ("Ana", "test-lesson", 1)
        assert pgserver.count_rows(postgres_db, "answers") == 1

        teacher = Tab(browser, lab_b + "/instructor")
        teacher.shows("passphrase")
        teacher.keys(PASSPHRASE, "Enter")
        teacher.shows("Class view")
        teacher.shows("Ana")  # her row, read by the other server's process
        teacher.page.screenshot(
            path=str(Path(tempfile.gettempdir()) / "quizapp-e2e-department.png")
        )
        teacher.page.close()
