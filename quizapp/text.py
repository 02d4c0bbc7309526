"""The one display sanitiser: text from a lesson file, a score file or a user, made inert.

Lesson files come from colleagues and the internet, score files from students. A string in
either can carry a terminal escape sequence (``ESC ]0;...BEL`` retitles the terminal,
``ESC [2J`` wipes it), a NUL, or a bidi override that makes text read differently from what
it is. :func:`clean` is the single policy for all of them, applied where such text leaves
quizapp's hands: the lesson loader, the store's reads, and every command's output (tables,
CSV, GIFT, JSON). It removes

* C0 and C1 control characters (``U+0000``-``U+001F``, ``U+007F``-``U+009F``), keeping a
  newline and a tab only where the field allows several lines (``multiline=True``); in a
  one-line field a newline or tab becomes a space, so words stay apart;
* bidi embeddings, overrides and isolates (``U+202A``-``U+202E``, ``U+2066``-``U+2069``);
  the plain direction marks (LRM, RLM, ALM) stay, as Arabic and Hebrew text needs them;
* lone surrogates, which cannot be written as UTF-8 (each becomes ``U+FFFD``).

:func:`unsafe_characters` finds the same characters with their positions, for
``quizapp validate``; :func:`describe` names one (``U+001B ESCAPE``). :func:`csv_cell` is the
one rule for a spreadsheet cell: cleaned, and a leading ``=``, ``+``, ``-`` or ``@`` (which
spreadsheets run as a formula) escaped with an apostrophe. Nothing here imports the UI.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

__all__ = [
    "BIDI_CONTROLS",
    "clean",
    "clean_data",
    "csv_cell",
    "describe",
    "is_clean",
    "unsafe_characters",
]

#: Bidi embeddings, overrides and isolates: they reorder what follows them on screen.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

_BIDI = "\u202a-\u202e\u2066-\u2069"
# Everything that is never shown as it is, in a field of one line and in one of several.
_ONE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}\ud800-\udfff]")
_MULTILINE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}\ud800-\udfff]")
_SPACES = frozenset("\t\n\r\x0b\x0c")

_C0_NAMES = (
    "NULL", "START OF HEADING", "START OF TEXT", "END OF TEXT", "END OF TRANSMISSION",
    "ENQUIRY", "ACKNOWLEDGE", "BELL", "BACKSPACE", "CHARACTER TABULATION", "LINE FEED",
    "LINE TABULATION", "FORM FEED", "CARRIAGE RETURN", "SHIFT OUT", "SHIFT IN",
    "DATA LINK ESCAPE", "DEVICE CONTROL ONE", "DEVICE CONTROL TWO", "DEVICE CONTROL THREE",
    "DEVICE CONTROL FOUR", "NEGATIVE ACKNOWLEDGE", "SYNCHRONOUS IDLE",
    "END OF TRANSMISSION BLOCK", "CANCEL", "END OF MEDIUM", "SUBSTITUTE", "ESCAPE",
    "INFORMATION SEPARATOR FOUR", "INFORMATION SEPARATOR THREE", "INFORMATION SEPARATOR TWO",
    "INFORMATION SEPARATOR ONE",
)  # fmt: skip
_C1_NAMES = {0x7F: "DELETE", 0x85: "NEXT LINE", 0x9B: "CONTROL SEQUENCE INTRODUCER",
             0x9D: "OPERATING SYSTEM COMMAND"}  # fmt: skip


def _replace(match: re.Match[str]) -> str:
    ch = match.group()
    if ch in _SPACES:
        return " " if ch != "\r" else ""
    if "\ud800" <= ch <= "\udfff":
        return "\ufffd"
    return ""


def clean(text: str, *, multiline: bool = False) -> str:
    """``text`` with every control character, bidi override and lone surrogate removed.

    With ``multiline`` a newline and a tab are kept (Markdown bodies, explanations); without,
    they become a space. A carriage return is always dropped (``\\r\\n`` becomes ``\\n``).
    Text that needs nothing is returned as it is, so the common case costs one regex scan.
    """
    pattern = _MULTILINE if multiline else _ONE_LINE
    if pattern.search(text) is None:
        return text
    return pattern.sub(_replace, text)


def is_clean(text: str, *, multiline: bool = False) -> bool:
    """True when :func:`clean` would leave ``text`` as it is."""
    return (_MULTILINE if multiline else _ONE_LINE).search(text) is None


def clean_data(value: Any) -> Any:
    """Every string in a JSON-like value (dicts, lists, tuples) cleaned; keys too. Newlines
    and tabs are kept: JSON writes them as escapes."""
    if isinstance(value, str):
        return clean(value, multiline=True)
    if isinstance(value, dict):
        return {clean_data(k): clean_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_data(v) for v in value]
    return value


def unsafe_characters(text: str, *, multiline: bool = False) -> Iterator[tuple[int, str]]:
    """Each character :func:`clean` would remove, with its index in ``text``."""
    pattern = _MULTILINE if multiline else _ONE_LINE
    for match in pattern.finditer(text):
        yield match.start(), match.group()


def describe(ch: str) -> str:
    """A character as the Unicode standard names it: ``U+001B ESCAPE``."""
    point = ord(ch)
    if point < 0x20:
        name = _C0_NAMES[point]
    elif point in _C1_NAMES:
        name = _C1_NAMES[point]
    elif 0x80 <= point <= 0x9F:
        name = "C1 CONTROL CHARACTER"
    elif 0xD800 <= point <= 0xDFFF:
        name = "SURROGATE (not a character)"
    else:
        name = unicodedata.name(ch, "UNNAMED CHARACTER")
    return f"U+{point:04X} {name}"


_FORMULA_START = ("=", "+", "-", "@")


def csv_cell(value: Any) -> Any:
    """One cell of a CSV written from data: text is cleaned (newlines kept: the CSV writer
    quotes them) and, when it starts like a formula (``=``, ``+``, ``-``, ``@``, also after
    spaces), gets a leading apostrophe so a spreadsheet shows it instead of running it.
    Numbers and None pass through."""
    if not isinstance(value, str):
        return value
    text = clean(value, multiline=True)
    if text.lstrip(" \t\n")[:1] in _FORMULA_START and text[:1] != "'":
        return "'" + text
    return text
