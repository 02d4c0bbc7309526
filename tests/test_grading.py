"""Grading: what a student's answer is worth, for every question type."""

from __future__ import annotations

import itertools
import json
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp import grading
from quizapp.grading import (
    format_number,
    grade,
    longest_ordered_run,
    normalize_text,
    parse_number,
    right_answer,
)
from quizapp.lessons.model import (
    MatchQuestion,
    MultiQuestion,
    NumberQuestion,
    OrderQuestion,
    Question,
    SingleQuestion,
    TextQuestion,
    TrueFalseQuestion,
)
from tests.support.store import right_response

COMMON: dict[str, Any] = {"prompt": "?", "explanation": "because"}
SINGLE = SingleQuestion(
    id="s",
    type="single",
    choices=["Los Angeles", {"text": "San Salvador", "feedback": "It spread there later."}],
    answer="Los Angeles",
    **COMMON,
)
MULTI = MultiQuestion(
    id="m", type="multi", choices=["A", "B", "C", "D"], answer=["A", "C"], **COMMON
)
TF = TrueFalseQuestion(id="t", type="true_false", answer=False, **COMMON)
TEXT = TextQuestion(id="x", type="text", accept=["Árbenz", "Jacobo Árbenz Guzmán"], **COMMON)
NUMBER = NumberQuestion(id="n", type="number", answer=1996, tolerance=0, **COMMON)
ORDER = OrderQuestion(id="o", type="order", items=["a", "b", "c", "d", "e"], **COMMON)
MATCH = MatchQuestion(
    id="p",
    type="match",
    pairs={"CICIG": "Guatemala", "Mano Dura": "El Salvador", "Contras": "Nicaragua"},
    **COMMON,
)
ALL: list[Question] = [SINGLE, MULTI, TF, TEXT, NUMBER, ORDER, MATCH]


@pytest.mark.parametrize("question", ALL, ids=lambda q: q.type)
def test_right_answer_scores_one(question: Question) -> None:
    result = grade(question, right_response(question))
    assert (result.score, result.correct) == (1.0, True)


def test_single_wrong_choice_shows_its_feedback() -> None:
    result = grade(SINGLE, "San Salvador")
    assert (result.score, result.correct) == (0.0, False)
    assert result.feedback == ["It spread there later."]


@pytest.mark.parametrize(
    ("typed", "right"),
    [
        ("arbenz", True),
        ("  ÁRBENZ!! ", True),
        ("jacobo arbenz guzman", True),
        ("Jacobo   Árbenz-Guzmán", True),  # punctuation counts as a space
        ("Arbenz Guzman", False),
        ("", False),
        ("Castillo Armas", False),
    ],
)
def test_text_ignores_case_accents_punctuation_and_spaces(typed: str, right: bool) -> None:
    expected = normalize_text(typed) in {normalize_text(a) for a in TEXT.accept}
    assert expected is right
    assert grade(TEXT, typed).correct is right


def test_normalize_text_examples() -> None:
    assert normalize_text(" Árbenz!") == "arbenz"
    assert normalize_text("Ríos   Montt") == "rios montt"
    assert normalize_text("U.S.") == "u s"


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1996", 1996.0),
        ("1,996", 1996.0),
        ("1 996", 1996.0),
        ("2,5", 2.5),
        ("2.5", 2.5),
        ("70%", 70.0),
    ],
)
def test_typed_numbers_are_read(typed: str, value: float) -> None:
    assert parse_number(typed) == value


@pytest.mark.parametrize("typed", ["", "about 1996", "nan", "inf", "1.2.3"])
def test_non_numbers_are_wrong_with_a_message(typed: str) -> None:
    result = grade(NUMBER, typed)
    assert result.score == 0.0
    assert result.feedback == ["That is not a number."]


def test_number_tolerance_is_inclusive() -> None:
    question = NUMBER.model_copy(update={"tolerance": 2.0})
    assert grade(question, "1998").correct
    assert not grade(question, "1998.5").correct


def test_multi_gives_partial_credit_and_wrong_picks_cost() -> None:
    assert grade(MULTI, ["A"]).score == 0.5
    assert grade(MULTI, ["A", "B"]).score == 0.0
    assert grade(MULTI, ["A", "C", "B"]).score == 0.5
    assert grade(MULTI, ["B", "D"]).score == 0.0  # never below zero
    assert not grade(MULTI, ["A", "C", "B"]).correct


def test_order_credit_is_longest_ordered_run() -> None:
    assert grade(ORDER, ["a", "b", "c", "e", "d"]).score == pytest.approx(4 / 5)
    assert grade(ORDER, ["b", "a", "d", "c", "e"]).score == pytest.approx(3 / 5)
    # Fully reversed: no two items in order, so no credit (a run of one proves nothing).
    assert grade(ORDER, ["e", "d", "c", "b", "a"]).score == 0.0


def test_match_credit_per_pair() -> None:
    response = {"CICIG": "Guatemala", "Mano Dura": "Nicaragua", "Contras": "El Salvador"}
    assert grade(MATCH, response).score == pytest.approx(1 / 3)
    assert grade(MATCH, {}).score == 0.0


def test_true_false_needs_a_bool() -> None:
    assert grade(TF, False).correct
    assert not grade(TF, True).correct
    assert not grade(TF, "false").correct


def test_big_numbers_get_separators_but_years_do_not() -> None:
    assert format_number(29965) == "29,965"
    assert format_number(1996) == "1996"
    assert format_number(2.5) == "2.5"


def test_right_answer_text_for_students() -> None:
    assert right_answer(NUMBER) == "1996"
    assert right_answer(ORDER) == "a → b → c → d → e"
    assert right_answer(TF) == "False"
    assert (
        right_answer(NUMBER.model_copy(update={"tolerance": 1.5, "unit": "%"})) == "1996 % (± 1.5)"
    )


def test_longest_ordered_run_matches_brute_force() -> None:
    rng = random.Random(7)
    for _ in range(200):
        values = rng.sample(range(8), rng.randint(0, 8))
        best = 0
        for mask in range(1 << len(values)):
            picked = [v for i, v in enumerate(values) if mask >> i & 1]
            if all(a < b for a, b in itertools.pairwise(picked)):
                best = max(best, len(picked))
        assert longest_ordered_run(values) == best


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(question=st.sampled_from(ALL), response=json_values)
def test_grading_never_raises_and_score_stays_in_range(question: Question, response: Any) -> None:
    result = grade(question, response)
    assert 0.0 <= result.score <= 1.0
    assert result.correct == (result.score == 1.0)


@settings(max_examples=200, deadline=None)
@given(question=st.sampled_from(ALL), seed=st.integers(0, 2**32))
def test_right_answer_scores_one_whatever_the_display_order(question: Question, seed: int) -> None:
    rng = random.Random(seed)
    response = right_response(question)
    if isinstance(question, MultiQuestion):
        rng.shuffle(response)  # the order choices were ticked in does not matter
    if isinstance(question, MatchQuestion):
        items = list(response.items())
        rng.shuffle(items)
        response = dict(items)
    assert grade(question, response).score == 1.0


@settings(max_examples=200, deadline=None)
@given(permutation=st.permutations(["a", "b", "c", "d", "e"]))
def test_order_score_is_monotonic_in_the_ordered_run(permutation: list[str]) -> None:
    result = grade(ORDER, permutation)
    run = longest_ordered_run([ORDER.items.index(x) for x in permutation])
    assert result.score == (run / 5 if run >= 2 else 0.0)
    assert result.correct == (permutation == ORDER.items)


@settings(max_examples=200, deadline=None)
@given(picked=st.sets(st.sampled_from(["A", "B", "C", "D"])))
def test_multi_partial_credit_per_item(picked: set[str]) -> None:
    hits = len(picked & {"A", "C"})
    wrong = len(picked - {"A", "C"})
    assert grade(MULTI, sorted(picked)).score == max(0.0, (hits - wrong) / 2)


def test_a_stored_number_no_float_can_hold_scores_zero_as_unreadable() -> None:
    # A hand-edited or foreign score file can hold any JSON number; a 400-digit integer
    # overflows a float. It is an answer that cannot be read, not a crash.
    stored = json.loads("1" + "0" * 400)
    result = grade(NUMBER, stored)
    assert (result.score, result.correct) == (0.0, False)
    assert result.feedback == ["That answer could not be read."]


@pytest.mark.parametrize(
    ("question", "response", "helper", "error"),
    [
        (TEXT, "arbenz", "normalize_text", AttributeError),
        (ORDER, ["a", "b", "c", "d", "e"], "longest_ordered_run", KeyError),
        (NUMBER, "1996", "parse_number", TypeError),
    ],
    ids=["text", "order", "number"],
)
def test_a_bug_inside_grading_propagates_instead_of_reading_as_unreadable(
    monkeypatch: pytest.MonkeyPatch,
    question: Question,
    response: Any,
    helper: str,
    error: type[Exception],
) -> None:
    def broken(*args: Any) -> Any:
        raise error("a bug, not a malformed answer")

    monkeypatch.setattr(grading, helper, broken)
    with pytest.raises(error, match="a bug"):
        grade(question, response)


# ---------------------------------------------------------------------- typed answers, typos

PBSUCCESS = TextQuestion(id="pb", type="text", accept=["PBSUCCESS"], **COMMON)


def test_a_close_wrong_text_answer_shows_the_difference() -> None:
    result = grade(PBSUCCESS, "PBSUCESS")
    assert result.score == 0
    assert result.feedback == [
        "Close, but not right.",
        "You typed: PBSUC‹›ESS",
        "Expected:  PBSUC‹C›ESS",
    ]
    assert grade(PBSUCCESS, "Guatemala").feedback == []  # not close: nothing to compare


def test_a_typo_within_the_tolerance_is_right_and_says_so() -> None:
    tolerant = PBSUCCESS.model_copy(update={"typo_tolerance": 1})
    result = grade(tolerant, "pbsucess")
    assert (result.score, result.correct) == (1.0, True)
    assert result.feedback[0] == "Accepted with a typo."
    assert grade(tolerant, "pbsuces").score == 0  # two letters off: beyond the tolerance
    assert grade(tolerant, "x" * 5000).score == 0  # a long paste is not compared


@settings(max_examples=60, deadline=None)
@given(st.text("abc", max_size=8), st.text("abc", max_size=8))
def test_edit_distance_is_a_distance(a: str, b: str) -> None:
    d = grading.edit_distance(a, b)
    assert d == grading.edit_distance(b, a)
    assert (d == 0) == (a == b)
    assert abs(len(a) - len(b)) <= d <= max(len(a), len(b))
    assert grading.edit_distance(a, b + "c") <= d + 1
