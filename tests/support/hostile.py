"""Score files built as an attacker would (issue 12), and checks that output is inert.

Each builder starts from a real student's file (written through the store) and then edits
it with plain SQL, the way a student with a SQLite shell could: loosening a table's
constraints, writing values no quizapp writes, adding views and triggers, or overwriting
bytes in the middle of the file.
"""

from __future__ import annotations

import random
import re
import sqlite3
from pathlib import Path

import yaml

from quizapp.store import Store

# Any byte an escape sequence, a NUL or a C1 control could be made of.
CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]")


def has_control_bytes(data: bytes | str) -> bool:
    """True if ``data`` holds a C0/C1 control (other than newline, tab, CR) or a bidi
    override: what must never reach a terminal or a file."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    return CONTROL_BYTES.search(raw.replace(b"\r\n", b"\n")) is not None


def student_file(path: Path, name: str = "Ana", attempts: int = 2, answers: int = 3) -> Path:
    """A real student's file: ``attempts`` finished attempts at lesson ``l1``."""
    with Store.open(path) as store, store.batch():
        student = store.student(name)
        for n in range(attempts):
            ids = [f"q{i}" for i in range(answers)]
            attempt = store.start_attempt(student.id, "l1", "lh", n, ids)
            for i, qid in enumerate(ids):
                store.record_answer(attempt.id, qid, "qh", f"answer {n}-{i}", i % 2, 1.5)
            store.finish_attempt(attempt.id)
        store.save_card_progress(student.id, "l1", 1)
    return path


def lessons_folder(path: Path) -> Path:
    """A lessons folder with lesson ``l1`` (questions q0-q2), so reports read the files'
    answers."""
    from tests.support.store import SOURCE

    path.mkdir(parents=True, exist_ok=True)
    lesson = {
        "id": "l1",
        "title": "Lesson one",
        "summary": "A lesson for tests.",
        "minutes": 5,
        "sources": [SOURCE],
        "cards": [{"title": "Card", "body": "Text.", "sources": ["src"]}],
        "quiz": {
            "questions": [
                {"id": "q0", "type": "text", "prompt": "Say it", "accept": ["answer 0-0"]},
                {"id": "q1", "type": "single", "prompt": "Pick", "choices": ["a", "b"],
                 "answer": "a"},
                {"id": "q2", "type": "true_false", "prompt": "True?", "answer": True},
            ]
        },
    }  # fmt: skip
    (path / "l1.yaml").write_text(yaml.safe_dump(lesson, allow_unicode=True), encoding="utf-8")
    return path


def loosen(path: Path, *tables: str) -> None:
    """Rebuild ``tables`` without any constraint (NOT NULL, CHECK, UNIQUE, types), as a
    hand-made file could have them."""
    conn = sqlite3.connect(path)
    for table in tables:
        conn.execute(f"CREATE TABLE loose AS SELECT * FROM {table}")
        conn.execute(f"DROP TABLE {table}")
        conn.execute(f"ALTER TABLE loose RENAME TO {table}")
    conn.commit()
    conn.close()


def execute(path: Path, *statements: str) -> None:
    """Run SQL on a file as a student with a SQLite shell would (no foreign keys)."""
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def null_name(path: Path) -> Path:
    """A student whose name and name key are NULL."""
    student_file(path)
    loosen(path, "students")
    execute(path, "UPDATE students SET name = NULL, name_key = NULL")
    return path


def bad_json_and_times(path: Path) -> Path:
    """An answer whose response is not JSON, an attempt started "yesterday"."""
    student_file(path, attempts=3)
    execute(
        path,
        "UPDATE answers SET response = '{not json' WHERE id = 2",
        "UPDATE attempts SET started_at = 'yesterday' WHERE id = 2",
        "UPDATE answers SET answered_at = '2026-13-45T99:00:00.000000Z' WHERE id = 9",
    )
    return path


def formula_ids(path: Path) -> Path:
    """Lesson and question ids that a spreadsheet would run as formulas."""
    student_file(path)
    execute(
        path,
        """UPDATE attempts SET lesson_id = '=HYPERLINK("http://evil","x")' WHERE id = 1""",
        """UPDATE answers SET question_id = '=HYPERLINK("http://evil","q")' WHERE id = 6""",
    )
    return path


def escapes(path: Path) -> Path:
    """A name that retitles the terminal, a response that wipes it."""
    student_file(path, name="Eve")
    execute(
        path,
        "UPDATE students SET name = 'Eve' || char(27) || ']0;pwned' || char(7) || char(0)",
        "UPDATE answers SET response = '\"' || char(27) || '[2J\"' WHERE id = 1",
    )
    return path


def random_bytes_inside(path: Path, seed: int = 12) -> Path:
    """256 random bytes written over the middle of each page of the second half of a file
    with many answers (so that used pages are hit, wherever the schema puts its tables)."""
    student_file(path, attempts=40, answers=8)
    data = bytearray(path.read_bytes())
    rng = random.Random(seed)
    page = 4096
    for start in range(len(data) // 2 // page * page, len(data), page):
        data[start + page // 2 : start + page // 2 + 256] = rng.randbytes(256)
    path.write_bytes(bytes(data))
    return path


def endless_view(path: Path) -> Path:
    """``students`` is a view that never ends."""
    student_file(path)
    execute(
        path,
        "ALTER TABLE students RENAME TO real_students",
        """CREATE VIEW students AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL
        SELECT i + 1 FROM n) SELECT i AS id, 'x' || i AS name, 'x' || i AS name_key,
        '2026-01-01T00:00:00.000000Z' AS created_at,
        '2026-01-01T00:00:00.000000Z' AS last_active FROM n""",
    )
    return path


def looping_trigger(path: Path) -> Path:
    """A version-1 file with a trigger that never ends once anything updates attempts
    (as upgrading the file would)."""
    from tests.support.store import version_1_database

    version_1_database(path)
    execute(
        path,
        """CREATE TRIGGER forever AFTER UPDATE ON attempts BEGIN
        SELECT count(*) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL
        SELECT i + 1 FROM n) SELECT i FROM n); END""",
    )
    return path


HOSTILE_FILES = {
    "null name": null_name,
    "bad JSON and timestamps": bad_json_and_times,
    "formula ids": formula_ids,
    "terminal escapes": escapes,
    "random bytes inside": random_bytes_inside,
    "endless view": endless_view,
    "looping trigger": looping_trigger,
}


def damaged_class_database(path: Path) -> Path:
    """A class database holding the worst rows an old merge could have let in: a name
    with terminal escapes and a NUL, an attempt with unreadable question ids, start time
    and score, an answer with a response that is not JSON, an unreadable time and number of
    seconds, and ids that a spreadsheet would run as formulas."""
    student_file(path, name="Ana", attempts=3)
    execute(
        path,
        "INSERT INTO students (id, name, name_key, created_at, last_active) SELECT 2,"
        " 'Eve' || char(27) || ']0;pwned' || char(7) || char(0), 'eve', created_at,"
        " last_active FROM students",
        "UPDATE attempts SET student_id = 2 WHERE id = 3",
        "DELETE FROM lesson_results",
        "UPDATE attempts SET status = status",  # the triggers recompute the results
        "UPDATE attempts SET question_ids = 'not json', started_at = 'yesterday' WHERE id = 1",
        "UPDATE attempts SET score = 'lots', lesson_id = '=HYPERLINK(\"http://evil\")'"
        " WHERE id = 2",
        "UPDATE answers SET response = '{bad', answered_at = 'garbage', seconds = 'slow'"
        " WHERE id = 7",
        "UPDATE answers SET question_id = '=cmd|'' /C calc''!A0' WHERE id = 8",
        "UPDATE answers SET response = '\"' || char(27) || '[2J' || char(27) || ']0;x\"'"
        " WHERE id = 9",
    )
    return path
