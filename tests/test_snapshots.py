"""Snapshots of the key screens at a fixed size (pytest-textual-snapshot).

After an intended change of look, review the new pictures and accept them with
`.venv/bin/pytest tests/test_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from quizapp.tui.app import QuizApp, make_app
from tests.support.lessons import LONG
from tests.support.tui import answer_right

SIZE = (100, 30)
SMALL = (80, 24)
Snap = Callable[..., bool]


@pytest.fixture
def app(quiz_lessons: Path, tmp_path: Path) -> QuizApp:
    return make_app(quiz_lessons, tmp_path / "scores.sqlite3", student="Ana [bold]López[/]", seed=7)


def test_lesson_list(snap_compare: Snap, app: QuizApp) -> None:
    assert snap_compare(app, terminal_size=SIZE)


def test_lesson_list_small_terminal(snap_compare: Snap, app: QuizApp) -> None:
    assert snap_compare(app, terminal_size=(80, 24))


def test_timeline_card(snap_compare: Snap, app: QuizApp) -> None:
    assert snap_compare(app, press=["enter", "n"], terminal_size=SIZE)


# Questions in the written order: single, multi, true_false, text, number, order, match.
# Each snapshot answers the ones before it right enough to move on, then shows one.
ANSWERS: list[list[str]] = [
    ["1", "enter"],
    ["1", "3", "enter"],
    ["1", "enter"],
    [*"arbenz", "enter"],
    [*"1996", "enter"],
    ["down", "enter"],  # order: pick an item, accept the scrambled order (partly right)
    ["1", "2", "enter"],  # match: partners 1 and 2 of the shuffled list
]


@pytest.mark.parametrize(
    ("position", "name"),
    [
        (0, "single"),
        (1, "multi"),
        (2, "true_false"),
        (3, "text"),
        (4, "number"),
        (5, "order"),
        (6, "match"),
    ],
)
def test_question(snap_compare: Snap, app: QuizApp, position: int, name: str) -> None:
    keys: list[str] = ["t"]
    for answer in ANSWERS[:position]:
        keys += [*answer, "enter"]
    assert snap_compare(app, press=keys, terminal_size=SIZE)


def test_feedback_after_a_wrong_answer(snap_compare: Snap, app: QuizApp) -> None:
    assert snap_compare(app, press=["t", "2", "enter"], terminal_size=SIZE)


def test_results(snap_compare: Snap, app: QuizApp) -> None:
    async def finish(pilot: Any) -> None:
        await pilot.press("t")
        for answer in ANSWERS:
            await pilot.press(*answer, "enter")

    assert snap_compare(app, run_before=finish, terminal_size=SIZE)


# ---------------------------------------------------------------------- small terminals (80x24)


@pytest.fixture
def long_app(tmp_path: Path) -> QuizApp:
    """The lesson longer than one small screen everywhere (20 terms, 13 sources, 5 pairs)."""
    folder = tmp_path / "long"
    folder.mkdir()
    (folder / "01-long.yaml").write_text(LONG, encoding="utf-8")
    return make_app(folder, tmp_path / "scores.sqlite3", student="Ana", seed=7)


def test_glossary_scrolled_to_its_end_at_80x24(snap_compare: Snap, long_app: QuizApp) -> None:
    assert snap_compare(long_app, press=["enter", "g", "end"], terminal_size=SMALL)


def test_sources_at_80x24(snap_compare: Snap, long_app: QuizApp) -> None:
    assert snap_compare(long_app, press=["enter", "s"], terminal_size=SMALL)


def test_match_feedback_at_80x24(snap_compare: Snap, long_app: QuizApp) -> None:
    async def answer_all(pilot: Any) -> None:
        await pilot.press("t")
        for _ in range(6):
            await answer_right(pilot, pilot.app)
            await pilot.press("enter")
        await answer_right(pilot, pilot.app)
        await pilot.pause()

    assert snap_compare(long_app, run_before=answer_all, terminal_size=SMALL)


def test_resume_offer_at_80x24(snap_compare: Snap, app: QuizApp) -> None:
    async def leave_then_come_back(pilot: Any) -> None:
        await pilot.press("t", "1", "enter", "enter", "escape", "y", "t")

    assert snap_compare(app, run_before=leave_then_come_back, terminal_size=SMALL)


def test_exam_with_its_question_map_small_terminal(
    snap_compare: Snap, tmp_path: Path, quiz_lessons: Path
) -> None:
    """Exam mode (issue 16) at 80x24: question 3 answered, 2 flagged, the map showing both."""
    lesson = quiz_lessons / "01-test.yaml"
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text.replace("shuffle: false", "shuffle: false\n  feedback: deferred"))
    exam = make_app(quiz_lessons, tmp_path / "exam.sqlite3", student="Ana", seed=7)
    keys = ["t", "pagedown", "pagedown", "1", "enter", "pageup", "pageup", "ctrl+f"]
    assert snap_compare(exam, press=keys, terminal_size=SMALL)


def test_sign_in_refused(snap_compare: Snap, quiz_lessons: Path, tmp_path: Path) -> None:
    """With a roster: name and PIN, and what a wrong PIN is told (the PIN box emptied)."""
    from quizapp.store import Store

    db = tmp_path / "scores.sqlite3"
    with Store.open(db) as store:
        pin = store.enrol([("Ana", None, None)])[0][1]
    wrong = "123456" if pin != "123456" else "654321"
    app = make_app(lessons_dir=quiz_lessons, db_path=db, seed=1)
    assert snap_compare(app, press=[*"Ana", "enter", *wrong, "enter"], terminal_size=(80, 24))


def test_class_view_passphrase(snap_compare: Snap, quiz_lessons: Path, tmp_path: Path) -> None:
    """`i` on the lesson list when the instructor's passphrase is set."""
    from quizapp.store import Store

    db = tmp_path / "scores.sqlite3"
    with Store.open(db) as store:
        store.set_instructor_passphrase("teacher passphrase")
    app = make_app(lessons_dir=quiz_lessons, db_path=db, student="Ana", seed=1)
    assert snap_compare(app, press=["i", *"secret"], terminal_size=(80, 24))


def test_review_feedback_small_terminal(
    snap_compare: Snap, quiz_lessons: Path, tmp_path: Path
) -> None:
    """A review at 80x24: the item's lesson, the question, then the feedback of a wrong answer."""
    import datetime as dt

    from fsrs import Rating

    from quizapp import review
    from quizapp.store import Store

    db = tmp_path / "scores.sqlite3"
    with Store.open(db) as store:
        ana = store.student("Ana")
        when = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
        review.record(store, ana.id, "test-lesson", "q-tf", Rating.Again, 5.0, now=when)
    app = make_app(quiz_lessons, db, student="Ana", seed=7)
    assert snap_compare(app, press=["v", "2", "enter"], terminal_size=SMALL)


def test_class_view_filled_at_80x24(snap_compare: Snap, tmp_path: Path) -> None:
    """The class view (issue 19) with every gradebook row in and the analyses done, sorted
    by the demo lesson's column (highest first): the cell widths, the sort arrow, the
    cursor and the analysis of the lesson under it."""
    from benchmarks.classdata import DEMO_LESSON_YAML, write_demo_class
    from quizapp.tui.screens.instructor import InstructorScreen
    from tests.support.lessons import MINIMAL

    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / "01-test.yaml").write_text(MINIMAL, encoding="utf-8")
    (lessons / "02-demo.yaml").write_text(DEMO_LESSON_YAML, encoding="utf-8")
    db = tmp_path / "scores.sqlite3"
    write_demo_class(db)
    app = make_app(lessons_dir=lessons, db_path=db, instructor=True)

    async def filled(pilot: Any) -> None:
        for keys in ((), ("right", "right", "s")):
            await pilot.press(*keys)
            screen = pilot.app.screen
            assert isinstance(screen, InstructorScreen)
            for _ in range(200):  # frames: the rows arrive a chunk a frame
                await pilot.app.workers.wait_for_complete()
                if screen.filled:
                    break
                await pilot.pause()
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()

    assert snap_compare(app, run_before=filled, terminal_size=SMALL)
