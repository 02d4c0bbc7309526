"""Modal dialogs: confirm, help (every key), glossary and sources of a lesson."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Label, Static

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


class _TextDialog(ModalScreen[None]):
    """A scrollable text panel closed with Escape."""

    BINDINGS = [Binding("escape,q", "close", "Close")]
    TITLE_TEXT = ""

    def body(self) -> RenderableType:
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(self.TITLE_TEXT, classes="heading", markup=False)
            with VerticalScroll():
                yield Static(self.body(), id="dialog-body")
            yield Label("Escape to close", classes="muted")

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
