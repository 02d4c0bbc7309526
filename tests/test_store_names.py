"""Student names as people type them: "BEN", "Ben" and " ben " are one student, shown as first
typed; existing duplicates are merged when an older score file is upgraded."""

from __future__ import annotations

import sqlite3
import unicodedata
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.store import MIGRATIONS, SCHEMA_VERSION, Store, clean_name, name_key

SPELLINGS = [
    "Ben",
    "BEN",
    " ben ",
    "ben\u200b",
    "\u202bBen\u202c",
    "BEN  ",
    "Jos\u00e9",
    "Jose\u0301",
]


def test_names_in_any_case_spacing_or_with_invisible_characters_are_one_student(
    db: Path | str,
) -> None:
    with Store.open(db) as store:
        ben = store.student("Ben")
        for spelling in SPELLINGS[1:6]:
            assert store.student(spelling).id == ben.id, spelling
            assert store.find_student(spelling) == ben
        assert [s.name for s in store.students()] == ["Ben"]  # as first typed
        jose = store.student("JOS\u00c9 ")
        assert store.student("jose\u0301").id == jose.id
        assert jose.name == "JOS\u00c9"  # trimmed, case kept


def test_a_name_is_kept_trimmed_and_without_invisible_characters(db: Path | str) -> None:
    with Store.open(db) as store:
        assert store.student("  Ana \u200bMaría\u200f  ").name == "Ana María"
        assert clean_name("Ana   María") == "Ana María"
        assert name_key("ÅSA") == name_key("åsa") == name_key("A\u030asa")


def test_scores_finds_a_student_typed_with_spaces_or_another_case(
    db: Path | str, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(db) as store:
        ben = store.student("Ben")
        attempt = store.start_attempt(ben.id, "cicig", "h", 1, ["q1"])
        store.record_answer(attempt.id, "q1", "h", "x", 1.0, 1.0)
        store.finish_attempt(attempt.id)
    assert main(["scores", "--db", str(db), "--student", " BEN "]) == 0
    assert "Ben" in capsys.readouterr().out


def version_2_database(path: Path) -> None:
    """A score file as quizapp wrote it at schema 2: names matched only by their NFC form,
    so "Ben", "BEN" and " ben " are three students, each with attempts (two unfinished at
    one lesson) and a reading position."""
    conn = sqlite3.connect(path, isolation_level=None)
    for step in MIGRATIONS[:2]:
        for statement in step:
            conn.execute(statement)
    conn.execute("PRAGMA user_version = 2")
    conn.execute("PRAGMA journal_mode = WAL")
    rows = [  # name, day created (the attempt starts a minute later), attempt status, score, card
        ("Ben", 1, "finished", 2.0, 1),
        ("BEN", 2, "in_progress", None, 3),
        (" ben ", 3, "in_progress", None, 2),
    ]
    for number, (name, day, status, score, card) in enumerate(rows, start=1):
        created = f"2026-01-0{day}T10:00:00.000000Z"
        started = f"2026-01-0{day}T10:01:00.000000Z"
        key = unicodedata.normalize("NFC", name)
        conn.execute(
            "INSERT INTO students (id, name, name_key, created_at, last_active)"
            " VALUES (?, ?, ?, ?, ?)",
            (number, name, key, created, started),
        )
        conn.execute(
            "INSERT INTO attempts (uuid, student_id, lesson_id, lesson_hash, seed, question_ids,"
            " status, started_at, finished_at, score, max_score, last_activity)"
            " VALUES (?, ?, 'cicig', 'h', 1, '[\"q1\", \"q2\"]', ?, ?, ?, ?, ?, ?)",
            (
                f"uuid-{number}",
                number,
                status,
                started,
                started if status == "finished" else None,
                score,
                2.0 if score is not None else None,
                started,
            ),
        )
        conn.execute(
            "INSERT INTO answers (uuid, attempt_id, question_id, question_hash, response, score,"
            " seconds, answered_at) VALUES (?, ?, 'q1', 'h', '\"x\"', 1.0, 2.0, ?)",
            (f"answer-{number}", number, started),
        )
        conn.execute("INSERT INTO card_progress VALUES (?, 'cicig', ?, ?)", (number, card, started))
    conn.close()


def test_upgrading_merges_the_students_whose_names_now_match(tmp_path: Path) -> None:
    path = tmp_path / "scores.sqlite3"
    version_2_database(path)
    with Store.open(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        [ben] = store.students()
        assert ben.name == "Ben"  # the first created, as first typed
        history = store.history(ben.id)
        assert [a.uuid for a in history] == ["uuid-1", "uuid-2", "uuid-3"]
        assert sum(a.answered for a in history) == 3  # every answer kept
        # One attempt to resume: the latest; the other is given up, its answer kept.
        assert [a.status for a in history] == ["finished", "abandoned", "in_progress"]
        summary = store.lesson_summaries(ben.id)["cicig"]
        assert summary.best_percent == 100.0 and summary.unfinished_attempt_id == history[2].id
        assert summary.card_index == 2  # the most recent reading position
        [row] = store.gradebook()
        assert (row.student, row.attempts, row.best, row.unfinished) == ("Ben", 1, 100.0, 1)
        assert store.student("BEN").id == ben.id
