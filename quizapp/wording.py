"""Small helpers for the English the app prints."""

from __future__ import annotations


def plural(count: int, word: str) -> str:
    """``1 question``, ``2 questions``: a count with its noun (regular plurals only)."""
    return f"{count} {word}{'' if count == 1 else 's'}"
