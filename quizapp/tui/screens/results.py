"""Results of an attempt: the score, pass or not, and every answer beside the right one."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Label

from quizapp.flow import QuizFlow
from quizapp.grading import hint_cost, response_text
from quizapp.lessons.model import Lesson
from quizapp.session import QuizSession, ResultRow
from quizapp.store import Attempt
from quizapp.tui.screens.base import AppScreen
from quizapp.tui.widgets.footer import StableFooter


class ResultsScreen(AppScreen):
    """The end of a quiz. Retry everything (new shuffle) or only the questions missed."""

    BINDINGS = [
        Binding("r", "retry", "Retry", id="retry"),
        Binding("m", "retry_missed", "Retry missed", id="retry-missed"),
        Binding("h", "history", "History", id="history"),
        Binding("c", "continue", "Next lesson", id="continue"),
        Binding("escape", "back", "Lessons", id="back"),
    ]
    #: True once the verdict says the lesson is passed (then ``c`` opens the next lesson).
    passed = False

    def __init__(self, lesson: Lesson, flow: QuizFlow) -> None:
        super().__init__()
        self.lesson = lesson
        self.flow = flow
        assert flow.session is not None
        self.session: QuizSession = flow.session
        self.attempt: Attempt = flow.session.attempt

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(id="result-score", classes="heading")
        yield DataTable(id="result-table", cursor_type="row", zebra_stripes=True)
        yield Label(
            "Enter shows a question in full · r retry (new order) · m retry the ones you "
            "missed · h history · Escape lessons",
            classes="muted",
        )
        yield StableFooter()

    def on_mount(self) -> None:
        self.sub_title = self.lesson.title
        self.query_one("#result-score", Label).update(self._verdict())
        self.refresh_bindings()  # c (next lesson) once the verdict says passed
        table = self.query_one(DataTable)
        table.add_columns("", "Question", "Your answer", "Right answer")
        # Share the width: the question gets ~40%, each answer ~25% (80 columns and up).
        room = max(60, self.app.size.width - 14)
        ask, given = room * 2 // 5, room * 5 // 16
        for number, row in enumerate(self.session.results(), start=1):
            question, grade = row.question, row.grade
            mark = "✔" if grade.correct else ("◐" if grade.score > 0 else "✘")
            style = "green" if grade.correct else ("yellow" if grade.score > 0 else "red")
            prompt = question.prompt.strip().splitlines()[0]
            table.add_row(
                Text(f"{mark} {number}", style=style),
                Text(_clip(prompt, ask)),
                Text(_given(row, self.lesson.quiz.hint_penalty, given)),
                Text(_clip(row.right_answer, given)),
            )
        table.focus()

    def _verdict(self) -> Text:
        """The attempt's points, and pass or not by the lesson's score: a retry of missed
        questions is shown for practice and never passes a lesson by itself (the same rule
        as the lesson list, history and gradebook: :func:`quizapp.store.lesson_best`)."""
        attempt, mark = self.attempt, self.lesson.quiz.pass_mark
        score, most = attempt.score or 0.0, attempt.max_score or 0.0
        percent = attempt.percent or 0.0
        best = self.safely(self.flow.lesson_best, "read your score")
        if attempt.mode == "retry":
            verdict = Text(f"Retry of missed questions: {score:.3g} of {most:g} right. ")
            verdict.append("Practice only: it does not change your lesson score. ", style="dim")
            if best is None:
                verdict.append("No lesson score yet.", style="bold yellow")
                return verdict
            verdict.append(f"Lesson score {best:.0f}%  ")
            percent = best
        else:
            verdict = Text(f"{score:.3g} of {most:g} points — {percent:.0f}%  ")
        passed = percent >= mark
        verdict.append(
            f"✓ Passed (pass mark {mark}%)" if passed else f"Not passed yet (pass mark {mark}%)",
            style="bold green" if passed else "bold yellow",
        )
        self.passed = passed
        following = self._next_lesson()
        if passed and following is not None:
            number, title = following
            verdict.append(f"\nc: continue with lesson {number}, ", style="bold")
            verdict.append(title, style="bold")
        return verdict

    def _next_lesson(self) -> tuple[int, str] | None:
        """The lesson after this one in the list (its number and title), if any."""
        lessons = self.quiz_app.lessons
        ids = [header.id for header in lessons]
        if self.lesson.id not in ids:
            return None
        at = ids.index(self.lesson.id) + 1
        return (at + 1, lessons[at].title) if at < len(lessons) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``c`` only once the lesson is passed and a lesson follows it."""
        if action == "continue":
            return self.passed and self._next_lesson() is not None
        return True

    def action_continue(self) -> None:
        """On to the next lesson's cards (the path through the module)."""
        lessons = self.quiz_app.lessons
        following = self._next_lesson()
        if following is None:
            return
        self.dismiss()
        self.quiz_app.open_lesson(lessons[following[0] - 1].id)

    @on(DataTable.RowSelected)
    def _show_row(self, event: DataTable.RowSelected) -> None:
        """The whole question, both answers, the explanation: the table shortens them."""
        from quizapp.tui.screens.dialogs import DetailScreen

        row = self.session.results()[event.cursor_row]
        question = row.question
        body: list[RenderableType] = [Markdown(question.prompt), Text("")]
        given = Text("Your answer: ", style="bold")
        given.append(response_text(question, row.response) if row.answered else "(not answered)")
        right = Text("Right answer: ", style="bold")
        right.append(row.right_answer)
        body += [given, right, Text(f"Score: {row.grade.score:.0%}", style="dim")]
        body += [Text(line, style="italic") for line in row.grade.feedback]
        if question.explanation:
            body += [Text(""), Markdown(question.explanation)]
        self.app.push_screen(DetailScreen(f"Question {event.cursor_row + 1}", Group(*body)))

    def action_retry(self) -> None:
        """A new attempt with a new shuffle."""
        from quizapp.tui.screens.quiz import start_quiz

        self.dismiss()
        start_quiz(self.quiz_app, self.lesson)

    def action_retry_missed(self) -> None:
        """A new attempt at only the questions not fully right."""
        from quizapp.tui.screens.quiz import start_quiz

        missed = self.session.missed()
        if not missed:
            self.notify("You got every question right: nothing to retry.")
            return
        self.dismiss()
        start_quiz(self.quiz_app, self.lesson, only=missed)

    def action_history(self) -> None:
        """Scores over time."""
        from quizapp.tui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen(self.lesson.id))

    def action_back(self) -> None:
        """Back to the lesson list."""
        self.dismiss()


def _given(row: ResultRow, penalty: float, width: int) -> str:
    """The student's answer as the results list it (clipped to ``width``), saying when it
    came after the hint."""
    text = response_text(row.question, row.response)
    if not row.hinted:
        return _clip(text, width)
    note = f" ({hint_cost(penalty)})"
    return _clip(text, max(8, width - len(note))) + note


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
