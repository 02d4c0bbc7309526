"""The methods of :class:`quizapp.store.Store` that a start of the app never calls: merging a
student's file, regrading, exam drafts and hints. Each is a short method here whose work
lives in its own module (:mod:`.merge` with :mod:`.incoming`, :mod:`.regrade`, :mod:`.exam`,
:mod:`.hints`), imported the first time the method is called.

Importing those modules cost about 4 ms of every start of the app (the merge's row checks
alone 2 ms), for methods a student opening the lesson list never calls (see
docs/performance.md, issue 19). The methods keep their signatures and docstrings here, so
the store's API and its type checking are as they were; only the moment the code is
imported changes. ``tests/test_startup_imports.py`` fails if a start imports them again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizapp.store.base import StoreBase

if TYPE_CHECKING:
    from quizapp.store.exam import ExamState
    from quizapp.store.merge import MergeReport
    from quizapp.store.regrade import StoredAnswer

__all__ = ["ExamMixin", "HintsMixin", "MergeMixin", "RegradeMixin"]


class ExamMixin(StoreBase):
    """Drafts, flags, position and deadline of exam attempts (:mod:`.exam`)."""

    def exam_state(self, attempt_id: int) -> ExamState:
        """The exam state of an attempt (position 0, no flags, no drafts if none stored)."""
        from quizapp.store import exam

        return exam.exam_state(self, attempt_id)

    def start_exam(self, attempt_id: int, deadline: dt.datetime | None) -> None:
        """Give a new exam attempt its state row (and deadline); kept if it has one."""
        from quizapp.store import exam

        exam.start_exam(self, attempt_id, deadline)

    def save_draft(
        self, attempt_id: int, question_id: str, response: Any, *, owner: str | None = None
    ) -> None:
        """Store a new version of the answer to ``question_id`` (None: the answer cleared),
        committed before this returns; earlier versions stay. Raises
        :class:`~quizapp.store.AttemptClosed` when the attempt has ended or is open in
        another window."""
        from quizapp.store import exam

        exam.save_draft(self, attempt_id, question_id, response, owner=owner)

    def save_exam_place(
        self, attempt_id: int, position: int, flags: frozenset[str], *, owner: str | None = None
    ) -> None:
        """Store the question shown and the flagged questions (committed before returning)."""
        from quizapp.store import exam

        exam.save_exam_place(self, attempt_id, position, flags, owner=owner)


class HintsMixin(StoreBase):
    """The hints an attempt's student has revealed (:mod:`.hints`)."""

    def record_hint(self, attempt_id: int, question_id: str, *, owner: str | None = None) -> None:
        """Record that the hint of ``question_id`` was shown in this attempt (once; committed
        before this returns). Raises :class:`~quizapp.store.AttemptClosed` when the attempt
        has ended or is open in another window, :class:`~quizapp.store.StoreError` when the
        question is not part of it."""
        from quizapp.store import hints

        hints.record_hint(self, attempt_id, question_id, owner=owner)

    def hints_shown(self, attempt_id: int) -> frozenset[str]:
        """The ids of the questions whose hint was shown in this attempt."""
        from quizapp.store import hints

        return hints.hints_shown(self, attempt_id)


class RegradeMixin(StoreBase):
    """Read a lesson's answers for a regrade; apply one, logged (:mod:`.regrade`)."""

    def lesson_answers(self, lesson_id: str) -> list[StoredAnswer]:
        """Every stored answer to the lesson's questions (unreadable responses left out)."""
        from quizapp.store import regrade

        return regrade.lesson_answers(self, lesson_id)

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
        from quizapp.store import regrade

        return regrade.apply_regrade(self, lesson_id, versions, changes)

    def regrade_log(self) -> list[tuple[str, str, str, int, float, float]]:
        """Every logged regrade: (time, lesson, question, answer id, old, new score)."""
        from quizapp.store import regrade

        return regrade.regrade_log(self)


class MergeMixin(StoreBase):
    """:meth:`merge_from`, the part of :class:`quizapp.store.Store` that merges a file
    (:mod:`.merge`, :mod:`.incoming`)."""

    def merge_from(
        self, other_path: Path | str, *, stop: Callable[[], bool] | None = None
    ) -> MergeReport:
        """Fold another score database (a student's file from another machine) into this one.

        Idempotent: students are matched by name, attempts and answers by their UUIDs, so
        merging the same file twice adds nothing; a file merged again after the student went
        on adds only what is new (and brings unfinished attempts up to date).

        Nothing in the file is trusted (see :mod:`.incoming`): a copy is checked (integrity,
        then its schema: base tables only) and every row is checked before anything is
        written; rows that fail are left out and counted in the report's ``refused``. What
        passes is written in one transaction. The work is bounded by the file's size, and
        Ctrl-C (or ``stop()`` returning True, checked while SQLite works) stops the merge at
        once with nothing written (``KeyboardInterrupt``). The other file is never modified.
        Raises :class:`~quizapp.store.StoreError` if it is missing, damaged, not a quizapp
        file, newer, this database, or needs more work than its size allows.
        """
        from quizapp.store import merge

        return merge.merge_from(self, other_path, stop=stop)
