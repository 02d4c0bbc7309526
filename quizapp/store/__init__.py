"""The score store: one SQLite file (or a PostgreSQL database) holding students, quiz
attempts and every answer given.

Students' scores are the one thing quizapp must never lose, so the store is built around a
few rules:

* Every answer is its own committed transaction (WAL journal, ``synchronous=FULL``): once
  :meth:`Store.record_answer` returns, the answer survives a killed process or a power cut.
* Writers take the write lock up front (``BEGIN IMMEDIATE``) and wait for it (a busy timeout,
  then a few bounded retries), so two processes on a shared lab machine never lose an answer
  and "database is locked" never reaches a student.
* A file that is corrupt or not a SQLite database is never overwritten or deleted: it is
  moved aside (``scores.sqlite3.corrupt-20261128T101500``), a new database is started and
  :attr:`Store.notices` says so. A database written by a newer quizapp, a SQLite file of some
  other program, or a read-only file or folder raises :class:`StoreError` and is left as it is.
* The schema version lives in ``PRAGMA user_version``; :data:`MIGRATIONS` are applied in
  order when an older database is opened.
* Attempts and answers carry random UUIDs and students are keyed by name, so the databases
  students bring from other machines merge idempotently (:meth:`Store.merge_from`). Merge
  trusts nothing it reads: base tables only, every row checked, bad rows refused and counted,
  one transaction, bounded and interruptible.
* Names and ids a read returns are cleaned of control characters
  (:func:`quizapp.text.clean`); a value a row holds that cannot be read (a damaged row) is
  returned as damaged (:data:`UNREADABLE_TIME`, ``Attempt.damaged``), never raised.

A ``postgresql://`` (or ``postgres://``) URL instead of a path opens the same store on a
PostgreSQL server (:mod:`.postgres`, psycopg 3 from the optional ``quizapp[postgresql]``
extra, imported only then): the same API and the same guarantees, through one code path.
The mixins' SQL is written in the subset both backends speak, the few differences are
:mod:`.dialect`'s; the schema (:mod:`.pg_schema`) carries the same version numbers as
:data:`MIGRATIONS` and is built under an advisory lock; every write transaction takes one
advisory lock per database first, the one-writer rule SQLite's ``BEGIN IMMEDIATE`` gives.
The damaged-file, journal and backup rules below are SQLite's alone (back up a server with
``pg_dump``; ``Store.backup`` says so). :attr:`Store.path` then shows the URL without its
password; :attr:`Store.target` reopens it.

All SQL is parameterised. Times are stored as UTC ISO 8601 text (``...Z``) and returned as
aware :class:`datetime.datetime` objects. Nothing here imports the UI.

This package is the one door to the score database: no other code in quizapp speaks SQL or
knows the tables (the import contracts in ``pyproject.toml`` and a test keep it so). Its
public API is what this module exports, and nothing else:

* :class:`Store` -- ``Store.open(path)`` for the app and the commands that write;
  ``Store.open(path, readonly=True)`` for the commands that only read (reports): the file is
  opened read-only and never created.
  Students: :meth:`~Store.student`, :meth:`~Store.find_student`, :meth:`~Store.students`.
  Attempts and answers: :meth:`~Store.start_attempt`, :meth:`~Store.record_answer`,
  :meth:`~Store.claim_attempt`, :meth:`~Store.discard_attempt`,
  :meth:`~Store.drop_questions`, :meth:`~Store.finish_attempt`, :meth:`~Store.abandon_attempt`,
  :meth:`~Store.unfinished_attempt`, :meth:`~Store.attempt`, :meth:`~Store.answers`.
  Scores and class views: :meth:`~Store.lesson_score`, :meth:`~Store.history`,
  :meth:`~Store.lesson_summaries`, :meth:`~Store.gradebook`, :meth:`~Store.answer_rows`
  (the answers export), :meth:`~Store.answer_records` (every answer, for the statistics).
  Spaced review (:mod:`.review`): :meth:`~Store.record_review`, :meth:`~Store.review_item`,
  :meth:`~Store.due_items`, :meth:`~Store.due_counts`, :meth:`~Store.next_due`.
  Card progress, :meth:`~Store.merge_from`, :meth:`~Store.batch`, :meth:`~Store.backup`
  (a consistent copy while in use).
  Roster and sign-in (:mod:`.roster`): :meth:`~Store.enrol`, :meth:`~Store.roster`,
  :meth:`~Store.has_roster`, :meth:`~Store.reset_pin`, :meth:`~Store.check_pin`,
  :meth:`~Store.set_instructor_passphrase`, :meth:`~Store.has_instructor_passphrase`,
  :meth:`~Store.check_instructor`, :meth:`~Store.signin_log` (PINs stored as salted scrypt
  hashes; wrong ones locked out per :func:`lockout`; never merged from a student's file).
* The records it returns (:class:`Student`, :class:`Attempt`, :class:`Answer`,
  :class:`LessonSummary`, :class:`GradebookRow`, :class:`AnswerRow`, :class:`AnswerRecord`,
  :class:`MergeReport`) and the one error it raises, :class:`StoreError`, whose message is
  written for the user.

The parts are private to the package: :mod:`.database` (the class: opening, transactions),
:mod:`.students` (students and card progress), :mod:`.attempts` and :mod:`.views` (its attempt and
scores methods), :mod:`.records` (the returned values), :mod:`.schema` (tables and
migrations), :mod:`.connect` (opening a file safely), :mod:`.deferred` (the methods a start never
calls, whose modules are imported on their first call), :mod:`.incoming` (reading a
student's file, every row checked), :mod:`.merge` (writing what passed), :mod:`.backup`,
and for PostgreSQL :mod:`.dialect`, :mod:`.postgres` and :mod:`.pg_schema`.

Typical use::

    with Store.open(resolve_db_path(None)) as store:
        ana = store.student("Ana")
        attempt = store.start_attempt(ana.id, "cicig", lesson_hash, seed, ["q1", "q2"])
        store.record_answer(attempt.id, "q1", q1_hash, "Guatemala", 1.0, 4.2)
        store.finish_attempt(attempt.id)
"""

from typing import TYPE_CHECKING, Any

from quizapp.store.connect import retry_busy
from quizapp.store.database import Store
from quizapp.store.records import (
    RULES,
    UNREADABLE_TIME,
    Answer,
    Attempt,
    AttemptClosed,
    LessonSummary,
    Mode,
    Rule,
    Status,
    StoreError,
    Student,
    clean_name,
    lesson_best,
    name_key,
)
from quizapp.store.review import DueItem
from quizapp.store.roster import FREE_FAILURES, RosterEntry, SignIn, lockout
from quizapp.store.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

if TYPE_CHECKING:
    from quizapp.store.exam import ExamState
    from quizapp.store.incoming import STEPS_PER_BYTE as MERGE_STEPS_PER_BYTE
    from quizapp.store.merge import MergeReport
    from quizapp.store.regrade import StoredAnswer
    from quizapp.store.rows import AnswerRecord, AnswerRow, AttemptTally, GradebookRow

#: Names of the face defined in modules that a start of the app does not import (the
#: merge's checks, regrade, exam mode, the class views' rows): each is imported when first
#: looked up here.
_LATER = {
    "AnswerRecord": ("quizapp.store.rows", "AnswerRecord"),
    "AnswerRow": ("quizapp.store.rows", "AnswerRow"),
    "AttemptTally": ("quizapp.store.rows", "AttemptTally"),
    "GradebookRow": ("quizapp.store.rows", "GradebookRow"),
    "ExamState": ("quizapp.store.exam", "ExamState"),
    "MERGE_STEPS_PER_BYTE": ("quizapp.store.incoming", "STEPS_PER_BYTE"),
    "MergeReport": ("quizapp.store.merge", "MergeReport"),
    "StoredAnswer": ("quizapp.store.regrade", "StoredAnswer"),
}

if not TYPE_CHECKING:  # mypy reads the imports above; at run time they come from here

    def __getattr__(name: str) -> Any:
        """The names of :data:`_LATER`, imported on first use (PEP 562)."""
        try:
            module, attribute = _LATER[name]
        except KeyError:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
        from importlib import import_module

        value = getattr(import_module(module), attribute)
        globals()[name] = value
        return value


__all__ = [
    "APPLICATION_ID",
    "FREE_FAILURES",
    "MERGE_STEPS_PER_BYTE",
    "MIGRATIONS",
    "RULES",
    "SCHEMA_VERSION",
    "UNREADABLE_TIME",
    "Answer",
    "AnswerRecord",
    "AnswerRow",
    "Attempt",
    "AttemptClosed",
    "AttemptTally",
    "DueItem",
    "ExamState",
    "GradebookRow",
    "LessonSummary",
    "MergeReport",
    "Mode",
    "RosterEntry",
    "Rule",
    "SignIn",
    "Status",
    "Store",
    "StoreError",
    "StoredAnswer",
    "Student",
    "clean_name",
    "lesson_best",
    "lockout",
    "name_key",
    "retry_busy",
]
