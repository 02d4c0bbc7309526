"""The score store on SQLite beside PostgreSQL (issue 18): the same calls, the same data.

Three figures, each on both backends, every measured call through :class:`Store`:

* **record one answer durably**: ``Store.record_answer`` in its own committed transaction,
  p50 and p95, beside the floor of a bare one-row ``INSERT`` committed on the same backend
  (SQLite: WAL, ``synchronous=FULL``; PostgreSQL: loopback, ``synchronous_commit=on``);
* **the class gradebook** of 1,000 students x the 9 shipped lessons at 1,000,000 answers
  (the rows of :func:`benchmarks.classscale.big_class_rows`, seeded; bulk-written into
  SQLite with plain SQL and into PostgreSQL with ``COPY``): ``Store.gradebook`` as the
  class view asks for it (the lessons' pass marks and rules), the lessons with answers
  (``answered_lessons``, the view's list) and one student's ``lesson_summaries``;
* **20 concurrent writers**: 20 processes, each with its own ``Store``, released together,
  each answering in attempts of 10; answers per second over all of them, and the answers
  lost (what the writers were told was saved, less the rows counted after).

PostgreSQL is the server of ``--postgres URL`` or ``QUIZAPP_TEST_POSTGRES``; each run makes a
fresh database and drops it after. Without a reachable server the PostgreSQL rows are
skipped with a note saying why.

    python -m benchmarks.backends                     # full sizes (builds the class twice)
    python -m benchmarks.backends --quick             # tiny input, the smoke test
    python -m benchmarks.backends --keep /tmp/class   # keep the class (SQLite file and a
                                                      # PostgreSQL database) and reuse it
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks import pgserver
from benchmarks.classscale import (
    ANSWER_COLUMNS,
    ATTEMPT_COLUMNS,
    LESSONS,
    STUDENT_COLUMNS,
    ClassRows,
    big_class_rows,
    write_big_class,
)
from benchmarks.common import Figure, median_ms, print_table
from benchmarks.store import record_answer_times
from quizapp.lessons.loader import load_paths
from quizapp.lessons.model import Lesson
from quizapp.store import RULES, Store

#: A score database: a SQLite file, or a PostgreSQL URL.
Target = Path | str


@dataclass(frozen=True)
class Sizes:
    """How much each figure does."""

    answers: int  # record one answer: how many timed
    students: int  # the class
    class_answers: int
    runs: int  # gradebook: timed calls
    writers: int  # concurrent processes
    per_writer: int  # answers each


FULL = Sizes(2000, 1000, 1_000_000, 15, 20, 200)
QUICK = Sizes(30, 5, 500, 2, 3, 10)


def percentile(times: Sequence[float], share: float) -> float:
    """The ``share`` (0..1) quantile of ``times`` (inclusive method)."""
    if len(times) < 2:
        return times[0]
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return cuts[round(share * 100) - 1]


# --------------------------------------------------------------- one answer, durably


def bare_commit_times(target: Target, commits: int) -> list[float]:
    """Milliseconds of each of ``commits`` bare one-row INSERTs, each committed: the floor."""
    times: list[float] = []
    if isinstance(target, Path):
        conn = sqlite3.connect(target.with_name("bare.sqlite3"), isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("CREATE TABLE t (x TEXT)")
        for _ in range(commits):
            start = time.perf_counter()
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO t VALUES ('an answer')")
            conn.execute("COMMIT")
            times.append((time.perf_counter() - start) * 1000)
        conn.close()
        return times
    import psycopg

    with psycopg.connect(target, autocommit=True) as pg:
        pg.execute("CREATE TABLE bare_commit (x text)")
        for _ in range(commits):
            start = time.perf_counter()
            pg.execute("INSERT INTO bare_commit VALUES ('an answer')")
            times.append((time.perf_counter() - start) * 1000)
        pg.execute("DROP TABLE bare_commit")
    return times


def answer_figures(label: str, target: Target, answers: int) -> list[Figure]:
    """p50 and p95 of one durable answer on ``target``, beside the bare commit."""
    recorded = record_answer_times(target, answers)
    bare = bare_commit_times(target, answers)
    goal = "< 2 ms" if label == "PostgreSQL" else "< 1 ms"
    return [
        Figure(
            f"record one answer durably, {label}, p50",
            statistics.median(recorded),
            "bare 1-row commit p50",
            statistics.median(bare),
            goal,
        ),
        Figure(
            f"  same, p95 ({answers} answers)",
            percentile(recorded, 0.95),
            "bare 1-row commit p95",
            percentile(bare, 0.95),
        ),
    ]


# --------------------------------------------------------------- the class gradebook


def load_class_postgres(url: str, rows: ClassRows) -> int:
    """The class of :func:`big_class_rows` in the (empty) PostgreSQL database at ``url``:
    the store makes its tables, ``COPY`` fills them (the store's own triggers keep the
    per student and lesson results, as SQLite's do for classscale); returns the answers
    written."""
    Store.open(url).close()
    people, tries, given = rows
    pgserver.copy_rows(url, "students", STUDENT_COLUMNS, people)
    pgserver.copy_rows(url, "attempts", ATTEMPT_COLUMNS, tries)
    pgserver.copy_rows(url, "answers", ANSWER_COLUMNS, given)
    pgserver.follow_ids(url, "students", "attempts", "answers")
    pgserver.settle(url)
    return len(given)


def gradebook_figures(
    label: str, target: Target, lessons: Sequence[Lesson], students: int, runs: int
) -> list[Figure]:
    """The class view's reads on a class already in ``target``, medians."""
    marks = {lesson.id: lesson.quiz.pass_mark for lesson in lessons}
    rules = {lesson.id: lesson.quiz.grade for lesson in lessons if lesson.quiz.grade in RULES}
    with Store.open(target) as store:
        one = store.find_student(f"Student {max(1, students // 2):04d}")
        assert one is not None, "the class is not in the database"
        rows = len(store.gradebook("best", marks, rules))
        calls: list[tuple[str, Callable[[], object], str]] = [
            (
                f"class gradebook, {label} ({rows} rows)",
                lambda: store.gradebook("best", marks, rules),
                "< 50 ms",
            ),
            (f"  lessons with answers, {label}", store.answered_lessons, ""),
            (
                f"  a student's lesson summaries, {label}",
                lambda: store.lesson_summaries(one.id),
                "",
            ),
        ]
        return [Figure(name, median_ms(call, runs), goal=goal) for name, call, goal in calls]


# --------------------------------------------------------------- concurrent writers


def _writer(target: Target, name: str, answers: int, start: object, results: object) -> None:
    """One writer process: open the store, wait for the others, answer ``answers`` questions
    in attempts of 10; puts (name, answers saved, error or "") on ``results``."""
    saved, error = 0, ""
    try:
        with Store.open(target) as store:
            student = store.student(name)
            start.wait()  # type: ignore[attr-defined]
            while saved < answers:
                ids = [f"q{i}" for i in range(min(10, answers - saved))]
                attempt = store.start_attempt(student.id, "shared", "lh", saved, ids)
                for qid in ids:
                    store.record_answer(attempt.id, qid, "qh", {"by": name}, 1.0, 0.5)
                    saved += 1
                store.finish_attempt(attempt.id)
    except Exception as exc:  # reported to the parent, which counts it
        error = f"{type(exc).__name__}: {exc}"
    results.put((name, saved, error))  # type: ignore[attr-defined]


def concurrent_writers(target: Target, writers: int, answers: int) -> tuple[float, int, list[str]]:
    """``writers`` processes answering at once on ``target``: answers per second, answers
    lost (saved by a writer's account, missing from the database) and the errors seen."""
    spawn = multiprocessing.get_context("spawn")
    start = spawn.Barrier(writers + 1)
    results = spawn.Queue()
    names = [f"Writer {n:02d}" for n in range(writers)]
    processes = [
        spawn.Process(target=_writer, args=(target, name, answers, start, results))
        for name in names
    ]
    for process in processes:
        process.start()
    start.wait(timeout=120)
    began = time.perf_counter()
    reports = [results.get(timeout=600) for _ in processes]
    elapsed = time.perf_counter() - began
    for process in processes:
        process.join()
    saved = {name: count for name, count, _ in reports}
    errors = [f"{name}: {error}" for name, _, error in reports if error]
    lost = 0
    with Store.open(target) as store:
        for name in names:
            student = store.find_student(name)
            stored = sum(a.answered for a in store.history(student.id)) if student else 0
            lost += max(0, saved.get(name, 0) - stored)
    return sum(saved.values()) / elapsed, lost, errors


def writer_figures(label: str, target: Target, writers: int, answers: int) -> list[Figure]:
    """Answers per second of ``writers`` concurrent processes, and the answers lost."""
    rate, lost, errors = concurrent_writers(target, writers, answers)
    for error in errors:
        print(f"writer error ({label}): {error}")
    total = writers * answers
    return [
        Figure(f"{writers} writers at once, {label}", rate, unit="/s", goal=f"{total} answers"),
        Figure(f"  answers lost, {label} ({len(errors)} errors)", float(lost), unit="", goal="0"),
    ]


# --------------------------------------------------------------- the run


def measure(folder: Path, sizes: Sizes, server: str | None, keep: Path | None) -> list[Figure]:
    """Every figure on SQLite, then on PostgreSQL when ``server`` is given."""
    lessons = sorted(load_paths([LESSONS]).lessons, key=lambda lesson: lesson.id)
    made: list[ClassRows] = []

    def rows() -> ClassRows:  # the class's rows, generated once for both backends
        if not made:
            started = time.perf_counter()
            made.append(big_class_rows(lessons, sizes.students, sizes.class_answers))
            print(f"generated the class in {time.perf_counter() - started:.1f} s")
        return made[0]

    figures = [Figure("[SQLite]", math.nan)]
    figures += answer_figures("SQLite", folder / "answers.sqlite3", sizes.answers)
    class_db = (keep / "class.sqlite3") if keep else folder / "class.sqlite3"
    if not class_db.exists():
        started = time.perf_counter()
        n = write_big_class(class_db, lessons, sizes.students, sizes.class_answers, rows())
        print(f"SQLite: wrote {n} answers in {time.perf_counter() - started:.1f} s")
    figures += gradebook_figures("SQLite", class_db, lessons, sizes.students, sizes.runs)
    figures += writer_figures("SQLite", folder / "writers.sqlite3", sizes.writers, sizes.per_writer)
    if server is None:
        return figures
    figures.append(Figure("[PostgreSQL, loopback]", math.nan))
    with pgserver.fresh_database(server) as url:
        figures += answer_figures("PostgreSQL", url, sizes.answers)
    class_url = postgres_class(server, keep, rows, sizes)
    try:
        figures += gradebook_figures("PostgreSQL", class_url, lessons, sizes.students, sizes.runs)
    finally:
        if keep is None:
            pgserver.drop_database(server, class_url.rsplit("/", 1)[1])
    with pgserver.fresh_database(server) as url:
        figures += writer_figures("PostgreSQL", url, sizes.writers, sizes.per_writer)
    return beside_sqlite(figures)


def beside_sqlite(figures: list[Figure]) -> list[Figure]:
    """Each PostgreSQL figure without a floor of its own gets the same figure on SQLite as
    its floor, so the ratio column reads PostgreSQL / SQLite."""
    sqlite = {f.name.replace("SQLite", "@"): f for f in figures if "SQLite" in f.name}
    for figure in figures:
        twin = sqlite.get(figure.name.replace("PostgreSQL", "@"))
        pg = "PostgreSQL" in figure.name and figure.floor_ms is None
        if pg and twin is not None and twin.value_ms > 0:
            figure.floor_name, figure.floor_ms = "same on SQLite", twin.value_ms
    return figures


def postgres_class(
    server: str, keep: Path | None, rows: Callable[[], ClassRows], sizes: Sizes
) -> str:
    """The URL of a database holding the class: a new one, or with ``keep`` the kept one
    (``quizapp_bench_class_<students>_<answers>``, made the first time)."""
    name = f"quizapp_bench_class_{sizes.students}_{sizes.class_answers}"
    if keep is None:
        name += f"_{multiprocessing.current_process().pid}"
    elif pgserver.database_exists(server, name):
        return pgserver.with_database(server, name)
    url = pgserver.create_database(server, name)
    started = time.perf_counter()
    try:
        n = load_class_postgres(url, rows())
    except BaseException:  # a half-built class is never kept or left behind
        pgserver.drop_database(server, name)
        raise
    print(f"PostgreSQL: wrote {n} answers in {time.perf_counter() - started:.1f} s")
    return url


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    """Run and print the side-by-side table; returns the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny input, for the smoke test")
    parser.add_argument("--postgres", metavar="URL", help=f"the server (else ${pgserver.ENV})")
    parser.add_argument("--keep", type=Path, help="keep the class databases here and reuse them")
    args = parser.parse_args(argv)
    server, why = pgserver.find_server(args.postgres)
    with tempfile.TemporaryDirectory(prefix="quizapp-backends-") as tmp:
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
        figures = measure(Path(tmp), QUICK if args.quick else FULL, server, args.keep)
    if server is None:
        figures.append(Figure(f"[PostgreSQL rows skipped: {why}]", math.nan))
    print_table(figures)
    print("floor: a bare one-row commit (answers), else the same figure on SQLite")
    return figures


if __name__ == "__main__":
    main()
