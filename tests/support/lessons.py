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


def _long_lesson() -> str:
    """The in-order lesson grown past one 80x24 screen wherever a student reads: 20
    glossary terms, 13 sources, a match question of five pairs, a long explanation."""
    text = IN_ORDER
    glossary = "\n".join(
        f"  - {{term: Term {n}, definition: Definition number {n} of a long glossary that "
        "wraps on a narrow terminal.}"
        for n in range(1, 21)
    )
    text = text.replace(
        "glossary:\n  - {term: TPS, definition: Temporary protected status.}",
        "glossary:\n" + glossary,
    )
    sources = "".join(
        f"  - id: src-{n}\n    title: Source number {n} with a long title\n"
        f"    publisher: Publisher {n}\n    date: 2008\n    url: https://example.org/{n}\n"
        for n in range(1, 13)
    )
    text = text.replace("sources:\n  - id: src-a", "sources:\n" + sources + "  - id: src-a", 1)
    text = text.replace(
        "pairs: {CICIG: Guatemala, Mano Dura: El Salvador}\n      distractors: [Honduras]",
        "pairs: {CICIG: Guatemala, Mano Dura: El Salvador, MACCIH: Honduras, "
        "CARSI: Central America, Merida: Mexico}\n      distractors: [Panama, Belize]",
    )
    return text.replace(
        "explanation: As listed.",
        "explanation: " + " ".join(["Each body worked in the country it is paired with."] * 8),
    )


#: A lesson longer than one small screen in every dialog (see :func:`_long_lesson`).
LONG = _long_lesson()
