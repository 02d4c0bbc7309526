"""Helpers for the pilot tests: what a widget or the whole screen shows, as plain text."""

from __future__ import annotations

import html
import io
import re

from rich.console import Console
from textual.app import App
from textual.widgets import Static


def render_plain(renderable: object, width: int = 98) -> str:
    """A string or Rich renderable as plain text, rendered at ``width``."""
    if isinstance(renderable, str):
        return renderable
    console = Console(width=width, file=io.StringIO(), color_system=None)
    with console.capture() as capture:
        console.print(renderable)
    return capture.get()


def plain(widget: Static, width: int = 98) -> str:
    """What a Label or Static shows, as plain text."""
    return render_plain(widget.content, width)


def screen_text(app: App[object]) -> str:
    """Everything on the screen as plain text (from the SVG screenshot)."""
    svg = app.export_screenshot()
    parts = re.findall(r"<text[^>]*>(.*?)</text>", svg)
    return html.unescape("".join(parts)).replace("\xa0", " ")
