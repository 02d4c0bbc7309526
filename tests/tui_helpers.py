"""Helpers for the pilot tests: what a widget or the whole screen shows, as plain text."""

from __future__ import annotations

import html
import io
import re

from rich.console import Console
from textual.app import App
from textual.widgets import Static


def plain(widget: Static, width: int = 98) -> str:
    """What a Label or Static shows, as plain text (Rich renderables rendered at ``width``)."""
    content = widget.content
    if isinstance(content, str):
        return content
    console = Console(width=width, file=io.StringIO(), color_system=None)
    with console.capture() as capture:
        console.print(content)
    return capture.get()


def screen_text(app: App[object]) -> str:
    """Everything on the screen as plain text (from the SVG screenshot)."""
    svg = app.export_screenshot()
    parts = re.findall(r"<text[^>]*>(.*?)</text>", svg)
    return html.unescape("".join(parts)).replace("\xa0", " ")
