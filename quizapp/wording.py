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


def attempt_note(used: int, limit: int) -> str:
    """What the lesson list says of an attempt limit: `` · attempt 2 of 3`` (the next one)
    or `` · no attempts left (3 of 3 made)``."""
    if used >= limit:
        return f" · no attempts left ({used} of {limit} made)"
    return f" · attempt {used + 1} of {limit}"


def attempts_closed(limit: int) -> str:
    """Why a quiz with an attempt limit cannot be started again."""
    return (
        f"This quiz is closed: you have made all {plural(limit, 'attempt')} it allows. "
        "You can still read the cards and review your past attempts."
    )
