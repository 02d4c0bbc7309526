"""The class view's gradebook table: one row per student, one column per lesson.

A :class:`~textual.widgets.DataTable` whose every column is given its width when it is
added (the screen knows every cell before it adds the first row: see
:func:`gradebook_cells`), so the rows it adds are never measured. A plain ``DataTable``
measures every cell of every new row on its next idle, whatever the column's width (about
0.15 ms a row: 150 ms of a 1,000-student class's 0.5 s to fill, in the UI thread). The
cells themselves are built once for the whole class, each distinct score cell once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.geometry import Size
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

from quizapp.tui.widgets.class_view import StudentRow

__all__ = ["Cells", "Gradebook", "column_width", "gradebook_cells"]

#: One gradebook row as shown: the name, a score per lesson, the lessons passed.
Cells = tuple[Text, ...]


class Gradebook(DataTable[Text]):
    """The gradebook: a ``DataTable`` that skips measuring new rows when every column has
    its width and no row has a label or an automatic height (what :meth:`add_column` with
    ``width`` and :meth:`add_row` with the default height give). Anything else is measured
    as a ``DataTable`` does."""

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        # Textual 8.2's DataTable measures each new cell here to grow auto-width columns;
        # with no auto-width column that measuring changes nothing, and only the virtual
        # size (computed below as DataTable does) is left to update.
        new_rows = list(new_rows)
        rows = self.rows
        if any(column.auto_width for column in self.columns.values()) or any(
            (row := rows.get(key)) is not None and (row.label is not None or row.auto_height)
            for key in new_rows
        ):
            super()._update_dimensions(new_rows)
            return
        width = sum(column.get_render_width(self) for column in self.columns.values())
        header_height = self.header_height if self.show_header else 0
        self.virtual_size = Size(
            width + self._row_label_column_width, self._total_row_height + header_height
        )


def gradebook_cells(
    rows: Sequence[StudentRow],
    lesson_ids: Sequence[str],
    pass_marks: Mapping[str, int | None],
) -> tuple[list[Cells], list[int]]:
    """Each row's cells (the name, the best score in each lesson, the lessons passed) and
    the width of each column after the name's: the widest cell in it.

    A score is green when it reaches the lesson's pass mark (or the pass mark is unknown),
    else yellow; a lesson not scored yet is "…" while an attempt is under way, else "·".
    The class repeats a few hundred distinct cells: each is built once and shared (a
    ``DataTable`` only reads its cells)."""
    total = len(lesson_ids)
    widths = [0] * (total + 1)
    missing = Text("·", style="dim", justify="right")
    open_ = Text("…", style="dim", justify="right")
    # Per lesson, each distinct score's cell (a class has a few dozen scores per lesson).
    columns: list[tuple[int, str, dict[float, Text]]] = [
        (index, lesson_id, {}) for index, lesson_id in enumerate(lesson_ids)
    ]
    passed_cells: dict[int, Text] = {}
    result: list[Cells] = []
    for row in rows:
        cells = [Text(row.name, no_wrap=True, overflow="ellipsis")]
        best = row.best
        for index, lesson_id, made in columns:
            score = best.get(lesson_id)
            if score is None:
                cells.append(open_ if lesson_id in row.in_progress else missing)
                continue
            cell = made.get(score)
            if cell is None:
                mark = pass_marks.get(lesson_id)
                style = "green" if mark is None or score >= mark else "yellow"
                cell = made[score] = Text(f"{score:.0f}", style=style, justify="right")
                widths[index] = max(widths[index], len(cell.plain))
            cells.append(cell)
        passed = passed_cells.get(row.passed)
        if passed is None:
            passed = passed_cells[row.passed] = Text(f"{row.passed}/{total}", justify="right")
            widths[total] = max(widths[total], len(passed.plain))
        cells.append(passed)
        result.append(tuple(cells))
    if rows:  # each lesson's column has a cell in every row: "·" and "…" are one cell wide
        widths = [max(width, 1) for width in widths]
    return result, widths


def column_width(label: Text, widest_cell: int) -> int:
    """A column's width as a ``DataTable`` would measure it: its label or its widest cell."""
    return max(cell_len(label.plain), widest_cell)
