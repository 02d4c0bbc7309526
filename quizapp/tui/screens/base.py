"""What every screen of the app shares: typed access to the app, store errors as messages."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar, cast

from rich.console import RenderableType
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Label, Static

from quizapp.store import StoreError
from quizapp.tui.widgets.footer import StableFooter
from quizapp.tui.widgets.title_bar import TitleBar

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


class QuestionBody(VerticalScroll):
    """The scrolling body of a question screen, inside its frame: the frame's border shows
    when the body itself has the keyboard (the ``-body-focus`` class), as a focused
    scroll view's own border does elsewhere."""

    #: The border is the frame's and the text its children's: the body's own lines are its
    #: background only, which Textual then fills instead of rendering them (a new question
    #: that changes the body's scrollable size redraws the body whole).
    BLANK = True

    def start_at_top(self) -> None:
        """Before a new question is laid out: back to the top, and no scrollbar if the last
        answer's feedback was what needed it. Textual lays the body out once with what it
        shows at that moment; left as they were, the first layout placed the new question
        scrolled and narrowed by a scrollbar it then took away, and a second layout
        repainted the whole body. A question too long for the body gets its scrollbar
        back at once, as before."""
        if self.scroll_y:
            self.scroll_to(y=0, animate=False, immediate=True)
        if self.show_vertical_scrollbar:
            self.show_vertical_scrollbar = False

    def on_focus(self) -> None:
        """The frame's border takes the focus colour."""
        if self.parent is not None:
            self.parent.add_class("-body-focus")

    def on_blur(self) -> None:
        """The frame's border goes back to its colour."""
        if self.parent is not None:
            self.parent.remove_class("-body-focus")


class Feedback(Static):
    """What the student reads after answering, under the question in the body.

    Shown with :meth:`reveal`: once laid out, it is scrolled to the top of the body (as far
    as the body scrolls), so on a small terminal its first lines are in view rather than
    the rest of a tall answer widget. Each layout while it shows (the body's scrollbar
    appearing rewraps it) scrolls it there again, until the student scrolls or it hides.
    """

    #: Scroll to the feedback at its next layouts.
    follow = False

    def reveal(self, content: RenderableType) -> None:
        """Show ``content`` and bring it into view once it is laid out."""
        self.update(content)
        self.display = True
        self.follow = True

    def conceal(self) -> None:
        """Hide the feedback (if it shows: a hidden one is left alone, so nothing is laid
        out or repainted for it)."""
        self.follow = False
        if self.display:
            self.update("")
            self.display = False

    def on_resize(self) -> None:
        """Laid out (shown, or rewrapped): scroll to it if asked to."""
        if self.follow and isinstance(self.parent, VerticalScroll):
            self.parent.scroll_to_widget(self, top=True, animate=False, immediate=True)


class QuestionScreen(AppScreen):
    """A screen that asks one question at a time (the quiz, a review): a count and a score
    on top, a progress bar, the question and its feedback in a scrolling body, the footer.
    Subclasses say how many questions there are (:meth:`question_total`)."""

    def question_total(self) -> int:
        """How many questions the progress bar counts."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        # Imported here: the lesson list, the first screen of every start, has none
        # (docs/performance.md, issue 19).
        from textual.widgets import ProgressBar

        # The title line from one widget (Header is four, and watches the title): the screen
        # sets its subtitle on mount, before its first frame, and keeps it.
        yield TitleBar()
        with Horizontal(id="quiz-top"):
            yield Label(id="quiz-count", classes="heading", markup=False)
            yield Label(id="quiz-score", markup=False)
        yield ProgressBar(
            total=max(self.question_total(), 1), show_eta=False, show_percentage=False
        )
        # The border is drawn by a frame that never changes; the body scrolls inside it.
        # A new question changes the body's scrollable size (the feedback goes), and
        # Textual then redraws the body whole: borderless, that is blank lines only
        # (docs/performance.md, "Round five: the same-type step").
        with Vertical(id="quiz-frame"), QuestionBody(id="quiz-body"):
            yield Static(id="prompt")
            yield Static(id="hint", classes="hint-shown")
            yield Feedback(id="feedback")
        yield StableFooter()

    def show_count(self, text: str) -> None:
        """Put ``text`` in the count on top (its width is the row's, so a repaint will do:
        no layout of the screen for it)."""
        count = self.query_one("#quiz-count", Label)
        if str(count.content) != text:
            count.update(text, layout=False)

    def show_score(self, text: str) -> None:
        """Put ``text`` in the score on top, if it changed (its width follows its text)."""
        score = self.query_one("#quiz-score", Label)
        if str(score.content) != text:
            score.update(text)

    def action_scroll_body(self, direction: int) -> None:
        """Page through a long explanation without leaving the answer."""
        body = self.query_one("#quiz-body", VerticalScroll)
        self.query_one("#feedback", Feedback).follow = False  # the student scrolls now
        if direction > 0:
            body.scroll_page_down(animate=False)
        else:
            body.scroll_page_up(animate=False)
