"""Modal dialogs: confirm, resume an unfinished attempt, help (every key), glossary and
sources of a lesson.

What Escape does is the same in every dialog: it takes back nothing and changes nothing
(a confirmation says no, the resume offer keeps the attempt and goes back, a text panel
closes)."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Label, Static

from quizapp.flow import Offer
from quizapp.lessons.model import Lesson


class ConfirmScreen(ModalScreen[bool]):
    """Ask a yes/no question; dismisses with True for yes."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question = question
        self.yes, self.no = yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question, markup=False, classes="dialog-question")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes} (y)", variant="primary", id="yes")
                yield Button(f"{self.no} (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class ResumeScreen(ModalScreen[str | None]):
    """An unfinished attempt was found: resume it, start over, or neither.

    Dismisses with ``"resume"`` (Enter or r), ``"start_over"`` (s, then confirmed: it gives
    the attempt up) or None (Escape: back, the attempt kept as it is).
    """

    BINDINGS = [
        Binding("r", "choose('resume')", "Resume"),
        Binding("s", "start_over", "Start over"),
        Binding("escape", "choose(None)", "Cancel"),
    ]

    def __init__(self, title: str, offer: Offer, asked: int) -> None:
        super().__init__()
        self.offer = offer
        #: What the dialog says.
        seen = f", {offer.hints} hint{'s' if offer.hints != 1 else ''} seen" if offer.hints else ""
        self.text = (
            f"You have an unfinished attempt at “{title}” "
            f"({offer.answered} of {asked} answered{seen})."
        )
        if offer.open_elsewhere:
            where = (
                "It is open in another quizapp window right now."
                if offer.surely
                else "It may still be open in another quizapp window (one on another computer, "
                "or one that closed without saying so)."
            )
            self.text += (
                f"\n\n{where} Resuming here takes it over: that window stops taking answers "
                "(nothing answered is lost)."
            )

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.text, markup=False, classes="dialog-question")
            with Horizontal(classes="dialog-buttons"):
                yield Button(
                    "Take over (r)" if self.offer.open_elsewhere else "Resume (r)",
                    variant="primary",
                    id="resume",
                )
                yield Button("Start over (s)", id="start-over")
                yield Button("Cancel (Esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#resume", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "start-over":
            self.action_start_over()
        else:
            self.action_choose("resume" if event.button.id == "resume" else None)

    def action_choose(self, choice: str | None) -> None:
        self.dismiss(choice)

    def action_start_over(self) -> None:
        """Starting over gives work up: ask first (Escape or n keeps the attempt)."""

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.dismiss("start_over")

        self.app.push_screen(
            ConfirmScreen(
                f"Start over? The {self.offer.answered} answers of the unfinished attempt stay "
                "in your history, but that attempt will never count.",
                yes="Start over",
                no="Keep it",
            ),
            confirmed,
        )


class _TextDialog(ModalScreen[None]):
    """A scrollable text panel closed with Escape."""

    BINDINGS = [Binding("escape,q", "close", "Close")]
    TITLE_TEXT = ""

    def body(self) -> RenderableType:
        raise NotImplementedError

    #: Rows of the dialog around its text: border (2), padding (2), title and hint.
    CHROME = 6

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(self.TITLE_TEXT, classes="heading", markup=False)
            with VerticalScroll():
                yield Static(self.body(), id="dialog-body")
            yield Label("Escape to close · ↑/↓ PgUp/PgDn scroll", classes="muted")

    def on_mount(self) -> None:
        self.fit()

    def on_resize(self, event: events.Resize) -> None:
        self.fit()

    def fit(self) -> None:
        """Let the text take every row the terminal has left, and no more: the title, the
        last line and the hint then stay on screen at any size (80x24, 60x20, ...)."""
        scroll = self.query_one(VerticalScroll)
        scroll.styles.max_height = max(3, self.size.height - self.CHROME)
        scroll.focus()

    def action_close(self) -> None:
        self.dismiss()


class DetailScreen(_TextDialog):
    """Any text in full: used for a results row that the table had to shorten."""

    def __init__(self, title: str, body: RenderableType) -> None:
        super().__init__()
        self.TITLE_TEXT = title
        self._body = body

    def body(self) -> RenderableType:
        return self._body


class GlossaryScreen(_TextDialog):
    """The lesson's key terms and definitions."""

    TITLE_TEXT = "Glossary"

    def __init__(self, lesson: Lesson) -> None:
        super().__init__()
        self.lesson = lesson

    def body(self) -> RenderableType:
        if not self.lesson.glossary:
            return Text("This lesson has no glossary.")
        return Group(
            *(Markdown(f"**{entry.term}**: {entry.definition}") for entry in self.lesson.glossary)
        )


class SourcesScreen(_TextDialog):
    """Every source of the lesson with its address."""

    TITLE_TEXT = "Sources"

    def __init__(self, lesson: Lesson) -> None:
        super().__init__()
        self.lesson = lesson

    def body(self) -> RenderableType:
        text = Text()
        for number, source in enumerate(self.lesson.sources, start=1):
            text.append(f"{number}. {source.citation()}\n", style="bold")
            if source.url:
                text.append(f"   {source.url}\n", style="underline")
            if source.note:
                text.append(f"   {source.note}\n", style="dim")
        return text


class HelpScreen(_TextDialog):
    """Every key of the screen it was opened from, and of the whole app."""

    TITLE_TEXT = "Keys"

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.under = under

    def body(self) -> RenderableType:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        seen: set[str] = set()
        for active in self.under.active_bindings.values():
            binding = active.binding
            if not binding.description or binding.description in seen:
                continue
            seen.add(binding.description)
            table.add_row(self.app.get_key_display(binding), binding.description)
        table.add_row("ctrl+p", "Command palette: open a lesson, change theme")
        return Group(
            table,
            Text(""),
            Text(
                "Everything works with the keyboard; the mouse works too. "
                "Your answers are saved as you give them: quitting never loses them.",
                style="dim",
            ),
        )
