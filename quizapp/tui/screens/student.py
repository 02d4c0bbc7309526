"""First screen: who is studying? Known students of this machine, or a new name."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Header, Input, Label, OptionList
from textual.widgets.option_list import Option

from quizapp.tui.screens.base import AppScreen
from quizapp.tui.widgets.footer import StableFooter

MAX_NAME = 80


class StudentScreen(AppScreen):
    """Pick a known student or type a new name. Names are shown exactly as typed."""

    BINDINGS = [Binding("down", "focus_known", "Known students", show=False)]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="student-box", classes="box"):
            yield Label("Welcome! Who is studying?", classes="heading")
            yield Input(
                placeholder="Type your name and press Enter", id="name", max_length=MAX_NAME
            )
            yield Label("Or pick your name (↓, then Enter):", id="known-label", classes="muted")
            yield OptionList(id="known")
        yield StableFooter()

    def on_mount(self) -> None:
        store = self.quiz_app.store
        students = self.safely(store.students, "list students") if store else None
        known = self.query_one("#known", OptionList)
        for student in students or []:
            # Text, not markup: a name like "[bold]x" is shown exactly as typed.
            known.add_option(Option(Text(student.name), id=str(student.id)))
        has_known = known.option_count > 0
        known.display = has_known
        self.query_one("#known-label").display = has_known
        self.query_one("#name", Input).focus()

    def action_focus_known(self) -> None:
        """From the name box, ↓ moves to the list of known students."""
        known = self.query_one("#known", OptionList)
        if known.display and not known.has_focus:
            known.focus()
            known.highlighted = known.highlighted or 0

    @on(Input.Submitted, "#name")
    def _typed(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        known = self.query_one("#known", OptionList)
        if not name and known.highlighted is not None:
            # ↓ then Enter typed faster than focus moved: the picked name is meant.
            prompt = known.get_option_at_index(known.highlighted).prompt
            name = prompt.plain if isinstance(prompt, Text) else str(prompt)
        if not name:
            self.notify("Type a name first (any characters are fine).", severity="warning")
            return
        self.quiz_app.sign_in(name)

    @on(OptionList.OptionSelected, "#known")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        prompt = event.option.prompt
        self.quiz_app.sign_in(prompt.plain if isinstance(prompt, Text) else str(prompt))
