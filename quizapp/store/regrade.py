"""Regrading stored answers after a key fix (``quizapp regrade``; see :mod:`quizapp.regrade`).

Answers are never rewritten: a regrade changes an answer's ``score`` and the question
version it is graded as (``question_hash``), logs each change in ``regrades`` (old and new
hash and score, when), and rescores the finished attempts it touches, so the lesson list,
history, gradebook and reports all read the new grades. This module does the work of
:class:`quizapp.store.Store`'s regrade methods, imported on their first call (:mod:`.deferred`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from quizapp.store.base import StoreBase
from quizapp.store.records import _shown

__all__ = ["StoredAnswer", "apply_regrade", "lesson_answers", "regrade_log"]


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


def lesson_answers(store: StoreBase, lesson_id: str) -> list[StoredAnswer]:
    """The work of :meth:`quizapp.store.Store.lesson_answers`."""
    sql = """SELECT n.id, n.attempt_id, s.name, n.question_id, n.question_hash,
        n.response, n.score, n.hinted FROM answers n JOIN attempts a ON a.id = n.attempt_id
        JOIN students s ON s.id = a.student_id WHERE a.lesson_id = ? ORDER BY n.id"""
    rows = store._read(lambda c: c.execute(sql, (lesson_id,)).fetchall())
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
    store: StoreBase,
    lesson_id: str,
    versions: Mapping[tuple[str, str], str],
    changes: Iterable[tuple[int, str, float, float]],
) -> int:
    """The work of :meth:`quizapp.store.Store.apply_regrade`."""
    now = store._now()
    logged = 0
    with store._write() as conn:
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


def regrade_log(store: StoreBase) -> list[tuple[str, str, str, int, float, float]]:
    """The work of :meth:`quizapp.store.Store.regrade_log`."""
    sql = """SELECT regraded_at, lesson_id, question_id, answer_id, old_score, new_score
        FROM regrades ORDER BY id"""
    return [tuple(r) for r in store._read(lambda c: c.execute(sql).fetchall())]
