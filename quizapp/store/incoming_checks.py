"""The checks of the values in one row of a score file brought from another machine.

Each check takes one raw value as SQLite returned it (bytes for text, since
:mod:`quizapp.store.incoming` reads with ``text_factory = bytes``) and either returns it as
the plain Python value quizapp writes, or raises :class:`_Bad` with a message that names the
value and says why (``response is not valid JSON``). The row readers in
:mod:`quizapp.store.incoming` turn that message into the reason a row is set aside.
:func:`_attempt_values` checks a whole ``attempts`` row, the one row whose values depend on
each other (statuses, scores, dropped questions).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from quizapp.text import is_clean

__all__: list[str] = []

_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,79}")
_TOKEN = re.compile(r"[0-9A-Za-z_-]{1,128}")
_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z")
_MAX_NAME = 200
_MAX_QUESTIONS = 1000
_MAX_RESPONSE = 20_000
#: The most results a :class:`_Memo` keeps (it starts again when full), so a file of a
#: million different values costs no more memory than a few thousand.
_MEMO_LIMIT = 4096

T = TypeVar("T")


class _Bad(Exception):
    """Internal: one value of a row fails its check; the message says which and why."""


class _Orphan(_Bad):
    """Internal: the row belongs to one that is missing or was refused."""


class _Memo(Generic[T]):
    """A check's results by raw text value, for the values a class's file repeats on
    thousands of rows (an attempt's question list, a question's hash, a common response).

    A check is a pure function of its value, so a value that passed once passes again with
    the same result; a value that fails is not kept (it raises each time, with its reason).
    Only ``bytes`` are kept: ``1``, ``1.0`` and ``True`` are equal as keys but not as values.
    Bounded by :data:`_MEMO_LIMIT`; one memo serves one file's read, then is dropped."""

    def __init__(self, check: Callable[[Any], T]) -> None:
        self._check = check
        self._seen: dict[bytes, T] = {}

    def __call__(self, value: Any) -> T:
        if type(value) is not bytes:
            return self._check(value)
        try:
            return self._seen[value]
        except KeyError:
            pass
        result = self._check(value)
        if len(self._seen) >= _MEMO_LIMIT:
            self._seen.clear()
        self._seen[value] = result
        return result


def _text(value: Any, what: str = "value") -> str:
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            raise _Bad(f"{what} is not UTF-8 text") from None
    if isinstance(value, str):
        return value
    raise _Bad(f"{what} is not text")


def _token(value: Any, what: str, pattern: re.Pattern[str] = _TOKEN) -> str:
    text = _text(value, what)
    if not pattern.fullmatch(text):
        raise _Bad(f"{what} {text[:40]!r} is not a valid id")
    return text


def _stamp(value: Any, what: str) -> str:
    text = _text(value, what)
    try:
        if not _STAMP.fullmatch(text):
            raise ValueError
        dt.datetime.fromisoformat(text)
    except ValueError:
        raise _Bad(f"{what} {text[:40]!r} is not a UTC timestamp") from None
    return text


def _integer(value: Any, what: str) -> int:
    if not isinstance(value, int):
        raise _Bad(f"{what} is not a whole number")
    return value


def _number(value: Any, what: str, low: float, high: float) -> float:
    if not isinstance(value, int | float) or not math.isfinite(value) or not low <= value <= high:
        raise _Bad(f"{what} is not a number from {low:g} to {high:g}")
    return float(value)


def _json(value: Any, what: str) -> Any:
    text = _text(value, what)
    if len(text) > _MAX_RESPONSE:
        raise _Bad(f"{what} is too long")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise _Bad(f"{what} is not valid JSON") from None
    if not _clean_json(data):
        raise _Bad(f"{what} holds control characters")
    return data


def _clean_json(data: Any) -> bool:
    if isinstance(data, str):
        return is_clean(data)
    if isinstance(data, dict):
        return all(_clean_json(k) and _clean_json(v) for k, v in data.items())
    if isinstance(data, list):
        return all(_clean_json(v) for v in data)
    return not isinstance(data, float) or math.isfinite(data)


def _id_list(value: Any, what: str) -> list[str]:
    data = _json(value, what)
    if (
        not isinstance(data, list)
        or len(data) > _MAX_QUESTIONS
        or not all(isinstance(q, str) and _ID.fullmatch(q) for q in data)
        or len(set(data)) != len(data)
    ):
        raise _Bad(f"{what} is not a list of question ids")
    return data


def _questions(question_ids: Any) -> tuple[list[str], frozenset[str]]:
    """An attempt's question ids, checked: the list and the set."""
    questions = _id_list(question_ids, "question_ids")
    if not questions:
        raise _Bad("question_ids is empty")
    return questions, frozenset(questions)


def _question_lists(
    question_ids: Any, question_hashes: Any, dropped: Any
) -> tuple[str, str, str, int, frozenset[str]]:
    """An attempt's three lists checked together (the hashes match the questions, the
    dropped ones were asked): each as it is written, how many questions were asked, and the
    set of question ids its answers must be among."""
    questions, asked_ids = _questions(question_ids)
    hashes = _json(question_hashes if question_hashes is not None else b"[]", "question_hashes")
    if not isinstance(hashes, list) or (hashes and len(hashes) != len(questions)):
        raise _Bad("question_hashes does not match question_ids")
    if not all(isinstance(h, str) and _TOKEN.fullmatch(h) for h in hashes):
        raise _Bad("question_hashes holds something other than hashes")
    left_out = _id_list(dropped if dropped is not None else b"[]", "dropped")
    if not set(left_out) <= asked_ids:
        raise _Bad("dropped names questions the attempt did not ask")
    return (
        json.dumps(questions, ensure_ascii=False),
        json.dumps(hashes),
        json.dumps(left_out, ensure_ascii=False),
        len(questions) - len(left_out),
        asked_ids,
    )


class _ListsMemo:
    """:func:`_question_lists` by its three raw values (every attempt at a lesson of the
    same version has the same three), bounded like :class:`_Memo`."""

    def __init__(self) -> None:
        self._seen: dict[tuple[Any, Any, Any], tuple[str, str, str, int, frozenset[str]]] = {}

    def __call__(
        self, question_ids: Any, question_hashes: Any, dropped: Any
    ) -> tuple[str, str, str, int, frozenset[str]]:
        key = (question_ids, question_hashes, dropped)
        if not all(type(v) is bytes or v is None for v in key):
            return _question_lists(*key)
        found = self._seen.get(key)
        if found is None:
            found = _question_lists(*key)
            if len(self._seen) >= _MEMO_LIMIT:
                self._seen.clear()
            self._seen[key] = found
        return found


def _attempt_values(
    row: Any,
    version: int,
    lists: Callable[[Any, Any, Any], tuple[str, str, str, int, frozenset[str]]] = _question_lists,
) -> tuple[dict[str, Any], frozenset[str]]:
    """Check an ``attempts`` row (its student already known to exist); the values to write
    and the set of its question ids. ``version`` is the file's schema version (a version-1
    file lacks ``last_activity``); ``lists`` checks the three lists (a :class:`_ListsMemo`
    while reading a whole file)."""
    (_, uuid, _student, lesson, lesson_hash, seed, question_ids, question_hashes, dropped, mode,
     status, started, finished, last_activity, score, max_score) = row  # fmt: skip
    ids_json, hashes_json, dropped_json, asked, asked_ids = lists(
        question_ids, question_hashes, dropped
    )
    values: dict[str, Any] = {
        "uuid": _token(uuid, "uuid"),
        "lesson_id": _token(lesson, "lesson_id", _ID),
        "lesson_hash": _token(lesson_hash, "lesson_hash"),
        "seed": _integer(seed, "seed"),
        "question_ids": ids_json,
        "question_hashes": hashes_json,
        "dropped": dropped_json,
        "mode": _text(mode if mode is not None else b"full", "mode"),
        "status": _text(status, "status"),
        "started_at": _stamp(started, "started_at"),
        "finished_at": None if finished is None else _stamp(finished, "finished_at"),
    }
    if values["mode"] not in ("full", "retry"):
        raise _Bad(f"mode {values['mode'][:20]!r} is not full or retry")
    if values["status"] not in ("in_progress", "finished", "abandoned"):
        raise _Bad(f"status {values['status'][:20]!r} is not one quizapp knows")
    if (values["status"] == "in_progress") != (values["finished_at"] is None):
        raise _Bad(f"finished_at does not match the status {values['status']}")
    values["max_score"] = None if max_score is None else _number(max_score, "max_score", 0, asked)
    values["score"] = (
        None if score is None else _number(score, "score", 0, values["max_score"] or 0)
    )
    if values["status"] == "finished" and values["max_score"] is None:
        raise _Bad("a finished attempt has no score")
    if version >= 2 or last_activity is not None:
        values["last_activity"] = _stamp(last_activity, "last_activity")
    else:
        values["last_activity"] = values["finished_at"] or values["started_at"]
    return values, asked_ids
