"""quizapp.frozen.Frozen records behave as the frozen dataclasses they replaced (issue 19: a
start no longer compiles a dataclass's methods for each record it defines).

Each record is compared with a frozen dataclass declared the same way, on the same values:
construction (and its errors), equality, hashing, ordering, repr, pattern matching, and
that nothing can change a record once made.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.frozen import Frozen, as_dict, replace
from quizapp.lessons.catalog import LessonHeader
from quizapp.lessons.files import LessonError
from quizapp.store import Answer, Attempt, LessonSummary, RosterEntry, SignIn, Student
from quizapp.store.dialect import SQLITE
from quizapp.store.review import DueItem


class Mine:  # namespaces, so that both twins have the same __qualname__ shape
    class Point(Frozen, order=True):
        x: int
        label: str
        weight: float | None = None
        flag: bool = False


class Theirs:
    @dataclasses.dataclass(frozen=True, order=True)
    class Point:
        x: int
        label: str
        weight: float | None = None
        flag: bool = False


values = st.tuples(
    st.integers(-3, 3), st.sampled_from(["", "a", "b"]), st.none() | st.floats(-1, 1)
)
#: Calls of the constructor, good and bad: positional, keyword, repeated, unknown, missing.
calls = st.one_of(
    st.tuples(values.map(list), st.just({})),
    st.tuples(values.map(lambda v: list(v[:2])), st.fixed_dictionaries({"weight": st.none()})),
    st.tuples(st.just([1]), st.fixed_dictionaries({"label": st.just("a")})),
    st.tuples(st.just([1, "a"]), st.fixed_dictionaries({"x": st.just(2)})),
    st.tuples(st.just([1, "a"]), st.fixed_dictionaries({"nope": st.just(2)})),
    st.tuples(st.just([1]), st.just({})),
    st.tuples(st.just([1, "a", None, True, 5]), st.just({})),
    st.tuples(st.just([]), st.fixed_dictionaries({"label": st.just("a"), "x": st.just(0)})),
)


def outcome(call: Any, *args: Any, **kwargs: Any) -> Any:
    """What ``call`` returns, or ``TypeError`` if it raises one."""
    try:
        return call(*args, **kwargs)
    except TypeError:
        return TypeError


@settings(max_examples=150, deadline=None)
@given(calls, calls)
def test_a_record_behaves_as_the_frozen_dataclass(
    one: tuple[list[Any], dict[str, Any]], two: tuple[list[Any], dict[str, Any]]
) -> None:
    mine = [outcome(Mine.Point, *args, **kwargs) for args, kwargs in (one, two)]
    theirs = [outcome(Theirs.Point, *args, **kwargs) for args, kwargs in (one, two)]
    assert [m is TypeError for m in mine] == [t is TypeError for t in theirs]
    if TypeError in mine:
        return
    a, b = mine
    c, d = theirs
    assert repr(a).replace("Mine.", "") == repr(c).replace("Theirs.", "")
    assert (a == b) == (c == d)
    assert (a != b) == (c != d)
    assert hash(a) == hash(dataclasses.astuple(c))  # a dataclass hashes its fields' tuple
    for order in ("__lt__", "__le__", "__gt__", "__ge__"):  # None < 0.0: a TypeError in both
        assert outcome(getattr(a, order), b) == outcome(getattr(c, order), d)
    assert as_dict(a) == dataclasses.asdict(c)
    assert as_dict(replace(a, flag=True)) == dataclasses.asdict(dataclasses.replace(c, flag=True))
    assert a != c  # another class: never equal
    match a:
        case Mine.Point(x, label):
            assert (x, label) == (c.x, c.label)


def test_records_of_different_classes_are_not_equal_or_ordered() -> None:
    class Other(Frozen):
        x: int
        label: str
        weight: float | None = None
        flag: bool = False

    assert Other(1, "a") != Mine.Point(1, "a")
    with pytest.raises(TypeError):
        _ = Mine.Point(1, "a") < Other(1, "a")  # type: ignore[operator]


def test_a_field_without_a_default_after_one_with_a_default_is_refused() -> None:
    with pytest.raises(TypeError, match="without a default"):

        class Bad(Frozen):
            x: int = 0
            y: int  # type: ignore[misc]


NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
#: One of each record the store and the lesson catalog hand out.
RECORDS: list[Frozen] = [
    Student(1, "Ana", NOW, NOW),
    Attempt(
        *(1, "u", 1, "l", "h", 7, ("q",), ("h",), (), "full", "finished"),
        *(NOW, NOW, NOW, 1.0, 2.0, 1),
    ),
    Answer(1, "u", 1, "q", "h", "Los Angeles", 1.0, 3.5, NOW),
    LessonSummary("l", 1, 50.0, 50.0, NOW, 2, None),
    RosterEntry("Ana", None, None, 0, None),
    SignIn("ok"),
    DueItem("l", "q", "{}", NOW),
    LessonHeader("l", "T", "S", 5, 2, 3, 70, "l.yaml"),
    LessonError(Path("l.yaml"), 1, 2, "bad"),
    SQLITE,
]


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: type(r).__name__)
def test_no_record_can_be_changed(record: Frozen) -> None:
    field = record._fields[0]
    before = getattr(record, field)
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(record, field, "changed")
    with pytest.raises(dataclasses.FrozenInstanceError):
        delattr(record, field)
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.extra = 1
    assert getattr(record, field) == before


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: type(r).__name__)
def test_a_record_is_a_value(record: Frozen) -> None:
    twin = type(record)(**as_dict(record))
    assert twin == record and hash(twin) == hash(record) and len({twin, record}) == 1
    assert pickle.loads(pickle.dumps(record)) == record
    assert copy.deepcopy(record) == record
    assert repr(record).startswith(f"{type(record).__name__}({record._fields[0]}=")
