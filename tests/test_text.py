"""The one display sanitiser (quizapp.text): whatever text comes in, nothing that drives a
terminal or a spreadsheet comes out."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.text import clean, clean_data, csv_cell, describe, is_clean, unsafe_characters
from tests.support.hostile import has_control_bytes

# Text with plenty of what an attacker would use: C0, C1, bidi controls, surrogates.
hostile_text = st.text(
    alphabet=st.one_of(
        st.characters(),
        st.sampled_from("\x1b\x07\x00\r\n\t\x9b\x9d\u202e\u2066\u200f[]0;="),
    )
)


@settings(max_examples=300)
@given(text=hostile_text, multiline=st.booleans())
def test_clean_never_yields_a_control_character(text: str, multiline: bool) -> None:
    cleaned = clean(text, multiline=multiline)
    assert not has_control_bytes(cleaned)
    assert "\r" not in cleaned
    assert multiline or ("\n" not in cleaned and "\t" not in cleaned)
    assert is_clean(cleaned, multiline=multiline)
    assert clean(cleaned, multiline=multiline) == cleaned  # idempotent
    cleaned.encode("utf-8")  # never a lone surrogate


@given(text=st.text(alphabet=st.characters(categories=["L", "N", "P", "Zs"])))
def test_ordinary_text_is_left_as_it_is(text: str) -> None:
    assert clean(text) == text and is_clean(text)


def test_escape_sequences_lose_their_escape() -> None:
    assert clean("\x1b]0;pwned\x07Title") == "]0;pwnedTitle"
    assert clean("wipe\x1b[2J\x00 it") == "wipe[2J it"
    assert clean("two\nlines\tand\r\n", multiline=True) == "two\nlines\tand\n"
    assert clean("two\nlines") == "two lines"
    assert clean("\u202eevil\u202c and \u2067x\u2069") == "evil and x"
    assert clean("\u200fشكرا") == "\u200fشكرا"  # direction marks stay


def test_unsafe_characters_are_found_and_named() -> None:
    assert list(unsafe_characters("a\x1bb\u202e")) == [(1, "\x1b"), (3, "\u202e")]
    assert describe("\x1b") == "U+001B ESCAPE"
    assert describe("\x00") == "U+0000 NULL"
    assert describe("\x9b") == "U+009B CONTROL SEQUENCE INTRODUCER"
    assert describe("\u202e") == "U+202E RIGHT-TO-LEFT OVERRIDE"


def test_one_rule_for_every_spreadsheet_cell() -> None:
    for formula in ('=HYPERLINK("http://evil")', "+1", "-2+3", "@SUM(A1)", "  =1"):
        assert csv_cell(formula).startswith("'")
    assert csv_cell("\x1b=1") == "'=1"
    assert csv_cell("Ana") == "Ana" and csv_cell(3.5) == 3.5 and csv_cell(None) is None


@given(value=st.recursive(hostile_text | st.integers(), lambda inner: st.lists(inner)))
def test_clean_data_cleans_every_string(value: object) -> None:
    assert all(is_clean(s, multiline=True) for s in _strings(clean_data(value)))


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []
