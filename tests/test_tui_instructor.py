"""The class view (`quizapp --instructor`, or `i` from the lesson list), driven by the pilot.

The class is generated through the real store and quiz sessions (benchmarks/classdata.py):
30 students take the demo lesson, whose `accords-year` question has a wrong answer key, and
a few of them take the small test lesson too. The database is written once per module and
only read by the tests.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.widgets import DataTable, Input, Label, Static

from benchmarks.classdata import CLASS_NAMES, DEMO_LESSON_YAML, write_demo_class
from quizapp.cli import build_parser
from quizapp.lessons.loader import load_file
from quizapp.session import QuizSession
from quizapp.store import Store
from quizapp.tui.app import QuizApp, make_app
from quizapp.tui.screens import instructor
from quizapp.tui.screens.instructor import (
    InstructorScreen,
    StudentRow,
    filter_rows,
    fold,
    sort_rows,
)
from quizapp.tui.screens.lessons import LessonListScreen
from quizapp.tui.widgets.class_view import NAME_COLUMN, PASSED_COLUMN
from tests.support.lessons import MINIMAL
from tests.support.store import right_response, wrong_response
from tests.support.tui import render_plain

SIZE = (100, 30)
DEMO = "demo-class"
SMALL = "test-lesson"


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Lessons folder (the small test lesson first, then the demo lesson) and a database
    where the whole class took the demo lesson and the first five the small one."""
    root = tmp_path_factory.mktemp("course")
    lessons = root / "lessons"
    lessons.mkdir()
    (lessons / "01-test.yaml").write_text(MINIMAL, encoding="utf-8")
    (lessons / "02-demo.yaml").write_text(DEMO_LESSON_YAML, encoding="utf-8")
    db = root / "scores.sqlite3"
    write_demo_class(db)
    small, _ = load_file(lessons / "01-test.yaml")
    assert small is not None
    with Store.open(db) as store:
        for number, name in enumerate(CLASS_NAMES[:5]):
            session = QuizSession.start(store, store.student(name), small, seed=number)
            for index, question in enumerate(session.questions):
                right = index < 2 + number  # 2 of 7 right for the first, 6 for the fifth
                session.answer(right_response(question) if right else wrong_response(question), 3)
            session.finish()
    return lessons, db


def plain(renderable: Any, width: int = 96) -> str:
    """What a widget's renderable shows, as plain text."""
    return render_plain(renderable, width)


async def loaded(app: QuizApp, pilot: Any) -> InstructorScreen:
    """The class view once the worker has read the scores, every row is in (a chunk a
    frame: on a busy machine that takes more frames than one pause) and the analyses that
    start after the last chunk are done."""
    await app.workers.wait_for_complete()
    screen = app.screen
    assert isinstance(screen, InstructorScreen)
    for _ in range(500):  # frames, not time: each pause lets one more chunk in
        if screen.filled:
            break
        await pilot.pause()
    assert screen.filled
    await app.workers.wait_for_complete()
    await pilot.pause()
    return screen


def grid(app: QuizApp) -> list[list[str]]:
    """The gradebook as shown: one list of cell texts per row."""
    table = app.screen.query_one("#gradebook", DataTable)
    return [[plain(cell).strip() for cell in table.get_row_at(i)] for i in range(table.row_count)]


def column(app: QuizApp, key: str) -> int:
    table = app.screen.query_one("#gradebook", DataTable)
    return [str(k.value) for k in table.columns].index(key)


def analysis(app: QuizApp) -> str:
    return plain(app.screen.query_one("#analysis-body", Static).content)


def instructor_app(course: tuple[Path, Path]) -> QuizApp:
    lessons, db = course
    return make_app(lessons_dir=lessons, db_path=db, instructor=True)


async def test_the_class_view_opens_without_sign_in_and_shows_best_scores(
    course: tuple[Path, Path],
) -> None:
    app = instructor_app(course)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
        assert app.student is None  # nobody signed in
        summary = app.screen.query_one("#class-summary", Label)
        assert "30 students · 2 lessons" in plain(summary.content)
        rows = {row[0]: row for row in grid(app)}
        assert set(rows) == set(CLASS_NAMES)  # names exactly as typed, "[Dani] Ulloa" too
        at_demo, at_small = column(app, DEMO), column(app, SMALL)
        with Store.open(course[1], create=False) as store:
            for student in store.students():
                for lesson_id, at in ((DEMO, at_demo), (SMALL, at_small)):
                    best = store.lesson_score(student.id, lesson_id, "best")
                    shown = rows[student.name][at]
                    assert shown == ("·" if best is None else f"{best:.0f}"), student.name
        # Lessons passed, out of the lessons in the view.
        assert all(row[-1].endswith("/2") for row in rows.values())


async def test_sort_by_a_lesson_column_with_the_key_and_by_name_with_a_click(
    course: tuple[Path, Path],
) -> None:
    app = instructor_app(course)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(app, pilot)
        names = [row[0] for row in grid(app)]
        assert names == sorted(names, key=fold)  # by name at first
        at = column(app, SMALL)
        await pilot.press(*["right"] * at, "s")
        cells = [row[at] for row in grid(app)]
        scored = [int(c) for c in cells if c != "·"]
        assert len(scored) == 5 and scored == sorted(scored, reverse=True)
        assert cells[5:] == ["·"] * 25  # students without a score last
        await pilot.press("s")  # again: the other way round, unscored still last
        cells = [row[at] for row in grid(app)]
        assert [int(c) for c in cells[:5]] == sorted(scored)
        assert cells[5:] == ["·"] * 25
        # A click on the Student header sorts by name again.
        assert await pilot.click("#gradebook", offset=(3, 1))
        assert screen.sort_column == NAME_COLUMN
        assert [row[0] for row in grid(app)] == names


async def test_filter_by_typing_part_of_a_name(course: tuple[Path, Path]) -> None:
    app = instructor_app(course)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
        await pilot.press("slash", *"alvaro")  # no accent typed, any case
        assert app.screen.query_one("#class-filter", Input).value == "alvaro"
        assert [row[0] for row in grid(app)] == ["Álvaro Bonilla"]
        summary = plain(app.screen.query_one("#class-summary", Label).content)
        assert "1 of 30 students match “alvaro”" in summary
        await pilot.press("escape")  # clears the filter and goes back to the table
        assert len(grid(app)) == 30
        assert app.focused is app.screen.query_one("#gradebook", DataTable)


async def test_the_analysis_of_the_highlighted_lesson_flags_the_wrong_key(
    course: tuple[Path, Path],
) -> None:
    app = instructor_app(course)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(app, pilot)
        await pilot.press("right")  # the first lesson column: the small test lesson
        assert screen.lesson_id == SMALL
        assert "A test lesson" in analysis(app)
        await pilot.press("right")
        assert screen.lesson_id == DEMO
        text = analysis(app)
        assert "First attempts: 30 students, 30 attempts" in text
        accords = next(line for line in text.splitlines() if " accords-year " in line)
        assert "discr<0" in accords and "wrong>right" in accords
        assert "negative discrimination" in text and "check the answer key" in text
        assert "Scores of the first attempts" in text and "│" in text  # the histogram
        await pilot.press("r")  # each student's last attempt instead
        assert screen.rule == "last"
        assert "Last attempts: 30 students" in analysis(app)


async def test_zoom_gives_the_analysis_the_whole_screen_at_80x24(
    course: tuple[Path, Path],
) -> None:
    app = instructor_app(course)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await loaded(app, pilot)
        table = screen.query_one("#gradebook", DataTable)
        panel = screen.query_one("#analysis")
        assert table.region.height >= 6 and panel.region.height >= 6
        assert table.region.right <= 80 and panel.region.bottom <= 23  # above the footer
        await pilot.press("tab", "z")
        assert screen.maximized is panel
        await pilot.press("escape")
        assert screen.maximized is None
        assert isinstance(app.screen, InstructorScreen)  # nothing to go back to


async def test_key_i_from_the_lesson_list_and_back(
    course: tuple[Path, Path], tmp_path: Path
) -> None:
    lessons, shared = course
    db = tmp_path / "scores.sqlite3"
    shutil.copy(shared, db)
    with Store.open(db) as store:
        store.set_instructor_passphrase("teacher passphrase")
    app = make_app(lessons_dir=lessons, db_path=db, student="Ana Beltrán")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        await pilot.press(*"teacher passphrase", "enter")
        await loaded(app, pilot)
        assert len(grid(app)) == 30
        await pilot.press("escape")
        assert isinstance(app.screen, LessonListScreen)


@pytest.mark.parametrize("kind", ["missing", "junk"])
async def test_no_database_is_a_message_not_a_traceback(
    course: tuple[Path, Path], tmp_path: Path, kind: str
) -> None:
    lessons, _ = course
    folder = tmp_path / "[b]class[/i]"  # a path that looks like markup is shown as it is
    folder.mkdir(parents=True)
    db = folder / f"{kind}.sqlite3"
    if kind == "junk":
        db.write_bytes(b"not a database at all" * 50)
    app = make_app(lessons_dir=lessons, db_path=db, instructor=True)
    told: list[str] = []
    notify = app.notify

    def spy(message: str, **kwargs: Any) -> None:
        told.append(message)
        assert kwargs.get("markup") is False  # else "[b]" would be read as bold
        notify(message, **kwargs)

    app.notify = spy  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, InstructorScreen)
        assert any(str(db) in message for message in told), told
        assert "No score database" in analysis(app)
    if kind == "missing":
        assert not db.exists()  # looking never creates one
    else:
        assert db.read_bytes().startswith(b"not a database")  # nor moves a file aside


async def test_a_class_with_no_answers_yet(course: tuple[Path, Path], tmp_path: Path) -> None:
    lessons, _ = course
    empty = tmp_path / "empty.sqlite3"
    Store.open(empty).close()
    app = make_app(lessons_dir=lessons, db_path=empty, instructor=True)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
        assert grid(app) == []
        assert "No finished attempts at this lesson yet." in analysis(app)


def test_the_instructor_flag_reaches_the_app(
    fake_app_factory: dict[str, Any], tmp_path: Path
) -> None:
    made = fake_app_factory
    lessons = str(tmp_path)  # a folder that exists: a missing one stops the app (exit 2)
    args = build_parser().parse_args(["--instructor", "--db", "x.sqlite3", "--lessons", lessons])
    assert args.handler(args) == 0
    assert made["instructor"] is True and made["ran"]
    assert made["db_path"] == Path("x.sqlite3")


# --------------------------------------------------------------------------- pure helpers


def row(name: str, **best: float) -> StudentRow:
    return StudentRow(name, dict(best), frozenset(), sum(v >= 60 for v in best.values()))


def test_fold_and_filter_ignore_case_and_accents() -> None:
    rows = [row("José Núñez"), row("JOSEFINA"), row("Ana")]
    assert fold("Ñandú") == "nandu"
    assert [r.name for r in filter_rows(rows, "jose")] == ["José Núñez", "JOSEFINA"]
    assert [r.name for r in filter_rows(rows, " NUÑ ")] == ["José Núñez"]
    assert len(filter_rows(rows, "")) == 3


def test_sort_puts_students_without_a_score_last_both_ways() -> None:
    rows = [row("b", x=50), row("a"), row("c", x=90), row("d", x=50)]
    assert [r.name for r in sort_rows(rows, "x", reverse=True)] == ["c", "b", "d", "a"]
    assert [r.name for r in sort_rows(rows, "x")] == ["b", "d", "c", "a"]
    assert [r.name for r in sort_rows(rows, NAME_COLUMN, reverse=True)] == ["d", "c", "b", "a"]
    assert [r.name for r in sort_rows(rows, PASSED_COLUMN, reverse=True)] == ["c", "a", "b", "d"]


NAMES = st.text(alphabet="aábBé [] ", min_size=1, max_size=6)
SCORES = st.dictionaries(st.sampled_from(["x", "y"]), st.floats(0, 100), max_size=2)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(NAMES, SCORES), max_size=8), st.booleans(), st.text(max_size=3))
def test_sorting_and_filtering_keep_the_right_rows(
    raw: list[tuple[str, dict[str, float]]], reverse: bool, query: str
) -> None:
    rows = [row(name, **scores) for name, scores in raw]
    for key in ("x", NAME_COLUMN, PASSED_COLUMN):
        ordered = sort_rows(rows, key, reverse)
        assert sorted(map(id, ordered)) == sorted(map(id, rows))
        if key == "x":
            scored = [r.best["x"] for r in ordered if "x" in r.best]
            assert ordered[: len(scored)] == [r for r in ordered if "x" in r.best]
            assert scored == sorted(scored, reverse=reverse)
    kept = filter_rows(rows, query)
    assert all(fold(query.strip()) in fold(r.name) for r in kept)
    assert len(kept) == sum(fold(query.strip()) in fold(r.name) for r in rows)


async def test_a_big_gradebook_arrives_a_screenful_then_a_chunk_a_frame(
    course: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # 1,000 students take ~100 ms to add: the first rows come at once, the rest a chunk a
    # frame, so the screen is drawn (and answers keys) while they arrive. Here with small
    # chunks over the 30 students of the test class.
    monkeypatch.setattr(instructor, "FIRST_ROWS", 4)
    monkeypatch.setattr(instructor, "CHUNK_ROWS", 7)
    counts: list[int] = []
    add_rows = InstructorScreen._add_rows

    def counted(screen: InstructorScreen, *args: Any) -> None:
        add_rows(screen, *args)
        counts.append(screen.query_one("#gradebook", DataTable).row_count)

    monkeypatch.setattr(InstructorScreen, "_add_rows", counted)
    app = instructor_app(course)
    async with app.run_test(size=SIZE) as pilot:
        screen = await loaded(app, pilot)
        assert counts == [4, 11, 18, 25, 30]
        assert sorted(row[0] for row in grid(app)) == sorted(CLASS_NAMES)
        counts.clear()
        await pilot.press("right", "s")  # sorting starts a new fill; the old one stops
        await pilot.pause()
        for _ in range(6):
            await pilot.pause()
        assert counts[-1] == 30 and len(grid(app)) == 30
        assert screen.sort_column == SMALL


async def test_the_gradebook_is_drawn_before_any_lesson_file_is_loaded(
    course: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Loading and validating the lesson files took 0.1 s of the UI thread before a big
    # class's gradebook could be drawn: the pass marks come from the list's headers, and
    # the analysis worker loads each file in the background.
    loads: list[tuple[str, int]] = []
    lesson = QuizApp.lesson

    def counted(app: QuizApp, lesson_id: str) -> Any:
        table = app.screen.query_one("#gradebook", DataTable)
        loads.append((lesson_id, table.row_count))
        return lesson(app, lesson_id)

    monkeypatch.setattr(QuizApp, "lesson", counted)
    app = instructor_app(course)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
        assert len(grid(app)) == 30
        assert all(rows == 30 for _, rows in loads), loads
        await pilot.press("right")  # the first lesson's column: analysed in the background
        await pilot.pause()
        assert "First attempts: 5 students, 5 attempts" in analysis(app)


async def test_the_gradebook_measures_no_row_as_it_fills(
    course: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A DataTable measures every cell of every new row on its next idle (150 ms of the UI
    # thread for 1,000 students): the gradebook gives each column its width before adding
    # rows, so only the column labels are measured, once per column.
    import textual.widgets._data_table as data_table

    measured: list[object] = []
    measure = data_table.measure  # type: ignore[attr-defined]

    def counted(console: Any, renderable: Any, default: int, **kwargs: Any) -> int:
        measured.append(renderable)
        return measure(console, renderable, default, **kwargs)

    monkeypatch.setattr(data_table, "measure", counted)
    app = instructor_app(course)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(app, pilot)
        table = app.screen.query_one("#gradebook", DataTable)
        assert table.row_count == 30
        labels = {id(column.label) for column in table.columns.values()}
        assert measured and all(id(r) in labels for r in measured[-len(table.columns) :])
        assert len(measured) <= 2 * len(table.columns), len(measured)  # columns only
