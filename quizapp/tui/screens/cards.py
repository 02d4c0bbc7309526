"""Reading a lesson: one card at a time, with progress, glossary and sources on their own keys."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Header, Label, ProgressBar, Static

from quizapp.lessons.model import Lesson
from quizapp.tui.screens.base import AppScreen
from quizapp.tui.widgets.cards import card_renderable
from quizapp.tui.widgets.footer import StableFooter


class CardsScreen(AppScreen):
    """The cards of a lesson. In review mode (from a quiz answer) Escape goes back to the quiz."""

    BINDINGS = [
        Binding("right,n", "next", "Next", id="next"),
        Binding("left,p", "previous", "Previous", id="previous", show=False),  # in the hint
        Binding("t", "quiz", "Take quiz", id="quiz"),
        Binding("g", "glossary", "Glossary", id="glossary"),
        Binding("d", "drill", "Drill terms", id="drill"),
        Binding("s", "sources", "Sources", id="sources"),
        Binding("escape", "back", "Back", id="back"),
    ]

    def __init__(self, lesson: Lesson, start: int | None = None, review: bool = False) -> None:
        super().__init__()
        self.lesson = lesson
        self.review = review
        self.start = start
        self.index = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="card-top"):
            yield Label(id="card-title", classes="heading", markup=False)
            yield Label(id="card-count", markup=False)
        yield ProgressBar(total=len(self.lesson.cards), show_eta=False, show_percentage=False)
        with VerticalScroll(id="card-scroll"):
            yield Static(id="card-body")
        yield Label(id="card-hint", classes="muted", markup=False)
        yield StableFooter()

    def on_mount(self) -> None:
        self.sub_title = self.lesson.title
        start = self.start
        if start is None:
            store, student = self.quiz_app.store, self.quiz_app.student
            if store is not None and student is not None:
                start = self.safely(
                    lambda: store.card_progress(student.id, self.lesson.id), "load your place"
                )
        self.show(min(start or 0, len(self.lesson.cards) - 1))
        self.query_one("#card-scroll").focus()

    def show(self, index: int) -> None:
        """Show card ``index`` (0-based) and remember the reading position."""
        self.index = index
        total = len(self.lesson.cards)
        card = self.lesson.cards[index]
        self.query_one("#card-title", Label).update(card.title)
        self.query_one("#card-count", Label).update(f"card {index + 1} of {total}")
        self.query_one(ProgressBar).update(progress=index + 1)
        self.query_one("#card-body", Static).update(card_renderable(self.lesson, index))
        self.query_one("#card-scroll", VerticalScroll).scroll_home(animate=False)
        if self.review:
            hint = "Reviewing a card: Escape goes back to your question."
        elif index == total - 1:
            hint = "Last card. Press t (or →) to take the quiz."
        else:
            hint = "→/n next card, ←/p previous, ↑/↓ scroll a long card, t take the quiz."
        self.query_one("#card-hint", Label).update(hint)
        store, student = self.quiz_app.store, self.quiz_app.student
        if store is not None and student is not None and not self.review:
            self.safely(
                lambda: store.save_card_progress(student.id, self.lesson.id, index),
                "save your place",
            )

    def action_next(self) -> None:
        """Next card; past the last one, the quiz."""
        if self.index + 1 < len(self.lesson.cards):
            self.show(self.index + 1)
        elif not self.review:
            self.action_quiz()

    def action_previous(self) -> None:
        """Previous card."""
        if self.index > 0:
            self.show(self.index - 1)

    def action_quiz(self) -> None:
        """Start (or resume) the quiz; from a review, go back to it."""
        if self.review:
            self.dismiss()
            return
        from quizapp.tui.screens.quiz import start_quiz

        start_quiz(self.quiz_app, self.lesson)

    def action_glossary(self) -> None:
        """The lesson's key terms."""
        from quizapp.tui.screens.dialogs import GlossaryScreen

        self.app.push_screen(GlossaryScreen(self.lesson))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The glossary drill needs a glossary (and is not offered from a review)."""
        if action == "drill":
            return bool(self.lesson.glossary) and not self.review
        return True

    def action_drill(self) -> None:
        """Drill the lesson's glossary as flashcards, scheduled by spaced review."""
        from quizapp.tui.screens.review import start_drill

        start_drill(self.quiz_app, self.lesson)

    def action_sources(self) -> None:
        """Every source the lesson cites."""
        from quizapp.tui.screens.dialogs import SourcesScreen

        self.app.push_screen(SourcesScreen(self.lesson))

    def action_back(self) -> None:
        """Back to the lesson list (or the quiz, when reviewing)."""
        self.dismiss()
