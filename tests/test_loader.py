"""Every problem class the loader reports, each at the exact file line an instructor must fix."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from quizapp.lessons.loader import MAX_BYTES, LessonError, load_file, load_paths
from tests.support.lessons import MINIMAL, line_of

WriteLesson = Callable[..., Path]


def only_error(path: Path, *, strict: bool = False) -> LessonError:
    lesson, errors = load_file(path, strict=strict)
    assert lesson is None
    assert len(errors) == 1, errors
    return errors[0]


def assert_reported_at(
    write_lesson: WriteLesson, edit: tuple[str, str], needle: str, fragment: str, nth: int = 1
) -> None:
    """Apply ``edit`` to the minimal lesson: exactly one problem, on the ``nth`` line that
    contains ``needle``, whose message contains ``fragment``."""
    old, new = edit
    assert old in MINIMAL
    text = MINIMAL.replace(old, new, 1)
    error = only_error(write_lesson(text))
    assert error.line == line_of(text, needle, nth=nth)
    assert fragment in error.message


def test_minimal_lesson_loads_with_every_question_type(write_lesson: WriteLesson) -> None:
    lesson, errors = load_file(write_lesson(MINIMAL))
    assert errors == []
    assert lesson is not None
    assert {q.type for q in lesson.quiz.questions} == {
        "single",
        "multi",
        "true_false",
        "text",
        "number",
        "order",
        "match",
    }


def test_yaml_11_booleans_and_dates_stay_text(write_lesson: WriteLesson) -> None:
    # "No" is a choice, not False; a timeline date is text the schema checks.
    lesson, _ = load_file(write_lesson(MINIMAL))
    assert lesson is not None
    single = lesson.quiz.questions[0]
    assert single.type == "single"
    assert "No" in [c.text for c in single.options]
    assert lesson.cards[1].timeline is not None
    assert lesson.cards[1].timeline[1].date == "1996-09-30"


# (how to break the file, the text on the line that must be reported, a message fragment)
SCHEMA_CASES = [
    pytest.param(
        ("      explanation: It is.", "      explenation: It is."),
        "explenation: It is.",
        "unknown field 'explenation'; did you mean 'explanation'?",
        id="unknown-key-suggests",
    ),
    pytest.param(
        ("    body: |", "    boddy: |"),
        "boddy: |",
        "did you mean 'body'?",
        id="unknown-card-key",
    ),
    pytest.param(
        ("type: true_false", "type: truefalse"),
        "type: truefalse",
        "unknown question type 'truefalse'",
        id="unknown-question-type",
    ),
    pytest.param(
        ("      accept: [Árbenz, Jacobo Árbenz]\n", ""),
        "- id: q-text",
        "missing required field 'accept'",
        id="missing-field",
    ),
    pytest.param(
        ("pass_mark: 70", "pass_mark: 170"),
        "pass_mark: 170",
        "less than or equal to 100",
        id="pass-mark-range",
    ),
    pytest.param(
        ("tolerance: 0", "tolerance: -1"),
        "tolerance: -1",
        "greater than or equal to 0",
        id="negative-tolerance",
    ),
    pytest.param(
        ("{date: 1980,", "{date: 1981-02-29,"),
        "1981-02-29",
        "'1981-02-29' is not a real date",
        id="impossible-date",
    ),
    pytest.param(
        ("{date: 1980,", "{date: 1980-13,"),
        "1980-13",
        "there is no month 13",
        id="impossible-month",
    ),
    pytest.param(
        ("id: test-lesson", "id: Test Lesson"),
        "id: Test Lesson",
        "ids use lower-case letters",
        id="bad-id",
    ),
    pytest.param(
        ("items: [first, second, third]", "items: [first, second]"),
        "items: [first, second]",
        "at least 3 items",
        id="order-too-short",
    ),
]


@pytest.mark.parametrize(("edit", "needle", "fragment"), SCHEMA_CASES)
def test_schema_problem_is_reported_at_its_line(
    write_lesson: WriteLesson, edit: tuple[str, str], needle: str, fragment: str
) -> None:
    assert_reported_at(write_lesson, edit, needle, fragment)


CHECK_CASES = [
    pytest.param(
        ("      answer: Los Angeles", "      answer: Los Angles"),
        "answer: Los Angles",
        "answer 'Los Angles' is not one of the choices; did you mean 'Los Angeles'?",
        id="answer-not-a-choice",
    ),
    pytest.param(
        ("answer: [A, C]", "answer: [A, E]"),
        "answer: [A, E]",
        "answer 'E' is not one of the choices",
        id="multi-answer-not-a-choice",
    ),
    pytest.param(
        ("    - id: q-multi", "    - id: q-single"),
        "- id: q-single",
        "duplicate question id 'q-single'",
        id="duplicate-question-id",
    ),
    pytest.param(
        ("      card: 2\n    - id: q-order", "      card: 9\n    - id: q-order"),
        "card: 9",
        "card 9 does not exist: the lesson has 2",
        id="card-out-of-range",
    ),
    pytest.param(
        ("items: [first, second, third]", "items: [first, first, third]"),
        "items: [first, first, third]",
        "at least 3 distinct items",
        id="order-not-distinct",
    ),
    pytest.param(
        (
            "      - {date: 1980, text: First event, sources: [src-a]}",
            "      - {date: 1980, text: First event, sources: [src-b]}",
        ),
        "sources: [src-b]",
        "source 'src-b' is not in the lesson's `sources`",
        id="unknown-source-in-timeline",
    ),
    pytest.param(
        ("distractors: [Honduras]", "distractors: [Guatemala]"),
        "distractors: [Guatemala]",
        "'Guatemala' is a right answer, not a distractor",
        id="distractor-is-an-answer",
    ),
    pytest.param(
        ("accept: [Árbenz, Jacobo Árbenz]", "accept: [Árbenz, '!!!']"),
        "accept: [Árbenz, '!!!']",
        "only punctuation",
        id="unanswerable-text",
    ),
]


@pytest.mark.parametrize(("edit", "needle", "fragment"), CHECK_CASES)
def test_cross_check_is_reported_at_its_line(
    write_lesson: WriteLesson, edit: tuple[str, str], needle: str, fragment: str
) -> None:
    assert_reported_at(write_lesson, edit, needle, fragment, nth=2 if "q-single" in needle else 1)


def test_duplicate_yaml_key_is_an_error_not_last_wins(write_lesson: WriteLesson) -> None:
    text = MINIMAL.replace("minutes: 5\n", "minutes: 5\nminutes: 50\n", 1)
    error = only_error(write_lesson(text))
    assert error.line == line_of(text, "minutes: 50")
    assert error.message == f"duplicate key 'minutes' (first on line {line_of(text, 'minutes: 5')})"


HOSTILE_CASES: list[tuple[str, bytes, tuple[int, int], str]] = [
    ("invalid-yaml", b"id: x\ntitle: [unclosed\n", (3, 1), "invalid YAML"),
    ("empty", b"", (1, 1), "file is empty"),
    ("only-comments", b"# nothing here\n", (1, 1), "file is empty"),
    ("top-level-list", b"- a\n- b\n", (1, 1), "the file holds a list"),
    ("top-level-scalar", b"just text\n", (1, 1), "the file holds a single value"),
    ("latin-1", "id: x\ntitle: Árbenz\n".encode("latin-1"), (2, 8), "not UTF-8"),
    ("utf-16", "id: x\n".encode("utf-16"), (1, 4), "NUL byte"),
    ("nul-byte", b"id: x\ntitle: a\x00b\n", (2, 9), "NUL byte"),
    ("python-tag", b"id: !!python/object:os.system {}\n", (1, 5), "no tags"),
    ("custom-tag", b"id: !secret x\n", (1, 5), "no tags"),
    ("two-documents", b"id: x\n---\nid: y\n", (2, 1), "more than one YAML document"),
    (
        "deep-nesting-with-anchor",
        b"a: &x " + b"[" * 60 + b"]" * 60 + b"\n",
        (1, 46),
        "nest more than 40",
    ),
    ("very-deep-nesting", b"a: " + b"[" * 5000 + b"]" * 5000, (1, 1003), "nest too deeply"),
]


@pytest.mark.parametrize(
    ("content", "position", "fragment"),
    [pytest.param(c, p, f, id=name) for name, c, p, f in HOSTILE_CASES],
)
def test_hostile_or_broken_file_gets_a_message_not_a_traceback(
    write_lesson: WriteLesson, content: bytes, position: tuple[int, int], fragment: str
) -> None:
    error = only_error(write_lesson(content))
    assert (error.line, error.col) == position
    assert fragment in error.message


def test_deep_nesting_inside_a_field_is_a_plain_error(write_lesson: WriteLesson) -> None:
    nested = "[" * 900 + "x" + "]" * 900
    text = MINIMAL.replace("objectives: [Know the test facts]", f"objectives: {nested}")
    error = only_error(write_lesson(text))
    assert error.line == line_of(text, "objectives:")
    assert error.message == "objectives[0]: input should be a valid string"


def test_billion_laughs_is_refused_before_expanding(write_lesson: WriteLesson) -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        name, prev = chr(ord("a") + i), chr(ord("a") + i - 1)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    error = only_error(write_lesson("\n".join(lines) + "\n"))
    assert "aliases expand to too many values" in error.message
    assert error.line == 6  # the first level whose expansion passes the limit


def test_harmless_aliases_are_allowed(write_lesson: WriteLesson) -> None:
    text = MINIMAL.replace(
        "    sources: [src-a]\n  - title: Key dates",
        "    sources: &cite [src-a]\n  - title: Key dates",
        1,
    )
    text = text.replace(
        "      sources: [src-a]\n      card: 2\n    - id: q-order",
        "      sources: *cite\n      card: 2\n    - id: q-order",
        1,
    )
    lesson, errors = load_file(write_lesson(text))
    assert errors == [] and lesson is not None


def test_file_over_one_mib_is_refused_unread(write_lesson: WriteLesson) -> None:
    path = write_lesson(MINIMAL + "#" * MAX_BYTES)
    error = only_error(path)
    assert (error.line, error.col) == (1, 1)
    assert "at most 1 MiB" in error.message


def test_unreadable_path_is_an_error(tmp_path: Path) -> None:
    error = only_error(tmp_path / "missing.yaml")
    assert "cannot read file" in error.message


def test_bad_file_never_hides_good_ones_and_ids_are_unique_across_files(
    write_lesson: WriteLesson, tmp_path: Path
) -> None:
    write_lesson(MINIMAL, "01-good.yaml")
    write_lesson(b"- not a lesson\n", "02-bad.yaml")
    write_lesson(MINIMAL, "03-same-id.yaml")
    write_lesson(MINIMAL.replace("id: test-lesson", "id: other-lesson"), "04-other.yml")
    (tmp_path / "notes.txt").write_text("not a lesson file")
    result = load_paths([tmp_path])
    assert [lesson.id for lesson in result.lessons] == ["test-lesson", "other-lesson"]
    assert result.files == 4
    messages = {(e.path.name, e.message.split(";")[0]) for e in result.errors}
    assert ("02-bad.yaml", "the file holds a list") in messages
    assert any(
        name == "03-same-id.yaml" and "already used by" in message and "01-good.yaml" in message
        for name, message in messages
    )


def test_all_problems_of_a_file_are_reported_in_one_run(write_lesson: WriteLesson) -> None:
    text = MINIMAL.replace("pass_mark: 70", "pass_mark: 170").replace(
        "      explanation: It is.", "      explenation: It is."
    )
    lesson, errors = load_file(write_lesson(text))
    assert lesson is None
    assert [e.line for e in errors] == sorted(
        [line_of(text, "pass_mark: 170"), line_of(text, "explenation")]
    )


def test_strict_flags_unfinished_lesson_but_still_loads_it(write_lesson: WriteLesson) -> None:
    text = MINIMAL.replace("      explanation: A and C.\n", "", 1).replace(
        "      sources: [src-a]\n      card: 1\n    - id: q-tf", "      card: 1\n    - id: q-tf", 1
    )
    lesson, errors = load_file(write_lesson(text), strict=True)
    assert lesson is not None
    messages = [e.message for e in errors]
    assert "quiz.questions[1]: question has no `explanation`" in messages
    assert "quiz.questions[1]: question cites no source (add `sources: [...]`)" in messages
    assert any("lesson has 2 cards" in m for m in messages)
    assert any("quiz has 7 questions" in m for m in messages)
    # Without --strict the same file is clean.
    assert load_file(write_lesson(text))[1] == []


def test_error_renders_as_file_line_col_message(tmp_path: Path) -> None:
    error = LessonError(tmp_path / "a.yaml", 3, 7, "something is wrong")
    assert str(error) == f"{tmp_path / 'a.yaml'}:3:7: something is wrong"


# Found while writing docs/lessons.md: each of these once misbehaved.
@pytest.mark.parametrize(
    ("edit", "needle", "fragment"),
    [
        pytest.param(
            ("        - No\n", '        - ""\n'),
            '- ""',
            "a choice cannot be empty",
            id="empty-choice",
        ),
        pytest.param(
            ("      Some *Markdown* text.\n", ""),
            "body: |",
            "at least 1 character",
            id="empty-body",
        ),
        pytest.param(("answer: 1996", "answer: .nan"), "answer: .nan", "finite number", id="nan"),
        pytest.param(
            ("tolerance: 0", "tolerance: .inf"), "tolerance: .inf", "finite number", id="inf"
        ),
        pytest.param(
            ("url: https://example.org/a", "url: https://example.org/a b"),
            "url: https://example.org/a b",
            "with no spaces",
            id="url-with-space",
        ),
    ],
)
def test_empty_or_non_finite_values_are_errors(
    write_lesson: WriteLesson, edit: tuple[str, str], needle: str, fragment: str
) -> None:
    assert_reported_at(write_lesson, edit, needle, fragment)


def test_yaml_11_number_forms_stay_text(write_lesson: WriteLesson) -> None:
    # YAML 1.1 reads 1:30 as 90 and 0123 as 83; an instructor means the text.
    text = MINIMAL.replace("choices: [A, B, C, D]", "choices: ['A', 1:30, 0123, D]")
    text = text.replace("answer: [A, C]", "answer: [1:30, 0123]")
    lesson, errors = load_file(write_lesson(text))
    assert errors == [] and lesson is not None
    multi = lesson.quiz.questions[1]
    assert multi.type == "multi"
    assert [c.text for c in multi.options] == ["A", "1:30", "0123", "D"]


def test_merge_keys_are_not_duplicates(write_lesson: WriteLesson) -> None:
    entry = "  - {term: TPS, definition: Temporary protected status.}\n"
    merged = "  - &base {term: IIRIRA, definition: A 1996 law.}\n  - {<<: *base, term: AEDPA}\n"
    lesson, errors = load_file(write_lesson(MINIMAL.replace(entry, merged)))
    assert errors == [] and lesson is not None
    assert [(g.term, g.definition) for g in lesson.glossary] == [
        ("IIRIRA", "A 1996 law."),
        ("AEDPA", "A 1996 law."),
    ]


def test_same_file_named_twice_is_read_once(write_lesson: WriteLesson, tmp_path: Path) -> None:
    path = write_lesson(MINIMAL)
    result = load_paths([tmp_path, path])
    assert result.errors == [] and result.files == 1


def test_duplicate_lesson_id_points_at_the_id_line(
    write_lesson: WriteLesson, tmp_path: Path
) -> None:
    write_lesson(MINIMAL, "a.yaml")
    second = write_lesson("# comment\n" + MINIMAL, "b.yaml")
    [error] = load_paths([tmp_path]).errors
    assert (error.path, error.line) == (second, line_of("# comment\n" + MINIMAL, "id: test-lesson"))


def test_list_as_key_gets_a_plain_message(write_lesson: WriteLesson) -> None:
    error = only_error(write_lesson("[a, b]: c\n"))
    assert "a key must be plain text" in error.message


def test_undated_page_cites_its_access_date(write_lesson: WriteLesson) -> None:
    text = MINIMAL.replace("    date: 2008\n", "    accessed: 2026-11-28\n", 1)
    lesson, errors = load_file(write_lesson(text), strict=True)
    assert lesson is not None
    assert not any("needs a `date`" in e.message for e in errors)
    assert lesson.sources[0].citation() == "Test Publisher, “Source A”, accessed 2026-11-28"
    undated = MINIMAL.replace("    date: 2008\n", "", 1)
    _, errors = load_file(write_lesson(undated), strict=True)
    assert any(
        "a source needs a `date` (or, for an undated page, `accessed`)" in e.message for e in errors
    )


def test_unquoted_colon_gets_a_hint(write_lesson: WriteLesson) -> None:
    text = MINIMAL.replace('title: "A test lesson"', "title: Lesson: the sequel")
    error = only_error(write_lesson(text))
    assert error.line == line_of(text, "title: Lesson: the sequel")
    assert "put quotes around text that contains ': '" in error.message


def test_text_split_by_a_comma_gets_a_quoting_hint(write_lesson: WriteLesson) -> None:
    old = "{date: 1980, text: First event, sources: [src-a]}"
    text = MINIMAL.replace(
        old, "{date: 1980, text: First event, then a second one, sources: [src-a]}"
    )
    error = only_error(write_lesson(text))
    assert error.line == line_of(text, "then a second one")
    assert "put it in quotes" in error.message


@pytest.mark.parametrize("enabled", [True, False])
def test_loading_leaves_the_garbage_collector_as_it_found_it(
    write_lesson: WriteLesson, tmp_path: Path, enabled: bool
) -> None:
    import gc

    write_lesson(MINIMAL)
    write_lesson(b"- broken\n", "b.yaml")
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        assert len(load_paths([tmp_path]).lessons) == 1
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_choice_with_a_colon_gets_one_plain_message(write_lesson: WriteLesson) -> None:
    text = MINIMAL.replace("        - No\n", "        - Tegucigalpa: the capital\n", 1)
    error = only_error(write_lesson(text))
    assert error.line == line_of(text, "Tegucigalpa: the capital")
    assert (
        error.message
        == "quiz.questions[0].choices[2]: a choice that contains ': ' must be in quotes"
    )


def test_pair_indented_too_little_points_at_indentation(write_lesson: WriteLesson) -> None:
    text = MINIMAL.replace(
        "      pairs: {CICIG: Guatemala, Mano Dura: El Salvador}\n",
        "      pairs:\n        CICIG: Guatemala\n      Mano Dura: El Salvador\n",
    )
    lesson, errors = load_file(write_lesson(text))
    assert lesson is None
    message = next(e.message for e in errors if "Mano Dura" in e.message)
    assert "check its indentation" in message and "allowed here:" in message


@pytest.mark.parametrize(
    ("choice", "message"),
    [
        ("{text: No, feeback: Wrong.}", "unknown field 'feeback'; did you mean 'feedback'?"),
        ("true", "input should be a valid string"),
    ],
)
def test_a_bad_choice_gets_one_message_for_the_form_written(
    write_lesson: WriteLesson, choice: str, message: str
) -> None:
    # A choice is text or {text, feedback}: only the form the instructor wrote is reported.
    text = MINIMAL.replace("        - No\n", f"        - {choice}\n", 1)
    error = only_error(write_lesson(text))
    assert error.message == f"quiz.questions[0].choices[2]: {message}"
