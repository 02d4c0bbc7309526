"""The class view's gradebook table (issue 19): its columns get their widths before any row
is added, so it never measures a row, and it shows exactly what a ``DataTable`` measuring
every cell would show; and the class view's screen is imported without the modules only
its item analysis needs."""

from __future__ import annotations

import io
import subprocess
import sys
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text
from textual.app import App, ComposeResult
from textual.render import measure
from textual.widgets import DataTable

from quizapp.tui.widgets.class_view import StudentRow
from quizapp.tui.widgets.gradebook import Gradebook, column_width, gradebook_cells
from tests.support.tui import screen_text

LESSONS = [f"lesson-{n}" for n in range(11)]  # 11 lessons: "10/11" is wider than "9/9"
MARKS: dict[str, int | None] = {lid: 50 + n for n, lid in enumerate(LESSONS)}
MARKS["lesson-3"] = None  # a lesson whose pass mark is unknown

rows_strategy = st.lists(
    st.builds(
        StudentRow,
        name=st.text(
            st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=30
        ),  # the store's names are cleaned
        best=st.dictionaries(
            st.sampled_from(LESSONS), st.floats(0, 100, allow_nan=False), max_size=11
        ),
        in_progress=st.frozensets(st.sampled_from(LESSONS), max_size=3),
        passed=st.integers(0, 11),
    ),
    max_size=30,
)


@settings(max_examples=40, deadline=None)
@given(rows=rows_strategy)
def test_each_column_is_as_wide_as_its_widest_cell_measured(rows: list[StudentRow]) -> None:
    console = Console(file=io.StringIO(), width=200)
    cells, widths = gradebook_cells(rows, LESSONS, MARKS)
    assert len(cells) == len(rows) and len(widths) == len(LESSONS) + 1
    for at, width in enumerate(widths, start=1):
        measured = [measure(console, row[at], 1) for row in cells]
        assert width == max(measured, default=0)
    for row, shown in zip(rows, cells, strict=True):
        assert shown[0].plain == row.name  # the name as it is, never read as markup
        for lesson_id, cell in zip(LESSONS, shown[1:], strict=False):
            score, mark = row.best.get(lesson_id), MARKS[lesson_id]
            if score is None:
                assert cell.plain == ("…" if lesson_id in row.in_progress else "·")
                assert cell.style == "dim"
            else:
                assert cell.plain == f"{score:.0f}"
                passed = mark is None or score >= mark
                assert cell.style == ("green" if passed else "yellow")
        assert shown[-1].plain == f"{row.passed}/{len(LESSONS)}"


class Tables(App[None]):
    """A plain DataTable measuring every cell, and the Gradebook given its widths."""

    def __init__(self, table: DataTable[Any]) -> None:
        super().__init__()
        self.table = table

    def compose(self) -> ComposeResult:
        yield self.table


def _names() -> list[str]:
    return ["José Álvarez", "[Dani] Ulloa", "王小明", "A", "María de los Ángeles Ortega Ruiz"]


async def _shown(table: DataTable[Any], fixed: bool) -> tuple[str, Any, list[int]]:
    rows = [
        StudentRow(
            name,
            {lid: float((i * 37 + n * 11) % 101) for n, lid in enumerate(LESSONS) if n % (i + 2)},
            frozenset(LESSONS[i : i + 2]),
            i * 2,
        )
        for i, name in enumerate(_names() * 8)
    ]
    cells, widths = gradebook_cells(rows, LESSONS, MARKS)
    app = Tables(table)
    async with app.run_test(size=(100, 30)) as pilot:
        table.add_column(Text("Student", style="bold"), width=20, key="@student")
        for n, widest in enumerate(widths[:-1]):
            label = Text(f"L{n + 1}" + (" ▼" if n == 2 else ""), style="bold")
            table.add_column(label, width=column_width(label, widest) if fixed else None)
        label = Text("Passed", style="bold")
        table.add_column(label, width=column_width(label, widths[-1]) if fixed else None)
        for row in cells:
            table.add_row(*row)
        table.move_cursor(row=3, column=4)
        await pilot.pause()
        await pilot.pause()
        return (
            screen_text(app),
            table.virtual_size,
            [c.get_render_width(table) for c in table.ordered_columns],
        )


async def test_the_gradebook_shows_what_a_measuring_data_table_shows() -> None:
    measured = await _shown(
        DataTable(cursor_type="cell", zebra_stripes=True, fixed_columns=1), False
    )
    given_widths = await _shown(
        Gradebook(cursor_type="cell", zebra_stripes=True, fixed_columns=1), True
    )
    assert given_widths == measured


def test_the_class_view_opens_without_importing_what_only_the_analysis_needs() -> None:
    # `quizapp --instructor` imports the screen after the app starts: the lesson model
    # (pydantic), the reports and fsrs took 0.2-0.3 s of that before the first row; the
    # analysis worker imports them once the gradebook is shown.
    code = (
        "import sys, quizapp.tui.app, quizapp.tui.screens.instructor; "
        "print(' '.join(sorted(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    modules = set(done.stdout.split())
    assert "quizapp.tui.screens.instructor" in modules
    heavy = {"pydantic", "fsrs", "quizapp.reports", "quizapp.lessons.model", "yaml"}
    assert heavy & modules == set()
