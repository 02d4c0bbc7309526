"""The score database's schema: its tables, the migrations that build them, and the checks
that a file is a quizapp score database this version can use.

The schema version lives in ``PRAGMA user_version`` and the file's identity in
``PRAGMA application_id``. :data:`MIGRATIONS` are applied in order, in one transaction, when
an older database is opened (:func:`_migrate`). A newer database, or another program's
SQLite file, is refused by :func:`_check_identity` before anything is changed.

The per student and lesson ``lesson_results`` table is kept up to date by triggers on
``attempts``; :data:`_COUNTS` and :data:`_PERCENT` say which attempts count towards a
lesson's score and how, for the triggers and for the queries that compute scores directly.
"""

from __future__ import annotations

import sqlite3

from quizapp.store.records import clean_name, name_key

__all__ = ["APPLICATION_ID", "MIGRATIONS", "SCHEMA_VERSION"]

#: ``PRAGMA application_id`` of a quizapp score file ("QUZA"), so that a SQLite file of some
#: other program is recognised and left alone.
APPLICATION_ID = 0x51555A41

# An attempt counts towards a lesson's score when it is a finished full attempt.
_COUNTS = "a.status = 'finished' AND a.mode = 'full' AND a.max_score > 0"
_PERCENT = "100.0 * a.score / a.max_score"


def _results_row(student: str, lesson: str) -> str:
    """SQL for the ``lesson_results`` row of one student and lesson, recomputed from their
    attempts (a handful of rows, found through the attempts index)."""
    group = f"FROM attempts a WHERE a.student_id = {student} AND a.lesson_id = {lesson}"
    return f"""SELECT {student}, {lesson},
        (SELECT count(*) {group} AND {_COUNTS}),
        (SELECT max({_PERCENT}) {group} AND {_COUNTS}),
        (SELECT avg({_PERCENT}) {group} AND {_COUNTS}),
        (SELECT {_PERCENT} {group} AND {_COUNTS} ORDER BY a.finished_at, a.id LIMIT 1),
        (SELECT {_PERCENT} {group} AND {_COUNTS} ORDER BY a.finished_at DESC, a.id DESC LIMIT 1),
        (SELECT count(*) {group} AND a.status = 'in_progress'),
        (SELECT max(a.last_activity) {group})"""


_RESULTS_COLUMNS = (
    "student_id, lesson_id, attempts, best, average, first, last, unfinished, last_activity"
)

#: Ordered schema migrations: ``MIGRATIONS[i]`` takes a database from version ``i`` to
#: ``i + 1``. Never edit a released step; append a new one.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: students, attempts, one row per answer.
    (
        f"PRAGMA application_id = {APPLICATION_ID}",
        """CREATE TABLE students (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            name_key TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            last_active TEXT NOT NULL
        )""",
        """CREATE TABLE attempts (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            student_id INTEGER NOT NULL REFERENCES students(id) ON DELETE CASCADE,
            lesson_id TEXT NOT NULL,
            lesson_hash TEXT NOT NULL,
            seed INTEGER NOT NULL,
            question_ids TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'in_progress'
                CHECK (status IN ('in_progress', 'finished', 'abandoned')),
            started_at TEXT NOT NULL,
            finished_at TEXT,
            score REAL,
            max_score REAL
        )""",
        """CREATE TABLE answers (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            attempt_id INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            question_hash TEXT NOT NULL,
            response TEXT NOT NULL,
            score REAL NOT NULL CHECK (score >= 0 AND score <= 1),
            seconds REAL NOT NULL CHECK (seconds >= 0),
            answered_at TEXT NOT NULL,
            UNIQUE (attempt_id, question_id)
        )""",
    ),
    # 2: per-question hashes and dropped questions (resume after a lesson edit), retry
    # attempts, last activity, card progress, the index the per-student queries use.
    (
        "ALTER TABLE attempts ADD COLUMN question_hashes TEXT NOT NULL DEFAULT '[]'",
        "ALTER TABLE attempts ADD COLUMN dropped TEXT NOT NULL DEFAULT '[]'",
        "ALTER TABLE attempts ADD COLUMN mode TEXT NOT NULL DEFAULT 'full'"
        " CHECK (mode IN ('full', 'retry'))",
        "ALTER TABLE attempts ADD COLUMN last_activity TEXT",
        """UPDATE attempts SET last_activity = coalesce(
            (SELECT max(answered_at) FROM answers WHERE answers.attempt_id = attempts.id),
            finished_at, started_at)""",
        """CREATE TABLE card_progress (
            student_id INTEGER NOT NULL REFERENCES students(id) ON DELETE CASCADE,
            lesson_id TEXT NOT NULL,
            card_index INTEGER NOT NULL CHECK (card_index >= 0),
            updated_at TEXT NOT NULL,
            PRIMARY KEY (student_id, lesson_id)
        )""",
        "CREATE INDEX attempts_by_student_lesson ON attempts (student_id, lesson_id, started_at)",
        # Per student and lesson results, kept up to date by triggers on attempts (whatever
        # writes them: the app, a merge), so that the class gradebook reads one row per
        # student and lesson instead of every attempt.
        """CREATE TABLE lesson_results (
            student_id INTEGER NOT NULL REFERENCES students(id) ON DELETE CASCADE,
            lesson_id TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            best REAL,
            average REAL,
            first REAL,
            last REAL,
            unfinished INTEGER NOT NULL,
            last_activity TEXT NOT NULL,
            PRIMARY KEY (student_id, lesson_id)
        )""",
        f"""INSERT INTO lesson_results ({_RESULTS_COLUMNS})
            {_results_row("g.s", "g.l")}
            FROM (SELECT DISTINCT student_id AS s, lesson_id AS l FROM attempts) g""",
        f"""CREATE TRIGGER attempts_insert_results AFTER INSERT ON attempts BEGIN
            INSERT OR REPLACE INTO lesson_results ({_RESULTS_COLUMNS})
            {_results_row("NEW.student_id", "NEW.lesson_id")};
        END""",
        f"""CREATE TRIGGER attempts_update_results
            AFTER UPDATE OF status, mode, score, max_score, finished_at ON attempts BEGIN
            INSERT OR REPLACE INTO lesson_results ({_RESULTS_COLUMNS})
            {_results_row("NEW.student_id", "NEW.lesson_id")};
        END""",
        """CREATE TRIGGER attempts_activity_results AFTER UPDATE OF last_activity ON attempts
        BEGIN
            UPDATE lesson_results SET last_activity = max(last_activity, NEW.last_activity)
            WHERE student_id = NEW.student_id AND lesson_id = NEW.lesson_id;
        END""",
    ),
    # 3: names matched as people type them (trimmed, any case, invisible characters
    # ignored): keys recomputed and the students they now join merged into the first one
    # created (its name, as first typed, is kept); which window has an attempt open
    # (owner); the results of a deleted attempt (one left with no answer) recomputed.
    (
        "ALTER TABLE attempts ADD COLUMN owner TEXT",
        "CREATE TEMP TABLE name_keys AS SELECT id, quizapp_name_key(name) AS k FROM students",
        """CREATE TEMP TABLE student_moves AS
            SELECT s.id AS old, (SELECT t.id FROM students t JOIN name_keys tk ON tk.id = t.id
                WHERE tk.k = sk.k ORDER BY t.created_at, t.id LIMIT 1) AS new
            FROM students s JOIN name_keys sk ON sk.id = s.id""",
        "DELETE FROM student_moves WHERE old = new",
        """UPDATE attempts SET student_id = (SELECT new FROM student_moves m
            WHERE m.old = attempts.student_id)
            WHERE student_id IN (SELECT old FROM student_moves)""",
        """INSERT INTO card_progress (student_id, lesson_id, card_index, updated_at)
            SELECT m.new, c.lesson_id, c.card_index, c.updated_at
            FROM card_progress c JOIN student_moves m ON m.old = c.student_id WHERE true
            ON CONFLICT (student_id, lesson_id) DO UPDATE SET card_index = excluded.card_index,
            updated_at = excluded.updated_at
            WHERE excluded.updated_at > card_progress.updated_at""",
        """UPDATE students SET
            created_at = (SELECT min(o.created_at) FROM students o JOIN student_moves m
                ON m.old = o.id OR m.new = o.id WHERE m.new = students.id),
            last_active = (SELECT max(o.last_active) FROM students o JOIN student_moves m
                ON m.old = o.id OR m.new = o.id WHERE m.new = students.id)
            WHERE id IN (SELECT new FROM student_moves)""",
        "DELETE FROM card_progress WHERE student_id IN (SELECT old FROM student_moves)",
        "DELETE FROM students WHERE id IN (SELECT old FROM student_moves)",
        """UPDATE students SET name = quizapp_clean_name(name),
            name_key = (SELECT k FROM name_keys WHERE name_keys.id = students.id)""",
        # Two students joined may each have had an attempt in progress at one lesson: the
        # latest stays to resume, the others are given up (their answers kept).
        """UPDATE attempts SET status = 'abandoned', finished_at = last_activity
            WHERE status = 'in_progress' AND id NOT IN (
                SELECT (SELECT b.id FROM attempts b WHERE b.student_id = a.student_id
                    AND b.lesson_id = a.lesson_id AND b.status = 'in_progress'
                    ORDER BY b.started_at DESC, b.id DESC LIMIT 1)
                FROM attempts a WHERE a.status = 'in_progress')""",
        "DELETE FROM lesson_results",
        f"""INSERT INTO lesson_results ({_RESULTS_COLUMNS})
            {_results_row("g.s", "g.l")}
            FROM (SELECT DISTINCT student_id AS s, lesson_id AS l FROM attempts) g""",
        "DROP TABLE temp.name_keys",
        "DROP TABLE temp.student_moves",
        f"""CREATE TRIGGER attempts_delete_results AFTER DELETE ON attempts BEGIN
            DELETE FROM lesson_results
                WHERE student_id = OLD.student_id AND lesson_id = OLD.lesson_id;
            INSERT INTO lesson_results ({_RESULTS_COLUMNS})
            {_results_row("OLD.student_id", "OLD.lesson_id")}
            WHERE EXISTS (SELECT 1 FROM attempts x
                WHERE x.student_id = OLD.student_id AND x.lesson_id = OLD.lesson_id);
        END""",
    ),
    # 4: the attempts of one lesson found by index (a report or the class view on one
    # lesson of a big class reads that lesson's rows only, in the order they are analysed).
    ("CREATE INDEX attempts_by_lesson ON attempts (lesson_id, started_at, id)",),
    # 5: the class roster (a PIN's salted scrypt hash per student), the instructor's
    # passphrase and the sign-in log (see .roster). Never merged from a student's file.
    (
        """CREATE TABLE roster (
            student_id INTEGER PRIMARY KEY REFERENCES students(id) ON DELETE CASCADE,
            student_number TEXT,
            email TEXT,
            secret TEXT NOT NULL,
            failures INTEGER NOT NULL DEFAULT 0,
            locked_until TEXT,
            set_at TEXT NOT NULL
        )""",
        """CREATE TABLE instructor (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            secret TEXT NOT NULL,
            failures INTEGER NOT NULL DEFAULT 0,
            locked_until TEXT,
            set_at TEXT NOT NULL
        )""",
        """CREATE TABLE signin_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            name TEXT NOT NULL,
            student_id INTEGER REFERENCES students(id) ON DELETE SET NULL,
            outcome TEXT NOT NULL
        )""",
    ),
    # 6 (issue 16): exam mode, and the regrade log. Every answer given and every change is
    # a new draft row (the latest counts; nothing is rewritten); the question shown, the
    # flags and the deadline of a timed attempt. Both go with their attempt.
    (
        """CREATE TABLE exam_drafts (
            id INTEGER PRIMARY KEY,
            attempt_id INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            response TEXT NOT NULL,
            saved_at TEXT NOT NULL
        )""",
        "CREATE INDEX exam_drafts_by_attempt ON exam_drafts (attempt_id, id)",
        """CREATE TABLE exam_state (
            attempt_id INTEGER PRIMARY KEY REFERENCES attempts(id) ON DELETE CASCADE,
            position INTEGER NOT NULL DEFAULT 0,
            flags TEXT NOT NULL DEFAULT '[]',
            deadline TEXT
        )""",
        # `quizapp regrade`: every grade it changed or version it moved, with when and why.
        """CREATE TABLE regrades (
            id INTEGER PRIMARY KEY,
            regraded_at TEXT NOT NULL,
            lesson_id TEXT NOT NULL,
            question_id TEXT NOT NULL,
            answer_id INTEGER NOT NULL,
            old_hash TEXT NOT NULL,
            new_hash TEXT NOT NULL,
            old_score REAL NOT NULL,
            new_score REAL NOT NULL
        )""",
    ),
    # 7: spaced review (issue 15): one row per review (the review log, merged by uuid) and each
    # item's latest FSRS state (the card as JSON, its due time), found by (student, due).
    (
        """CREATE TABLE review_log (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            student_id INTEGER NOT NULL REFERENCES students(id) ON DELETE CASCADE,
            lesson_id TEXT NOT NULL,
            item_id TEXT NOT NULL,
            rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
            seconds REAL NOT NULL CHECK (seconds >= 0),
            reviewed_at TEXT NOT NULL,
            card TEXT NOT NULL,
            due TEXT NOT NULL
        )""",
        "CREATE INDEX review_log_by_item"
        " ON review_log (student_id, lesson_id, item_id, reviewed_at)",
        """CREATE TABLE review_items (
            student_id INTEGER NOT NULL REFERENCES students(id) ON DELETE CASCADE,
            lesson_id TEXT NOT NULL,
            item_id TEXT NOT NULL,
            card TEXT NOT NULL,
            due TEXT NOT NULL,
            reviewed_at TEXT NOT NULL,
            log_uuid TEXT NOT NULL,
            PRIMARY KEY (student_id, lesson_id, item_id)
        ) WITHOUT ROWID""",
        "CREATE INDEX review_items_due ON review_items (student_id, due)",
        # The class view: per lesson, students with items due, and the items forgotten most.
        "CREATE INDEX review_items_by_lesson ON review_items (lesson_id, due, student_id)",
        "CREATE INDEX review_log_by_lesson ON review_log (lesson_id, item_id, rating)",
    ),
    # 8 (issue 16): hints. A hint is recorded the moment it is revealed, before any answer
    # exists (in practice and exam mode alike), so a crash cannot take its use back; the
    # answer given after it says so (`hinted`, and its score carries the lesson's penalty).
    (
        "ALTER TABLE answers ADD COLUMN hinted INTEGER NOT NULL DEFAULT 0 CHECK (hinted IN (0, 1))",
        """CREATE TABLE hints_shown (
            attempt_id INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
            question_id TEXT NOT NULL,
            shown_at TEXT NOT NULL,
            PRIMARY KEY (attempt_id, question_id)
        ) WITHOUT ROWID""",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


class _Unusable(Exception):
    """Internal: the file cannot be used as it is; ``corrupt`` says whether to move it aside."""

    def __init__(self, reason: str, *, corrupt: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.corrupt = corrupt


def _check_identity(version: int, app_id: int, *, has_tables: bool) -> None:
    """Refuse a newer schema version or another program's SQLite file."""
    if version > SCHEMA_VERSION:
        raise _Unusable(
            f"it was written by a newer version of quizapp (schema {version}; this one "
            f"understands up to {SCHEMA_VERSION}). Update quizapp to use it; the file was not "
            "changed",
            corrupt=False,
        )
    if app_id != APPLICATION_ID and (version > 0 or app_id != 0):
        raise _Unusable(
            "it is a SQLite database of some other program, not a quizapp score file; "
            "it was not changed. Give another file with --db PATH or QUIZAPP_DB",
            corrupt=False,
        )
    if app_id == 0 and version == 0 and has_tables:
        raise _Unusable(
            "it is a SQLite database of some other program, not a quizapp score file; "
            "it was not changed. Give another file with --db PATH or QUIZAPP_DB",
            corrupt=False,
        )


def _migrate(conn: sqlite3.Connection) -> None:
    """Apply the pending migrations in one transaction (other processes wait).

    Migrations may call ``quizapp_name_key(name)`` and ``quizapp_clean_name(name)``: the
    Python rules of :mod:`.records`, which SQL alone cannot express."""
    if conn.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
        return
    conn.create_function("quizapp_name_key", 1, name_key, deterministic=True)
    conn.create_function("quizapp_clean_name", 1, clean_name, deterministic=True)
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for step in range(version, SCHEMA_VERSION):
            for statement in MIGRATIONS[step]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {step + 1}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
