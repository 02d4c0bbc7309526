"""`quizapp validate` over many generated lessons vs parsing the same files with PyYAML's C
loader alone (the floor: no app can validate a file without reading it).

    python -m benchmarks.validate [--lessons 1000] [--runs 5] [--quick]
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Sequence
from pathlib import Path

import yaml

from benchmarks.common import Figure, median_ms, print_table, write_lessons
from quizapp.lessons.loader import load_paths


def measure(count: int, runs: int) -> list[Figure]:
    """Validate ``count`` generated lessons; returns the figures."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_lessons(Path(tmp), count)
        files = sorted(folder.glob("*.yaml"))

        def parse_only() -> None:
            for path in files:
                yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)

        def validate() -> None:
            result = load_paths([folder])
            assert not result.errors, result.errors[:3]

        floor = median_ms(parse_only, runs)
        value = median_ms(validate, runs)
    return [
        Figure(
            f"validate {count} lessons (10 cards, 10 q)",
            value,
            "PyYAML C loader alone",
            floor,
            "<= 1.5x",
        ),
        Figure(f"  per file ({count} files)", value / count, "", floor / count, "< 3 ms"),
    ]


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    """Run and print; returns the figures for `make bench`."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lessons", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="tiny input, for the smoke test")
    args = parser.parse_args(argv)
    count, runs = (5, 1) if args.quick else (args.lessons, args.runs)
    figures = measure(count, runs)
    print_table(figures)
    return figures


if __name__ == "__main__":
    main()
