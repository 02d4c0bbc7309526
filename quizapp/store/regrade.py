"""Regrading stored answers after a key fix (``quizapp regrade``; see :mod:`quizapp.regrade`).

Answers are never rewritten: a regrade changes an answer's ``score`` and the question
version it is graded as (``question_hash``), logs each change in ``regrades`` (old and new
hash and score, when), and rescores the finished attempts it touches, so the lesson list,
history, gradebook and reports all read the new grades. These methods are mixed into
:class:`quizapp.store.Store`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from quizapp.store.base import StoreBase
from quizapp.store.records import _shown

__all__ = ["RegradeMixin", "StoredAnswer"]


class StoredAnswer(NamedTuple):
    """One stored answer of a lesson, as a regrade reads it."""

    id: int
    attempt_id: int
    student: str
    question_id: str
    question_hash: str
    response: Any
    score: float
    #: Given after its hint: a regrade keeps the lesson's hint penalty.
    hinted: bool = False


class RegradeMixin(StoreBase):
    """Read a lesson's answers for a regrade; apply one, logged."""

    def lesson_answers(self, lesson_id: str) -> list[StoredAnswer]:
        """Every stored answer to the lesson's questions (unreadable responses left out)."""
        sql = """SELECT n.id, n.attempt_id, s.name, n.question_id, n.question_hash,
            n.response, n.score, n.hinted FROM answers n JOIN attempts a ON a.id = n.attempt_id
            JOIN students s ON s.id = a.student_id WHERE a.lesson_id = ? ORDER BY n.id"""
        rows = self._read(lambda c: c.execute(sql, (lesson_id,)).fetchall())
        result = []
        for row in rows:
            try:
                response = json.loads(row[5])
            except (TypeError, ValueError):
                continue
            if not isinstance(row[6], int | float):
                continue
            result.append(
                StoredAnswer(
                    row[0],
                    row[1],
                    _shown(row[2]),
                    row[3],
                    str(row[4]),
                    response,
                    float(row[6]),
                    bool(row[7]),
                )
            )
        return result

    def apply_regrade(
        self,
        lesson_id: str,
        versions: Mapping[tuple[str, str], str],
        changes: Iterable[tuple[int, str, float, float]],
    ) -> int:
        """In one transaction: move the answers of each (question id, old hash) in
        ``versions`` to the new hash, set each ``(answer id, question id, old, new score)``
        in ``changes``, log both, and rescore the finished attempts touched. Returns how
        many answers were logged."""
        now = self._now()
        logged = 0
        with self._write() as conn:
            attempts: set[int] = set()
            new_scores = {answer_id: new for answer_id, _, _, new in changes}
            for (question_id, old_hash), new_hash in versions.items():
                rows = conn.execute(
                    "SELECT n.id, n.attempt_id, n.score FROM answers n JOIN attempts a"
                    " ON a.id = n.attempt_id WHERE a.lesson_id = ? AND n.question_id = ?"
                    " AND n.question_hash = ?",
                    (lesson_id, question_id, old_hash),
                ).fetchall()
                for answer_id, attempt_id, old_score in rows:
                    new_score = new_scores.get(answer_id, old_score)
                    conn.execute(
                        "UPDATE answers SET score = ?, question_hash = ? WHERE id = ?",
                        (new_score, new_hash, answer_id),
                    )
                    conn.execute(
                        "INSERT INTO regrades (regraded_at, lesson_id, question_id, answer_id,"
                        " old_hash, new_hash, old_score, new_score)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            now,
                            lesson_id,
                            question_id,
                            answer_id,
                            old_hash,
                            new_hash,
                            old_score,
                            new_score,
                        ),
                    )
                    logged += 1
                    attempts.add(attempt_id)
            for attempt_id in attempts:
                row = conn.execute(
                    "SELECT status, dropped FROM attempts WHERE id = ?", (attempt_id,)
                ).fetchone()
                if row is None or row[0] != "finished":
                    continue
                dropped = set(json.loads(row[1]))
                scores = conn.execute(
                    "SELECT question_id, score FROM answers WHERE attempt_id = ?", (attempt_id,)
                ).fetchall()
                total = math.fsum(s for q, s in scores if q not in dropped)
                conn.execute("UPDATE attempts SET score = ? WHERE id = ?", (total, attempt_id))
        return logged

    def regrade_log(self) -> list[tuple[str, str, str, int, float, float]]:
        """Every logged regrade: (time, lesson, question, answer id, old, new score)."""
        sql = """SELECT regraded_at, lesson_id, question_id, answer_id, old_score, new_score
            FROM regrades ORDER BY id"""
        return [tuple(r) for r in self._read(lambda c: c.execute(sql).fetchall())]
