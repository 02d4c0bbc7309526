"""The class view for instructors: the gradebook and, for one lesson, its item analysis.

Top: every student against every lesson, each cell the student's best score (from
:meth:`quizapp.store.Store.gradebook`), sortable by any column (``s`` on the column, or a
click on its header) and filtered by part of a name (``/``, then type). Bottom: the item
analysis (:mod:`quizapp.reports`) of the lesson whose column the cursor is in, drawn: each
question's facility as a bar beside its discrimination and flags, the choices of flagged
questions, and the histogram of the class's scores. Reading the scores runs in a worker
thread, so a big database never freezes the screen.
"""

from __future__ import annotations

from collections import defaultdict

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Header, Input, Label, Static

from quizapp.reports import (
    ATTEMPT_RULES,
    AnswerRecord,
    AttemptRule,
    LessonReport,
    ReportError,
    item_analysis,
    load_records,
)
from quizapp.store import GradebookRow, StoreError
from quizapp.tui.screens.base import AppScreen
from quizapp.tui.screens.review import class_review_text
from quizapp.tui.widgets.class_view import (  # also re-exported: tests and callers use them
    NAME_COLUMN,
    NAME_WIDTH,
    PASSED_COLUMN,
    StudentRow,
    analysis_renderable,
    filter_rows,
    fold,
    sort_rows,
    student_rows,
)
from quizapp.tui.widgets.footer import StableFooter
from quizapp.wording import plural

__all__ = [
    "InstructorScreen",
    "StudentRow",
    "analysis_renderable",
    "filter_rows",
    "fold",
    "sort_rows",
    "student_rows",
]


class AnalysisPanel(VerticalScroll):
    """The scrolling item analysis; it can be zoomed to the whole screen (z)."""

    ALLOW_MAXIMIZE = True


class ClassLoaded(Message):
    """The worker read the scores (or failed to: ``error`` says why)."""

    def __init__(
        self,
        rows: list[GradebookRow],
        records: dict[str, list[AnswerRecord]],
        error: str | None = None,
    ) -> None:
        super().__init__()
        self.rows = rows
        self.records = records
        self.error = error


class InstructorScreen(AppScreen):
    """The gradebook of the class and the item analysis of the lesson under the cursor.

    ``standalone`` when it is the whole app (``quizapp --instructor``): Escape then has no
    screen to go back to.
    """

    BINDINGS = [
        Binding("slash", "filter", "Filter", id="filter"),
        Binding("s", "sort", "Sort", id="sort"),
        Binding("r", "rule", "Attempts", id="rule"),
        Binding("z", "zoom", "Zoom", id="zoom"),
        Binding("u", "reload", "Reload", id="reload"),
        Binding("escape", "back", "Back", id="back"),
    ]

    def __init__(self, standalone: bool = False) -> None:
        super().__init__()
        self.standalone = standalone
        self.rows: list[StudentRow] = []
        self.records: dict[str, list[AnswerRecord]] = {}
        self.lesson_ids: list[str] = []
        self.sort_column = NAME_COLUMN
        self.sort_reverse = False
        self.rule: AttemptRule = "first"
        self.lesson_id: str | None = None  # the lesson analysed below the gradebook
        self.loaded = False
        self._reports: dict[tuple[str, AttemptRule], LessonReport] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="class-top"):
            yield Label("Class view", id="class-summary", classes="heading", markup=False)
            yield Input(placeholder="/ to filter by name", id="class-filter", compact=True)
        yield DataTable(id="gradebook", cursor_type="cell", zebra_stripes=True, fixed_columns=1)
        with AnalysisPanel(id="analysis"):
            yield Static(Text("Reading the scores…", style="italic"), id="analysis-body")
        yield StableFooter()

    def on_mount(self) -> None:
        self.sub_title = "Class view"
        self.query_one("#analysis").border_title = "Item analysis"
        gradebook = self.query_one("#gradebook")
        gradebook.border_title = "Gradebook: best score, %"
        gradebook.border_subtitle = "←/→ a lesson's column: its analysis below"
        self.action_reload()
        self.query_one("#gradebook", DataTable).focus()

    # ------------------------------------------------------------------ loading

    def action_reload(self) -> None:
        """Read the scores again (students may be taking quizzes right now)."""
        store = self.quiz_app.store
        if store is None:
            self._show_message(
                "No score database is open (see the message), so there is nothing to show."
            )
            return
        marks = {lesson.id: lesson.pass_mark for lesson in self.quiz_app.lessons}
        self._load(marks)

    @work(thread=True, exclusive=True, exit_on_error=False, group="class-view")
    def _load(self, pass_marks: dict[str, int]) -> None:
        store = self.quiz_app.store
        if store is None:
            return
        try:
            rows = store.gradebook("best", pass_marks)
            records = load_records(store.path)
        except (StoreError, ReportError) as exc:
            self.post_message(ClassLoaded([], {}, str(exc)))
            return
        grouped: dict[str, list[AnswerRecord]] = defaultdict(list)
        for record in records:
            grouped[record.lesson_id].append(record)
        self.post_message(ClassLoaded(rows, dict(grouped)))

    @on(ClassLoaded)
    def _loaded(self, message: ClassLoaded) -> None:
        if message.error is not None:
            self.notify(
                f"Could not read the scores: {message.error}",
                title="Scores database",
                severity="error",
                timeout=20,
                markup=False,  # paths and names are shown as they are
            )
            self._show_message(f"The scores could not be read: {message.error}")
            return
        self.rows = student_rows(message.rows)
        self.records = message.records
        self._reports.clear()
        known = [lesson.id for lesson in self.quiz_app.lessons]
        others = {row.lesson_id for row in message.rows} | set(message.records)
        self.lesson_ids = known + sorted(others - set(known))
        if self.lesson_id not in self.lesson_ids:
            self.lesson_id = self.lesson_ids[0] if self.lesson_ids else None
        self.loaded = True
        self._fill_table(keep_row=True)
        self._show_analysis()

    # ------------------------------------------------------------------ the gradebook

    def _number(self, lesson_id: str) -> int | None:
        known = [lesson.id for lesson in self.quiz_app.lessons]
        return known.index(lesson_id) + 1 if lesson_id in known else None

    def _label(self, text: str, key: str) -> Text:
        arrow = ""
        if key == self.sort_column:
            arrow = " ▼" if self.sort_reverse else " ▲"
        return Text(text + arrow, style="bold")

    def _cell(self, row: StudentRow, lesson_id: str) -> Text:
        score = row.best.get(lesson_id)
        lesson = self.quiz_app.lesson(lesson_id)
        if score is None:
            return Text("…" if lesson_id in row.in_progress else "·", style="dim", justify="right")
        passed = lesson is None or score >= lesson.quiz.pass_mark
        return Text(f"{score:.0f}", style="green" if passed else "yellow", justify="right")

    def _fill_table(self, *, keep_row: bool) -> None:
        """(Re)build the gradebook: columns, then the filtered and sorted rows."""
        table = self.query_one("#gradebook", DataTable)
        column = table.cursor_column
        name = None
        if keep_row and table.row_count:
            name = str(table.get_row_at(table.cursor_row)[0])
        table.clear(columns=True)
        longest = max((len(row.name) for row in self.rows), default=7)
        table.add_column(
            self._label("Student", NAME_COLUMN), width=min(NAME_WIDTH, max(longest, 9)),
            key=NAME_COLUMN,
        )  # fmt: skip
        for lesson_id in self.lesson_ids:
            number = self._number(lesson_id)
            label = f"L{number}" if number else lesson_id[:8]
            table.add_column(self._label(label, lesson_id), key=lesson_id)
        table.add_column(self._label("Passed", PASSED_COLUMN), key=PASSED_COLUMN)
        query = self.query_one("#class-filter", Input).value
        shown = sort_rows(filter_rows(self.rows, query), self.sort_column, self.sort_reverse)
        total = len(self.lesson_ids)
        for row in shown:
            table.add_row(
                Text(row.name, no_wrap=True, overflow="ellipsis"),
                *(self._cell(row, lesson_id) for lesson_id in self.lesson_ids),
                Text(f"{row.passed}/{total}", justify="right"),
            )
        at_row = 0
        if name is not None:
            at_row = next((i for i, row in enumerate(shown) if row.name == name), 0)
        table.move_cursor(row=at_row, column=min(column, len(self.lesson_ids) + 1), animate=False)
        self._summarise(len(shown), query)

    def _summarise(self, shown: int, query: str) -> None:
        students = len(self.rows)
        lessons = len(self.lesson_ids)
        text = f"{plural(students, 'student')} · {plural(lessons, 'lesson')}"
        if query.strip():
            text = f"{shown} of {students} students match “{query.strip()}”"
        self.query_one("#class-summary", Label).update(text)

    @on(DataTable.CellHighlighted, "#gradebook")
    def _cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        key = event.cell_key.column_key.value
        if key in self.lesson_ids and key != self.lesson_id:
            self.lesson_id = key
            self._show_analysis()

    @on(DataTable.HeaderSelected, "#gradebook")
    def _header_clicked(self, event: DataTable.HeaderSelected) -> None:
        if event.column_key.value is not None:
            self.sort_by(event.column_key.value)

    def sort_by(self, column: str) -> None:
        """Sort the gradebook by ``column``; again on the same column turns the order round.
        Names sort A to Z first; scores and lessons passed highest first."""
        if column == self.sort_column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column = column
            self.sort_reverse = column != NAME_COLUMN
        self._fill_table(keep_row=False)

    def action_sort(self) -> None:
        """Sort by the column the cursor is in."""
        table = self.query_one("#gradebook", DataTable)
        if not table.columns:
            return
        keys = list(table.columns)
        self.sort_by(str(keys[table.cursor_column].value))

    def action_filter(self) -> None:
        """Type part of a student's name to show only the students who match."""
        # At once (not after the next refresh), so keys typed right after "/" reach the box.
        self.set_focus(self.query_one("#class-filter", Input))

    @on(Input.Changed, "#class-filter")
    def _filter_changed(self) -> None:
        if self.loaded:
            self._fill_table(keep_row=False)

    @on(Input.Submitted, "#class-filter")
    def _filter_done(self) -> None:
        self.query_one("#gradebook", DataTable).focus()

    # ------------------------------------------------------------------ the analysis

    def action_rule(self) -> None:
        """Analyse the first, last, best or all attempts of each student, in turn."""
        at = ATTEMPT_RULES.index(self.rule)
        self.rule = ATTEMPT_RULES[(at + 1) % len(ATTEMPT_RULES)]
        self.notify(f"Item analysis of each student's {self.rule} attempts", timeout=3)
        self._show_analysis()

    def report(self, lesson_id: str) -> LessonReport | None:
        """The item analysis of a lesson under the current attempts rule (cached)."""
        lesson = self.quiz_app.lesson(lesson_id)
        if lesson is None:
            return None
        key = (lesson_id, self.rule)
        if key not in self._reports:
            self._reports[key] = item_analysis(lesson, self.records.get(lesson_id, []), self.rule)
        return self._reports[key]

    def _show_message(self, text: str) -> None:
        self.query_one("#analysis-body", Static).update(Text(text, style="italic"))

    def _show_analysis(self) -> None:
        panel = self.query_one("#analysis", AnalysisPanel)
        panel.border_title = f"Item analysis · {self.rule} attempts"
        lesson_id = self.lesson_id
        if lesson_id is None:
            self._show_message("No lessons and no scores yet.")
            return
        lesson = self.quiz_app.lesson(lesson_id)
        report = self.report(lesson_id)
        if lesson is None or report is None:
            self._show_message(
                f"Lesson {lesson_id!r} has scores but no lesson file in "
                f"{self.quiz_app.lessons_dir}, so its questions cannot be analysed."
            )
            return
        body = analysis_renderable(self._number(lesson_id), lesson, report)
        store = self.quiz_app.store
        review = class_review_text(store, lesson) if store is not None else None
        self.query_one("#analysis-body", Static).update(
            Group(body, review) if review is not None else body
        )

    # ------------------------------------------------------------------ moving around

    def action_zoom(self) -> None:
        """Give the whole screen to the gradebook or the analysis (whichever has the
        keyboard), and back."""
        if self.maximized is not None:
            self.minimize()
            self.refresh_bindings()
            return
        focused = self.focused
        target = focused if isinstance(focused, DataTable | AnalysisPanel) else None
        self.maximize(target or self.query_one("#gradebook", DataTable))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Escape is offered only when there is something to leave."""
        if action == "back" and self.standalone:
            return self.maximized is not None or self.query_one("#class-filter").has_focus
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def action_back(self) -> None:
        """Leave the filter, the zoom, or the class view, in that order."""
        filter_box = self.query_one("#class-filter", Input)
        if filter_box.has_focus:
            if filter_box.value:
                filter_box.value = ""
            self.query_one("#gradebook", DataTable).focus()
        elif self.maximized is not None:
            self.minimize()
            self.refresh_bindings()
        elif not self.standalone:
            self.dismiss()
