"""Students and card progress: the part of :class:`quizapp.store.Store` that finds or adds a
student by name and remembers the card each student is reading in each lesson."""

from __future__ import annotations

from quizapp.store.base import StoreBase
from quizapp.store.records import Student, _check_name, _student, clean_name, name_key

__all__ = ["StudentsMixin"]


class StudentsMixin(StoreBase):
    """Students (matched by :func:`~quizapp.store.name_key`) and their reading positions."""

    # ------------------------------------------------------------------ students

    def student(self, name: str) -> Student:
        """The student called ``name``, created if new. A new name is kept as first typed
        (any Unicode, quotes, ``[markup]``), trimmed and without invisible characters
        (:func:`~quizapp.store.clean_name`); the same name in any case, spacing or Unicode
        normal form is the same student (:func:`~quizapp.store.name_key`). Raises
        :class:`StoreError` for an empty name or control characters.
        """
        _check_name(name)
        key = name_key(name)
        name = clean_name(name)
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
        """The student called ``name`` (any case, spacing or Unicode normal form), or None;
        creates nothing."""
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
