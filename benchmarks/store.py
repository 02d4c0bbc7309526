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
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from quizapp.store import Store

QUESTIONS = 10


class Clock:
    """Moves a few seconds per reading, so generated data spans realistic times."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 9, 1, 8, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=7)
        return self.now


def median_ms(action: Callable[[], Any], repeat: int) -> float:
    """Median wall time of ``action`` in milliseconds over ``repeat`` runs (after one warm-up)."""
    action()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def record_answer_ms(folder: Path, answers: int) -> float:
    """Median time of one durable ``record_answer`` in a fresh database."""
    with Store.open(folder / "answers.sqlite3") as store:
        student = store.student("Ana")
        ids = [f"q{i}" for i in range(QUESTIONS)]
        times = []
        while len(times) < answers:
            attempt = store.start_attempt(student.id, "lesson", "lh", 1, ids, ["qh"] * len(ids))
            for qid in ids:
                start = time.perf_counter()
                store.record_answer(attempt.id, qid, "qh", {"picked": "Los Ángeles"}, 1.0, 4.2)
                times.append((time.perf_counter() - start) * 1000)
            store.finish_attempt(attempt.id)
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print one median per line; returns 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="tiny input (a smoke test)")
    parser.add_argument("--dir", type=Path, help="where to make the temporary databases")
    args = parser.parse_args(argv)
    if args.quick:
        students, lessons, attempts, answers, repeat = 3, 2, 2, 20, 3
    else:
        students, lessons, attempts, answers, repeat = 50, 20, 10, 500, 50

    with tempfile.TemporaryDirectory(prefix="quizapp-bench-", dir=args.dir) as tmp:
        folder = Path(tmp)
        print(f"score store benchmark (medians; temporary folder {folder})")
        ms = record_answer_ms(folder, answers)
        label = "record one answer durably (WAL, synchronous=FULL)"
        print(f"{label:<50} {ms:8.3f} ms  [{answers} answers]")
        for level in ("FULL", "NORMAL"):
            label = f"  bare one-row WAL commit, synchronous={level}"
            print(f"{label:<50} {raw_commit_ms(folder, level, answers):8.3f} ms")

        db = folder / "class.sqlite3"
        start = time.perf_counter()
        total = build_class(db, students, lessons, attempts)
        built = time.perf_counter() - start
        size_mb = db.stat().st_size / 1e6
        print(
            f"generated {total:,} answers, {students * lessons * attempts:,} attempts "
            f"({size_mb:.1f} MB) in {built:.1f} s"
        )
        opening = median_ms(lambda: Store.open(db).close(), max(3, repeat // 5))
        print(f"{'open the class database (checks, migrations)':<50} {opening:8.3f} ms")
        with Store.open(db) as store:
            student = store.students()[len(store.students()) // 2]
            history = store.history(student.id)
            one = history[len(history) // 2]
            queries: list[tuple[str, Callable[[], Any]]] = [
                (
                    f"a student's history ({len(history)} attempts)",
                    lambda: store.history(student.id),
                ),
                (
                    "a student's history of one lesson",
                    lambda: store.history(student.id, one.lesson_id),
                ),
                ("lesson list summary (one query)", lambda: store.lesson_summaries(student.id)),
                (
                    "one lesson score (rule: last)",
                    lambda: store.lesson_score(student.id, one.lesson_id, "last"),
                ),
                ("an attempt's answers", lambda: store.answers(one.id)),
                (
                    "unfinished attempt lookup",
                    lambda: store.unfinished_attempt(student.id, one.lesson_id),
                ),
                (
                    f"class gradebook ({students * lessons} rows, rule: best)",
                    lambda: store.gradebook("best"),
                ),
                ("class gradebook (rule: last)", lambda: store.gradebook("last")),
                (f"all {total:,} answer rows (export)", lambda: list(store.answer_rows())),
            ]
            for label, action in queries:
                runs = repeat if "export" not in label else max(3, repeat // 10)
                print(f"{label:<50} {median_ms(action, runs):8.3f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
