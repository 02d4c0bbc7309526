"""The app's title line, drawn as Textual's ``Header`` draws it, by one widget.

``Header`` is four widgets (the header, its icon, its title and the clock's space), a
stylesheet of its own and four watchers; on the lesson list, the first screen of every start,
they cost about 3 % of the time to its first frame (docs/performance.md, issue 19). This
widget draws the same line (the icon on the left, the title and subtitle centred between the
icon's and the clock's places, cut with an ellipsis when narrow) from one ``render``. A click
on the icon opens the command palette, as the header's does.
"""

from __future__ import annotations

from textual.content import Content
from textual.events import Click
from textual.widget import Widget

__all__ = ["TitleBar"]

#: Columns of Textual's header icon (docked left, padded) and of its clock's place (right).
_ICON, _CLOCK = 8, 10


class TitleBar(Widget):
    """The top line: the icon, then the app's (or the screen's) title and subtitle, centred.

    For a screen whose title does not change while it is shown: the line is drawn from the
    titles when it renders, not watched."""

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    def render(self) -> Content:
        """The icon and the centred title, across the whole width."""
        screen, app = self.screen, self.app
        title = app.format_title(
            screen.title if screen.title is not None else app.title,
            screen.sub_title if screen.sub_title is not None else app.sub_title,
        )
        middle = max(self.size.width - _ICON - _CLOCK, 0)
        icon = Content(" ⭘").pad_right(_ICON - 2)
        return Content.assemble(icon, title.center(middle, ellipsis=True), " " * _CLOCK)

    async def on_click(self, event: Click) -> None:
        """The icon opens the command palette."""
        if event.x < _ICON and self.app.ENABLE_COMMAND_PALETTE:
            event.stop()
            await self.run_action("app.command_palette")
