"""The review session: the student's due items across lessons, one question at a time.

It looks and answers like the quiz (the same question widgets, feedback with the right
answer, the explanation, the sources and ``r`` for the card that teaches it), but it belongs
to no lesson's attempt: each answer is a review of its item (:class:`quizapp.review.
ReviewSession`), saved before the feedback shows, and never counts toward a score.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from fsrs import Rating
from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Label, ProgressBar, Static

from quizapp.choices import display_choices
from quizapp.grading import Grade
from quizapp.lessons.model import Lesson, TrueFalseQuestion
from quizapp.review import ReviewItem, ReviewSession, term_key
from quizapp.store import Store, StoreError
from quizapp.tui.screens.base import QuestionScreen
from quizapp.tui.screens.lessons import due_line
from quizapp.tui.screens.quiz import markdown_or_text
from quizapp.tui.widgets.cards import answer_feedback
from quizapp.tui.widgets.questions import QuestionView, question_view

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp

__all__ = ["ReviewScreen", "class_review_text", "start_drill", "start_review"]


def start_review(app: QuizApp) -> None:
    """Open a review of the student's due items (or say when the next one falls due)."""
    store, student = app.store, app.student
    if store is None or student is None:
        app.notify("Scores are unavailable, so there is nothing to review.", severity="error")
        return
    try:
        session = ReviewSession(store, student, app.lesson, app.review_limit, seed=app.seed)
    except StoreError as exc:
        app.notify(f"Could not open the review: {exc}", severity="error", markup=False)
        return
    if not session.total:
        app.notify(
            _sentence(due_line(app)) or "Nothing to review yet: take a quiz first.", timeout=5
        )
        return
    app.push_screen(ReviewScreen(session))


def start_drill(app: QuizApp, lesson: Lesson) -> None:
    """Open a drill of ``lesson``'s glossary: its terms due, then the new ones."""
    store, student = app.store, app.student
    if store is None or student is None:
        app.notify("Scores are unavailable, so the drill cannot be saved.", severity="error")
        return
    try:
        session = ReviewSession.glossary(store, student, lesson, app.review_limit)
    except StoreError as exc:
        app.notify(f"Could not open the drill: {exc}", severity="error", markup=False)
        return
    if not session.total:
        app.notify("No term of this lesson is due for review now.", timeout=5)
        return
    app.push_screen(ReviewScreen(session))


def class_review_text(store: Store, lesson: Lesson) -> Text | None:
    """For the class view: how many of the lesson's students have items due, and the items
    the class rates Again most (what it keeps forgetting). None when nobody reviewed it."""
    try:
        due, students = store.lesson_review_overview(lesson.id, store.review_now())
        forgotten = store.most_forgotten(lesson.id)
    except StoreError:
        return None
    if not students:
        return None
    text = Text("\nSpaced review: ", style="bold")
    text.append(f"{due} of {students} students ({100 * due / students:.0f}%) have items due.")
    if forgotten:
        text.append("\nMost often forgotten (rated Again):", style="bold")
        prompts = {q.id: q.prompt.strip().splitlines()[0] for q in lesson.quiz.questions}
        terms = {term_key(g.term): f"term: {g.term}" for g in lesson.glossary}
        for item_id, again, reviews in forgotten:
            label = prompts.get(item_id) or terms.get(item_id) or item_id
            text.append(f"\n  {again} of {reviews} reviews · ")
            text.append(label[:70] + ("…" if len(label) > 70 else ""))
    return text


def _sentence(text: str) -> str:
    """``text`` (a line of the list) as a sentence of a message."""
    return text[:1].upper() + text[1:] + "." if text else ""


class ReviewScreen(QuestionScreen):
    """One review session: each due item's question, then its feedback; Escape leaves (every
    answer given is already saved)."""

    BINDINGS = [
        Binding("enter", "next", "Next", id="next", show=False),
        Binding("r", "card", "Review card", id="card", show=False),
        Binding("pagedown", "scroll_body(1)", "Scroll down", show=False, priority=True),
        Binding("pageup", "scroll_body(-1)", "Scroll up", show=False, priority=True),
        Binding("escape", "leave", "Leave review", id="leave"),
        # A glossary flashcard: Space shows the definition, 1-4 rate it (the hint says so).
        Binding("space", "reveal", "Show definition", id="reveal", show=False),
        Binding("1", "rate(1)", "Again", show=False),
        Binding("2", "rate(2)", "Hard", show=False),
        Binding("3", "rate(3)", "Good", show=False),
        Binding("4", "rate(4)", "Easy", show=False),
    ]

    def __init__(self, session: ReviewSession) -> None:
        super().__init__()
        self.session = session
        self.shown_at = time.monotonic()
        self.view: QuestionView | None = None
        #: The item whose feedback shows (None while a question waits).
        self.answered: ReviewItem | None = None
        #: True once a flashcard's definition shows (it waits for its rating).
        self.revealed = False

    def question_total(self) -> int:
        return self.session.total

    async def on_mount(self) -> None:
        self.sub_title = "Review"
        await self.show_item()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Next, the card and scrolling only once the item is answered."""
        if action in ("next", "scroll_body"):
            return self.answered is not None
        if action == "card":
            return self.answered is not None and self._card(self.answered) is not None
        flashcard = self.session.current is not None and self.session.current.term is not None
        if action == "reveal":
            return flashcard and not self.revealed
        if action == "rate":
            return flashcard and self.revealed
        return True

    async def show_item(self) -> None:
        """Show the current item's question (or leave when the session is done)."""
        session = self.session
        item = session.current
        if item is None:
            self._done()
            return
        self.answered = None
        self.revealed = False
        self.query_one("#quiz-count", Label).update(
            f"Review {session.index + 1} of {session.total} · {item.lesson.title}"
        )
        self.query_one("#quiz-score", Label).update(
            f"{session.right} of {len(session.grades)} right" if session.grades else ""
        )
        self.query_one(ProgressBar).update(progress=session.index)
        feedback = self.query_one("#feedback", Static)
        feedback.update("")
        feedback.display = False
        if self.view is not None:
            await self.view.remove()
            self.view = None
        question = item.question
        if question is None:
            assert item.term is not None
            prompt = Text("Term: ", style="bold")
            prompt.append(item.term.term, style="bold")
            prompt.append("\n\nRecall its definition, then press Space to see it.", style="dim")
            self.query_one("#prompt", Static).update(prompt)
            self.shown_at = time.monotonic()
            self.refresh_bindings()
            return
        self.query_one("#prompt", Static).update(markdown_or_text(question.prompt))
        if isinstance(question, TrueFalseQuestion):
            order = ["True", "False"]
        else:
            order = display_choices(question, session.seed, item.lesson.quiz.shuffle)
        self.view = question_view(question, order)
        await self.query_one("#quiz-body").mount(self.view, after="#prompt")
        self.view.focus_input()
        self.shown_at = time.monotonic()
        self.refresh_bindings()

    @on(QuestionView.Answered)
    def _answered(self, event: QuestionView.Answered) -> None:
        event.stop()
        item = self.session.current
        if item is None or self.view is None:
            return
        if item.question is None:
            return
        try:
            result = self.session.answer(event.response, time.monotonic() - self.shown_at)
        except StoreError as exc:
            self.view.unlock()
            self.notify(
                f"Your answer could not be saved: {exc}\nPress Enter to try again.",
                title="Not saved",
                severity="error",
                timeout=20,
                markup=False,
            )
            return
        self.answered = item
        self.query_one(ProgressBar).update(progress=self.session.index)
        self.query_one("#quiz-score", Label).update(
            f"{self.session.right} of {len(self.session.grades)} right"
        )
        feedback = self.query_one("#feedback", Static)
        feedback.update(self._feedback(item, result))
        feedback.display = True
        self.refresh_bindings()
        self.call_after_refresh(
            lambda: self.query_one("#quiz-body", VerticalScroll).scroll_to_widget(
                feedback, top=True, animate=False
            )
        )

    def action_reveal(self) -> None:
        """Show the flashcard's definition and ask for a rating."""
        item = self.session.current
        if item is None or item.term is None:
            return
        self.revealed = True
        feedback = self.query_one("#feedback", Static)
        feedback.update(
            Group(
                Markdown(item.term.definition),
                Text("How well did you know it? 1 Again · 2 Hard · 3 Good · 4 Easy", style="bold"),
            )
        )
        feedback.display = True
        self.refresh_bindings()

    async def action_rate(self, rating: int) -> None:
        """Save the student's rating of the flashcard and show the next item."""
        if not self.revealed:
            return
        try:
            self.session.rate(Rating(rating), time.monotonic() - self.shown_at)
        except StoreError as exc:
            self.notify(f"Your rating could not be saved: {exc}", severity="error", markup=False)
            return
        await self.show_item()

    @on(QuestionView.Continue)
    async def _continue(self, event: QuestionView.Continue) -> None:
        event.stop()
        await self.action_next()

    @on(QuestionView.Review)
    def _review(self, event: QuestionView.Review) -> None:
        event.stop()
        self.action_card()

    @staticmethod
    def _card(item: ReviewItem) -> int | None:
        card = item.question.card if item.question is not None else None
        return card if card is not None and card <= len(item.lesson.cards) else None

    def _feedback(self, item: ReviewItem, result: Grade) -> RenderableType:
        question, lesson = item.question, item.lesson
        assert question is not None
        parts = answer_feedback(
            question, lesson, result, not_right="✘ Not right: it comes back soon."
        )
        more = "Enter for the next item" if self.session.current else "Enter to finish"
        card = self._card(item)
        if card is not None:
            more += f" · r to review card {card} ({lesson.cards[card - 1].title})"
        parts.append(Text(more, style="bold"))
        return Group(*parts)

    async def action_next(self) -> None:
        """The next item, or back to the lessons after the last one."""
        if self.answered is not None:
            await self.show_item()

    def action_card(self) -> None:
        """Open the card that teaches the item just answered; Escape comes back."""
        from quizapp.tui.screens.cards import CardsScreen

        item = self.answered
        card = self._card(item) if item is not None else None
        if item is not None and card is not None:
            self.app.push_screen(CardsScreen(item.lesson, start=card - 1, review=True))

    def action_leave(self) -> None:
        """Back to the lessons; every answer given is already saved."""
        self._done()

    def _done(self) -> None:
        session = self.session
        self.dismiss()
        if session.grades:
            self.notify(
                f"Review saved: {session.right} of {len(session.grades)} right. "
                + (_sentence(due_line(self.quiz_app)) or "Nothing else is due."),
                timeout=6,
            )
