"""Merging another score database into this one: :func:`merge_from` (the work of
:meth:`quizapp.store.Store.merge_from`, imported when a merge is first asked for: it copies the
file, has it checked and writes it, stoppable and bounded in work), writing the rows that
passed their checks, and the :class:`MergeReport` saying what was added and what was refused.

Students bring their score files from other machines; :meth:`quizapp.store.Store.merge_from`
copies such a file, reads and checks every row of the copy (:mod:`quizapp.store.incoming`)
and hands what passed to :func:`_write_merge`, which adds in one transaction what is new.
Students are matched by name (:func:`quizapp.store.records.name_key`), attempts and answers
by their UUIDs (through their unique indexes: each row costs one lookup, so a merge is
linear in the rows), so merging the same file twice adds nothing, and an attempt merged
while unfinished is brought up to date when the student's file has it finished.

The per student and lesson results that triggers on ``attempts`` keep up to date would be
recomputed on every attempt written, which is quadratic in one student's attempts at one
lesson; inside the merge's transaction those triggers are set aside and the results of the
pairs the merge touched are computed once at the end, then the triggers are put back. On
PostgreSQL the trigger function is told to stand aside for the transaction instead
(``SET LOCAL quizapp.merging``, see :mod:`.pg_schema`). The same writer serves both backends:
the incoming file is always a SQLite file, read and checked as it is; only the database
written to differs.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from quizapp.store.base import Connection, StoreBase
from quizapp.store.connect import _user_message
from quizapp.store.dialect import SQLITE, dialect_of
from quizapp.store.incoming import (
    MIN_STEPS,
    PROGRESS_EVERY,
    STEPS_PER_BYTE,
    _Budget,
    _Incoming,
    _read_incoming,
)
from quizapp.store.records import StoreError
from quizapp.store.schema import _RESULTS_COLUMNS, _results_row
from quizapp.wording import plural

__all__ = ["MergeReport", "merge_from"]


@dataclass(frozen=True)
class MergeReport:
    """What :meth:`~quizapp.store.Store.merge_from` added, and the rows it refused.

    ``refused`` counts the rows of the file that failed their checks and were not written;
    ``reasons`` gives the first few (``answers row 17: response is not valid JSON``)."""

    source: Path
    students_added: int = 0
    attempts_added: int = 0
    attempts_updated: int = 0
    answers_added: int = 0
    cards_updated: int = 0
    reviews_added: int = 0
    refused: int = 0
    reasons: tuple[str, ...] = ()
    dependents: int = 0

    @property
    def nothing_new(self) -> bool:
        """True when merging changed nothing (for instance, the second time)."""
        return not (
            self.students_added
            or self.attempts_added
            or self.attempts_updated
            or self.answers_added
            or self.cards_updated
            or self.reviews_added
        )

    def __str__(self) -> str:
        if self.nothing_new:
            text = f"{self.source}: nothing new"
        else:
            parts = [
                plural(self.students_added, "new student"),
                plural(self.attempts_added, "new attempt"),
                plural(self.answers_added, "new answer"),
            ]
            if self.attempts_updated:
                parts.append(plural(self.attempts_updated, "attempt") + " brought up to date")
            if self.cards_updated:
                parts.append(plural(self.cards_updated, "reading position") + " updated")
            if self.reviews_added:
                parts.append(plural(self.reviews_added, "new review"))
            text = f"{self.source}: " + ", ".join(parts)
        if self.refused:
            parts = list(self.reasons)
            more = self.refused - self.dependents - len(self.reasons)
            if more > 0:
                parts.append(f"and {more} more")
            if self.dependents:
                parts.append(
                    f"{plural(self.dependents, 'row')} of missing or refused students or attempts"
                )
            text += f"; refused {plural(self.refused, 'row')} (not merged): " + "; ".join(parts)
        return text


def _write_merge(conn: Connection, incoming: _Incoming, source: Path) -> MergeReport:
    """Write the checked rows of ``incoming``, inside the caller's transaction."""
    put_back = _set_triggers_aside(conn)
    students, students_added = _write_students(conn, incoming)
    cards_updated = _write_cards(conn, incoming, students)
    attempt_ids, added, updated, touched = _write_attempts(conn, incoming, students)
    rows = []
    for aid, values in incoming.answers:
        if aid in attempt_ids:
            rows.append((attempt_ids[aid], *(values[k] for k in _ANSWER_COLUMNS)))
        else:
            incoming.refuse_dependent()
    answers_added = conn.executemany(
        f"INSERT INTO answers (attempt_id, {', '.join(_ANSWER_COLUMNS)})"
        f" VALUES (?{', ?' * len(_ANSWER_COLUMNS)}) ON CONFLICT DO NOTHING",
        rows,
    ).rowcount
    put_back()
    _recompute_results(conn, touched)
    reviews_added = _write_reviews(conn, incoming, students)
    return MergeReport(
        source=source,
        students_added=students_added,
        attempts_added=added,
        attempts_updated=updated,
        answers_added=max(answers_added, 0),
        cards_updated=cards_updated,
        reviews_added=reviews_added,
        refused=incoming.refused,
        reasons=tuple(incoming.reasons),
        dependents=incoming.dependents,
    )


def _set_triggers_aside(conn: Connection) -> Callable[[], None]:
    """Stop the ``lesson_results`` triggers for the rest of this transaction; returns what
    starts them again. SQLite: the triggers are dropped and re-created (inside the
    transaction: nobody else ever sees them gone). PostgreSQL: a transaction-local setting
    the trigger function reads."""
    if dialect_of(conn) is not SQLITE:
        conn.execute("SET LOCAL quizapp.merging = 'on'")

        def stand_by() -> None:
            conn.execute("SET LOCAL quizapp.merging = 'off'")

        return stand_by
    triggers = conn.execute(
        "SELECT name, sql FROM main.sqlite_master WHERE type = 'trigger' AND tbl_name = 'attempts'"
    ).fetchall()
    for name, _ in triggers:
        conn.execute(f'DROP TRIGGER main."{name}"')

    def put_back() -> None:
        for _, sql in triggers:
            conn.execute(sql)

    return put_back


_ANSWER_COLUMNS = (
    "uuid", "question_id", "question_hash", "response", "score", "seconds", "answered_at",
    "hinted",
)  # fmt: skip
_ATTEMPT_COLUMNS = (
    "uuid", "lesson_id", "lesson_hash", "seed", "question_ids", "question_hashes", "dropped",
    "mode", "status", "started_at", "finished_at", "last_activity", "score", "max_score",
)  # fmt: skip


def _write_students(conn: Connection, incoming: _Incoming) -> tuple[dict[int, int], int]:
    """Each incoming student's id in this database (matched by name key), and how many
    were new."""
    ids: dict[int, int] = {}
    added = 0
    dialect = dialect_of(conn)
    upsert = (
        "INSERT INTO students (name, name_key, created_at, last_active)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (name_key) DO UPDATE SET"
        f" created_at = {dialect.least}(students.created_at, excluded.created_at),"
        f" last_active = {dialect.greatest}(students.last_active, excluded.last_active)"
        " RETURNING id"
    )
    for incoming_id, (name, key, created, active) in incoming.students.items():
        row = conn.execute("SELECT id FROM students WHERE name_key = ?", (key,)).fetchone()
        if row is None:
            added += 1
        row = conn.execute(upsert, (name, key, created, active)).fetchone()
        ids[incoming_id] = row[0]
    return ids, added


def _write_cards(conn: Connection, incoming: _Incoming, students: dict[int, int]) -> int:
    return max(
        conn.executemany(
            "INSERT INTO card_progress (student_id, lesson_id, card_index, updated_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (student_id, lesson_id) DO UPDATE SET"
            " card_index = excluded.card_index, updated_at = excluded.updated_at"
            " WHERE excluded.updated_at > card_progress.updated_at",
            [(students[s], lesson, card, at) for s, lesson, card, at in incoming.cards],
        ).rowcount,
        0,
    )


def _write_attempts(
    conn: Connection, incoming: _Incoming, students: dict[int, int]
) -> tuple[dict[int, int], int, int, set[tuple[int, str]]]:
    """Insert new attempts and bring unfinished ones up to date. Returns each incoming
    attempt's id here, the numbers added and updated, and the (student, lesson) pairs
    whose results must be recomputed. An attempt whose UUID is another student's or
    lesson's here is refused."""
    ids: dict[int, int] = {}
    added = updated = 0
    touched: set[tuple[int, str]] = set()
    insert = (
        f"INSERT INTO attempts (student_id, {', '.join(_ATTEMPT_COLUMNS)})"
        f" VALUES (?{', ?' * len(_ATTEMPT_COLUMNS)}) RETURNING id"
    )
    greatest = dialect_of(conn).greatest
    for incoming_id, attempt in incoming.attempts.items():
        values = attempt.values
        student = students[attempt.student]
        found = conn.execute(
            "SELECT id, student_id, lesson_id, status, question_ids FROM attempts WHERE uuid = ?",
            (values["uuid"],),
        ).fetchone()
        if found is None:
            cursor = conn.execute(insert, (student, *(values[k] for k in _ATTEMPT_COLUMNS)))
            ids[incoming_id] = int(cursor.fetchone()[0])
            added += 1
            touched.add((student, values["lesson_id"]))
            continue
        here_id, here_student, here_lesson, here_status, here_questions = found
        if (here_student, here_lesson) != (student, values["lesson_id"]) or _ids(
            here_questions
        ) != json.loads(values["question_ids"]):
            incoming.refuse(
                "attempts", attempt.row, "its uuid is another student's or lesson's attempt here"
            )
            continue
        ids[incoming_id] = here_id
        if here_status == "in_progress" and values["status"] != "in_progress":
            conn.execute(
                "UPDATE attempts SET status = ?, finished_at = ?, score = ?,"
                f" max_score = ?, dropped = ?, last_activity = {greatest}(last_activity, ?)"
                " WHERE id = ?",
                (
                    values["status"],
                    values["finished_at"],
                    values["score"],
                    values["max_score"],
                    values["dropped"],
                    values["last_activity"],
                    here_id,
                ),
            )
            updated += 1
            touched.add((student, values["lesson_id"]))
    return ids, added, updated, touched


def _ids(stored: object) -> list[str] | None:
    try:
        value = json.loads(stored) if isinstance(stored, str) else None
    except ValueError:
        return None
    return value if isinstance(value, list) else None


def _recompute_results(conn: Connection, touched: set[tuple[int, str]]) -> None:
    """The results row of each (student, lesson) pair, from its attempts (what the
    triggers would have done, once per pair instead of once per attempt)."""
    update = ", ".join(f"{c} = excluded.{c}" for c in _RESULTS_COLUMNS.split(", ")[2:])
    statement = (
        f"INSERT INTO lesson_results ({_RESULTS_COLUMNS})"
        f" {_results_row(':s', ':l')} WHERE true"
        f" ON CONFLICT (student_id, lesson_id) DO UPDATE SET {update}"
    )
    conn.executemany(statement, [{"s": s, "l": lesson} for s, lesson in sorted(touched)])


_REVIEW_COLUMNS = (
    "uuid", "lesson_id", "item_id", "rating", "seconds", "reviewed_at", "card", "due",
)  # fmt: skip


def _write_reviews(conn: Connection, incoming: _Incoming, students: dict[int, int]) -> int:
    """Add the review log rows not yet here (by uuid), then make each touched item's state
    its latest review in the merged log (by time, then uuid: the same on every machine)."""
    added = 0
    touched: set[tuple[int, str, str]] = set()
    for sid, values in incoming.reviews:
        student = students[sid]
        row = conn.execute(
            f"INSERT INTO review_log (student_id, {', '.join(_REVIEW_COLUMNS)})"
            f" VALUES (?{', ?' * len(_REVIEW_COLUMNS)}) ON CONFLICT (uuid) DO NOTHING"
            " RETURNING id",
            (student, *(values[k] for k in _REVIEW_COLUMNS)),
        ).fetchone()
        if row is not None:
            added += 1
            touched.add((student, values["lesson_id"], values["item_id"]))
    for student, lesson, item in touched:
        conn.execute(
            "INSERT INTO review_items (student_id, lesson_id, item_id, card, due,"
            " reviewed_at, log_uuid)"
            " SELECT student_id, lesson_id, item_id, card, due, reviewed_at, uuid"
            " FROM review_log WHERE student_id = ? AND lesson_id = ? AND item_id = ?"
            " ORDER BY reviewed_at DESC, uuid DESC LIMIT 1"
            " ON CONFLICT (student_id, lesson_id, item_id) DO UPDATE SET card = excluded.card,"
            " due = excluded.due, reviewed_at = excluded.reviewed_at,"
            " log_uuid = excluded.log_uuid",
            (student, lesson, item),
        )
    return added


def merge_from(
    store: StoreBase, other_path: Path | str, *, stop: Callable[[], bool] | None = None
) -> MergeReport:
    """The work of :meth:`quizapp.store.Store.merge_from` (whose docstring says what it
    does): ``store`` is the open database merged into, held locked while it is written."""
    source = Path(other_path).expanduser()
    if not source.is_file():
        raise StoreError(f"{source}: no such file.")
    if isinstance(store.path, Path) and (
        source.resolve() == store.path.resolve()
        or (store.path.exists() and source.samefile(store.path))
    ):
        raise StoreError(f"{source} is this score database itself; nothing to merge.")
    with tempfile.TemporaryDirectory(prefix="quizapp-merge-") as tmp:
        copy = Path(tmp) / "incoming.sqlite3"
        try:
            shutil.copyfile(source, copy)
            wal = source.with_name(source.name + "-wal")
            if wal.exists():
                shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
            size = copy.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
        except OSError as error:
            raise StoreError(f"{source}: cannot be read ({error.strerror or error}).") from None
        budget = _Budget(max(MIN_STEPS, STEPS_PER_BYTE * size), stop)
        try:
            try:
                incoming = _read_incoming(copy, budget)
            except sqlite3.Error as error:
                raise _stopped(error, budget, copy) from None
        except StoreError as error:
            raise StoreError(str(error).replace(str(copy), str(source))) from None
        with store._lock:
            # SQLite's progress handler bounds the write and lets Ctrl-C stop it at
            # once; on PostgreSQL the write is bounded by the rows read, and Ctrl-C
            # rolls the transaction back.
            sqlite = isinstance(store._conn, sqlite3.Connection)
            if sqlite:
                store._conn.set_progress_handler(budget, PROGRESS_EVERY)
            try:
                with store._write() as conn:
                    try:
                        return _write_merge(conn, incoming, source)
                    except sqlite3.OperationalError as error:
                        raise _stopped(error, budget, source) from None
            finally:
                if sqlite:
                    store._conn.set_progress_handler(None, 0)


def _stopped(error: sqlite3.Error, budget: _Budget, path: Path) -> BaseException:
    """What a SQLite error during a merge means: the progress handler stopped it (Ctrl-C,
    or more work than the file's size allows), or the file is damaged."""
    if "interrupt" not in str(error):
        if isinstance(error, sqlite3.DatabaseError) and not isinstance(
            error, sqlite3.OperationalError
        ):
            return StoreError(f"{path} is damaged ({error}); nothing was merged.")
        return StoreError(_user_message(path, error))
    if budget.exceeded:
        return StoreError(
            f"{path} needs far more work to merge than a score file of its size can: it was "
            "refused, and nothing was merged."
        )
    return KeyboardInterrupt()
