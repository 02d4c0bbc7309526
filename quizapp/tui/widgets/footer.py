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
        # Below 100 columns, drop the padding between keys so that every key still fits.
        self.compact = self.size.width < 100

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
