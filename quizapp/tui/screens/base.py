"""What every screen of the app shares: typed access to the app, store errors as messages."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar, cast

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Label, Static

from quizapp.store import StoreError
from quizapp.tui.widgets.footer import StableFooter

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp

T = TypeVar("T")


class AppScreen(Screen[None]):
    """A full screen of the app."""

    @property
    def quiz_app(self) -> QuizApp:
        """The app, typed."""
        return cast("QuizApp", self.app)

    def safely(self, action: Callable[[], T], doing: str) -> T | None:
        """Run a store call; a failure becomes a notification, never a traceback."""
        try:
            return action()
        except StoreError as exc:
            self.notify(
                f"Could not {doing}: {exc}",
                title="Scores database",
                severity="error",
                markup=False,  # the message holds paths: shown as they are, not as markup
            )
            return None


class QuestionScreen(AppScreen):
    """A screen that asks one question at a time (the quiz, a review): a count and a score
    on top, a progress bar, the question and its feedback in a scrolling body, the footer.
    Subclasses say how many questions there are (:meth:`question_total`)."""

    def question_total(self) -> int:
        """How many questions the progress bar counts."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        # Imported here: the lesson list, the first screen of every start, has neither
        # (docs/performance.md, issue 19).
        from textual.widgets import Header, ProgressBar

        yield Header()
        with Horizontal(id="quiz-top"):
            yield Label(id="quiz-count", classes="heading", markup=False)
            yield Label(id="quiz-score", markup=False)
        yield ProgressBar(
            total=max(self.question_total(), 1), show_eta=False, show_percentage=False
        )
        with VerticalScroll(id="quiz-body"):
            yield Static(id="prompt")
            yield Static(id="hint", classes="hint-shown")
            yield Static(id="feedback")
        yield StableFooter()

    def action_scroll_body(self, direction: int) -> None:
        """Page through a long explanation without leaving the answer."""
        body = self.query_one("#quiz-body", VerticalScroll)
        if direction > 0:
            body.scroll_page_down(animate=False)
        else:
            body.scroll_page_up(animate=False)
