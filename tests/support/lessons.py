"""The minimal lesson's text, the repository root, and finding a line in a text."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
MINIMAL = (FIXTURES / "minimal.yaml").read_text(encoding="utf-8")
# The same lesson with its questions in the written order: UI tests know what comes next.
IN_ORDER = MINIMAL.replace("shuffle: true", "shuffle: false")
REPO = Path(__file__).resolve().parents[2]
# The lessons we ship are named NN-topic.yaml. Any other file in lessons/ (one an instructor
# just made there with `quizapp new`) is theirs, and the tests of shipped content ignore it.
SHIPPED_GLOB = "[0-9][0-9]-*.yaml"


def shipped_lesson_files() -> list[Path]:
    """The shipped lesson files, in file-name order."""
    return sorted((REPO / "lessons").glob(SHIPPED_GLOB))


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line number of the ``nth`` line containing ``needle`` (for exact assertions)."""
    count = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            count += 1
            if count == nth:
                return number
    raise AssertionError(f"{needle!r} not in text")
