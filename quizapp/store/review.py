"""The store's spaced-review methods: the review log and each review item's latest state.

A review item is one question (or glossary term) of one lesson for one student. Each review
adds a row to ``review_log`` (like Anki's revlog: who, which item, the rating, when, and the
FSRS card state after it) and replaces the item's row in ``review_items`` (its latest card
and due time), in one committed transaction. The scheduling itself (which rating, the next
due time) is :mod:`quizapp.review`'s; the store keeps what it is given, as JSON text.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from quizapp.frozen import Frozen
from quizapp.store.base import Connection, StoreBase
from quizapp.store.records import _iso, _shown, _time

__all__ = ["DueItem", "ReviewMixin"]


class DueItem(Frozen):
    """One review item: its lesson and item id, the FSRS card (JSON text) and due time."""

    lesson_id: str
    item_id: str
    card: str
    due: dt.datetime


class ReviewMixin(StoreBase):
    """Review items and the review log (mixed into :class:`quizapp.store.Store`)."""

    def record_review(
        self,
        student_id: int,
        lesson_id: str,
        item_id: str,
        *,
        rating: int,
        seconds: float,
        reviewed_at: dt.datetime,
        card: str,
        due: dt.datetime,
    ) -> None:
        """Add one review to the log and make ``card`` (JSON) the item's state, due at
        ``due``: one committed transaction (durable when this returns)."""
        if rating not in (1, 2, 3, 4):
            raise ValueError(f"rating must be 1 to 4, not {rating!r}")
        log_uuid = uuid.uuid4().hex
        at = _iso(reviewed_at)
        with self._write() as conn:
            conn.execute(
                "INSERT INTO review_log (uuid, student_id, lesson_id, item_id, rating, seconds,"
                " reviewed_at, card, due) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    log_uuid,
                    student_id,
                    lesson_id,
                    item_id,
                    rating,
                    max(0.0, float(seconds)),
                    at,
                    card,
                    _iso(due),
                ),
            )
            conn.execute(
                "INSERT INTO review_items (student_id, lesson_id, item_id, card, due,"
                " reviewed_at, log_uuid) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (student_id, lesson_id, item_id) DO UPDATE SET"
                " card = excluded.card, due = excluded.due, reviewed_at = excluded.reviewed_at,"
                " log_uuid = excluded.log_uuid",
                (student_id, lesson_id, item_id, card, _iso(due), at, log_uuid),
            )

    def review_item(self, student_id: int, lesson_id: str, item_id: str) -> DueItem | None:
        """The item's latest state, or None if the student never met it."""

        def query(conn: Connection) -> DueItem | None:
            row = conn.execute(
                "SELECT lesson_id, item_id, card, due FROM review_items"
                " WHERE student_id = ? AND lesson_id = ? AND item_id = ?",
                (student_id, lesson_id, item_id),
            ).fetchone()
            return None if row is None else _item(row)

        return self._read(query)

    def lesson_review_items(self, student_id: int, lesson_id: str) -> list[DueItem]:
        """Every review item the student has in one lesson (due or not)."""

        def query(conn: Connection) -> list[DueItem]:
            rows = conn.execute(
                "SELECT lesson_id, item_id, card, due FROM review_items"
                " WHERE student_id = ? AND lesson_id = ?",
                (student_id, lesson_id),
            ).fetchall()
            return [_item(row) for row in rows]

        return self._read(query)

    def due_items(self, student_id: int, now: dt.datetime, limit: int) -> list[DueItem]:
        """The student's items due at ``now``, oldest due first, at most ``limit``."""

        def query(conn: Connection) -> list[DueItem]:
            rows = conn.execute(
                "SELECT lesson_id, item_id, card, due FROM review_items"
                " WHERE student_id = ? AND due <= ? ORDER BY due, lesson_id, item_id LIMIT ?",
                (student_id, _iso(now), max(0, limit)),
            ).fetchall()
            return [_item(row) for row in rows]

        return self._read(query)

    def due_counts(self, student_id: int, now: dt.datetime) -> dict[str, int]:
        """How many of the student's items are due at ``now``, per lesson id."""

        def query(conn: Connection) -> dict[str, int]:
            rows = conn.execute(
                "SELECT lesson_id, count(*) FROM review_items"
                " WHERE student_id = ? AND due <= ? GROUP BY lesson_id",
                (student_id, _iso(now)),
            ).fetchall()
            return {_shown(row[0]): int(row[1]) for row in rows}

        return self._read(query)

    def class_due_counts(self, now: dt.datetime) -> list[tuple[int, str, int]]:
        """(student id, lesson id, items due at ``now``) for every student with items due."""

        def query(conn: Connection) -> list[tuple[int, str, int]]:
            rows = conn.execute(
                "SELECT student_id, lesson_id, count(*) FROM review_items WHERE due <= ?"
                " GROUP BY student_id, lesson_id ORDER BY student_id, lesson_id",
                (_iso(now),),
            ).fetchall()
            return [(int(r[0]), _shown(r[1]), int(r[2])) for r in rows]

        return self._read(query)

    def lesson_review_overview(self, lesson_id: str, now: dt.datetime) -> tuple[int, int]:
        """(students with items of the lesson due at ``now``, students with any item of it)."""

        def query(conn: Connection) -> tuple[int, int]:
            row = conn.execute(
                "SELECT (SELECT count(DISTINCT student_id) FROM review_items"
                "  WHERE lesson_id = ? AND due <= ?),"
                " (SELECT count(DISTINCT student_id) FROM review_items WHERE lesson_id = ?)",
                (lesson_id, _iso(now), lesson_id),
            ).fetchone()
            return int(row[0]), int(row[1])

        return self._read(query)

    def most_forgotten(self, lesson_id: str, limit: int = 5) -> list[tuple[str, int, int]]:
        """The lesson's items most often rated Again: (item id, Again ratings, reviews),
        most Agains first."""

        def query(conn: Connection) -> list[tuple[str, int, int]]:
            rows = conn.execute(
                "SELECT item_id, sum(CASE WHEN rating = 1 THEN 1 ELSE 0 END) AS again,"
                " count(*) FROM review_log WHERE lesson_id = ? GROUP BY item_id"
                " HAVING sum(CASE WHEN rating = 1 THEN 1 ELSE 0 END) > 0"
                " ORDER BY again DESC, item_id LIMIT ?",
                (lesson_id, limit),
            ).fetchall()
            return [(_shown(r[0]), int(r[1]), int(r[2])) for r in rows]

        return self._read(query)

    def next_due(self, student_id: int, after: dt.datetime) -> dt.datetime | None:
        """When the student's next item falls due after ``after`` (None if none will)."""

        def query(conn: Connection) -> dt.datetime | None:
            row = conn.execute(
                "SELECT min(due) FROM review_items WHERE student_id = ? AND due > ?",
                (student_id, _iso(after)),
            ).fetchone()
            return None if row is None or row[0] is None else _time(row[0])

        return self._read(query)

    def review_count(self, student_id: int) -> int:
        """How many reviews the student's log holds (every item, every lesson)."""
        return self._read(
            lambda conn: int(
                conn.execute(
                    "SELECT count(*) FROM review_log WHERE student_id = ?", (student_id,)
                ).fetchone()[0]
            )
        )

    def review_now(self) -> dt.datetime:
        """The store's clock (the system clock, or a test's), for scheduling."""
        return _time(self._now())


def _item(row: Any) -> DueItem:
    return DueItem(_shown(row[0]), _shown(row[1]), str(row[2]), _time(row[3]))
