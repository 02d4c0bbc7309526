"""The exam screen (a lesson with ``feedback: deferred``): a question map, back and forward,
flags, answers changed until "Submit", a countdown when the quiz has a time limit.

It only shows what its :class:`~quizapp.exam.ExamFlow` holds and sends it the student's
events; every answer and change is stored by the flow the moment it is given.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Header, Label, Static

from quizapp.exam import ExamFlow
from quizapp.lessons.model import Lesson, Question, TrueFalseQuestion
from quizapp.session import SessionError
from quizapp.store import StoreError
from quizapp.text import clean
from quizapp.tui.screens.base import AppScreen
from quizapp.tui.screens.quiz import markdown_or_text
from quizapp.tui.widgets.cards import hint_text
from quizapp.tui.widgets.footer import StableFooter
from quizapp.tui.widgets.question_map import QuestionMap
from quizapp.tui.widgets.questions import QuestionView, TypedView, question_view, view_class

if TYPE_CHECKING:
    from quizapp.flow import QuizFlow

__all__ = ["ExamScreen", "countdown"]


def countdown(seconds: float) -> str:
    """``12:05 left`` (minutes and seconds; hours when long)."""
    whole = int(seconds + 0.999)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d} left" if hours else f"{minutes}:{secs:02d} left"


def _shown(response: Any) -> str:
    """A stored answer as one line for the student (literal, cleaned)."""
    if isinstance(response, str):
        return clean(response)
    if isinstance(response, bool):
        return "True" if response else "False"
    if isinstance(response, list):
        return clean(", ".join(str(item) for item in response))
    if isinstance(response, dict):
        return clean("; ".join(f"{k} → {v}" for k, v in response.items()))
    return clean(json.dumps(response, ensure_ascii=False))


class ExamScreen(AppScreen):
    """One exam attempt: answer in any order; nothing is marked until it is submitted."""

    BINDINGS = [
        Binding("pagedown", "forward", "Next", priority=True),
        Binding("pageup", "back", "Back", priority=True),
        Binding("ctrl+f", "flag", "Flag", priority=True),
        Binding("ctrl+s", "submit", "Submit", priority=True),
        # Said on the map's legend: the footer has no room left at 80 columns.
        Binding("ctrl+g", "goto", "Go to question", show=False, priority=True),
        Binding("escape", "leave", "Leave"),
        # A question's hint (issue 16): h, or Ctrl+T when h would be typed into the answer.
        Binding("h", "hint('h')", "hint", id="hint"),
        Binding("ctrl+t", "hint('ctrl+t')", "hint", id="hint-typed", priority=True),
    ]

    def __init__(self, lesson: Lesson, flow: QuizFlow, exam: ExamFlow) -> None:
        super().__init__()
        self.lesson = lesson
        self.flow = flow
        self.exam = exam
        self.views: dict[type[QuestionView], QuestionView] = {}
        self.view: QuestionView | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="exam-top"):
            yield Label(id="exam-count", classes="heading", markup=False)
            yield Label(id="exam-timer", markup=False)
        yield QuestionMap(id="exam-map")
        with VerticalScroll(id="exam-body"):
            yield Static(id="exam-prompt")
            yield Static(id="exam-hint", classes="hint-shown")
        yield Static(id="exam-status")
        yield StableFooter()

    async def on_mount(self) -> None:
        self.sub_title = f"{self.lesson.title} (exam)"
        for message in self.flow.messages:
            self.notify(message, title="Lesson changed", severity="warning", timeout=15)
        if self.exam.deadline is not None:
            self.notify(
                "This quiz has a time limit. The clock keeps running while the app is "
                "closed: leaving does not stop it.",
                title="Timed quiz",
                timeout=8,
            )
            self.set_interval(1, self.tick)
        await self.show_question()

    # ------------------------------------------------------------------ drawing

    def _order(self, question: Question) -> list[str]:
        if isinstance(question, TrueFalseQuestion):
            return ["True", "False"]
        assert self.flow.session is not None
        return self.flow.session.display_choices(question)

    async def show_question(self) -> None:
        """Show the question at the exam's position, its map and its stored answer."""
        exam = self.exam
        question = exam.current
        self.query_one("#exam-count", Label).update(
            f"Question {exam.position + 1} of {len(exam.questions)}"
            + ("  ⚑ flagged" if exam.flagged(question.id) else "")
        )
        self._draw_timer()
        self._draw_map()
        self.query_one("#exam-prompt", Static).update(markdown_or_text(question.prompt))
        order = self._order(question)
        view = self.views.get(view_class(question))
        if view is None:
            view = question_view(question, order)
            self.views[type(view)] = view
            await self.query_one("#exam-body").mount(view, after="#exam-hint")
        else:
            view.load(question, order)
        for other in self.views.values():
            other.display = other is view
        self.view = view
        self._draw_hint()
        view.focus_input()
        self._draw_status()
        self.refresh_bindings()

    def _draw_hint(self) -> None:
        """The hint of the question shown, once revealed (it stays: going back, resuming)."""
        question = self.exam.current
        revealed = question.hint is not None and self.exam.hinted(question.id)
        shown = self.query_one("#exam-hint", Static)
        shown.update(hint_text(question.hint or "") if revealed else "")
        shown.display = revealed

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The hint key shows while the question's hint is not shown yet: ``h``, or Ctrl+T
        on a typed answer (where h is a letter of the answer)."""
        if action != "hint":
            return True
        question = self.exam.current
        if self.exam.submitted or question.hint is None or self.exam.hinted(question.id):
            return False
        typed = isinstance(self.view, TypedView)
        return parameters == (("ctrl+t",) if typed else ("h",))

    async def action_hint(self, key: str = "h") -> None:
        """Reveal the hint of the question shown: stored at once; it costs the lesson's
        ``hint_penalty`` of this question's credit when the attempt is graded."""
        self._guard(self.exam.reveal_hint)
        if self.exam.submitted:  # the time ran out meanwhile
            self._results()
            return
        self._draw_hint()
        self.refresh_bindings()

    def _draw_map(self) -> None:
        exam = self.exam
        marks = [(q.id in exam.drafts, exam.flagged(q.id)) for q in exam.questions]
        self.query_one(QuestionMap).show(marks, exam.position)

    def _draw_timer(self) -> None:
        remaining = self.exam.remaining()
        label = self.query_one("#exam-timer", Label)
        label.update("" if remaining is None else f"  ⏱ {countdown(remaining)}")

    def _draw_status(self) -> None:
        response = self.exam.response(self.exam.current.id)
        text = Text()
        if response is None:
            text.append("Not answered yet.", style="yellow")
        else:
            text.append("Your answer (saved): ", style="green")
            text.append(_shown(response))
            text.append(" (answer again to change it)")
        self.query_one("#exam-status", Static).update(text)

    # ------------------------------------------------------------------ events

    def tick(self) -> None:
        """Every second: the countdown, and the submit when time is up."""
        if self.exam.submitted:
            return
        if self._guard(self.exam.check_time):
            self._results()
            self.notify("Time is up: your attempt was submitted with what you answered.")
            return
        self._draw_timer()

    def _guard(self, event: Any) -> Any:
        """Send an event; a store problem becomes a message, never a traceback."""
        try:
            return event()
        except (SessionError, StoreError) as exc:
            self.notify(f"Could not save: {exc}", severity="error", timeout=20, markup=False)
            return None

    async def _after(self) -> None:
        if self.exam.submitted:
            self._results()
        else:
            await self.show_question()

    @on(QuestionView.Answered)
    async def _answered(self, event: QuestionView.Answered) -> None:
        event.stop()
        self._guard(lambda: self.exam.answer(event.response))
        if self.view is not None:
            self.view.unlock()
        if not self.exam.submitted and self.exam.position < len(self.exam.questions) - 1:
            self._guard(self.exam.forward)
        await self._after()

    @on(QuestionView.Continue)
    async def _continue(self, event: QuestionView.Continue) -> None:
        event.stop()
        await self.action_forward()

    @on(QuestionView.Review)
    def _review(self, event: QuestionView.Review) -> None:
        event.stop()

    def action_goto(self) -> None:
        """Give the keyboard to the question map: type a question's number to go there."""
        self.query_one(QuestionMap).focus()

    @on(QuestionMap.Jump)
    async def _jump(self, event: QuestionMap.Jump) -> None:
        event.stop()
        if not 1 <= event.number <= len(self.exam.questions):
            self.notify(
                f"There is no question {event.number}: they are numbered 1 to "
                f"{len(self.exam.questions)}.",
                severity="warning",
                timeout=4,
            )
            return
        self._guard(lambda: self.exam.goto(event.number - 1))
        await self._after()

    @on(QuestionMap.Done)
    def _map_done(self, event: QuestionMap.Done) -> None:
        event.stop()
        if self.view is not None:
            self.view.focus_input()

    async def action_forward(self) -> None:
        """The next question, skipping this one if it is not answered."""
        self._guard(self.exam.forward)
        await self._after()

    async def action_back(self) -> None:
        """The previous question."""
        self._guard(self.exam.back)
        await self._after()

    async def action_flag(self) -> None:
        """Flag the question for review, or unflag it."""
        self._guard(self.exam.toggle_flag)
        await self._after()

    def action_submit(self) -> None:
        """Ask, naming the unanswered questions, then submit."""
        from quizapp.tui.screens.dialogs import ConfirmScreen

        missing = self.exam.unanswered()
        flagged = [n for n, q in enumerate(self.exam.questions, 1) if self.exam.flagged(q.id)]
        question = "Submit your attempt? You cannot change your answers after this."
        if missing:
            numbers = ", ".join(map(str, missing))
            question += f"\nNot answered: question{'s' if len(missing) > 1 else ''} {numbers}."
        if flagged:
            question += f"\nFlagged for review: {', '.join(map(str, flagged))}."

        def chosen(yes: bool | None) -> None:
            if yes and self._guard(self.exam.submit) is not None:
                self._results()

        self.app.push_screen(ConfirmScreen(question, "Submit", "Keep working"), chosen)

    def action_leave(self) -> None:
        """Leave: every answer is saved; the attempt resumes here next time."""
        self.flow.leave()
        self.dismiss()
        note = " The clock keeps running." if self.exam.deadline is not None else ""
        self.notify("Your answers are saved: resume the exam any time." + note, timeout=6)

    def _results(self) -> None:
        from quizapp.tui.screens.results import ResultsScreen

        # The exam's notices ("Timed quiz", "Lesson changed") belong to the attempt, not to
        # its results: they would cover the feedback the student now reads.
        self.app.clear_notifications()
        self.app.switch_screen(ResultsScreen(self.lesson, self.flow))
