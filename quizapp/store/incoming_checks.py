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
from typing import Any

from quizapp.text import is_clean

__all__: list[str] = []

_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,79}")
_TOKEN = re.compile(r"[0-9A-Za-z_-]{1,128}")
_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z")
_MAX_NAME = 200
_MAX_QUESTIONS = 1000
_MAX_RESPONSE = 20_000


class _Bad(Exception):
    """Internal: one value of a row fails its check; the message says which and why."""


class _Orphan(_Bad):
    """Internal: the row belongs to one that is missing or was refused."""


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


def _attempt_values(row: Any, version: int) -> dict[str, Any]:
    """Check an ``attempts`` row (its student already known to exist) and return the values
    to write; ``version`` is the file's schema version (a version-1 file lacks
    ``last_activity``)."""
    (_, uuid, _student, lesson, lesson_hash, seed, question_ids, question_hashes, dropped, mode,
     status, started, finished, last_activity, score, max_score) = row  # fmt: skip
    questions = _id_list(question_ids, "question_ids")
    if not questions:
        raise _Bad("question_ids is empty")
    hashes = _json(question_hashes if question_hashes is not None else b"[]", "question_hashes")
    if not isinstance(hashes, list) or (hashes and len(hashes) != len(questions)):
        raise _Bad("question_hashes does not match question_ids")
    if not all(isinstance(h, str) and _TOKEN.fullmatch(h) for h in hashes):
        raise _Bad("question_hashes holds something other than hashes")
    left_out = _id_list(dropped if dropped is not None else b"[]", "dropped")
    if not set(left_out) <= set(questions):
        raise _Bad("dropped names questions the attempt did not ask")
    values: dict[str, Any] = {
        "uuid": _token(uuid, "uuid"),
        "lesson_id": _token(lesson, "lesson_id", _ID),
        "lesson_hash": _token(lesson_hash, "lesson_hash"),
        "seed": _integer(seed, "seed"),
        "question_ids": json.dumps(questions, ensure_ascii=False),
        "question_hashes": json.dumps(hashes),
        "dropped": json.dumps(left_out, ensure_ascii=False),
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
    asked = len(questions) - len(left_out)
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
    return values
