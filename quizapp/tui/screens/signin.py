"""Sign-in: a student's name and PIN (when the database has a roster), and the instructor's
passphrase before the class view (when one is set).

The checks, the lockout rule and the log are the store's (:meth:`quizapp.store.Store.check_pin`);
these screens only ask and say what came of it, never whether a name is on the roster.
"""

from __future__ import annotations

import datetime as dt

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Header, Input, Label

from quizapp.store import SignIn, Store, StoreError
from quizapp.tui.screens.base import AppScreen
from quizapp.tui.widgets.footer import StableFooter

MAX_NAME = 80
MAX_SECRET = 200


def refusal(result: SignIn, what: str) -> str:
    """What to tell someone whose sign-in was refused (the lock's end in UTC, if locked)."""
    if result.outcome == "locked" or result.until is not None:
        until = result.until or dt.datetime.now(dt.UTC)
        return (
            f"Too many wrong tries: locked until {until:%H:%M} UTC. "
            "Your instructor can give you a new PIN (quizapp students reset-pin)."
            if what == "PIN"
            else f"Too many wrong tries: locked until {until:%H:%M} UTC."
        )
    if what == "PIN":
        return "Name and PIN do not match. Check both, or ask your instructor."
    return "That is not the instructor's passphrase."


class _NameInput(Input):
    """The name box. Enter hands on to the PIN box at once: keys already on their way here
    (a fast typist, a browser sending a burst) go to the PIN box, never onto the end of the
    name, until the name box is focused again."""

    handed_on = False

    def _pin(self) -> Input:
        return self.screen.query_one("#signin-pin", Input)

    async def action_submit(self) -> None:
        """Enter: on to the PIN box (or, once handed on, the PIN box's own Enter)."""
        if self.handed_on:
            await self._pin().action_submit()
            return
        self.handed_on = True
        self.screen.set_focus(self._pin())
        await super().action_submit()

    async def _on_key(self, event: events.Key) -> None:
        if self.handed_on:
            event.stop()
            event.prevent_default()
            if event.is_printable and event.character:
                self._pin().insert_text_at_cursor(event.character)
            elif event.key == "enter":
                await self._pin().action_submit()
            return
        if event.key == "enter":
            # Here, in turn with the letters before it, not when the key has bubbled up to
            # the app's bindings: by then the first digits of the PIN were typed here.
            event.stop()
            event.prevent_default()
            await self.action_submit()
            return
        await super()._on_key(event)

    def on_focus(self) -> None:
        """Focused again (Tab, a click, an empty name): keys are the name's again."""
        self.handed_on = False


class SignInScreen(AppScreen):
    """Name and PIN, checked against the roster; the only way in when there is one."""

    def __init__(self, name: str | None = None) -> None:
        super().__init__()
        self.prefill = name or ""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="student-box", classes="box"):
            yield Label("Welcome! Sign in with your name and PIN.", classes="heading")
            yield _NameInput(
                self.prefill, placeholder="Your name", id="signin-name", max_length=MAX_NAME
            )
            yield Input(
                placeholder="Your PIN", id="signin-pin", password=True, max_length=MAX_SECRET
            )
            yield Label("", id="signin-message", classes="muted", markup=False)
        yield StableFooter()

    def on_mount(self) -> None:
        target = "#signin-pin" if self.prefill else "#signin-name"
        self.query_one(target, Input).focus()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Say what the PIN box wants when it is reached (unless a refusal is showing)."""
        message = self.query_one("#signin-message", Label)
        if event.widget.id == "signin-pin" and not str(message.content):
            message.update("Now your PIN, then Enter.")

    @on(Input.Submitted, "#signin-name")
    def _name_typed(self) -> None:
        self.set_focus(self.query_one("#signin-pin", Input))

    @on(Input.Submitted, "#signin-pin")
    def _pin_typed(self) -> None:
        name = self.query_one("#signin-name", Input).value.strip()
        pin_box = self.query_one("#signin-pin", Input)
        message = self.query_one("#signin-message", Label)
        if not name:
            message.update("Type your name first.")
            self.set_focus(self.query_one("#signin-name", Input))
            return
        if not pin_box.value:
            message.update("Type your PIN, then Enter.")
            return
        store = self.quiz_app.store
        pin, pin_box.value = pin_box.value, ""
        if store is None:
            return
        result = self.safely(lambda: store.check_pin(name, pin), "check the PIN")
        if result is None:
            return
        if not result.ok:
            message.update(refusal(result, "PIN"))
            return
        self.quiz_app.sign_in(name, verified=True)


class PassphraseScreen(ModalScreen[bool]):
    """The instructor's passphrase; dismisses with True when it is right. Checked through a
    short-lived writable connection (the class view itself reads only), so wrong tries are
    counted and logged."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, store: Store | None) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("The class view needs the instructor's passphrase.", classes="heading")
            yield Input(
                placeholder="Passphrase", id="passphrase", password=True, max_length=MAX_SECRET
            )
            yield Label(
                "Enter to open · Escape to cancel",
                id="passphrase-message",
                classes="muted",
                markup=False,
            )

    def on_mount(self) -> None:
        self.query_one("#passphrase", Input).focus()

    @on(Input.Submitted, "#passphrase")
    def _typed(self, event: Input.Submitted) -> None:
        box = self.query_one("#passphrase", Input)
        secret, box.value = event.value, ""
        try:
            if self.store is None:
                raise StoreError("the score database is unavailable")
            with Store.open(self.store.target) as writable:
                result = writable.check_instructor(secret)
        except StoreError as error:
            self.query_one("#passphrase-message", Label).update(f"Could not check it: {error}")
            return
        if result.ok:
            self.dismiss(True)
        else:
            self.query_one("#passphrase-message", Label).update(refusal(result, "passphrase"))

    def action_cancel(self) -> None:
        """Escape: no class view."""
        self.dismiss(False)
