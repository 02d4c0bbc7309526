"""Benchmark of `quizapp merge`: every row checked, beside copying the rows alone.

Two cases (issue 12):

* 30 students' files of 1,000 attempts each (10 answers an attempt), merged one after the
  other into an empty class database;
* one class file of 1,000 students x 9 lessons x 14 answers (126,000 answers) merged into an
  empty database.

Each is shown beside its floor, copying the rows alone: per file, the rows read into Python
with a plain ``SELECT`` of each table and inserted with ``executemany`` into an empty quizapp
database (one transaction a file, committed as a merge commits; ids shifted past the rows
already there; no checks, no matching of students or attempts, result triggers set aside as a
merge sets them aside). That is what any merge in Python must do at least: every row of the
file passes through Python to be checked. Printed beside it, for reference, the same rows
copied by SQLite alone (the file attached, ``INSERT INTO ... SELECT``, no row in Python).
Also printed: the most SQLite work a merge did per byte of file, against the cap a merge is
allowed (``STEPS_PER_BYTE``).

    python -m benchmarks.merge            # the full run (writes about 60 MB in a temp dir)
    python -m benchmarks.merge --quick    # tiny input, a smoke test
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from benchmarks.common import Figure, print_table
from quizapp.store import MERGE_STEPS_PER_BYTE as STEPS_PER_BYTE
from quizapp.store import Store

START = dt.datetime(2026, 9, 1, 8, 0, tzinfo=dt.UTC)


def _stamp(seconds: int) -> str:
    return (START + dt.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def write_file(path: Path, students: int, lessons: int, attempts: int, answers: int) -> None:
    """A score file: each student makes ``attempts`` attempts at each of ``lessons`` lessons,
    each with ``answers`` answers (written with plain SQL, for speed)."""
    Store.open(path).close()
    conn = sqlite3.connect(path)
    people, tries, given = [], [], []
    questions = [f"q{i}" for i in range(answers)]
    attempt_id = 0
    for s in range(1, students + 1):
        people.append((s, f"Student {s:04d} {uuid.uuid4().hex[:6]}", _stamp(s), _stamp(s + 1)))
        for lesson in range(lessons):
            for n in range(attempts):
                attempt_id += 1
                at = attempt_id * 60
                tries.append(
                    (attempt_id, uuid.uuid4().hex, s, f"lesson-{lesson}", "lh", n,
                     json.dumps(questions), json.dumps(["qh"] * answers), "[]", "full",
                     "finished", _stamp(at), _stamp(at + 50), _stamp(at + 50),
                     float(n % (answers + 1)), float(answers))
                )  # fmt: skip
                for i, q in enumerate(questions):
                    given.append(
                        (uuid.uuid4().hex, attempt_id, q, "qh", json.dumps(f"answer {i}"),
                         float(i < n % (answers + 1)), 3.5, _stamp(at + i))
                    )  # fmt: skip
    with conn:
        conn.executemany("INSERT INTO students VALUES (?, ?, ?, ?, ?)",
                         [(i, n, n, c, a) for i, n, c, a in people])  # fmt: skip
        conn.executemany(
            "INSERT INTO attempts (id, uuid, student_id, lesson_id, lesson_hash, seed,"
            " question_ids, question_hashes, dropped, mode, status, started_at, finished_at,"
            " last_activity, score, max_score) VALUES"
            " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            tries,
        )
        conn.executemany(
            "INSERT INTO answers (uuid, attempt_id, question_id, question_hash, response,"
            " score, seconds, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            given,
        )
    conn.close()


_STUDENT_COLUMNS = "name, name_key, created_at, last_active"
_ATTEMPT_COLUMNS = (
    "uuid, lesson_id, lesson_hash, seed, question_ids, status, started_at, finished_at, score,"
    " max_score, question_hashes, dropped, mode, last_activity"
)
_ANSWER_COLUMNS = "uuid, question_id, question_hash, response, score, seconds, answered_at"


def copy_rows_python(target: Path, sources: Sequence[Path]) -> float:
    """The floor: the rows of ``sources`` read with plain ``SELECT``s and written into
    ``target`` with ``executemany`` (one transaction and commit a file, ids shifted, result
    triggers set aside, no checks); seconds."""
    Store.open(target).close()
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA synchronous = FULL")
    start = time.perf_counter()
    for source in sources:
        incoming = sqlite3.connect(source.resolve().as_uri() + "?mode=ro", uri=True)
        students = incoming.execute(f"SELECT id, {_STUDENT_COLUMNS} FROM students").fetchall()
        attempts = incoming.execute(
            f"SELECT id, student_id, {_ATTEMPT_COLUMNS} FROM attempts"
        ).fetchall()
        answers = incoming.execute(f"SELECT attempt_id, {_ANSWER_COLUMNS} FROM answers").fetchall()
        incoming.close()
        conn.execute("BEGIN IMMEDIATE")
        triggers = conn.execute(
            "SELECT name, sql FROM main.sqlite_master WHERE type = 'trigger'"
        ).fetchall()
        for name, _ in triggers:
            conn.execute(f"DROP TRIGGER main.{name}")
        offset = conn.execute("SELECT coalesce(max(id), 0) FROM students").fetchone()[0]
        step = conn.execute("SELECT coalesce(max(id), 0) FROM attempts").fetchone()[0]
        conn.executemany(
            f"INSERT INTO students (id, {_STUDENT_COLUMNS}) VALUES (?, ?, ?, ?, ?)",
            [(sid + offset, *rest) for sid, *rest in students],
        )
        conn.executemany(
            f"INSERT INTO attempts (id, student_id, {_ATTEMPT_COLUMNS}) VALUES (?, ?{', ?' * 14})",
            [(aid + step, sid + offset, *rest) for aid, sid, *rest in attempts],
        )
        conn.executemany(
            f"INSERT INTO answers (attempt_id, {_ANSWER_COLUMNS}) VALUES (?{', ?' * 7})",
            [(aid + step, *rest) for aid, *rest in answers],
        )
        for _, sql in triggers:
            conn.execute(sql)
        conn.execute("COMMIT")
    seconds = time.perf_counter() - start
    conn.close()
    return seconds


def copy_rows(target: Path, sources: Sequence[Path]) -> float:
    """For reference: the rows of ``sources`` copied into ``target`` by SQLite alone (no row
    passes through Python); seconds."""
    Store.open(target).close()
    conn = sqlite3.connect(target, isolation_level=None)
    start = time.perf_counter()
    for source in sources:
        conn.execute("ATTACH DATABASE ? AS incoming", (str(source),))
        conn.execute("BEGIN IMMEDIATE")
        triggers = conn.execute(
            "SELECT name, sql FROM main.sqlite_master WHERE type = 'trigger'"
        ).fetchall()
        for name, _ in triggers:
            conn.execute(f"DROP TRIGGER main.{name}")
        offset = conn.execute("SELECT coalesce(max(id), 0) FROM main.students").fetchone()[0]
        step = conn.execute("SELECT coalesce(max(id), 0) FROM main.attempts").fetchone()[0]
        conn.execute(
            "INSERT INTO main.students SELECT id + ?, name, name_key, created_at, last_active"
            " FROM incoming.students",
            (offset,),
        )
        conn.execute(
            "INSERT INTO main.attempts (id, uuid, student_id, lesson_id, lesson_hash, seed,"
            " question_ids, status, started_at, finished_at, score, max_score,"
            " question_hashes, dropped, mode, last_activity) SELECT id + ?, uuid,"
            " student_id + ?, lesson_id, lesson_hash, seed, question_ids, status, started_at,"
            " finished_at, score, max_score, question_hashes, dropped, mode, last_activity"
            " FROM incoming.attempts",
            (step, offset),
        )
        conn.execute(
            "INSERT INTO main.answers (uuid, attempt_id, question_id, question_hash, response,"
            " score, seconds, answered_at) SELECT uuid, attempt_id + ?, question_id,"
            " question_hash, response, score, seconds, answered_at FROM incoming.answers",
            (step,),
        )
        for _, sql in triggers:
            conn.execute(sql)
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE incoming")
    seconds = time.perf_counter() - start
    conn.close()
    return seconds


def merge_all(target: Path, sources: Sequence[Path]) -> tuple[float, float]:
    """``quizapp merge`` of ``sources`` into ``target``: seconds, and the most SQLite steps
    per byte of file any one merge took."""
    worst = 0.0
    with Store.open(target) as store:
        start = time.perf_counter()
        for source in sources:
            calls = [0]

            def count(calls: list[int] = calls) -> bool:
                calls[0] += 1
                return False

            report = store.merge_from(source, stop=count)
            assert report.refused == 0, report
            worst = max(worst, calls[0] * 1000 / source.stat().st_size)
        seconds = time.perf_counter() - start
    return seconds, worst


def measure(folder: Path, files: int, attempts: int, class_students: int) -> list[Figure]:
    """Generate the files in ``folder`` and time both merges beside their floors."""
    students = [folder / f"student-{n:02d}.sqlite3" for n in range(files)]
    for path in students:
        write_file(path, students=1, lessons=1, attempts=attempts, answers=10)
    whole_class = folder / "class-file.sqlite3"
    write_file(whole_class, students=class_students, lessons=9, attempts=1, answers=14)
    many, many_work = merge_all(folder / "merged-many.sqlite3", students)
    many_floor = copy_rows_python(folder / "copied-many.sqlite3", students)
    many_sqlite = copy_rows(folder / "sqlite-many.sqlite3", students)
    one, one_work = merge_all(folder / "merged-class.sqlite3", [whole_class])
    one_floor = copy_rows_python(folder / "copied-class.sqlite3", [whole_class])
    one_sqlite = copy_rows(folder / "sqlite-class.sqlite3", [whole_class])
    return [
        Figure(
            f"merge {files} files of {attempts} attempts",
            many * 1000,
            "copy the rows alone",
            many_floor * 1000,
            "<= 2x",
        ),
        Figure("  the same rows copied by SQLite alone", many_sqlite * 1000),
        Figure(
            f"merge a class of {class_students} x 9 lessons x 14",
            one * 1000,
            "copy the rows alone",
            one_floor * 1000,
            "linear in rows",
        ),
        Figure("  the same rows copied by SQLite alone", one_sqlite * 1000),
        Figure(
            "merge work, SQLite steps per byte (most)",
            max(many_work, one_work),
            goal=f"cap {STEPS_PER_BYTE}",
            unit="",
        ),
    ]


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    """Run and print; returns the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny input, for the smoke test")
    parser.add_argument("--dir", type=Path, help="where to write the files (default: a temp dir)")
    args = parser.parse_args(argv)
    files, attempts, students = (2, 20, 5) if args.quick else (30, 1000, 1000)
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        figures = measure(Path(tmp), files, attempts, students)
    print_table(figures)
    return figures


if __name__ == "__main__":
    main()
