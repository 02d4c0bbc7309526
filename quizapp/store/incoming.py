"""Reading a score file brought from another machine, trusting nothing in it.

A student's file can be damaged, hand-edited or built to attack the class database. Before a
single row of it reaches :func:`quizapp.store.merge._write_merge`, :func:`_read_incoming`
(working on a private copy, under a :class:`_Budget` of SQLite steps)

1. checks the file's header (a SQLite file of quizapp, of this version or older) and runs
   ``PRAGMA integrity_check``;
2. checks the schema: ``students``, ``attempts`` and ``answers`` (and ``card_progress``,
   ``lesson_results``) must be plain base tables with the columns quizapp writes; a view,
   a virtual table, a generated column, a trigger or table quizapp does not make refuse the
   whole file. Nothing in the file is ever executed: it is only read, with explicit column
   lists, so its triggers never fire;
3. reads every row and checks each value (the checks are in
   :mod:`quizapp.store.incoming_checks`): its type, timestamps in the stored UTC form, ids
   and UUIDs, JSON that decodes to what it should, scores in range, statuses and modes
   quizapp knows, references to rows that exist, no control characters. A row that fails
   is set aside with a reason (``answers row 17: response is not valid JSON``); rows that
   depend on it (an attempt's answers) go with it.

What is left is plain Python values, ready to be written.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from quizapp.store.incoming_checks import (
    _ID,
    _MAX_NAME,
    _attempt_values,
    _Bad,
    _integer,
    _json,
    _number,
    _Orphan,
    _stamp,
    _text,
    _token,
)
from quizapp.store.records import StoreError, name_key
from quizapp.store.schema import APPLICATION_ID, SCHEMA_VERSION
from quizapp.text import is_clean

__all__: list[str] = []

#: SQLite virtual machine steps between two calls of the progress handler.
PROGRESS_EVERY = 1000
#: The work a merge may do per byte of the file (reading and checking it, then writing what
#: it holds), and at least: far above what a real file needs (see docs/scores.md).
STEPS_PER_BYTE = 50
MIN_STEPS = 20_000_000

_MAX_REASONS = 10
_MAX_CARD = 2000
# A review item: a question id, or a glossary term's key (``term:...``).
_ITEM = re.compile(r"[a-z0-9][a-z0-9_:-]{0,119}")

# The columns read from each table; the ones a version-1 file lacks, with their default.
_COLUMNS = {
    "students": ("id", "name", "created_at", "last_active"),
    "attempts": (
        "id", "uuid", "student_id", "lesson_id", "lesson_hash", "seed", "question_ids",
        "question_hashes", "dropped", "mode", "status", "started_at", "finished_at",
        "last_activity", "score", "max_score",
    ),
    "answers": (
        "id", "uuid", "attempt_id", "question_id", "question_hash", "response", "score",
        "seconds", "answered_at", "hinted",
    ),
    "card_progress": ("student_id", "lesson_id", "card_index", "updated_at"),
    "review_log": (
        "id", "uuid", "student_id", "lesson_id", "item_id", "rating", "seconds",
        "reviewed_at", "card", "due",
    ),
}  # fmt: skip
_ADDED_IN_2 = {"question_hashes": "[]", "dropped": "[]", "mode": "full", "last_activity": None}
# A file from before hints (schema 8) has no `hinted`: its answers read as given without one.
_ADDED_LATER = frozenset({*_ADDED_IN_2, "hinted"})
_REQUIRED_TABLES = ("students", "attempts", "answers")
# review_items is never read: an item's state is the latest review of it in the merged log.
_OPTIONAL_TABLES = ("card_progress", "lesson_results", "review_log", "review_items")
# Issue 16's tables: an unfinished exam attempt's drafts and flags, and the regrade log, are
# this machine's working state and history; they are known (a file holding them is quizapp's)
# but never read: a merge brings the graded answers of finished attempts.
# Hints shown before an answer (hints_shown) are the same kind of working state: an answer
# merged carries its own `hinted`.
_LOCAL_TABLES = ("exam_drafts", "exam_state", "regrades", "hints_shown")
# The class machine's own tables (PINs, the instructor's passphrase, the sign-in log): a
# student's file may hold them (every database has them), but they are never read, so a
# forged PIN hash or passphrase in a student's file changes nothing.
_NEVER_READ = frozenset({"roster", "instructor", "signin_log"})
_OWN_TRIGGERS = frozenset(
    {
        "attempts_insert_results",
        "attempts_update_results",
        "attempts_activity_results",
        "attempts_delete_results",
    }
)
_OWN_INDEXES = frozenset(
    {
        "attempts_by_student_lesson",
        "attempts_by_lesson",
        "exam_drafts_by_attempt",
        "review_log_by_item",
        "review_log_by_lesson",
        "review_items_due",
        "review_items_by_lesson",
    }
)


class _Budget:
    """A progress handler: counts SQLite's steps, stops at ``limit`` (the file is then
    refused as too costly) or when ``stop()`` says so (tests; Ctrl-C arrives as SQLite's
    "interrupted", see :func:`quizapp.store.merge._interrupted`)."""

    def __init__(self, limit: int, stop: Callable[[], bool] | None = None) -> None:
        self.limit = limit
        self.steps = 0
        self.exceeded = False
        self._stop = stop

    def __call__(self) -> int:
        self.steps += PROGRESS_EVERY
        if self.steps > self.limit:
            self.exceeded = True
            return 1
        return 1 if self._stop is not None and self._stop() else 0


@dataclass
class _Attempt:
    """An attempt that passed its checks, as it will be written."""

    values: dict[str, Any]
    student: int
    questions: frozenset[str]
    row: int


@dataclass
class _Incoming:
    """Every row of a file that passed its checks, and what was set aside."""

    students: dict[int, tuple[str, str, str, str]] = field(default_factory=dict)
    attempts: dict[int, _Attempt] = field(default_factory=dict)
    answers: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    cards: list[tuple[int, str, int, str]] = field(default_factory=list)
    reviews: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    refused: int = 0
    reasons: list[str] = field(default_factory=list)
    dependents: int = 0

    def refuse(self, table: str, row: int, why: str) -> None:
        """Set a row aside, keeping the first few reasons for the report."""
        self.refused += 1
        if len(self.reasons) < _MAX_REASONS:
            self.reasons.append(f"{table} row {row}: {why}")

    def refuse_dependent(self) -> None:
        """Set aside a row that belongs to a refused one (an answer of a refused attempt):
        counted, but the report names only the row it belonged to."""
        self.refused += 1
        self.dependents += 1


def _read_incoming(copy: Path, budget: _Budget) -> _Incoming:
    """Check the file at ``copy`` and read its valid rows. Raises :class:`StoreError` (with
    ``copy`` in the message) when the whole file must be refused."""
    _check_header(copy)
    conn = sqlite3.connect(copy, isolation_level=None, check_same_thread=False)
    try:
        return _read_connected(conn, copy, budget)
    except _Bad as bad:
        raise StoreError(f"{copy} cannot be read ({bad}); nothing was merged.") from None
    except UnicodeDecodeError:
        # SQLite's own message about a damaged page can quote the damaged bytes, which Python
        # cannot decode: the file is damaged all the same.
        raise StoreError(f"{copy} is damaged (unreadable pages); nothing was merged.") from None
    finally:
        conn.close()


def _read_connected(conn: sqlite3.Connection, copy: Path, budget: _Budget) -> _Incoming:
    conn.set_progress_handler(budget, PROGRESS_EVERY)
    conn.text_factory = bytes
    conn.execute("PRAGMA query_only = ON")
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA cell_size_check = ON")
    problems = [_text(r[0]) for r in conn.execute("PRAGMA integrity_check(5)")]
    if problems != ["ok"]:
        raise StoreError(f"{copy} is damaged ({'; '.join(problems)}); nothing was merged.")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = _check_schema(conn, copy)
    incoming = _Incoming()
    _read_students(conn, incoming)
    _read_attempts(conn, incoming, version)
    _read_answers(conn, incoming)
    if "card_progress" in tables:
        _read_cards(conn, incoming)
    if "review_log" in tables:
        _read_reviews(conn, incoming)
    return incoming


def _check_header(copy: Path) -> None:
    with copy.open("rb") as handle:
        header = handle.read(100)
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        raise StoreError(f"{copy} is not a SQLite database; nothing was merged.")
    version = int.from_bytes(header[60:64], "big")
    app_id = int.from_bytes(header[68:72], "big")
    if app_id != APPLICATION_ID or version < 1:
        raise StoreError(
            f"{copy} is not a quizapp score file (a SQLite database of some other program); "
            "nothing was merged."
        )
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{copy} was written by a newer version of quizapp (schema {version}); update "
            "quizapp to merge it. Nothing was merged."
        )


def _check_schema(conn: sqlite3.Connection, copy: Path) -> set[str]:
    """The tables to read; anything the schema does not name refuses the file."""
    objects = conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master"
        " ORDER BY type = 'view' DESC, type = 'trigger' DESC"
    ).fetchall()
    tables: set[str] = set()
    for kind_raw, name_raw, table_raw, sql_raw in objects:
        kind, name, table, sql = (
            "" if v is None else _text(v) for v in (kind_raw, name_raw, table_raw, sql_raw)
        )
        known = name in _REQUIRED_TABLES or name in _OPTIONAL_TABLES
        local = kind == "table" and name in _LOCAL_TABLES and "VIRTUAL" not in sql.upper()[:20]
        own_index = kind == "index" and (
            name.startswith("sqlite_autoindex_") or name in _OWN_INDEXES
        )
        if kind == "table" and known and not sql.upper().startswith("CREATE VIRTUAL"):
            tables.add(name)
        elif local or own_index:
            continue  # known, never read
        elif kind == "trigger" and name in _OWN_TRIGGERS and table == "attempts":
            continue  # never fired: the file is only read
        elif kind == "table" and (name.startswith("sqlite_") or name in _NEVER_READ):
            continue
        else:
            what = "virtual table" if "VIRTUAL" in sql.upper()[:20] else kind
            raise StoreError(
                f"{copy} holds a {what} quizapp does not make ({name!r}): it was not made by "
                "quizapp alone, and nothing was merged."
            )
    for name in _REQUIRED_TABLES:
        if name not in tables:
            raise StoreError(f"{copy} has no {name} table; nothing was merged.")
    for name in tables & set(_COLUMNS):
        columns = {
            _text(row[1]): int(row[6]) for row in conn.execute(f"PRAGMA table_xinfo({name})")
        }
        if any(hidden for hidden in columns.values()):
            raise StoreError(f"{copy}: {name} has computed columns; nothing was merged.")
        missing = [c for c in _COLUMNS[name] if c not in columns and c not in _ADDED_LATER]
        if missing:
            raise StoreError(f"{copy}: {name} lacks the column {missing[0]!r}; nothing was merged.")
    return tables


def _rows(conn: sqlite3.Connection, table: str) -> Iterator[Any]:
    present = {_text(row[1]) for row in conn.execute(f"PRAGMA table_xinfo({table})")}
    columns = ", ".join(c if c in present else "NULL" for c in _COLUMNS[table])
    yield from conn.execute(f"SELECT {columns} FROM main.{table}")


# ---------------------------------------------------------------------- tables


def _read_students(conn: sqlite3.Connection, incoming: _Incoming) -> None:
    for number, row in enumerate(_rows(conn, "students"), 1):
        try:
            sid = _integer(row[0], "id")
            name = _text(row[1], "name")
            if not name.strip() or len(name) > _MAX_NAME or not is_clean(name):
                raise _Bad("name is empty, too long or holds control characters")
            if sid in incoming.students:
                raise _Bad(f"id {sid} is used twice")
            incoming.students[sid] = (
                name,
                name_key(name),
                _stamp(row[2], "created_at"),
                _stamp(row[3], "last_active"),
            )
        except _Orphan:
            incoming.refuse_dependent()
        except _Bad as bad:
            incoming.refuse("students", number, str(bad))


def _read_attempts(conn: sqlite3.Connection, incoming: _Incoming, version: int) -> None:
    seen: set[str] = set()
    for number, row in enumerate(_rows(conn, "attempts"), 1):
        try:
            if row[2] not in incoming.students:
                raise _Orphan("its student is missing or was refused")
            values = _attempt_values(row, version)
            aid = _integer(row[0], "id")
            if aid in incoming.attempts or values["uuid"] in seen:
                raise _Bad("id or uuid is used twice")
            seen.add(values["uuid"])
            incoming.attempts[aid] = _Attempt(
                values, row[2], frozenset(json.loads(values["question_ids"])), number
            )
        except _Orphan:
            incoming.refuse_dependent()
        except _Bad as bad:
            incoming.refuse("attempts", number, str(bad))


def _read_answers(conn: sqlite3.Connection, incoming: _Incoming) -> None:
    seen: set[str] = set()
    pairs: set[tuple[int, str]] = set()
    for number, row in enumerate(_rows(conn, "answers"), 1):
        try:
            attempt = incoming.attempts.get(row[2]) if isinstance(row[2], int) else None
            if attempt is None:
                raise _Orphan("its attempt is missing or was refused")
            question = _token(row[3], "question_id", _ID)
            if question not in attempt.questions:
                raise _Bad(f"question {question!r} is not part of its attempt")
            uuid = _token(row[1], "uuid")
            if uuid in seen or (row[2], question) in pairs:
                raise _Bad("the same answer is stored twice")
            _json(row[5], "response")  # checked; written as it is
            values = {
                "uuid": uuid,
                "question_id": question,
                "question_hash": _token(row[4], "question_hash"),
                "response": _text(row[5]),
                "score": _number(row[6], "score", 0, 1),
                "seconds": _number(row[7], "seconds", 0, 1e7),
                "answered_at": _stamp(row[8], "answered_at"),
                "hinted": _flag(row[9], "hinted"),
                "row": number,
            }
            seen.add(uuid)
            pairs.add((row[2], question))
            incoming.answers.append((row[2], values))
        except _Orphan:
            incoming.refuse_dependent()
        except _Bad as bad:
            incoming.refuse("answers", number, str(bad))
    # Keep latest activity consistent with the answers actually merged (a version-1 file).
    for attempt_id, values in incoming.answers:
        latest = incoming.attempts[attempt_id].values
        latest["last_activity"] = max(latest["last_activity"], values["answered_at"])


def _flag(value: Any, what: str) -> int:
    """A 0/1 column; absent (an older file's NULL) is 0."""
    if value is None:
        return 0
    if isinstance(value, bool) or value not in (0, 1) or not isinstance(value, int):
        raise _Bad(f"{what} is not 0 or 1")
    return int(value)


def _read_cards(conn: sqlite3.Connection, incoming: _Incoming) -> None:
    for number, row in enumerate(_rows(conn, "card_progress"), 1):
        try:
            if row[0] not in incoming.students:
                raise _Orphan("its student is missing or was refused")
            incoming.cards.append(
                (
                    row[0],
                    _token(row[1], "lesson_id", _ID),
                    int(_number(_integer(row[2], "card_index"), "card_index", 0, 10_000)),
                    _stamp(row[3], "updated_at"),
                )
            )
        except _Orphan:
            incoming.refuse_dependent()
        except _Bad as bad:
            incoming.refuse("card_progress", number, str(bad))


def _read_reviews(conn: sqlite3.Connection, incoming: _Incoming) -> None:
    """The review log: each row's student, ids, rating, times and FSRS card (a JSON object
    holding no control characters) checked."""
    seen: set[str] = set()
    for number, row in enumerate(_rows(conn, "review_log"), 1):
        try:
            if row[2] not in incoming.students:
                raise _Orphan("its student is missing or was refused")
            uuid = _token(row[1], "uuid")
            if uuid in seen:
                raise _Bad("the same review is stored twice")
            card = _json(row[8], "card")
            if not isinstance(card, dict) or len(_text(row[8])) > _MAX_CARD:
                raise _Bad("card is not an FSRS card")
            values = {
                "uuid": uuid,
                "lesson_id": _token(row[3], "lesson_id", _ID),
                "item_id": _token(row[4], "item_id", _ITEM),
                "rating": int(_number(_integer(row[5], "rating"), "rating", 1, 4)),
                "seconds": _number(row[6], "seconds", 0, 1e7),
                "reviewed_at": _stamp(row[7], "reviewed_at"),
                "card": _text(row[8]),
                "due": _stamp(row[9], "due"),
            }
            seen.add(uuid)
            incoming.reviews.append((row[2], values))
        except _Orphan:
            incoming.refuse_dependent()
        except _Bad as bad:
            incoming.refuse("review_log", number, str(bad))
