"""A footer that redraws only when the keys it shows change, and shows or hides a key it
already has instead of rebuilding."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class StableFooter(Footer):
    """Textual's footer rebuilds all its key widgets whenever focus moves; in a quiz, focus
    moves on every question although the keys shown stay the same, and the rebuild cost
    more than the rest of the step. This footer compares what it would show first.

    When the keys do change but each one shown is a key widget the footer already has, in
    the same order (an order question's Move up/Move down come and go between questions),
    it shows and hides those widgets: no key widget is built or removed."""

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
        if self.is_attached and screen is self.screen and self._show_only(shown):
            return
        super().bindings_changed(screen)

    def _show_only(self, shown: tuple[Any, ...]) -> bool:
        """Show the key widgets of ``shown`` and hide the others, if every key of ``shown``
        has one, in the same order; False (nothing changed) when the footer must rebuild."""
        keys = [
            child
            for child in self.children
            if isinstance(child, FooterKey) and not child.has_class("-command-palette")
        ]
        if not keys or any(not isinstance(child, FooterKey) for child in self.children):
            return False  # not built yet, or built with key groups
        where = {
            (key.key, key.description, key.has_class("-disabled")): at
            for at, key in enumerate(keys)
        }
        wanted = [where.get((key, about, not enabled)) for key, about, _, enabled in shown]
        places = [at for at in wanted if at is not None]
        if len(places) < len(wanted) or places != sorted(set(places)):
            return False
        for at, key in enumerate(keys):
            key.display = at in places
        return True
