"""A footer that redraws only when the keys it shows change."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class StableFooter(Footer):
    """Textual's footer rebuilds all its key widgets whenever focus moves; in a quiz, focus
    moves on every question although the keys shown stay the same, and the rebuild cost
    more than the rest of the step. This footer compares what it would show first."""

    _shown: tuple[Any, ...] | None = None

    def on_resize(self) -> None:
        # Below 100 columns, drop the padding between keys and the palette key (Ctrl+P still
        # opens it; the help lists it) so that every key is shown whole: at 80 columns the
        # exam's keys with a hint ran under the palette key and cut "? Help" to "? Hel".
        narrow = self.size.width < 100
        self.compact = narrow
        if self.show_command_palette == narrow:
            self.show_command_palette = not narrow
            self._shown = None
            if self._bindings_ready:
                self.refresh(recompose=True)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        shown = tuple(
            (key, active.binding.description, active.binding.key_display, active.enabled)
            for key, active in screen.active_bindings.items()
            if active.binding.show
        )
        if shown == self._shown:
            return
        self._shown = shown
        super().bindings_changed(screen)
