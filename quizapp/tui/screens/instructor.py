"""The class view for instructors: the gradebook and, for one lesson, its item analysis.

Top: every student against every lesson, each cell the student's best score (from
:meth:`quizapp.store.Store.gradebook`), sortable by any column (``s`` on the column, or a
click on its header) and filtered by part of a name (``/``, then type). Bottom: the item
analysis (:mod:`quizapp.reports`) of the lesson whose column the cursor is in, drawn: each
question's facility as a bar beside its discrimination and flags, the choices of flagged
questions, and the histogram of the class's scores. Reading the scores runs in worker
threads, so a big database never freezes the screen: the gradebook first (one row per
student and lesson), then each lesson's answers, one lesson at a time, analysed under every
attempts rule (the lesson under the cursor first). Only one lesson's answers are in memory
at a time; the analyses are kept. What the gradebook and the analysis show is drawn by
:mod:`quizapp.tui.widgets.class_view`, and the panel below is
:class:`quizapp.tui.widgets.analysis_panel.AnalysisPanel`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import RenderableType
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Header, Input, Label, Static
from textual.worker import get_current_worker

from quizapp.lessons.catalog import LessonHeader
from quizapp.store import RULES, Rule, Store, StoreError
from quizapp.tui.screens.base import AppScreen
from quizapp.tui.screens.class_analysis import analyse_lessons
from quizapp.tui.screens.class_messages import ClassLoaded, LessonAnalysed
from quizapp.tui.widgets.analysis_panel import AnalysisPanel
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
from quizapp.tui.widgets.gradebook import Cells, Gradebook, column_width, gradebook_cells
from quizapp.wording import plural

if TYPE_CHECKING:
    # The lesson model (pydantic), the reports and the review screen (fsrs) are imported by
    # the analysis worker, after the gradebook is shown: importing them with this module
    # took 0.2-0.3 s of a fresh `quizapp --instructor` before the first row.
    from quizapp.lessons.model import Lesson
    from quizapp.reports import AttemptRule, LessonReport

__all__ = [
    "AnalysisPanel",
    "InstructorScreen",
    "StudentRow",
    "analysis_renderable",
    "filter_rows",
    "fold",
    "sort_rows",
    "student_rows",
]


#: Gradebook rows added at once (more than a screenful), then per frame after that. Rows
#: are not measured (see Gradebook): 1,000 take 20-40 ms to add, and each chunk costs a
#: frame drawing every visible cell again, so after the first screenful come big chunks.
FIRST_ROWS = 60
CHUNK_ROWS = 1000


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
        self.answered: set[str] = set()  # lessons with answers in the scores
        self.lesson_ids: list[str] = []
        self.sort_column = NAME_COLUMN
        self.sort_reverse = False
        self.rule: AttemptRule = "first"
        self.lesson_id: str | None = None  # the lesson analysed below the gradebook
        self.loaded = False
        self._reports: dict[tuple[str, AttemptRule], LessonReport] = {}
        self._analysis_error: str | None = None
        self._fill_generation = 0
        self._filled_generation = -1
        self._pending_analysis: tuple[Path | str, dict[str, LessonHeader], set[str]] | None = None
        # Lessons the analysis worker loaded (their files are read there, not in the UI
        # thread), and those whose file would not load.
        self._lessons: dict[str, Lesson] = {}
        self._unloadable: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="class-top"):
            yield Label("Class view", id="class-summary", classes="heading", markup=False)
            yield Input(placeholder="/ to filter by name", id="class-filter", compact=True)
        yield Gradebook(id="gradebook", cursor_type="cell", zebra_stripes=True, fixed_columns=1)
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
        self._analysis_error = None
        rules = {
            lesson.id: lesson.grade for lesson in self.quiz_app.lessons if lesson.grade in RULES
        }
        self._load(marks, rules)

    @work(thread=True, exclusive=True, exit_on_error=False, group="class-view")
    def _load(self, pass_marks: dict[str, int], rules: dict[str, Rule]) -> None:
        store = self.quiz_app.store
        if store is None:
            return
        try:
            rows = store.gradebook("best", pass_marks, rules)
            self.answered = store.answered_lessons()
        except StoreError as exc:
            self.post_message(ClassLoaded([], str(exc)))
            return
        self.post_message(ClassLoaded(rows))

    @work(thread=True, exclusive=True, exit_on_error=False, group="class-analysis")
    def _analyse(
        self, path: Path | str, headers: dict[str, LessonHeader], answered: set[str]
    ) -> None:
        """Each lesson's item analysis under every rule, the lesson under the cursor (and
        its current rule) first (:func:`analyse_lessons`). Each lesson's file, and the
        modules the analysis needs, are loaded there, not in the UI thread."""
        worker = get_current_worker()
        analyse_lessons(
            path,
            headers,
            answered,
            looking_at=lambda: (self.lesson_id, self.rule),
            cancelled=lambda: worker.is_cancelled,
            post=self.post_message,
        )

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
        self._reports.clear()
        known = [lesson.id for lesson in self.quiz_app.lessons]
        others = {row.lesson_id for row in message.rows} | self.answered
        self.lesson_ids = known + sorted(others - set(known))
        if self.lesson_id not in self.lesson_ids:
            self.lesson_id = self.lesson_ids[0] if self.lesson_ids else None
        self.loaded = True
        store = self.quiz_app.store
        if store is not None:  # analysed once the gradebook is all there (see _add_rows)
            files = {lid: self.quiz_app.header(lid) for lid in self.lesson_ids}
            headers = {lid: header for lid, header in files.items() if header is not None}
            self._pending_analysis = (store.target, headers, set(self.answered))
        self._fill_table(keep_row=True)
        self._show_analysis()

    @on(LessonAnalysed)
    def _analysed(self, message: LessonAnalysed) -> None:
        if message.lesson is not None:
            self._lessons[message.lesson_id] = message.lesson
        elif message.error is None:
            self._unloadable.add(message.lesson_id)
        if message.error is not None:
            self._analysis_error = message.error
        elif message.report is not None:
            self._reports[(message.lesson_id, message.rule)] = message.report
        if (message.lesson_id, message.rule) == (self.lesson_id, self.rule):
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

    def _fill_table(self, *, keep_row: bool) -> None:
        """(Re)build the gradebook: columns, then the filtered and sorted rows."""
        table = self.query_one("#gradebook", DataTable)
        column = table.cursor_column
        name = None
        if keep_row and table.row_count:
            name = str(table.get_row_at(table.cursor_row)[0])
        table.clear(columns=True)
        query = self.query_one("#class-filter", Input).value
        shown = sort_rows(filter_rows(self.rows, query), self.sort_column, self.sort_reverse)
        # Every cell is made now, so each column gets its width before the first row: the
        # table then never measures a row (see Gradebook).
        marks = {}
        for lesson_id in self.lesson_ids:
            header = self.quiz_app.header(lesson_id)  # the pass mark, without the file
            marks[lesson_id] = None if header is None else header.pass_mark
        cells, widths = gradebook_cells(shown, self.lesson_ids, marks)
        longest = max((len(row.name) for row in self.rows), default=7)
        table.add_column(
            self._label("Student", NAME_COLUMN), width=min(NAME_WIDTH, max(longest, 9)),
            key=NAME_COLUMN,
        )  # fmt: skip
        for lesson_id, widest in zip(self.lesson_ids, widths[:-1], strict=True):
            number = self._number(lesson_id)
            label = self._label(f"L{number}" if number else lesson_id[:8], lesson_id)
            table.add_column(label, width=column_width(label, widest), key=lesson_id)
        label = self._label("Passed", PASSED_COLUMN)
        table.add_column(label, width=column_width(label, widths[-1]), key=PASSED_COLUMN)
        at_row = 0
        if name is not None:
            at_row = next((i for i, row in enumerate(shown) if row.name == name), 0)
        cursor = (at_row, min(column, len(self.lesson_ids) + 1))
        # A screenful of rows now, the rest a chunk a frame: the screen keeps answering
        # keys, and rows appear as they are added. A new fill (sorting, filtering,
        # reloading) leaves the chunks of the old one unadded.
        self._fill_generation += 1
        self._add_rows(self._fill_generation, cells, 0, FIRST_ROWS, cursor)
        self._summarise(len(shown), query)

    def _add_rows(
        self,
        generation: int,
        shown: list[Cells],
        start: int,
        count: int,
        cursor: tuple[int, int],
    ) -> None:
        """Add ``shown[start:start + count]`` to the gradebook, then the next chunk after
        the next frame; the cursor goes to its row once that row is there."""
        if generation != self._fill_generation:
            return
        table = self.query_one("#gradebook", Gradebook)
        end = min(start + count, len(shown))
        add_row = table.add_row
        for cells in shown[start:end]:
            add_row(*cells)
        at_row, column = cursor
        if start <= at_row < end or (at_row >= len(shown) and end == len(shown)):
            table.move_cursor(row=at_row, column=column, animate=False)
        if end < len(shown):
            self.call_after_refresh(self._add_rows, generation, shown, end, CHUNK_ROWS, cursor)
            return
        self._filled_generation = generation
        if self._pending_analysis is not None:
            # The analyses start once every row is in: their thread would slow the last
            # chunks (the GIL) when the gradebook is what the instructor looks at first.
            path, headers, answered = self._pending_analysis
            self._pending_analysis = None
            self._analyse(path, headers, answered)

    @property
    def filled(self) -> bool:
        """True once the gradebook holds every row of its latest fill."""
        return self.loaded and self._filled_generation == self._fill_generation

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
        from quizapp.reports import ATTEMPT_RULES

        at = ATTEMPT_RULES.index(self.rule)
        self.rule = ATTEMPT_RULES[(at + 1) % len(ATTEMPT_RULES)]
        self.notify(f"Item analysis of each student's {self.rule} attempts", timeout=3)
        self._show_analysis()

    def report(self, lesson_id: str) -> LessonReport | None:
        """The item analysis of a lesson under the current attempts rule, once the worker
        has made it (None before, or when the lesson has no file)."""
        return self._reports.get((lesson_id, self.rule))

    def _show_message(self, text: str) -> None:
        self.query_one("#analysis", AnalysisPanel).show_message(text)

    def _show_analysis(self) -> None:
        lesson_id = self.lesson_id
        store = self.quiz_app.store
        lesson: Lesson | None = None
        pending = False
        if lesson_id is not None:
            lesson = self._lessons.get(lesson_id)
            if lesson is None and lesson_id not in self._unloadable:
                # Loaded by the analysis worker; until then, analysing (a lesson with no
                # file, or a broken one, is loaded here to say why).
                pending = self.quiz_app.header(lesson_id) is not None
                if not pending:
                    lesson = self.quiz_app.lesson(lesson_id)
            elif lesson is None:
                lesson = self.quiz_app.lesson(lesson_id)
        self.query_one("#analysis", AnalysisPanel).show_analysis(
            self.rule,
            lesson_id,
            None if lesson_id is None else self._number(lesson_id),
            lesson,
            None if lesson_id is None else self.report(lesson_id),
            pending=pending,
            error=self._analysis_error,
            lessons_dir=self.quiz_app.lessons_dir,
            review=lambda lesson: _class_review(store, lesson),
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


def _class_review(store: Store | None, lesson: Lesson) -> RenderableType | None:
    """What the class's spaced review says of ``lesson`` (the review screen's, imported
    here: the analysis worker has loaded it by the time a lesson's analysis is shown)."""
    from quizapp.tui.screens.review import class_review_text

    return class_review_text(store, lesson) if store is not None else None
