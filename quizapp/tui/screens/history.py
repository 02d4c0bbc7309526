"""The student's attempts: a table with score bars and a sparkline of scores over time."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Label, Sparkline

from quizapp.grading import response_text, right_answer
from quizapp.lessons.model import Lesson
from quizapp.store import UNREADABLE_TIME, Answer, Attempt, lesson_best
from quizapp.tui.screens.base import AppScreen
from quizapp.tui.widgets.footer import StableFooter

BAR = 10


def score_bar(percent: float, pass_mark: int) -> Text:
    """``████████░░ 80%``: a score drawn as a bar, green when it passes."""
    filled = round(percent / 100 * BAR)
    style = "green" if percent >= pass_mark else "yellow"
    text = Text("█" * filled, style=style)
    text.append("░" * (BAR - filled), style="dim")
    text.append(f" {percent:3.0f}%")
    return text


def attempt_review(lesson: Lesson, attempt: Attempt, answers: list[Answer]) -> Group:
    """An attempt question by question: prompt, the answer given, the right answer, the
    explanation (questions since removed from the lesson are named as such)."""
    given = {a.question_id: a for a in answers}
    questions = {q.id: q for q in lesson.quiz.questions}
    parts: list[RenderableType] = []
    for number, question_id in enumerate(attempt.question_ids, start=1):
        question = questions.get(question_id)
        if question is None:
            parts.append(Text(f"{number}. (a question since removed from the lesson)", "dim"))
            continue
        answer = given.get(question_id)
        mark = "·" if answer is None else "✔" if answer.score >= 1 else "◐" if answer.score else "✘"
        parts.append(Text(f"{mark} {number}. ", style="bold").append(question.prompt.strip()))
        line = Text("Your answer: ", style="bold")
        line.append(response_text(question, answer.response) if answer else "(not answered)")
        parts.append(line)
        parts.append(Text("Right answer: ", style="bold").append(right_answer(question)))
        if question.explanation:
            parts.append(Markdown(question.explanation))
        parts.append(Text(""))
    return Group(*parts)


class HistoryScreen(AppScreen):
    """Attempts of one lesson (or all lessons), newest last, with the trend drawn."""

    BINDINGS = [
        Binding("right,]", "cycle(1)", "Next lesson", id="next-lesson"),
        Binding("left,[", "cycle(-1)", "Previous lesson", id="previous-lesson"),
        Binding("a", "all", "All lessons", id="all"),
        Binding("enter", "open_attempt", "Open attempt", id="open-attempt", show=False),
        Binding("escape", "back", "Back", id="back"),
    ]

    def __init__(self, lesson_id: str | None = None) -> None:
        super().__init__()
        self.lesson_id = lesson_id
        #: The attempts in the table, in its order (Enter opens one).
        self.attempts: list[Attempt] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(id="history-title", classes="heading", markup=False)
        yield Sparkline([], id="history-chart")
        yield Label(id="history-chart-label", classes="muted", markup=False)
        yield DataTable(id="history-table", cursor_type="row", zebra_stripes=True)
        yield StableFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Lesson", "Started (UTC)", "Score", "Status")
        self.load()

    def load(self) -> None:
        """Fill the chart and table for the chosen lesson (or all)."""
        app = self.quiz_app
        lesson = app.header(self.lesson_id) if self.lesson_id else None
        self.query_one("#history-title", Label).update(
            f"{app.student_name}: {lesson.title if lesson else 'all lessons'}"
        )
        store, student = app.store, app.student
        attempts: list[Attempt] = []
        if store is not None and student is not None:
            lesson_id = lesson.id if lesson else None
            attempts = (
                self.safely(lambda: store.history(student.id, lesson_id), "load history") or []
            )
        # Only the attempts that count (finished, whole quiz): a retry of missed questions
        # is practice, and "best" here is the lesson list's and gradebook's best.
        counted = [a for a in attempts if a.counts and a.percent is not None]
        percents = [a.percent for a in counted if a.percent is not None]
        chart = self.query_one(Sparkline)
        chart.data = percents if len(counted) > 1 else []
        chart.display = len(counted) > 1
        label = self.query_one("#history-chart-label", Label)
        retries = sum(1 for a in attempts if a.mode == "retry" and a.status == "finished")
        note = (
            f" ({retries} {'retry' if retries == 1 else 'retries'} of missed questions not counted)"
        )
        if len(counted) > 1:
            best = max(percents)
            graded = ""
            if lesson is not None and lesson.grade != "best":
                counts = lesson_best(counted, lesson.grade)  # type: ignore[arg-type]
                graded = f"; the {lesson.grade} counts: {counts:.0f}%" if counts is not None else ""
            label.update(
                f"Scores over time, {len(counted)} finished attempts: "
                f"first {percents[0]:.0f}%, best {best:.0f}%, last {percents[-1]:.0f}%"
                + graded
                + (note if retries else "")
            )
        elif counted:
            label.update(
                f"One finished attempt so far ({percents[0]:.0f}%): the chart appears after "
                "the second." + (note if retries else "")
            )
        else:
            label.update("No finished attempts yet." + (note if retries else ""))
        table = self.query_one(DataTable)
        table.clear()
        self.attempts = attempts
        for attempt in attempts:
            the_lesson = app.header(attempt.lesson_id)
            pass_mark = the_lesson.pass_mark if the_lesson else 70
            score = (
                score_bar(attempt.percent, pass_mark)
                if attempt.percent is not None and attempt.status == "finished"
                else Text("")
            )
            status = attempt.status.replace("_", " ")
            table.add_row(
                Text(the_lesson.title if the_lesson else attempt.lesson_id),
                # A time the database could not read (a damaged row) says so.
                "damaged"
                if attempt.started_at == UNREADABLE_TIME
                else attempt.started_at.strftime("%Y-%m-%d %H:%M"),
                score,
                Text(
                    (f"{status} (retry: not counted)" if attempt.mode == "retry" else status)
                    + (" (damaged)" if attempt.damaged else "")
                ),
            )
        table.focus()

    @on(DataTable.RowSelected)
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.open_attempt(event.cursor_row)

    def action_open_attempt(self) -> None:
        """Open the highlighted attempt (Enter)."""
        self.open_attempt(self.query_one(DataTable).cursor_row)

    def open_attempt(self, row: int) -> None:
        """Every question of an attempt: the answer given, the right one, the explanation."""
        from quizapp.tui.screens.dialogs import DetailScreen

        if not 0 <= row < len(self.attempts):
            return
        attempt, store = self.attempts[row], self.quiz_app.store
        lesson = self.quiz_app.lesson(attempt.lesson_id)
        if store is None or lesson is None:
            self.notify("That lesson is no longer in the lessons folder.", severity="warning")
            return
        answers = self.safely(lambda: store.answers(attempt.id), "load the answers")
        if answers is None:
            return
        self.app.push_screen(
            DetailScreen(
                f"Attempt of {attempt.started_at:%Y-%m-%d %H:%M} UTC",
                attempt_review(lesson, attempt, answers),
            )
        )

    def action_cycle(self, step: int) -> None:
        """Show the next or previous lesson's history."""
        ids = [lesson.id for lesson in self.quiz_app.lessons]
        if not ids:
            return
        at = ids.index(self.lesson_id) if self.lesson_id in ids else (-1 if step > 0 else 0)
        self.lesson_id = ids[(at + step) % len(ids)]
        self.load()

    def action_all(self) -> None:
        """Every lesson's attempts together."""
        self.lesson_id = None
        self.load()

    def action_back(self) -> None:
        """Back to where the history was opened from."""
        self.dismiss()
