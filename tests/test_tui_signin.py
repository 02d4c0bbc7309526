"""Sign-in in the app: with a roster, name and PIN are the only way in (also after `s`);
the class view is offered only behind the instructor's passphrase. Pilot tests of the
privacy holes: a student reading classmates' scores with `i`, answering as someone else
with `s`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Input, Label

from quizapp.store import Store
from quizapp.tui.app import make_app
from quizapp.tui.screens.instructor import InstructorScreen
from quizapp.tui.screens.lessons import LessonListScreen
from quizapp.tui.screens.signin import PassphraseScreen, SignInScreen
from quizapp.tui.screens.student import StudentScreen

SIZE = (80, 24)


def enrol(db: Path, *names: str) -> dict[str, str]:
    """Put ``names`` on the roster of ``db``; their PINs."""
    with Store.open(db) as store:
        return dict(store.enrol([(name, None, None) for name in names]))


def message(app: Any) -> str:
    return str(app.screen.query_one("#signin-message", Label).content)


async def test_without_a_roster_the_app_asks_a_name_as_before(
    quiz_lessons: Path, tmp_path: Path
) -> None:
    app = make_app(lessons_dir=quiz_lessons, db_path=tmp_path / "s.sqlite3")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StudentScreen)


async def test_with_a_roster_a_wrong_pin_is_refused_and_the_right_one_lets_in(
    quiz_lessons: Path, tmp_path: Path
) -> None:
    db = tmp_path / "s.sqlite3"
    pins = enrol(db, "Ana", "Bea")
    wrong = pins["Bea"] if pins["Bea"] != pins["Ana"] else "x"
    app = make_app(lessons_dir=quiz_lessons, db_path=db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen)
        await pilot.press(*"Ana", "enter", *wrong, "enter")
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen) and app.student is None
        assert "do not match" in message(app)
        assert app.screen.query_one("#signin-pin", Input).value == ""  # never left behind
        await pilot.press("enter")  # an empty PIN is not a try
        await pilot.pause()
        assert "Type your PIN" in message(app)
        await pilot.press(*pins["Ana"], "enter")
        await pilot.pause()
        assert isinstance(app.screen, LessonListScreen)
        assert app.student is not None and app.student.name == "Ana"
    with Store.open(db) as store:
        assert [o for _, _, o in store.signin_log()] == ["wrong", "ok"]


async def test_student_flag_with_a_roster_still_asks_the_pin(
    quiz_lessons: Path, tmp_path: Path
) -> None:
    db = tmp_path / "s.sqlite3"
    enrol(db, "Ana")
    app = make_app(lessons_dir=quiz_lessons, db_path=db, student="Ana")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen) and app.student is None


async def test_s_with_a_roster_cannot_answer_as_someone_else(
    quiz_lessons: Path, tmp_path: Path
) -> None:
    """The hole: `s` then a classmate's name used to sign in as them, no question asked."""
    db = tmp_path / "s.sqlite3"
    pins = enrol(db, "Ana", "Bea")
    app = make_app(lessons_dir=quiz_lessons, db_path=db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"Ana", "enter", *pins["Ana"], "enter")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen)
        await pilot.press(*"Bea", "enter", "enter")  # no PIN
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen)
        assert app.student is not None and app.student.name == "Ana"


async def test_i_is_not_offered_to_students_without_a_passphrase(
    quiz_lessons: Path, tmp_path: Path
) -> None:
    """The hole: `i` on the lesson list showed every classmate's scores."""
    app = make_app(lessons_dir=quiz_lessons, db_path=tmp_path / "s.sqlite3", student="Ana")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LessonListScreen)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, LessonListScreen)
        offered = [a for a in app.active_bindings.values() if a.binding.action == "instructor"]
        assert not any(a.enabled for a in offered)  # not in the footer either


async def test_i_asks_the_passphrase_and_escape_gives_nothing(
    quiz_lessons: Path, tmp_path: Path
) -> None:
    db = tmp_path / "s.sqlite3"
    with Store.open(db) as store:
        store.set_instructor_passphrase("teacher passphrase")
    app = make_app(lessons_dir=quiz_lessons, db_path=db, student="Ana")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, PassphraseScreen)
        await pilot.press(*"guess", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PassphraseScreen)
        assert "not the instructor's" in str(
            app.screen.query_one("#passphrase-message", Label).content
        )
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LessonListScreen)
        await pilot.press("i", *"teacher passphrase", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, InstructorScreen)
    with Store.open(db) as store:
        assert [o for _, _, o in store.signin_log()] == ["wrong", "ok"]


async def test_instructor_flag_without_a_passphrase_warns_the_view_is_open(
    quiz_lessons: Path, tmp_path: Path
) -> None:
    db = tmp_path / "s.sqlite3"
    Store.open(db).close()
    app = make_app(lessons_dir=quiz_lessons, db_path=db, instructor=True)
    told: list[str] = []
    notify = app.notify

    def spy(text: str, **kwargs: Any) -> None:
        told.append(text)
        notify(text, **kwargs)

    app.notify = spy  # type: ignore[method-assign,assignment]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, InstructorScreen)
    assert any("class view is open" in t for t in told)


async def test_instructor_flag_with_a_passphrase_asks_it(
    quiz_lessons: Path, tmp_path: Path
) -> None:
    db = tmp_path / "s.sqlite3"
    with Store.open(db) as store:
        store.set_instructor_passphrase("teacher passphrase")
    app = make_app(lessons_dir=quiz_lessons, db_path=db, instructor=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PassphraseScreen)
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_code in (0, None)
