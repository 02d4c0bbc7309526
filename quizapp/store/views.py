"""Scores and class views: the read-only queries of the score store.

A student's score at a lesson by a rule (best, last, first or average of the finished full
attempts), their history of attempts, the per-lesson summaries the lesson list shows, the
class gradebook, the rows of the answers export and every answer for the statistics. Nothing
here writes. The per student and lesson figures come from the ``lesson_results`` table that
triggers keep up to date (see :mod:`quizapp.store.schema`), so the gradebook reads one row
per student and lesson. These methods are mixed into :class:`quizapp.store.Store`; call them
on a ``Store``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import math
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from quizapp.store.base import StoreBase
from quizapp.store.records import (
    RULES,
    Attempt,
    LessonSummary,
    Rule,
    StoreError,
    _attempt,
    _attempt_columns,
    _real,
    _shown,
    _time,
)
from quizapp.store.schema import _COUNTS, _PERCENT

if TYPE_CHECKING:
    from quizapp.store.rows import AnswerRecord, AnswerRow, AttemptTally, GradebookRow

__all__ = ["ViewsMixin"]


class ViewsMixin(StoreBase):
    """Scores by rule, history, lesson summaries, the gradebook and the answers export."""

    def lesson_score(self, student_id: int, lesson_id: str, rule: Rule = "best") -> float | None:
        """The student's percent at a lesson by ``rule`` (best, last, first or average of the
        finished full attempts, as Moodle's grading methods), or None before any."""
        if rule not in RULES:
            raise ValueError(f"rule must be one of {', '.join(RULES)}")
        select = {
            "best": f"SELECT max({_PERCENT}) FROM attempts a WHERE {{where}}",
            "average": f"SELECT avg({_PERCENT}) FROM attempts a WHERE {{where}}",
            "last": f"SELECT {_PERCENT} FROM attempts a WHERE {{where}}"
            " ORDER BY a.finished_at DESC, a.id DESC LIMIT 1",
            "first": f"SELECT {_PERCENT} FROM attempts a WHERE {{where}}"
            " ORDER BY a.finished_at, a.id LIMIT 1",
        }[rule].format(where=f"a.student_id = ? AND a.lesson_id = ? AND {_COUNTS}")
        row = self._read(lambda c: c.execute(select, (student_id, lesson_id)).fetchone())
        return None if row is None or row[0] is None else float(row[0])

    def history(self, student_id: int | None, lesson_id: str | None = None) -> list[Attempt]:
        """Attempts, oldest first (the order a chart of scores over time needs): a student's
        (``student_id``), or everyone's when it is None; optionally of one lesson only."""
        clauses: list[str] = []
        params: list[Any] = []
        if student_id is not None:
            clauses.append("a.student_id = ?")
            params.append(student_id)
        if lesson_id is not None:
            clauses.append("a.lesson_id = ?")
            params.append(lesson_id)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._read(
            lambda c: c.execute(
                f"SELECT {_attempt_columns(self._dialect)} FROM attempts a {where}"
                " ORDER BY a.started_at, a.id",
                params,
            ).fetchall()
        )
        return [_attempt(row) for row in rows]

    def lesson_summaries(self, student_id: int) -> dict[str, LessonSummary]:
        """For the lesson list, in one query: per lesson the student touched, the number of
        counted attempts, best and last percent, last activity, the card they were reading
        and the unfinished attempt to resume (if any)."""
        sql = """
        WITH touched AS (
            SELECT lesson_id FROM lesson_results WHERE student_id = :s
            UNION SELECT lesson_id FROM card_progress WHERE student_id = :s
        )
        SELECT t.lesson_id, coalesce(r.attempts, 0) AS n, r.best, r.last, r.first, r.average,
            r.last_activity AS quiz_activity,
            (SELECT a.id FROM attempts a
                WHERE a.student_id = :s AND a.lesson_id = t.lesson_id
                AND a.status = 'in_progress' ORDER BY a.started_at DESC, a.id DESC LIMIT 1)
                AS unfinished,
            (SELECT count(*) FROM attempts a
                WHERE a.student_id = :s AND a.lesson_id = t.lesson_id
                AND a.mode = 'full' AND a.status = 'abandoned') AS given_up,
            cp.card_index, cp.updated_at AS card_activity
        FROM touched t
        LEFT JOIN lesson_results r ON r.student_id = :s AND r.lesson_id = t.lesson_id
        LEFT JOIN card_progress cp ON cp.student_id = :s AND cp.lesson_id = t.lesson_id
        """
        rows = self._read(lambda c: c.execute(sql, {"s": student_id}).fetchall())
        result: dict[str, LessonSummary] = {}
        for r in rows:
            moments = [m for m in (r["quiz_activity"], r["card_activity"]) if m]
            result[r["lesson_id"]] = LessonSummary(
                lesson_id=r["lesson_id"],
                attempts=r["n"],
                best_percent=r["best"],
                last_percent=r["last"],
                last_activity=_time(max(moments)) if moments else None,
                card_index=r["card_index"],
                unfinished_attempt_id=r["unfinished"],
                first_percent=r["first"],
                average_percent=r["average"],
                given_up=r["given_up"],
            )
        return result

    def gradebook(
        self,
        rule: Rule = "best",
        pass_marks: Mapping[str, int] | None = None,
        rules: Mapping[str, Rule] | None = None,
    ) -> list[GradebookRow]:
        """One row per student and lesson attempted, sorted by student then lesson.

        ``score`` follows the lesson's own rule in ``rules`` (its ``quiz.grade``), else
        ``rule``; ``passed`` compares it with ``pass_marks[lesson_id]``
        (percent) and is None when the pass mark is unknown or no attempt counts yet.
        """
        if rule not in RULES:
            raise ValueError(f"rule must be one of {', '.join(RULES)}")
        sql = """
        SELECT s.name, r.lesson_id, r.attempts AS n, r.best, r.average, r.first, r.last,
            r.unfinished, r.last_activity
        FROM lesson_results r JOIN students s ON s.id = r.student_id
        ORDER BY lower(s.name_key), s.id, r.lesson_id
        """
        # Rows are built positionally: at 1,000 rows, per-row dicts and keyword arguments
        # cost more than the query itself. A class repeats each name (once per lesson) and
        # each lesson id (once per student): each distinct one is cleaned once per call.
        rows = self._read(lambda c: c.execute(sql).fetchall())
        marks = pass_marks or {}
        by_lesson = rules or {}
        if any(r not in RULES for r in by_lesson.values()):
            raise ValueError(f"rule must be one of {', '.join(RULES)}")
        picks = {"best": 3, "average": 4, "first": 5, "last": 6}
        shown = functools.lru_cache(maxsize=None, typed=True)(_shown)
        from quizapp.store.rows import GradebookRow  # here: a start shows no class view

        # GradebookRow's own __new__ is a Python function: tuple.__new__ skips its frame.
        make = tuple.__new__
        result = []
        for name, lesson, n, best, average, first, last, unfinished, activity in rows:
            pick = picks[by_lesson.get(lesson, rule)]
            score = (None, None, None, best, average, first, last)[pick]
            mark = marks.get(lesson)
            passed = None if mark is None or score is None else score >= mark
            result.append(make(GradebookRow, (
                shown(name) or "(unreadable name)",
                shown(lesson),
                n,
                score,
                best,
                last,
                first,
                average,
                mark,
                passed,
                unfinished,
                _time(activity),
            )))  # fmt: skip
        return result

    def answer_rows(self, lesson_id: str | None = None) -> Iterator[AnswerRow]:
        """Every answer with its student, lesson and attempt, oldest first (for export).
        The response is the stored JSON text, the answered time the stored text. Rows
        stream from the database (a class may hold millions); texts a class repeats are
        cleaned once each, an attempt's own values once for all its answers."""
        where = "WHERE a.lesson_id = ?" if lesson_id is not None else ""
        params = (lesson_id,) if lesson_id is not None else ()
        # A PostgreSQL connection streams from a server-side cursor; SQLite's steps anyway.
        cursor = self._read(
            lambda c: getattr(c, "stream", c.execute)(
                "SELECT a.id, s.name, a.lesson_id, a.uuid, a.started_at, a.status,"
                " a.lesson_hash, a.mode, n.question_id, n.question_hash, n.response, n.score,"
                " n.seconds, n.answered_at, n.hinted"
                " FROM answers n JOIN attempts a ON a.id = n.attempt_id"
                f" JOIN students s ON s.id = a.student_id {where}"
                " ORDER BY n.answered_at, n.id",
                params,
            )
        )
        try:
            yield from self._answer_rows(cursor)
        finally:
            with contextlib.suppress(StoreError):
                self._read(lambda c: cursor.close())

    def _answer_rows(self, cursor: Any) -> Iterator[AnswerRow]:
        shown = functools.lru_cache(maxsize=1 << 16, typed=True)(_shown)
        # By attempt id (the attempts' key): the attempt's values as the rows carry them.
        heads: dict[Any, tuple[Any, ...]] = {}
        texts: dict[str, str] = {}  # question ids and hashes (text only), cleaned
        from quizapp.store.rows import AnswerRow

        make = tuple.__new__  # AnswerRow's own __new__ is a Python function: skip its frame
        while rows := self._read(lambda c: cursor.fetchmany(2000)):
            for (attempt, name, lesson, uuid, started, status, lesson_hash, mode, question,
                 qhash, response, score, seconds, answered, hinted) in rows:  # fmt: skip
                head = heads.get(attempt)
                if head is None:
                    if len(heads) >= _MEMO:
                        heads.clear()
                    head = heads[attempt] = (
                        shown(name) or "(unreadable name)", shown(lesson), shown(uuid),
                        _time(started), status, shown(lesson_hash),
                    )  # fmt: skip
                question_text = texts.get(question)
                if question_text is None:
                    question_text = _memo(texts, question, shown)
                hash_text = texts.get(qhash)
                if hash_text is None:
                    hash_text = _memo(texts, qhash, shown)
                yield make(AnswerRow, (
                    *head,
                    question_text,
                    hash_text,
                    response if type(response) is str else shown(response),
                    score,
                    seconds if type(seconds) is float and math.isfinite(seconds)
                    else _real(seconds),
                    answered if type(answered) is str else "",
                    mode,
                    hinted == 1,
                ))  # fmt: skip

    def attempt_tallies(self, lesson_id: str, hashes: Mapping[str, str]) -> list[AttemptTally]:
        """Every attempt at ``lesson_id`` with the counts of its answers to the current
        version of their question (``hashes``: question id -> content hash) and to older
        ones: what picking each student's first or last attempt needs, without reading the
        answers themselves. In the order the attempts were started (then by id)."""
        # An answer is current when its question id is one of the lesson's and its hash is
        # that question's: one CASE on the id, the hash compared in its branch (no text
        # built per answer). A value stored as a blob (a damaged SQLite file) equals no text
        # parameter, so it is never current (as when AnswerRecord compares it as Python
        # text). Grouped by the lesson index's own order (started_at, id; id alone is the
        # same groups), so SQLite reads the attempts in order and sorts nothing.
        branches = " ".join(
            "WHEN ? THEN CASE WHEN n.question_hash = ? THEN 1 ELSE 0 END" for _ in hashes
        )
        current = f"CASE n.question_id {branches} ELSE 0 END" if hashes else "0"
        sql = f"""
        SELECT a.student_id, a.id, a.started_at,
            CASE WHEN a.status = 'finished' THEN a.finished_at END,
            a.mode = 'retry',
            coalesce(sum({current}), 0),
            count(*)
        FROM attempts a
        JOIN answers n ON n.attempt_id = a.id
        WHERE a.lesson_id = ?
        GROUP BY a.started_at, a.id
        """
        params = [value for pair in hashes.items() for value in pair]
        params.append(lesson_id)
        rows = self._read(lambda c: c.execute(sql, params).fetchall())
        from quizapp.store.rows import AttemptTally

        return [
            AttemptTally(str(r[0]), str(r[1]), _iso_text(r[2]) or "", _iso_text(r[3]),
                         bool(r[4]), int(r[5]), int(r[6]) - int(r[5]))
            for r in rows
        ]  # fmt: skip

    def answer_records(
        self,
        lesson_ids: Collection[str] | None = None,
        *,
        attempt_ids: Collection[str] | None = None,
    ) -> list[AnswerRecord]:
        """Every stored answer with what the statistics need of its attempt, in the order
        the answers were given (attempts by start time); only the answers to ``lesson_ids``
        when it is given (found through the attempts' lesson index, so one lesson of a big
        class reads only its own rows), only those of the attempts ``attempt_ids`` (ids as in
        :attr:`AnswerRecord.attempt_id`) when that is given. Reports read scores only this
        way.
        """
        clauses, params = [], []
        if lesson_ids is not None:
            clauses.append(f"a.lesson_id IN ({self._dialect.json_texts})")
            params.append(json.dumps(sorted(lesson_ids)))
        if attempt_ids is not None:
            clauses.append(f"a.id IN ({self._dialect.json_ints})")
            params.append(json.dumps(sorted(attempt_ids)))
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        sql = _RECORDS_SQL.format(where=where)
        rows = self._read(lambda c: c.execute(sql, params).fetchall())
        return _answer_records(rows)

    def answered_lessons(self) -> set[str]:
        """The ids of the lessons with at least one stored answer (one index probe each).

        The lessons come from ``lesson_results`` (one row per student and lesson with an
        attempt of any status, kept by the triggers and by merge), a few thousand rows,
        rather than from every attempt; the probe then keeps those with an answer."""
        sql = """
        SELECT l.lesson_id FROM (SELECT DISTINCT lesson_id FROM lesson_results) l
        WHERE EXISTS (SELECT 1 FROM attempts a JOIN answers n ON n.attempt_id = a.id
                      WHERE a.lesson_id = l.lesson_id)
        """
        rows = self._read(lambda c: c.execute(sql).fetchall())
        return {str(row[0]) for row in rows}


#: How many cleaned values a streaming read remembers before it starts over (a class's
#: attempts, question ids and hashes; each is cleaned again after a start over, never wrong).
_MEMO = 1 << 16


def _memo(memo: dict[str, str], value: Any, shown: Any) -> str:
    """``shown(value)``, remembered in ``memo`` when ``value`` is text (a number or a blob
    equals no text, so a value of another type never finds a text's entry)."""
    text: str = shown(value)
    if type(value) is str:
        if len(memo) >= _MEMO:
            memo.clear()
        memo[value] = text
    return text


# An abandoned attempt has a finished_at too (when it was given up): only a finished one
# counts as finished for the statistics. mode 'retry' is a retry of missed questions.
_RECORDS_SQL = """
SELECT a.student_id, a.id, a.lesson_id, an.question_id, an.question_hash,
       an.response, an.score, an.seconds, a.started_at,
       CASE WHEN a.status = 'finished' THEN a.finished_at END AS finished,
       a.mode = 'retry' AS retry, an.hinted
FROM answers AS an
JOIN attempts AS a ON a.id = an.attempt_id
{where}
ORDER BY a.started_at, a.id, an.answered_at, an.id
"""


class _Decoder:
    """Stored responses decoded from JSON, remembering the immutable ones (a choice, true or
    false, a number: a class gives the same few thousands of times) in :attr:`known`, by
    their stored text; a damaged one is kept as the text it is."""

    _LIMIT = 50_000

    def __init__(self) -> None:
        self.known: dict[str, Any] = {}

    def __call__(self, response: Any) -> Any:
        if not isinstance(response, str | bytes):
            return response
        key = response if isinstance(response, str) else None
        if key is not None and key in self.known:
            return self.known[key]
        try:
            value = json.loads(response)
        except ValueError:
            return response
        if (
            key is not None
            and len(self.known) < self._LIMIT
            and (value is None or isinstance(value, str | int | float))
        ):
            self.known[key] = value
        return value


_UNKNOWN = object()


def _answer_records(rows: Iterable[Sequence[Any]]) -> list[AnswerRecord]:
    """The rows of :data:`_RECORDS_SQL` as records, built positionally: a report reads tens
    of thousands. An attempt's own values (student, lesson, times, retry) are converted once
    for its run of answers; a response seen before is looked up, not decoded again."""
    decode = _Decoder()
    known = decode.known
    from quizapp.store.rows import AnswerRecord

    make = tuple.__new__  # AnswerRecord's own __new__ is a Python function: skip its frame
    records: list[AnswerRecord] = []
    append = records.append
    last: Any = _UNKNOWN
    head: tuple[Any, ...] = ()
    times: tuple[Any, ...] = ()
    for (student, attempt, lesson, question, qhash, response, score, seconds, started,
         finished, retry, hinted) in rows:  # fmt: skip
        if last is _UNKNOWN or attempt != last:
            last = attempt
            head = (str(student), str(attempt), str(lesson))
            times = (_iso_text(started) or "", _iso_text(finished), bool(retry))
        value = known.get(response, _UNKNOWN) if type(response) is str else _UNKNOWN
        if value is _UNKNOWN:
            value = decode(response)
        append(make(AnswerRecord, (
            *head,
            question if type(question) is str else str(question),
            qhash if type(qhash) is str else str(qhash),
            value,
            float(score) if isinstance(score, int | float) else 0.0,
            float(seconds) if isinstance(seconds, int | float) else None,
            *times,
            hinted == 1,
        )))  # fmt: skip
    return records


def _iso_text(value: Any) -> str | None:
    """Timestamps as ISO 8601 text; a number is read as Unix seconds (UTC)."""
    if value is None or type(value) is str:
        return value
    if isinstance(value, int | float) and math.isfinite(value):
        return dt.datetime.fromtimestamp(value, dt.UTC).isoformat()
    return str(value)
