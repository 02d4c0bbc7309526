"""Small helpers for the English the app prints."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def plural(count: int, word: str) -> str:
    """``1 question``, ``2 questions``: a count with its noun (regular plurals only)."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """``"; did you mean 'explanation'?"`` for a near miss among ``options``, else ``""``."""
    near = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"; did you mean {near[0]!r}?" if near else ""
