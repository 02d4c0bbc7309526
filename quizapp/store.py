"""The score store: one SQLite file holding students, quiz attempts and every answer given.

Students' scores are the one thing quizapp must never lose, so the store is built around a
few rules:

* Every answer is its own committed transaction (WAL journal, ``synchronous=FULL``): once
  :meth:`Store.record_answer` returns, the answer survives a killed process or a power cut.
* Writers take the write lock up front (``BEGIN IMMEDIATE``) and wait for it (a busy timeout,
  then a few bounded retries), so two processes on a shared lab machine never lose an answer
  and "database is locked" never reaches a student.
* A file that is corrupt or not a SQLite database is never overwritten or deleted: it is
  moved aside (``scores.sqlite3.corrupt-20261128T101500``), a new database is started and
  :attr:`Store.notices` says so. A database written by a newer quizapp, a SQLite file of some
  other program, or a read-only file or folder raises :class:`StoreError` and is left as it is.
* The schema version lives in ``PRAGMA user_version``; :data:`MIGRATIONS` are applied in
  order when an older database is opened.
* Attempts and answers carry random UUIDs and students are keyed by name, so the databases
  students bring from other machines merge idempotently (:meth:`Store.merge_from`).

All SQL is parameterised. Times are stored as UTC ISO 8601 text (``...Z``) and returned as
aware :class:`datetime.datetime` objects. Nothing here imports the UI.

Typical use::

    with Store.open(resolve_db_path(None)) as store:
        ana = store.student("Ana")
        attempt = store.start_attempt(ana.id, "cicig", lesson_hash, seed, ["q1", "q2"])
        store.record_answer(attempt.id, "q1", q1_hash, "Guatemala", 1.0, 4.2)
        store.finish_attempt(attempt.id)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

from quizapp.store_attempts import AttemptsMixin
from quizapp.store_file import _connect_checked, _move_aside, _user_message, retry_busy
from quizapp.store_merge import MergeReport, _merge_attached
from quizapp.store_records import (
    _ATTEMPT_COLUMNS,
    RULES,
    Answer,
    AnswerRow,
    Attempt,
    GradebookRow,
    LessonSummary,
    Mode,
    Rule,
    Status,
    StoreError,
    Student,
    _attempt,
    _check_name,
    _iso,
    _student,
    _time,
    _utcnow,
    name_key,
)
from quizapp.store_schema import (
    _COUNTS,
    _PERCENT,
    APPLICATION_ID,
    MIGRATIONS,
    SCHEMA_VERSION,
    _Unusable,
)

__all__ = [
    "APPLICATION_ID",
    "MIGRATIONS",
    "RULES",
    "SCHEMA_VERSION",
    "Answer",
    "AnswerRow",
    "Attempt",
    "GradebookRow",
    "LessonSummary",
    "MergeReport",
    "Mode",
    "Rule",
    "Status",
    "Store",
    "StoreError",
    "Student",
    "name_key",
    "retry_busy",
]

T = TypeVar("T")


class Store(AttemptsMixin):
    """An open score database. Create one with :meth:`Store.open`; use it as a context
    manager or call :meth:`close`.

    One ``Store`` may be shared by the threads of one process (calls are serialised by a
    lock); several processes may open the same file at once.
    """

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        notices: list[str],
        clock: Callable[[], dt.datetime],
    ) -> None:
        """Use :meth:`Store.open`; this wraps an already checked connection."""
        self._conn = conn
        self._lock = threading.RLock()
        self._batch_depth = 0
        self._clock = clock
        self.path = path
        #: Messages for the user about what happened when the file was opened (a damaged
        #: file moved aside, ...). The app shows them once.
        self.notices = notices

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        create: bool = True,
        busy_timeout_ms: int = 5000,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> Store:
        """Open (and if needed create or upgrade) the score database at ``path``.

        Creates the parent folder. Turns on WAL, ``synchronous=FULL``, foreign keys and a busy
        timeout, checks the file, and applies pending :data:`MIGRATIONS`.

        A corrupt file or one that is not a SQLite database is moved aside (never deleted)
        and a fresh database created; :attr:`notices` then holds the message to show. With
        ``create=False`` (commands that only read) a missing or damaged file raises
        :class:`StoreError` instead and nothing is moved. A database of a newer schema
        version, another program's SQLite file, or a read-only file or folder always raises
        :class:`StoreError` and the file is left untouched.

        ``clock`` (returning aware datetimes) replaces the system clock, for tests.
        """
        path = Path(path).expanduser()
        clock = clock or _utcnow
        notices: list[str] = []
        if path.is_dir():
            raise StoreError(f"{path} is a folder, not a score database file.")
        if not path.exists():
            if not create:
                raise StoreError(
                    f"There is no score database at {path} (nothing has been recorded there "
                    "yet). Give another one with --db PATH or QUIZAPP_DB."
                )
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(
                    f"Cannot create the folder {path.parent} for the score database: "
                    f"{error.strerror or error}."
                ) from None
        for _ in range(3):
            try:
                conn = _connect_checked(path, busy_timeout_ms)
            except _Unusable as problem:
                if not problem.corrupt or not create:
                    raise StoreError(
                        f"The score database {path} cannot be used: {problem.reason}."
                    ) from None
                notices.append(_move_aside(path, problem.reason, clock()))
                continue
            return cls(conn, path, notices, clock)
        raise StoreError(f"The score database {path} could not be opened.")  # pragma: no cover

    # ------------------------------------------------------------------ lifetime

    def close(self) -> None:
        """Close the database. The last connection to close folds the WAL into the file, so
        it can then be copied as a single file."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        """The database's ``PRAGMA user_version`` (equal to :data:`SCHEMA_VERSION`)."""
        return int(self._read(lambda c: c.execute("PRAGMA user_version").fetchone()[0]))

    @property
    def synchronous(self) -> str:
        """The durability level in force (``"FULL"``: each commit is flushed to disk)."""
        level = self._read(lambda c: c.execute("PRAGMA synchronous").fetchone()[0])
        return {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}.get(level, str(level))

    @property
    def journal_mode(self) -> str:
        """The journal mode in force (``"wal"``)."""
        return str(self._read(lambda c: c.execute("PRAGMA journal_mode").fetchone()[0]))

    # ------------------------------------------------------------------ plumbing

    def _read(self, query: Callable[[sqlite3.Connection], T]) -> T:
        with self._lock:
            try:
                return retry_busy(lambda: query(self._conn))
            except sqlite3.Error as error:
                raise StoreError(_user_message(self.path, error)) from None

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken with ``BEGIN IMMEDIATE`` (so waiting for the lock
        happens up front, under the busy timeout) and committed on leaving. Inside
        :meth:`batch` it joins the batch's transaction instead."""
        with self._lock:
            if self._batch_depth:
                yield self._conn
                return
            try:
                retry_busy(lambda: self._conn.execute("BEGIN IMMEDIATE"))
            except sqlite3.Error as error:
                raise StoreError(_user_message(self.path, error)) from None
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException as error:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                if isinstance(error, sqlite3.Error) and not isinstance(
                    error, sqlite3.IntegrityError
                ):
                    raise StoreError(_user_message(self.path, error)) from None
                raise

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Group many writes into one transaction (imports, benchmarks, tests).

        The app never uses this for answers: there, each answer commits on its own.
        """
        with self._write():
            self._batch_depth += 1
            try:
                yield
            finally:
                self._batch_depth -= 1

    def _now(self) -> str:
        return _iso(self._clock())

    # ------------------------------------------------------------------ students

    def student(self, name: str) -> Student:
        """The student called ``name``, created if new. The name is kept exactly as typed
        (any Unicode, quotes, ``[markup]``); the same name in another Unicode normal form is
        the same student. Raises :class:`StoreError` for an empty name or control characters.
        """
        _check_name(name)
        key = name_key(name)
        row = self._read(
            lambda c: c.execute("SELECT * FROM students WHERE name_key = ?", (key,)).fetchone()
        )
        if row is not None:
            return _student(row)
        now = self._now()
        with self._write() as conn:
            conn.execute(
                "INSERT INTO students (name, name_key, created_at, last_active)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (name_key) DO NOTHING",
                (name, key, now, now),
            )
            row = conn.execute("SELECT * FROM students WHERE name_key = ?", (key,)).fetchone()
        return _student(row)

    def find_student(self, name: str) -> Student | None:
        """The student called ``name`` (any Unicode normal form), or None; creates nothing."""
        key = name_key(name)
        row = self._read(
            lambda c: c.execute("SELECT * FROM students WHERE name_key = ?", (key,)).fetchone()
        )
        return None if row is None else _student(row)

    def students(self) -> list[Student]:
        """Every student, most recently active first."""
        rows = self._read(
            lambda c: c.execute(
                "SELECT * FROM students ORDER BY last_active DESC, id DESC"
            ).fetchall()
        )
        return [_student(row) for row in rows]

    # ------------------------------------------------------------------ scores

    def lesson_score(self, student_id: int, lesson_id: str, rule: Rule = "best") -> float | None:
        """The student's percent at a lesson by ``rule`` (best, last, first or average of the
        finished full attempts, as Moodle's grading methods), or None before any."""
        if rule not in RULES:
            raise ValueError(f"rule must be one of {', '.join(RULES)}")
        select = {
            "best": f"SELECT max({_PERCENT}) FROM attempts a WHERE {{where}}",
            "average": f"SELECT avg({_PERCENT}) FROM attempts a WHERE {{where}}",
            "last": f"SELECT {_PERCENT} FROM attempts a WHERE {{where}}"
            " ORDER BY a.finished_at DESC, a.id DESC LIMIT 1",
            "first": f"SELECT {_PERCENT} FROM attempts a WHERE {{where}}"
            " ORDER BY a.finished_at, a.id LIMIT 1",
        }[rule].format(where=f"a.student_id = ? AND a.lesson_id = ? AND {_COUNTS}")
        row = self._read(lambda c: c.execute(select, (student_id, lesson_id)).fetchone())
        return None if row is None or row[0] is None else float(row[0])

    def history(self, student_id: int | None, lesson_id: str | None = None) -> list[Attempt]:
        """Attempts, oldest first (the order a chart of scores over time needs): a student's
        (``student_id``), or everyone's when it is None; optionally of one lesson only."""
        clauses: list[str] = []
        params: list[Any] = []
        if student_id is not None:
            clauses.append("a.student_id = ?")
            params.append(student_id)
        if lesson_id is not None:
            clauses.append("a.lesson_id = ?")
            params.append(lesson_id)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._read(
            lambda c: c.execute(
                f"SELECT {_ATTEMPT_COLUMNS} FROM attempts a {where} ORDER BY a.started_at, a.id",
                params,
            ).fetchall()
        )
        return [_attempt(row) for row in rows]

    def lesson_summaries(self, student_id: int) -> dict[str, LessonSummary]:
        """For the lesson list, in one query: per lesson the student touched, the number of
        counted attempts, best and last percent, last activity, the card they were reading
        and the unfinished attempt to resume (if any)."""
        sql = """
        WITH touched AS (
            SELECT lesson_id FROM lesson_results WHERE student_id = :s
            UNION SELECT lesson_id FROM card_progress WHERE student_id = :s
        )
        SELECT t.lesson_id, coalesce(r.attempts, 0) AS n, r.best, r.last,
            r.last_activity AS quiz_activity,
            (SELECT a.id FROM attempts a
                WHERE a.student_id = :s AND a.lesson_id = t.lesson_id
                AND a.status = 'in_progress' ORDER BY a.started_at DESC, a.id DESC LIMIT 1)
                AS unfinished,
            cp.card_index, cp.updated_at AS card_activity
        FROM touched t
        LEFT JOIN lesson_results r ON r.student_id = :s AND r.lesson_id = t.lesson_id
        LEFT JOIN card_progress cp ON cp.student_id = :s AND cp.lesson_id = t.lesson_id
        """
        rows = self._read(lambda c: c.execute(sql, {"s": student_id}).fetchall())
        result: dict[str, LessonSummary] = {}
        for r in rows:
            moments = [m for m in (r["quiz_activity"], r["card_activity"]) if m]
            result[r["lesson_id"]] = LessonSummary(
                lesson_id=r["lesson_id"],
                attempts=r["n"],
                best_percent=r["best"],
                last_percent=r["last"],
                last_activity=_time(max(moments)) if moments else None,
                card_index=r["card_index"],
                unfinished_attempt_id=r["unfinished"],
            )
        return result

    # ------------------------------------------------------------------ card progress

    def save_card_progress(self, student_id: int, lesson_id: str, card_index: int) -> None:
        """Remember the card (0-based index) the student is reading in a lesson."""
        if card_index < 0:
            raise ValueError("card_index must be >= 0")
        now = self._now()
        with self._write() as conn:
            conn.execute(
                "INSERT INTO card_progress (student_id, lesson_id, card_index, updated_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (student_id, lesson_id)"
                " DO UPDATE SET card_index = excluded.card_index,"
                " updated_at = excluded.updated_at",
                (student_id, lesson_id, card_index, now),
            )
            conn.execute("UPDATE students SET last_active = ? WHERE id = ?", (now, student_id))

    def card_progress(self, student_id: int, lesson_id: str) -> int | None:
        """The card (0-based index) the student last read in a lesson, or None."""
        row = self._read(
            lambda c: c.execute(
                "SELECT card_index FROM card_progress WHERE student_id = ? AND lesson_id = ?",
                (student_id, lesson_id),
            ).fetchone()
        )
        return None if row is None else int(row[0])

    # ------------------------------------------------------------------ class views

    def gradebook(
        self, rule: Rule = "best", pass_marks: Mapping[str, int] | None = None
    ) -> list[GradebookRow]:
        """One row per student and lesson attempted, sorted by student then lesson.

        ``score`` follows ``rule``; ``passed`` compares it with ``pass_marks[lesson_id]``
        (percent) and is None when the pass mark is unknown or no attempt counts yet.
        """
        if rule not in RULES:
            raise ValueError(f"rule must be one of {', '.join(RULES)}")
        sql = """
        SELECT s.name, r.lesson_id, r.attempts AS n, r.best, r.average, r.first, r.last,
            r.unfinished, r.last_activity
        FROM lesson_results r JOIN students s ON s.id = r.student_id
        ORDER BY s.name_key COLLATE NOCASE, s.id, r.lesson_id
        """
        # Rows are built positionally: at 1,000 rows, per-row dicts and keyword arguments
        # cost more than the query itself.
        rows = self._read(lambda c: c.execute(sql).fetchall())
        marks = pass_marks or {}
        pick = {"best": 3, "average": 4, "first": 5, "last": 6}[rule]
        result = []
        for name, lesson, n, best, average, first, last, unfinished, activity in rows:
            score = (None, None, None, best, average, first, last)[pick]
            mark = marks.get(lesson)
            passed = None if mark is None or score is None else score >= mark
            result.append(
                GradebookRow(
                    name,
                    lesson,
                    n,
                    score,
                    best,
                    last,
                    first,
                    average,
                    mark,
                    passed,
                    unfinished,
                    _time(activity),
                )
            )
        return result

    def answer_rows(self, lesson_id: str | None = None) -> Iterator[AnswerRow]:
        """Every answer with its student, lesson and attempt, oldest first (for export).
        The response is the stored JSON text."""
        where = "WHERE a.lesson_id = ?" if lesson_id is not None else ""
        params = (lesson_id,) if lesson_id is not None else ()
        rows = self._read(
            lambda c: c.execute(
                "SELECT s.name, a.lesson_id, a.uuid, a.started_at, a.status, a.lesson_hash,"
                " n.question_id, n.question_hash, n.response, n.score, n.seconds, n.answered_at"
                " FROM answers n JOIN attempts a ON a.id = n.attempt_id"
                f" JOIN students s ON s.id = a.student_id {where}"
                " ORDER BY n.answered_at, n.id",
                params,
            ).fetchall()
        )
        for r in rows:
            yield AnswerRow(
                r[0],
                r[1],
                r[2],
                _time(r[3]),
                r[4],
                r[5],
                r[6],
                r[7],
                r[8],
                r[9],
                r[10],
                _time(r[11]),
            )

    # ------------------------------------------------------------------ merging

    def merge_from(self, other_path: Path | str) -> MergeReport:
        """Fold another score database (a student's file from another machine) into this one.

        Idempotent: students are matched by name, attempts and answers by their UUIDs, so
        merging the same file twice adds nothing; a file merged again after the student went
        on adds only what is new (and brings unfinished attempts up to date). The other file
        is never modified: a copy is checked (and upgraded if it is older) in a temporary
        folder. Raises :class:`StoreError` if it is missing, damaged, newer, or this database.
        """
        source = Path(other_path).expanduser()
        if not source.is_file():
            raise StoreError(f"{source}: no such file.")
        if source.resolve() == self.path.resolve() or (
            self.path.exists() and source.samefile(self.path)
        ):
            raise StoreError(f"{source} is this score database itself; nothing to merge.")
        with tempfile.TemporaryDirectory(prefix="quizapp-merge-") as tmp:
            copy = Path(tmp) / "incoming.sqlite3"
            try:
                shutil.copyfile(source, copy)
                wal = source.with_name(source.name + "-wal")
                if wal.exists():
                    shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
            except OSError as error:
                raise StoreError(f"{source}: cannot be read ({error.strerror or error}).") from None
            try:
                Store.open(copy, create=False).close()
            except StoreError as error:
                reason = str(error).replace(str(copy), str(source))
                raise StoreError(reason) from None
            with self._lock:
                try:
                    self._conn.execute("ATTACH DATABASE ? AS incoming", (str(copy),))
                except sqlite3.Error as error:
                    raise StoreError(_user_message(self.path, error)) from None
                try:
                    with self._write() as conn:
                        report = _merge_attached(conn, source)
                finally:
                    self._conn.execute("DETACH DATABASE incoming")
        return report
