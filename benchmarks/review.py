"""Benchmark of spaced review: prints medians, asserts nothing.

Over a class database of 1,000,000 review items (100 students, one of them with 10,000):

* the lesson list's due counts for the student with 10,000 items (goal < 5 ms);
* picking the next item of a review (the oldest due; goal < 2 ms);
* one review recorded durably: FSRS scheduling, the log row and the item's state in one
  committed transaction (goal < 1 ms).

Each beside its floor: the same query on a bare connection, and a bare one-row durable
commit (WAL, ``synchronous=FULL``) on the same disk.

    python -m benchmarks.review            # the full run (about 150 MB in a temp dir)
    python -m benchmarks.review --quick    # tiny input, a smoke test
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from fsrs import Rating

from benchmarks.common import Figure, median_ms, print_table
from benchmarks.store import raw_commit_ms
from quizapp import review
from quizapp.store import Store

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
CARD = (
    '{"card_id": 0, "state": 2, "step": null, "stability": 12.5, "difficulty": 5.1,'
    ' "due": "2026-11-30T12:00:00+00:00", "last_review": "2026-11-18T12:00:00+00:00"}'
)


def _stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def build(path: Path, students: int, items: int, mine: int) -> int:
    """A class database of ``items`` review items, ``mine`` of them for the first student
    (half due, spread over 20 lessons); returns that student's id."""
    with Store.open(path) as store:
        ids = [store.student(f"Student {n:04d}").id for n in range(students)]
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("BEGIN")
    per_other = (items - mine) // max(students - 1, 1)

    def rows(student: int, count: int) -> Iterator[tuple[object, ...]]:
        for n in range(count):
            due = NOW + dt.timedelta(hours=(n % 2) * 48 - 24, seconds=n)
            yield (student, f"lesson-{n % 20:02d}", f"q{n}", CARD, _stamp(due), _stamp(NOW), "u")

    conn.executemany(
        "INSERT INTO review_items (student_id, lesson_id, item_id, card, due, reviewed_at,"
        " log_uuid) VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows(ids[0], mine),
    )
    for student in ids[1:]:
        conn.executemany(
            "INSERT INTO review_items (student_id, lesson_id, item_id, card, due, reviewed_at,"
            " log_uuid) VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows(student, per_other),
        )
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()
    return ids[0]


def measure(folder: Path, students: int, items: int, mine: int, runs: int) -> list[Figure]:
    """Build the class database and time the three review operations beside their floors."""
    path = folder / "class.sqlite3"
    student = build(path, students, items, mine)
    figures: list[Figure] = []
    bare = sqlite3.connect(path)
    now = _stamp(NOW)
    with Store.open(path) as store:
        counts = store.due_counts(student, NOW)
        assert sum(counts.values()) == mine // 2, counts
        figures.append(
            Figure(
                f"due counts, {mine:,} items of {items:,}",
                median_ms(lambda: store.due_counts(student, NOW), runs),
                "the same query, bare connection",
                median_ms(
                    lambda: bare.execute(
                        "SELECT lesson_id, count(*) FROM review_items WHERE student_id = ?"
                        " AND due <= ? GROUP BY lesson_id",
                        (student, now),
                    ).fetchall(),
                    runs,
                ),
                "< 5 ms",
            )
        )
        figures.append(
            Figure(
                "next review item",
                median_ms(lambda: store.due_items(student, NOW, 1), runs),
                "the same query, bare connection",
                median_ms(
                    lambda: bare.execute(
                        "SELECT lesson_id, item_id, card, due FROM review_items"
                        " WHERE student_id = ? AND due <= ? ORDER BY due LIMIT 1",
                        (student, now),
                    ).fetchall(),
                    runs,
                ),
                "< 2 ms",
            )
        )
        counter = iter(range(10**9))
        figures.append(
            Figure(
                "one review recorded durably",
                median_ms(
                    lambda: review.record(
                        store, student, "lesson-00", f"new{next(counter)}", Rating.Good, 4.0
                    ),
                    runs,
                ),
                "a bare one-row commit, synchronous=FULL",
                raw_commit_ms(folder, "FULL", runs),
                "< 1 ms",
            )
        )
    bare.close()
    return figures


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    """Run the benchmark and print its table; returns the figures for `make bench`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="tiny input (a smoke test)")
    parser.add_argument("--dir", type=Path, help="where to make the temporary databases")
    args = parser.parse_args(argv)
    sizes = (3, 300, 100, 5) if args.quick else (100, 1_000_000, 10_000, 200)
    with tempfile.TemporaryDirectory(prefix="quizapp-bench-", dir=args.dir) as tmp:
        figures = measure(Path(tmp), *sizes)
    print_table(figures)
    return figures


if __name__ == "__main__":
    main()
