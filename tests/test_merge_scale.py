"""Merging at class scale (issue 19): a value a file repeats on thousands of rows is checked
once, and checking it once never lets through a value the full check would refuse."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.store import Store
from quizapp.store import incoming_checks as checks
from quizapp.store.incoming import _Budget, _read_incoming
from tests.support.hostile import student_file


def test_repeated_lists_and_responses_are_parsed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """40 attempts of 3 answers, two different responses in all: the JSON of the file is
    parsed a handful of times, not once a row (what made a big merge 2.85x its floor)."""
    path = student_file(tmp_path / "ana.sqlite3", attempts=40, answers=3)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE answers SET response = json_quote('same ' || (id % 2))")
    conn.close()
    copy = tmp_path / "copy.sqlite3"
    shutil.copyfile(path, copy)
    parsed = []
    loads = json.loads

    def counting(text: Any, **kwargs: Any) -> Any:
        parsed.append(text)
        return loads(text, **kwargs)

    monkeypatch.setattr(json, "loads", counting)
    incoming = _read_incoming(copy, _Budget(10**9))
    monkeypatch.undo()
    assert incoming.refused == 0 and len(incoming.answers) == 120
    assert len(parsed) <= 6, len(parsed)
    # And the merge writes what the file holds.
    with Store.open(tmp_path / "class.sqlite3") as store:
        report = store.merge_from(path)
    assert report.answers_added == 120 and report.attempts_added == 40


def test_a_bad_value_is_refused_every_time_it_appears(tmp_path: Path) -> None:
    """The memo keeps only values that passed: the same bad response on every answer of an
    attempt refuses each of them, with its reason."""
    path = student_file(tmp_path / "ana.sqlite3", attempts=3, answers=3)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE answers SET response = 'not json' WHERE id % 3 = 0")
    conn.close()
    with Store.open(tmp_path / "class.sqlite3") as store:
        report = store.merge_from(path)
    assert report.refused == 3 and report.answers_added == 6
    assert all("response is not valid JSON" in reason for reason in report.reasons)


RAW = st.one_of(
    st.binary(max_size=6),
    st.sampled_from([b'"a"', b"[1]", b'"\\u0007"', b"NaN", b"1", b"1.0"]),
    st.integers(-2, 2),
    st.floats(allow_nan=True),
    st.booleans(),
    st.none(),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(RAW, max_size=30))
def test_memo_gives_what_the_check_gives(values: list[Any]) -> None:
    """For any sequence of raw values (text, numbers, equal keys of other types), a memoised
    check returns or refuses exactly as the check itself."""

    def outcome(check: Any, value: Any) -> tuple[str, Any]:
        try:
            return ("ok", check(value))
        except checks._Bad as bad:
            return ("bad", str(bad))

    memo = checks._Memo(lambda v: checks._json(v, "response"))
    for value in values:
        assert outcome(memo, value) == outcome(lambda v: checks._json(v, "response"), value)
