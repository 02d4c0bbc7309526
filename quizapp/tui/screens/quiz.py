"""Taking a quiz: one question at a time, immediate feedback, progress and score always shown."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.widgets import ProgressBar, Static

from quizapp.flow import Phase, QuizFlow
from quizapp.grading import Grade
from quizapp.lessons.model import Lesson, Question, TrueFalseQuestion
from quizapp.session import QuizSession, SessionError
from quizapp.store import StoreError
from quizapp.tui.screens.base import Feedback, QuestionBody, QuestionScreen
from quizapp.tui.widgets.cards import answer_feedback, hint_text
from quizapp.tui.widgets.questions import QuestionView, TypedView, question_view, view_class

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp


_MARKDOWN = re.compile(r"[*_`#>\[\]|]|^\s*([-+]|\d+\.)\s", re.MULTILINE)


def markdown_or_text(source: str) -> RenderableType:
    """Rich Markdown when the text uses Markdown, else plain text: most prompts are one
    plain sentence, and plain text costs a fraction to render on every frame."""
    return Markdown(source) if _MARKDOWN.search(source) else Text(source)


def start_quiz(app: QuizApp, lesson: Lesson, only: list[str] | None = None) -> None:
    """Open the quiz of ``lesson`` (``only``: a retry of these questions) through a
    :class:`~quizapp.flow.QuizFlow`; an unfinished attempt is offered first
    (:class:`~quizapp.tui.screens.dialogs.ResumeScreen`: Escape keeps it and goes back)."""
    from quizapp.tui.screens.dialogs import ResumeScreen

    store, student = app.store, app.student
    if store is None or student is None:
        app.notify("Scores are unavailable, so the quiz cannot be taken now.", severity="error")
        return
    flow = QuizFlow(store, student, lesson, seed=app.seed)
    if not _step(app, lambda: flow.open(only), "start the quiz"):
        return
    if flow.phase is not Phase.CHOOSING:
        show_flow(app, flow)
        return
    if _expired(app, flow):
        return
    assert flow.offer is not None

    def chosen(choice: str | None) -> None:
        event = {"resume": flow.resume, "start_over": flow.start_over}.get(choice or "")
        if event is None:
            flow.cancel()
            app.notify("Your unfinished attempt is kept: resume it any time.", timeout=4)
            return
        if _step(app, event, "open the quiz"):
            show_flow(app, flow)

    app.push_screen(
        ResumeScreen(lesson.title, flow.offer, len(flow.offer.attempt.question_ids)), chosen
    )


def _expired(app: QuizApp, flow: QuizFlow) -> bool:
    """A timed exam attempt whose time ran out while the app was closed is never offered to
    resume: it is submitted with what was answered and its results shown, saying so."""
    from quizapp.exam import submit_if_expired
    from quizapp.tui.screens.results import ResultsScreen

    done = False

    def submit() -> None:
        nonlocal done
        done = submit_if_expired(flow, app.clock)

    if not _step(app, submit, "submit the timed attempt"):
        return True
    if done and flow.phase is Phase.FINISHED:
        app.notify(
            "Time ran out while you were away: your attempt was submitted with what you had "
            "answered.",
            title="Timed quiz",
            timeout=10,
        )
        app.push_screen(ResultsScreen(flow.lesson, flow))
    elif done:
        app.notify(f"Could not finish the attempt: {flow.problem}", severity="error")
    return done


def _step(app: QuizApp, event: Callable[[], object], doing: str) -> bool:
    """Send ``event`` to a flow; a store problem becomes a message, never a traceback."""
    try:
        event()
    except (StoreError, SessionError) as exc:
        app.notify(f"Could not {doing}: {exc}", severity="error")
        return False
    return True


def show_flow(app: QuizApp, flow: QuizFlow) -> None:
    """The screen for where ``flow`` is: its question, or the results of an attempt that a
    resume found answered to the end."""
    from quizapp.tui.screens.results import ResultsScreen

    if flow.phase is Phase.CLOSED:  # the lesson's attempt limit is reached
        app.notify(flow.problem or "This quiz is closed.", title="Quiz closed", timeout=8)
    elif flow.phase is Phase.FINISHED:
        app.push_screen(ResultsScreen(flow.lesson, flow))
    elif flow.phase is Phase.ASKING and flow.lesson.quiz.exam:
        show_exam(app, flow)
    elif flow.phase is Phase.ASKING:
        app.push_screen(QuizScreen(flow.lesson, flow))


def show_exam(app: QuizApp, flow: QuizFlow) -> None:
    """Exam mode (``feedback: deferred``): the exam screen, or the results of an attempt
    whose time ran out while the app was closed."""
    from quizapp.exam import ExamFlow
    from quizapp.tui.screens.exam import ExamScreen
    from quizapp.tui.screens.results import ResultsScreen

    exam = ExamFlow(flow, app.clock)
    if _step(app, exam.check_time, "submit the timed attempt") and exam.submitted:
        app.notify("Time ran out while you were away: your attempt was submitted.", timeout=8)
        app.push_screen(ResultsScreen(flow.lesson, flow))
    elif not exam.submitted:
        app.push_screen(ExamScreen(flow.lesson, flow, exam))


class QuizScreen(QuestionScreen):
    """The quiz of one lesson. It shows what its :class:`~quizapp.flow.QuizFlow` holds and
    sends it the student's events (answer, next, leave); the flow decides what they mean."""

    BINDINGS = [
        # Not in the footer: the feedback says them, and a footer that changed on every
        # answer would be rebuilt twice a question (see widgets/footer.py).
        # A priority key, taken only once the question is answered (check_action): the screen
        # moves on at once instead of the answer widget passing Enter up as a message, and
        # until then Enter belongs to the widget, as ever.
        Binding("enter", "next", "Next question", id="next", show=False, priority=True),
        Binding("r", "review", "Review card", id="review", show=False),
        # After answering, the answer widget keeps the keyboard; these scroll a long
        # explanation (before answering they belong to the widget).
        Binding("pagedown", "scroll_body(1)", "Scroll down", show=False, priority=True),
        Binding("pageup", "scroll_body(-1)", "Scroll up", show=False, priority=True),
        Binding("escape", "leave", "Leave quiz", id="leave"),
        # A question's hint (issue 16): h, or Ctrl+T when h would be typed into the answer.
        Binding("h", "hint('h')", "hint", id="hint"),
        Binding("ctrl+t", "hint('ctrl+t')", "hint", id="hint-typed", priority=True),
    ]

    def __init__(self, lesson: Lesson, flow: QuizFlow) -> None:
        super().__init__()
        self.lesson = lesson
        self.flow = flow
        self.shown_at = time.monotonic()
        self.view: QuestionView | None = None
        self.views: dict[type[QuestionView], QuestionView] = {}

    def question_total(self) -> int:
        return self.session.total

    @property
    def session(self) -> QuizSession:
        """The attempt being answered."""
        assert self.flow.session is not None
        return self.flow.session

    @property
    def last_grade(self) -> Grade | None:
        """The grade of the answer whose feedback shows (None while a question waits)."""
        return self.flow.last_grade if self.flow.phase in _AFTER_ANSWER else None

    async def on_mount(self) -> None:
        self.sub_title = self.lesson.title
        for message in self.flow.messages:
            self.notify(message, title="Lesson changed", severity="warning", timeout=15)
        # Mount one hidden widget per question type of this quiz now, in one batch, so
        # moving between questions only reloads a widget (no mount while the student waits).
        first: dict[type[QuestionView], Question] = {}
        for question in self.session.questions:
            first.setdefault(view_class(question), question)
        for cls, question in first.items():
            view = cls(question, self._order(question))
            view.display = False
            self.views[cls] = view
        await self.query_one("#quiz-body").mount_all(self.views.values(), after="#hint")
        await self.show_question()

    def _order(self, question: Question) -> list[str]:
        if isinstance(question, TrueFalseQuestion):
            return ["True", "False"]
        return self.session.display_choices(question)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Next and review only make sense once the question is answered."""
        answered = self.flow.phase in _AFTER_ANSWER
        if action == "scroll_body":
            return answered
        if action == "next":
            return answered or self.flow.phase is Phase.CLOSED
        if action == "review":
            return answered and self._card_of(self._answered_question()) is not None
        if action == "hint":
            return self._hint_key(parameters)
        return True

    def _hint_key(self, parameters: tuple[object, ...]) -> bool:
        """The hint key shows while the question waits and its hint is not shown yet: ``h``,
        or Ctrl+T on a typed answer (where h is a letter of the answer)."""
        question = self.session.current if self.flow.phase in _OPEN else None
        if question is None or question.hint is None or question.id in self.session.hinted:
            return False
        typed = isinstance(self.view, TypedView)
        return parameters == (("ctrl+t",) if typed else ("h",))

    def action_hint(self, key: str = "h") -> None:
        """Reveal the question's hint: stored at once, so a crash cannot take its use back;
        the answer given after it loses the lesson's ``hint_penalty``."""
        question = self.session.current
        if question is None or question.hint is None or self.flow.phase not in _OPEN:
            return
        try:
            self.session.reveal_hint(question)
        except StoreError as exc:
            self.notify(f"The hint could not be shown: {exc}", severity="error", markup=False)
            return
        self._show_hint(question)
        self.refresh_bindings()

    def _show_hint(self, question: Question) -> None:
        """Show the question's hint if it was revealed (also after a resume); else hide it."""
        shown = self.query_one("#hint", Static)
        revealed = question.hint is not None and question.id in self.session.hinted
        if not revealed and not shown.display:
            return  # already hidden: touching it would lay the screen out for nothing
        shown.update(hint_text(question.hint or "") if revealed else "")
        shown.display = revealed

    async def show_question(self) -> None:
        """Show the current question (or the results when there is none left)."""
        session = self.session
        question = session.current
        if question is None:
            self.finish()
            return
        self.show_count(f"Question {session.index + 1} of {session.total}")
        self._update_score()
        self.query_one(ProgressBar).update(progress=session.index)
        self.query_one("#feedback", Feedback).conceal()
        self.query_one("#quiz-body", QuestionBody).start_at_top()
        self.query_one("#prompt", Static).update(markdown_or_text(question.prompt))
        order = self._order(question)
        # One widget per question type, mounted once and reloaded after that: a reload
        # costs a fraction of a mount (see benchmarks/interaction.py).
        view = self.views.get(view_class(question))
        if view is None:
            view = question_view(question, order)
            self.views[type(view)] = view
            # Awaited, so the answer control has the keyboard before the next key arrives.
            await self.query_one("#quiz-body").mount(view, after="#hint")
        elif view.question is not question or view.locked:
            view.load(question, order)
        for other in self.views.values():
            other.display = other is view
        self.view = view
        self._show_hint(question)
        view.focus_input()
        self.refresh_bindings()
        self.shown_at = time.monotonic()

    def _update_score(self) -> None:
        session = self.session
        answered = len(session.answered)
        self.show_score(
            f"score {session.score:.3g} of {answered}" if answered else "no answers yet"
        )

    @on(QuestionView.Answered)
    def _answered(self, event: QuestionView.Answered) -> None:
        event.stop()
        question = self.session.current
        if question is None or self.view is None:
            return
        seconds = time.monotonic() - self.shown_at
        try:
            grade = self.flow.answer(event.response, seconds)
        except SessionError as exc:
            self.notify(f"Your answer could not be saved: {exc}", severity="error", timeout=20)
            grade = None
        if grade is None:
            if self.flow.phase is Phase.CLOSED:
                self.query_one("#feedback", Feedback).reveal(
                    Text(f"{self.flow.problem}\nEnter or Escape: back to the lessons.")
                )
                self.notify(self.flow.problem or "", title="Quiz closed", severity="warning")
                return
            # Nothing was saved: the question stays open with the answer as chosen, so
            # Enter sends it again (after freeing space, closing the other program, ...).
            self.view.unlock()
            self.notify(
                f"Your answer could not be saved: {self.flow.problem}\n"
                "Nothing is lost: press Enter to try again.",
                title="Not saved",
                severity="error",
                timeout=20,
            )
            return
        self._update_score()
        self.query_one(ProgressBar).update(progress=self.session.index)
        # Scrolled to the top of the body once laid out (as far as it goes): on a small
        # terminal a tall answer widget (a match) left only its first lines in view.
        self.query_one("#feedback", Feedback).reveal(self._feedback(question, grade))

    @on(QuestionView.Continue)
    async def _continue(self, event: QuestionView.Continue) -> None:
        event.stop()
        await self.action_next()

    @on(QuestionView.Review)
    def _review(self, event: QuestionView.Review) -> None:
        event.stop()
        self.action_review()

    def _answered_question(self) -> Question | None:
        answered = self.session.answered
        if not answered:
            return None
        last = list(answered)[-1]  # answers are kept in the order given
        return next((q for q in self.session.questions if q.id == last), None)

    def _card_of(self, question: Question | None) -> int | None:
        if question is None or question.card is None:
            return None
        return question.card if question.card <= len(self.lesson.cards) else None

    def _feedback(self, question: Question, grade: Grade) -> RenderableType:
        parts = answer_feedback(question, self.lesson, grade, not_right="✘ Not right.")
        card = self._card_of(question)
        more = (
            "Enter for the next question" if self.session.current else "Enter to see your results"
        )
        if self.app.size.height < 30:  # where a long explanation may not fit
            more += " · PgUp/PgDn scroll"
        if card is not None:
            more += f" · r to review card {card} ({self.lesson.cards[card - 1].title})"
        parts.append(Text(more, style="bold"))
        return Group(*parts)

    async def action_next(self) -> None:
        """The next question, or the results after the last one."""
        phase = self.flow.phase
        if phase is Phase.CLOSED:
            self.flow.leave()
            self.dismiss()
        elif phase is Phase.FINISHED:
            self.finish()
        elif phase is Phase.ANSWERED:
            if self.flow.next() is Phase.ANSWERED:  # the attempt still could not be scored
                self.notify(f"Could not finish the attempt: {self.flow.problem}", severity="error")
            else:
                await self.show_question()

    def action_review(self) -> None:
        """Open the card that teaches the question just answered; Escape comes back."""
        from quizapp.tui.screens.cards import CardsScreen

        card = self._card_of(self._answered_question())
        if card is not None:
            self.app.push_screen(CardsScreen(self.lesson, start=card - 1, review=True))

    def action_leave(self) -> None:
        """Leave the quiz. Mid-attempt with answers, after confirming (the attempt resumes
        next time); with none, at once (nothing to keep); after the last answer, at once:
        the attempt is already scored."""
        from quizapp.tui.screens.dialogs import ConfirmScreen

        flow = self.flow
        if flow.phase is Phase.FINISHED:
            best = flow.lesson_best()
            flow.leave()
            self.dismiss()
            if best is not None:
                self.notify(f"Your score is saved. Best at this lesson: {best:.0f}%.", timeout=4)
            return
        if flow.phase is Phase.CLOSED or not self.session.answered:
            flow.leave()
            self.dismiss()
            return

        def leave(confirmed: bool | None) -> None:
            if confirmed and flow.phase in _OPEN:
                flow.leave()
                self.dismiss()

        self.app.push_screen(
            ConfirmScreen(
                "Leave the quiz? Your answers so far are saved, and you can resume later.",
                yes="Leave",
                no="Stay",
            ),
            leave,
        )

    def finish(self) -> None:
        """Show the results of the attempt, scored when its last question was answered."""
        from quizapp.tui.screens.results import ResultsScreen

        if self.flow.phase is not Phase.FINISHED:
            return
        self.app.switch_screen(ResultsScreen(self.lesson, self.flow))


_AFTER_ANSWER = (Phase.ANSWERED, Phase.FINISHED)
_OPEN = (Phase.ASKING, Phase.ANSWERED, Phase.SAVE_FAILED)
