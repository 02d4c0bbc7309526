"""What every screen of the app shares: typed access to the app, store errors as messages."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar, cast

from textual.screen import Screen

from quizapp.store import StoreError

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
