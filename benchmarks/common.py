"""Shared pieces of the benchmarks: timing with medians, generated lessons, the table."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

WORDS = [
    "the",
    "war",
    "refugees",
    "gang",
    "police",
    "court",
    "reform",
    "aid",
    "deportation",
    "commission",
    "homicide",
    "rate",
    "government",
    "army",
    "truce",
    "prison",
    "evidence",
    "source",
    "report",
    "president",
    "congress",
    "election",
    "law",
]


@dataclass
class Figure:
    """One measured figure beside its floor (the best any app could do with these libraries)."""

    name: str
    value_ms: float
    floor_name: str = ""
    floor_ms: float | None = None
    goal: str = ""
    unit: str = "ms"

    @property
    def ratio(self) -> float | None:
        """value / floor, when there is a floor."""
        return self.value_ms / self.floor_ms if self.floor_ms else None


def median_ms(action: Callable[[], object], runs: int, warmup: int = 1) -> float:
    """Median wall time of ``action`` over ``runs`` calls, in milliseconds."""
    for _ in range(warmup):
        action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _paragraph(seed: int, words: int) -> str:
    return " ".join(WORDS[(seed * 7 + i * 13) % len(WORDS)] for i in range(words))


def lesson_yaml(number: int, cards: int = 10, questions: int = 10, words: int = 150) -> str:
    """A valid lesson file of realistic size: ``cards`` cards of ``words`` words each."""
    lines = [
        f"id: generated-{number:04d}",
        f'title: "Generated lesson {number}"',
        f"summary: {_paragraph(number, 20)}",
        "objectives: [Read the cards, Answer the questions]",
        "minutes: 15",
        "sources:",
        "  - {id: src, title: A source, publisher: A publisher, date: 2008, "
        "url: 'https://example.org/src'}",
        "cards:",
    ]
    for c in range(cards):
        lines += [f"  - title: Card {c + 1}", "    body: |"]
        lines += [f"      {_paragraph(number + c, words // 3)}" for _ in range(3)]
        lines += ["    sources: [src]"]
    lines += ["quiz:", "  questions:"]
    for q in range(questions):
        lines += [
            f"    - id: q{q}",
            "      type: single",
            f"      prompt: {_paragraph(q, 12)}?",
            "      choices: [Los Angeles, San Salvador, Guatemala City, Tegucigalpa]",
            "      answer: Los Angeles",
            f"      explanation: {_paragraph(q + 1, 25)}",
            "      sources: [src]",
            f"      card: {q % cards + 1}",
        ]
    return "\n".join(lines) + "\n"


def write_lessons(folder: Path, count: int) -> Path:
    """Write ``count`` generated lessons into ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        (folder / f"{number:04d}.yaml").write_text(lesson_yaml(number), encoding="utf-8")
    return folder


def print_table(figures: Sequence[Figure], out: Callable[[str], object] = print) -> None:
    """The one table every benchmark prints: figure, median, floor, ratio, goal."""
    out(f"{'figure':<46} {'median':>11} {'floor':>11} {'ratio':>7}  goal")
    for f in figures:
        if f.value_ms != f.value_ms:  # NaN: a section heading
            out(f.name)
            continue
        unit = f.unit.ljust(3)
        floor = f"{f.floor_ms:8.2f}{unit}" if f.floor_ms is not None else ""
        ratio = f"{f.ratio:6.2f}x" if f.ratio is not None else ""
        out(f"{f.name:<46} {f.value_ms:8.2f}{unit} {floor:>11} {ratio:>7}  {f.goal}")
