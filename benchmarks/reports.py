"""The item analysis behind `quizapp report` and the class view, over a generated class.

The class takes the demo lesson (8 questions) through the real store and quiz sessions
(benchmarks/classdata.py). Figures: reading every answer (`load_records`) beside the floor of
fetching the same rows with sqlite3 alone (no JSON decoding, no objects), the item analysis of
the lesson, and the gradebook rows the class view shows. The class view reads the scores in a
worker thread; the analysis of a lesson runs when its column is first highlighted (then it is
cached), so it is the figure a user waits for.

    python -m benchmarks.reports [--students 300] [--runs 5] [--quick]
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
from collections.abc import Sequence
from pathlib import Path

from benchmarks.classdata import DEMO_ITEMS, DEMO_MISKEYED, demo_lesson, write_class
from benchmarks.common import Figure, median_ms, print_table
from quizapp.reports import item_analysis, load_records
from quizapp.store import Store

# The floor runs the store's own query with sqlite3 alone: a private name, read on purpose.
from quizapp.store.views import _RECORDS_SQL as RECORDS_SQL
from quizapp.tui.screens.instructor import student_rows


def measure(students: int, runs: int, folder: Path) -> list[Figure]:
    """Generate a class of ``students`` in ``folder`` and time the reads; the figures."""
    db = folder / "class.sqlite3"
    lesson = demo_lesson()
    write_class(db, lesson, students=students, items=DEMO_ITEMS, miskeyed=DEMO_MISKEYED)
    records = load_records(db)

    def raw_fetch() -> None:
        conn = sqlite3.connect(db.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            conn.execute(RECORDS_SQL.format(where="")).fetchall()
        finally:
            conn.close()

    with Store.open(db, create=False) as store:
        gradebook = median_ms(lambda: student_rows(store.gradebook("best")), runs)
    n = len(records)
    return [
        Figure(
            f"load_records, {n} answers",
            median_ms(lambda: load_records(db), runs),
            "sqlite3 fetch of the rows",
            median_ms(raw_fetch, runs),
            "<= 3x",
        ),
        Figure(
            f"item analysis of one lesson, {n} answers",
            median_ms(lambda: item_analysis(lesson, records), runs),
            goal="< 100 ms for 300 students",
        ),
        Figure(f"gradebook rows, {students} students", gradebook, goal="< 50 ms"),
    ]


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    """Run and print; returns the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="tiny input, for the smoke test")
    parser.add_argument("--dir", type=Path, help="where to write the class (default: a temp dir)")
    args = parser.parse_args(argv)
    students, runs = (5, 1) if args.quick else (args.students, args.runs)
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        figures = measure(students, runs, Path(tmp))
    print_table(figures)
    return figures


if __name__ == "__main__":
    main()
