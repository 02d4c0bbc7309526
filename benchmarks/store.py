"""Benchmark of the score store: prints medians, asserts nothing.

* the time to record one answer durably (its own transaction; WAL, ``synchronous=FULL``);
* over a generated class database of 100,000 answers (50 students, 20 lessons, 10 attempts
  each of 10 questions): opening the file (with its integrity check), a student's history,
  the lesson list's per-lesson summary, one lesson score, an attempt's answers, the class
  gradebook and the full answers export.

Targets on the project's reference machine: under 1 ms an answer, under 5 ms a query.

    python benchmarks/store.py            # the full run (generates about 30 MB in a temp dir)
    python benchmarks/store.py --quick    # tiny input, a smoke test
    python benchmarks/store.py --dir /mnt/usb   # measure on another disk
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.common import Figure, median_ms, print_table
from quizapp.store import Store

QUESTIONS = 10


class Clock:
    """Moves a few seconds per reading, so generated data spans realistic times."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 9, 1, 8, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=7)
        return self.now


def record_answer_times(target: Path | str, answers: int) -> list[float]:
    """Milliseconds of each of ``answers`` durable ``record_answer`` calls (attempts of
    :data:`QUESTIONS`) in the store at ``target`` (a SQLite file or a PostgreSQL URL)."""
    with Store.open(target) as store:
        student = store.student("Ana")
        ids = [f"q{i}" for i in range(QUESTIONS)]
        times: list[float] = []
        while len(times) < answers:
            attempt = store.start_attempt(student.id, "lesson", "lh", 1, ids, ["qh"] * len(ids))
            for qid in ids:
                start = time.perf_counter()
                store.record_answer(attempt.id, qid, "qh", {"picked": "Los Ángeles"}, 1.0, 4.2)
                times.append((time.perf_counter() - start) * 1000)
            store.finish_attempt(attempt.id)
    return times[:answers]


def record_answer_ms(folder: Path, answers: int) -> float:
    """Median time of one durable ``record_answer`` in a fresh database."""
    path = folder / "answers.sqlite3"
    times = record_answer_times(path, answers)
    with Store.open(path) as store:
        assert store.synchronous == "FULL" and store.journal_mode == "wal"
    return statistics.median(times)


def raw_commit_ms(folder: Path, synchronous: str, commits: int) -> float:
    """Median time of a one-row WAL commit at a ``synchronous`` level, on a bare connection:
    what durability itself costs on this disk (the store always uses FULL)."""
    conn = sqlite3.connect(folder / f"raw-{synchronous}.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(f"PRAGMA synchronous = {synchronous}")
    conn.execute("CREATE TABLE t (x TEXT)")
    times = []
    for _ in range(commits):
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t VALUES ('an answer')")
        conn.execute("COMMIT")
        times.append((time.perf_counter() - start) * 1000)
    conn.close()
    return statistics.median(times)


def build_class(path: Path, students: int, lessons: int, attempts: int) -> int:
    """Generate a class database through the public API (in one batch); returns answers."""
    count = 0
    with Store.open(path, clock=Clock()) as store, store.batch():
        ids = [f"q{i}" for i in range(QUESTIONS)]
        for s in range(students):
            student = store.student(f"Student {s:03d} Núñez")
            for lesson in range(lessons):
                for a in range(attempts):
                    attempt = store.start_attempt(
                        student.id, f"lesson-{lesson:02d}", "lh", a, ids, ["qh"] * QUESTIONS
                    )
                    for q, qid in enumerate(ids):
                        score = 1.0 if (s + lesson + a + q) % 3 else 0.0
                        store.record_answer(attempt.id, qid, "qh", f"answer {q}", score, 3.0)
                        count += 1
                    store.finish_attempt(attempt.id)
                store.save_card_progress(student.id, f"lesson-{lesson:02d}", lesson % 5)
    return count


def measure(
    folder: Path, students: int, lessons: int, attempts: int, answers: int, repeat: int
) -> list[Figure]:
    """Every figure of the store, with its floor where there is one."""
    recorded = record_answer_ms(folder, answers)
    bare_full = raw_commit_ms(folder, "FULL", answers)
    figures = [
        Figure(
            "record one answer durably (WAL, FULL)",
            recorded,
            "bare 1-row commit, FULL",
            bare_full,
            "< 1 ms",
        ),
        Figure("  bare 1-row commit, synchronous=NORMAL", raw_commit_ms(folder, "NORMAL", answers)),
    ]
    db = folder / "class.sqlite3"
    total = build_class(db, students, lessons, attempts)
    figures.append(
        Figure(
            f"open a {total:,}-answer database (checks)",
            median_ms(lambda: Store.open(db).close(), max(3, repeat // 5)),
        )
    )
    with Store.open(db) as store:
        student = store.students()[len(store.students()) // 2]
        history = store.history(student.id)
        one = history[len(history) // 2]
        queries: list[tuple[str, Callable[[], Any], str]] = [
            (
                f"a student's history ({len(history)} attempts)",
                lambda: store.history(student.id),
                "< 5 ms",
            ),
            (
                "lesson list summary (one query)",
                lambda: store.lesson_summaries(student.id),
                "< 5 ms",
            ),
            ("an attempt's answers", lambda: store.answers(one.id), ""),
            (
                f"class gradebook ({students * lessons} rows, best)",
                lambda: store.gradebook("best"),
                "< 5 ms",
            ),
            (f"all {total:,} answer rows (export)", lambda: list(store.answer_rows()), ""),
        ]
        for label, action, goal in queries:
            runs = repeat if "export" not in label else max(3, repeat // 10)
            figures.append(Figure(label, median_ms(action, runs), goal=goal))
    return figures


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    """Run the benchmark and print its table; returns the figures for `make bench`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="tiny input (a smoke test)")
    parser.add_argument("--dir", type=Path, help="where to make the temporary databases")
    args = parser.parse_args(argv)
    sizes = (3, 2, 2, 20, 3) if args.quick else (50, 20, 10, 500, 50)
    with tempfile.TemporaryDirectory(prefix="quizapp-bench-", dir=args.dir) as tmp:
        figures = measure(Path(tmp), *sizes)
    print_table(figures)
    return figures


if __name__ == "__main__":
    main()
