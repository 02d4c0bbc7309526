"""Merging another score database into this one: the SQL that folds it in, and the
:class:`MergeReport` saying what it added.

Students bring their score files from other machines; :meth:`quizapp.store.Store.merge_from`
copies and checks such a file, attaches the copy as ``incoming`` and calls
:func:`_merge_attached`, which adds in one transaction what is new. Students are matched by
name (:func:`quizapp.store.records.name_key`), attempts and answers by their UUIDs, so
merging the same file twice adds nothing, and an attempt merged while unfinished is brought
up to date when the student's file has it finished.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from quizapp.wording import plural

__all__ = ["MergeReport"]


@dataclass(frozen=True)
class MergeReport:
    """What :meth:`~quizapp.store.Store.merge_from` added; all zero when the file had
    nothing new."""

    source: Path
    students_added: int = 0
    attempts_added: int = 0
    attempts_updated: int = 0
    answers_added: int = 0
    cards_updated: int = 0

    @property
    def nothing_new(self) -> bool:
        """True when merging changed nothing (for instance, the second time)."""
        return not (
            self.students_added
            or self.attempts_added
            or self.attempts_updated
            or self.answers_added
            or self.cards_updated
        )

    def __str__(self) -> str:
        if self.nothing_new:
            return f"{self.source}: nothing new"
        parts = [
            plural(self.students_added, "new student"),
            plural(self.attempts_added, "new attempt"),
            plural(self.answers_added, "new answer"),
        ]
        if self.attempts_updated:
            parts.append(plural(self.attempts_updated, "attempt") + " brought up to date")
        if self.cards_updated:
            parts.append(plural(self.cards_updated, "reading position") + " updated")
        return f"{self.source}: " + ", ".join(parts)


def _merge_attached(conn: sqlite3.Connection, source: Path) -> MergeReport:
    """The merge itself, inside one transaction, with the other file attached as
    ``incoming`` (already checked and at the current schema version)."""
    students_added = conn.execute(
        "SELECT count(*) FROM incoming.students i"
        " WHERE NOT EXISTS (SELECT 1 FROM main.students m WHERE m.name_key = i.name_key)"
    ).fetchone()[0]
    conn.execute(
        "INSERT INTO main.students (name, name_key, created_at, last_active)"
        " SELECT name, name_key, created_at, last_active FROM incoming.students WHERE true"
        " ON CONFLICT (name_key) DO UPDATE SET"
        " created_at = min(created_at, excluded.created_at),"
        " last_active = max(last_active, excluded.last_active)"
    )
    attempts_added = conn.execute(
        "INSERT INTO main.attempts (uuid, student_id, lesson_id, lesson_hash, seed,"
        " question_ids, question_hashes, dropped, mode, status, started_at, finished_at,"
        " last_activity, score, max_score)"
        " SELECT i.uuid, m.id, i.lesson_id, i.lesson_hash, i.seed, i.question_ids,"
        " i.question_hashes, i.dropped, i.mode, i.status, i.started_at, i.finished_at,"
        " i.last_activity, i.score, i.max_score"
        " FROM incoming.attempts i"
        " JOIN incoming.students si ON si.id = i.student_id"
        " JOIN main.students m ON m.name_key = si.name_key"
        " WHERE NOT EXISTS (SELECT 1 FROM main.attempts x WHERE x.uuid = i.uuid)"
    ).rowcount
    # An attempt merged while unfinished, and finished (or abandoned) since on the
    # student's machine: bring it up to date.
    attempts_updated = conn.execute(
        "UPDATE main.attempts SET status = i.status, finished_at = i.finished_at,"
        " score = i.score, max_score = i.max_score, dropped = i.dropped,"
        " last_activity = max(main.attempts.last_activity, i.last_activity)"
        " FROM incoming.attempts i"
        " WHERE i.uuid = main.attempts.uuid AND main.attempts.status = 'in_progress'"
        " AND i.status <> 'in_progress'"
    ).rowcount
    answers_added = conn.execute(
        "INSERT INTO main.answers (uuid, attempt_id, question_id, question_hash, response,"
        " score, seconds, answered_at)"
        " SELECT n.uuid, m.id, n.question_id, n.question_hash, n.response, n.score,"
        " n.seconds, n.answered_at"
        " FROM incoming.answers n"
        " JOIN incoming.attempts i ON i.id = n.attempt_id"
        " JOIN main.attempts m ON m.uuid = i.uuid"
        " WHERE true ON CONFLICT DO NOTHING"
    ).rowcount
    cards_updated = conn.execute(
        "INSERT INTO main.card_progress (student_id, lesson_id, card_index, updated_at)"
        " SELECT m.id, c.lesson_id, c.card_index, c.updated_at"
        " FROM incoming.card_progress c"
        " JOIN incoming.students si ON si.id = c.student_id"
        " JOIN main.students m ON m.name_key = si.name_key"
        " WHERE true ON CONFLICT (student_id, lesson_id) DO UPDATE SET"
        " card_index = excluded.card_index, updated_at = excluded.updated_at"
        " WHERE excluded.updated_at > main.card_progress.updated_at"
    ).rowcount
    return MergeReport(
        source=source,
        students_added=students_added,
        attempts_added=attempts_added,
        attempts_updated=attempts_updated,
        answers_added=answers_added,
        cards_updated=cards_updated,
    )
