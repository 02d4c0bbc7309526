"""A department-sized class: 1,000 students x the 9 shipped lessons, 1,000,000 answers.

The class database is generated here (seeded), in bulk: plain SQL ``executemany`` in one
transaction, with the shipped lessons' real question ids, hashes and plausible responses, so
``quizapp report``, ``export answers``, ``scores`` and the class view read what a real class
would leave behind, only much more of it. (``benchmarks/classdata.py`` writes through the
real store and quiz sessions; at a million answers that would take many minutes.)

Figures, each timed in-process (no interpreter start) through the commands' own entry point
``quizapp.cli.main``:

* ``report`` for one lesson (as a table);
* ``export answers`` to a file, beside its floor: the same rows from a plain ``SELECT`` written
  with ``csv.writer``, no cleaning and no formatting;
* ``scores`` for one student;
* the class view (``quizapp --instructor``, headless): from the app's start to the
  gradebook holding every student, until every lesson is analysed in the background, and
  from a key moving to the next lesson's column to its item analysis painted.

    python -m benchmarks.classscale [--students 1000] [--answers 1000000] [--runs 5]
    python -m benchmarks.classscale --db /tmp/class.sqlite3   # keep (and reuse) the class
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import io
import json
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.classdata import _response
from benchmarks.common import Figure, median_ms, print_table
from quizapp.lessons.loader import load_paths
from quizapp.lessons.model import Lesson
from quizapp.store import Store, name_key

LESSONS = Path(__file__).resolve().parent.parent / "lessons"
START = dt.datetime(2026, 9, 1, 8, 0, tzinfo=dt.UTC)


def _stamp(seconds: int) -> str:
    return (START + dt.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _pools(rng: random.Random, lesson: Lesson) -> list[tuple[str, str, list[str], list[str]]]:
    """Per question: id, hash, a few right responses and a few wrong ones (stored JSON)."""
    pools = []
    for q in lesson.quiz.questions:
        right = sorted({json.dumps(_response(rng, q, True, None, None)) for _ in range(3)})
        wrong = sorted({json.dumps(_response(rng, q, False, None, None)) for _ in range(6)})
        pools.append((q.id, q.content_hash(), right, wrong))
    return pools


ClassRows = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]


def big_class_rows(lessons: Sequence[Lesson], students: int, answers: int) -> ClassRows:
    """The rows of a class of ``students`` taking every lesson in ``lessons`` until about
    ``answers`` answers are given (seeded: the same rows every run), in the columns of
    :data:`STUDENT_COLUMNS`, :data:`ATTEMPT_COLUMNS` and :data:`ANSWER_COLUMNS`: students,
    attempts, answers. (:mod:`benchmarks.backends` loads the same rows into PostgreSQL.)"""
    rng = random.Random(19)
    pools = {lesson.id: _pools(rng, lesson) for lesson in lessons}
    per_pass = sum(len(p) for p in pools.values())
    passes = max(1, round(answers / (students * per_pass)))
    people, tries, given = [], [], []
    attempt_id = 0
    for s in range(1, students + 1):
        name = f"Student {s:04d}"
        people.append((s, name, name_key(name), _stamp(s), _stamp(s + 1)))
        ability = rng.gauss(0.0, 1.0)
        for lesson in lessons:
            pool = pools[lesson.id]
            ids = json.dumps([q for q, _, _, _ in pool])
            hashes = json.dumps([h for _, h, _, _ in pool])
            for n in range(passes):
                attempt_id += 1
                at = s * 100_000 + attempt_id * 600
                right = 0
                for i, (qid, qhash, good, bad) in enumerate(pool):
                    knows = rng.random() < 0.35 + 0.1 * ability + 0.04 * n + 0.05 * (i % 5)
                    right += knows
                    given.append(
                        (f"{rng.getrandbits(128):032x}", attempt_id, qid, qhash,
                         rng.choice(good if knows else bad), float(knows),
                         round(rng.uniform(4, 60), 1), _stamp(at + 30 * i))
                    )  # fmt: skip
                tries.append(
                    (attempt_id, f"{rng.getrandbits(128):032x}", s, lesson.id,
                     lesson.content_hash(), n,
                     ids, hashes, "[]", "full", "finished", _stamp(at),
                     _stamp(at + 30 * len(pool)), _stamp(at + 30 * len(pool)),
                     float(right), float(len(pool)))
                )  # fmt: skip
    return people, tries, given


STUDENT_COLUMNS = ("id", "name", "name_key", "created_at", "last_active")
ATTEMPT_COLUMNS = (
    "id", "uuid", "student_id", "lesson_id", "lesson_hash", "seed", "question_ids",
    "question_hashes", "dropped", "mode", "status", "started_at", "finished_at",
    "last_activity", "score", "max_score",
)  # fmt: skip
ANSWER_COLUMNS = (
    "uuid", "attempt_id", "question_id", "question_hash", "response", "score", "seconds",
    "answered_at",
)  # fmt: skip


def _insert(table: str, columns: Sequence[str]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def write_big_class(
    db: Path, lessons: Sequence[Lesson], students: int, answers: int, rows: ClassRows | None = None
) -> int:
    """Write a class of ``students`` taking every lesson in ``lessons`` until about
    ``answers`` answers are stored (the ``rows`` of :func:`big_class_rows` when they were
    made already); returns the number of answers written."""
    Store.open(db).close()
    people, tries, given = rows or big_class_rows(lessons, students, answers)
    conn = sqlite3.connect(db)
    with conn:
        conn.executemany(_insert("students", STUDENT_COLUMNS), people)
        conn.executemany(_insert("attempts", ATTEMPT_COLUMNS), tries)
        conn.executemany(_insert("answers", ANSWER_COLUMNS), given)
    conn.close()
    return len(given)


def _cli(args: list[str]) -> None:
    from quizapp.cli import main

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = main(args)
    assert code == 0, (args, code)


# The floor of the answers export: the export's own rows, straight from SQLite to csv.writer.
_EXPORT_FLOOR_SQL = (
    "SELECT s.name, a.lesson_id, a.uuid, a.started_at, a.status, a.lesson_hash,"
    " n.question_id, n.question_hash, n.response, n.score, n.seconds, n.answered_at, a.mode,"
    " n.hinted"
    " FROM answers n JOIN attempts a ON a.id = n.attempt_id"
    " JOIN students s ON s.id = a.student_id ORDER BY n.answered_at, n.id"
)


def export_floor(db: Path, out: Path) -> None:
    """Write the export's rows from a plain SELECT with csv.writer: the floor."""
    conn = sqlite3.connect(db.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        with out.open("w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            writer.writerows(conn.execute(_EXPORT_FLOOR_SQL))
    finally:
        conn.close()


def class_view_times(db: Path, runs: int, students: int) -> tuple[list[float], float, float]:
    """The class view, headless (:mod:`benchmarks.instructorview`): ms from the app's start
    to the whole gradebook shown (``runs`` times, each in a fresh process), then median ms
    to every lesson analysed in the background and from a key to the next lesson's
    analysis painted (over ``runs // 2`` runs: each waits for every analysis)."""
    import asyncio

    from benchmarks.instructorview import time_class_view, time_filled

    filled = time_filled(db, LESSONS, runs, students)
    _, analysed, moves = asyncio.run(time_class_view(db, LESSONS, max(1, runs // 2), students))
    return filled, analysed, moves


def measure(folder: Path, students: int, answers: int, runs: int, db: Path | None) -> list[Figure]:
    """Generate (or reuse) the class and time each figure; the figures."""
    lessons = sorted(load_paths([LESSONS]).lessons, key=lambda lesson: lesson.id)
    path = db or folder / "class.sqlite3"
    if not path.exists():
        started = time.perf_counter()
        n = write_big_class(path, lessons, students, answers)
        print(f"wrote {n} answers in {time.perf_counter() - started:.1f} s")
    conn = sqlite3.connect(path)
    n = conn.execute("SELECT count(*) FROM answers").fetchone()[0]
    conn.close()
    lesson = lessons[1].id
    middle = f"Student {max(1, students // 2):04d}"
    out = folder / "answers.csv"
    floor_out = folder / "floor.csv"
    base = ["--db", str(path)]

    def export() -> None:
        _cli(["export", "answers", *base, "--out", str(out)])

    def floor() -> None:
        export_floor(path, floor_out)

    export_ms, floor_ms = _interleaved(export, floor, runs)
    figures = [
        Figure(
            f"report one lesson, {n} answers",
            median_ms(lambda: _cli(["report", lesson, *base, "--lessons", str(LESSONS)]), runs),
            goal="<= 500 ms",
        ),
        Figure(f"export answers, {n}", export_ms, "plain SELECT to csv", floor_ms, "<= 2x"),
        Figure(
            "scores for one student",
            median_ms(lambda: _cli(["scores", "--student", middle, *base]), runs),
            goal="<= 50 ms",
        ),
    ]
    filled, analysed, moves = class_view_times(path, runs, students)
    print("class view filled, each run (ms):", " ".join(f"{ms:.0f}" for ms in filled))
    figures += [
        Figure(
            f"class view filled, {students} students", statistics.median(filled), goal="<= 500 ms"
        ),
        Figure("  every lesson analysed (background)", analysed),
        Figure("class view, key to next lesson's analysis", moves, goal="<= 100 ms"),
    ]
    return figures


def _interleaved(a: Any, b: Any, runs: int) -> tuple[float, float]:
    """A and B timed in turn (so a busy moment hits both); medians in ms."""
    times_a: list[float] = []
    times_b: list[float] = []
    for _ in range(runs):
        for fn, times in ((a, times_a), (b, times_b)):
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
    return sorted(times_a)[len(times_a) // 2], sorted(times_b)[len(times_b) // 2]


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    """Run and print; returns the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="tiny input, for the smoke test")
    parser.add_argument("--db", type=Path, help="keep the class here (reused when it exists)")
    args = parser.parse_args(argv)
    students, answers, runs = (
        (5, 500, 1) if args.quick else (args.students, args.answers, args.runs)
    )
    with tempfile.TemporaryDirectory() as tmp:
        figures = measure(Path(tmp), students, answers, runs, args.db)
    print_table(figures)
    return figures


if __name__ == "__main__":
    main()
