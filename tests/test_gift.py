"""GIFT export (quizapp.lessons.gift) and `quizapp gift`.

The output is read back by ``read_gift`` below, a small reader that follows the rules of
Moodle's GIFT importer (escapes replaced by placeholders first; a question's answers are
between its first ``{`` and first ``}``; general feedback after the last ``####``; the
question type from the answers' markers), so the tests check what Moodle would import.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.classdata import DEMO_LESSON_YAML, demo_lesson
from quizapp.cli import main
from quizapp.cli.instructor import add_gift_export
from quizapp.lessons.gift import category_line, escape, lesson_to_gift, lessons_to_gift
from quizapp.lessons.model import Lesson

# --------------------------------------------------------------------------- a GIFT reader

_PLACEHOLDERS = {":": "\x01", "#": "\x02", "=": "\x03", "{": "\x04", "}": "\x05", "~": "\x06"}
_WEIGHT = re.compile(r"^%(-*[0-9]{1,2}\.?[0-9]*)%")


def _pre(text: str) -> str:
    text = text.replace("\\\\", "\x00")
    for char, mark in _PLACEHOLDERS.items():
        text = text.replace("\\" + char, mark)
    return text.replace("\\n", "\x07").replace("\x00", "\\")


def _post(text: str) -> str:
    for char, mark in _PLACEHOLDERS.items():
        text = text.replace(mark, char)
    return text.replace("\x07", "\n").strip()


def _unformat(text: str) -> str:
    """Drop a leading format marker, as Moodle's importer does (only the first)."""
    return re.sub(r"^\[(?:html|plain|markdown|moodle)\]", "", text)


def _text_and_feedback(part: str) -> tuple[str, str]:
    text, _, feedback = part.partition("#")
    return _unformat(_post(text)), _unformat(_post(feedback))


def read_gift(gift: str) -> list[dict[str, Any]]:
    """Questions and categories as Moodle's importer would see them."""
    items: list[dict[str, Any]] = []
    for block in re.split(r"\n\s*\n", gift):
        lines = [line for line in block.split("\n") if not line.strip().startswith("//")]
        text = _pre("\n".join(lines).strip())
        if not text:
            continue
        if text.startswith("$CATEGORY:"):
            items.append({"category": text[10:].strip()})
            continue
        name = None
        if text.startswith("::"):
            name, _, text = text[2:].partition("::")
            name, text = _post(name), text.strip()
        start, end = text.index("{"), text.index("}")
        assert text.endswith("}"), "answers must close the question"
        prompt, answers = text[:start], text[start + 1 : end].strip()
        general = ""
        if "####" in answers:
            answers, _, general = answers.rpartition("####")
            answers = answers.strip()
        fmt = None
        if prompt.startswith("["):
            fmt, _, prompt = prompt[1:].partition("]")
        item: dict[str, Any] = {
            "name": name,
            "format": fmt,
            "prompt": _post(prompt),
            "general": _post(general),
        }
        if answers.startswith("#"):
            value, _, tolerance = answers[1:].partition(":")
            item.update(type="numerical", answer=float(value), tolerance=float(tolerance or 0))
        elif "~" in answers:
            item["type"] = "multichoice"
            item["single"] = "=" in answers
            item["answers"] = []
            for part in answers.replace("=", "~=").split("~"):
                part = part.strip()
                if not part:
                    continue
                if part.startswith("="):
                    weight, part = 100.0, part[1:]
                elif match := _WEIGHT.match(part):
                    weight, part = float(match.group(1)), part[match.end() :]
                else:
                    weight = 0.0
                answer, feedback = _text_and_feedback(part)
                item["answers"].append((answer, weight, feedback))
        elif "=" in answers and "->" in answers:
            item["type"] = "match"
            item["pairs"] = []
            for part in answers.split("=")[1:]:
                assert "->" in part, f"matching answer without ->: {part!r}"
                left, _, right = part.partition("->")
                item["pairs"].append((_post(left), _post(right)))
        elif answers.split("#")[0].strip() in ("T", "TRUE", "F", "FALSE"):
            item.update(type="truefalse", answer=answers.split("#")[0].strip().startswith("T"))
        else:
            item["type"] = "shortanswer"
            item["answers"] = [_text_and_feedback(p)[0] for p in answers.split("=")[1:]]
        items.append(item)
    return items


def questions_of(gift: str) -> dict[str, dict[str, Any]]:
    return {item["name"]: item for item in read_gift(gift) if "name" in item}


# --------------------------------------------------------------------------- lessons


def lesson_with(*questions: dict[str, Any], title: str = "Test lesson") -> Lesson:
    return Lesson.model_validate(
        {
            "id": "t",
            "title": title,
            "summary": "A lesson for GIFT tests.",
            "minutes": 5,
            "sources": [
                {"id": "src", "title": "A report", "publisher": "CRS", "url": "https://ex.org/r"}
            ],
            "cards": [{"title": "Card", "body": "Text."}],
            "quiz": {"questions": list(questions)},
        }
    )


NASTY = "a ~ b = c # d { e } f : g \\ h"


def test_escape_puts_a_backslash_before_every_special_character() -> None:
    assert escape("~=#{}:") == "\\~\\=\\#\\{\\}\\:"
    assert escape("back\\slash") == "back\\\\slash"
    assert escape("two\nlines\r\nthree") == "two\\nlines\\nthree"
    assert escape("plain text, 100% fine") == "plain text, 100% fine"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab ~=#{}:\\\n->%*[]")), max_size=30))
def test_escaped_text_reads_back_as_written(text: str) -> None:
    escaped = escape(text)
    assert "\n" not in escaped
    assert _post(_pre(escaped)) == text.strip()
    # Nothing special is left unescaped for Moodle's parser to act on.
    assert not set(_pre(escaped)) & set("~=#{}:")


def test_single_choice_with_feedback_explanation_and_escaping() -> None:
    lesson = lesson_with(
        {
            "id": "q",
            "type": "single",
            "prompt": f"Which {NASTY}?\n\nSecond paragraph.",
            "choices": [NASTY, {"text": "Wrong: 1 = 2", "feedback": "No #1 {really}"}],
            "answer": NASTY,
            "explanation": "Because: reasons.",
            "sources": ["src"],
        }
    )
    export = lesson_to_gift(lesson)
    q = questions_of(export.text)["q"]
    assert q["type"] == "multichoice" and q["single"]
    assert q["format"] == "markdown"
    assert q["prompt"] == f"Which {NASTY}?\n\nSecond paragraph."
    assert q["answers"] == [(NASTY, 100.0, ""), ("Wrong: 1 = 2", 0.0, "No #1 {really}")]
    assert q["general"].startswith("Because: reasons.\n\nSources: [CRS, “A report”]")
    assert "(https://ex.org/r)" in q["general"]
    assert export.warnings == []


def test_a_choice_that_looks_like_a_weight_keeps_its_text() -> None:
    lesson = lesson_with(
        {
            "id": "q",
            "type": "single",
            "prompt": "How many?",
            "choices": ["%50% of them", "%10%"],
            "answer": "%10%",
        }
    )
    q = questions_of(lesson_to_gift(lesson).text)["q"]
    assert q["answers"] == [("%50% of them", 0.0, ""), ("%10%", 100.0, "")]


@pytest.mark.parametrize(
    ("right", "share"),
    [(1, "100"), (2, "50"), (3, "33.33333"), (4, "25"), (6, "16.66667"), (7, "14.28571")],
)
def test_multi_weights_add_up_to_100_and_wrong_choices_take_as_much_back(
    right: int, share: str
) -> None:
    choices = [f"right {i}" for i in range(right)] + ["wrong 1", "wrong 2"]
    lesson = lesson_with(
        {
            "id": "q",
            "type": "multi",
            "prompt": "Pick all.",
            "choices": choices,
            "answer": choices[:right],
        }
    )
    export = lesson_to_gift(lesson)
    assert f"~%{share}%right 0" in export.text
    assert f"~%-{share}%wrong 1" in export.text
    q = questions_of(export.text)["q"]
    assert q["type"] == "multichoice" and not q["single"]
    weights = [w for _text, w, _fb in q["answers"]]
    assert round(sum(w for w in weights if w > 0), 2) == 100  # Moodle's own check
    assert all(w == -float(share) for w in weights[right:])
    assert export.warnings == []


def test_multi_with_a_share_moodle_does_not_list_warns() -> None:
    choices = [f"c{i}" for i in range(12)]
    lesson = lesson_with(
        {"id": "q", "type": "multi", "prompt": "All?", "choices": choices, "answer": choices[:11]}
    )
    export = lesson_to_gift(lesson)
    assert "~%9.09091%c0" in export.text
    assert len(export.warnings) == 1 and "9.09091" in export.warnings[0]


def test_true_false() -> None:
    lesson = lesson_with(
        {"id": "yes", "type": "true_false", "prompt": "Is it?", "answer": True},
        {"id": "no", "type": "true_false", "prompt": "Is it not?", "answer": False},
    )
    text = lesson_to_gift(lesson).text
    assert "::yes::[markdown]Is it?{T}" in text
    assert "::no::[markdown]Is it not?{F}" in text
    read = questions_of(text)
    assert (read["yes"]["type"], read["yes"]["answer"]) == ("truefalse", True)
    assert read["no"]["answer"] is False


def test_short_answer_alternatives_accent_free_spellings_and_literal_stars() -> None:
    lesson = lesson_with(
        {
            "id": "q",
            "type": "text",
            "prompt": "Who?",
            "accept": ["Jacobo Árbenz", "Arbenz", "A*B", "x -> y"],
            "explanation": "He was deposed in 1954.",
        }
    )
    export = lesson_to_gift(lesson)
    q = questions_of(export.text)["q"]
    assert q["type"] == "shortanswer"
    # Moodle ignores case but not accents: the accent-free spelling is added once.
    assert q["answers"] == ["Jacobo Árbenz", "Jacobo Arbenz", "Arbenz", "A\\*B"]
    assert any("'->'" in w for w in export.warnings)
    assert q["general"].startswith("He was deposed in 1954.")


def test_numeric_with_tolerance_and_a_dropped_unit() -> None:
    lesson = lesson_with(
        {"id": "year", "type": "number", "prompt": "When?", "answer": 1996},
        {
            "id": "share",
            "type": "number",
            "prompt": "What share?",
            "answer": 91.5,
            "tolerance": 2.5,
            "unit": "%",
        },
    )
    export = lesson_to_gift(lesson)
    assert "::year::[markdown]When?{#1996:0}" in export.text
    q = questions_of(export.text)["share"]
    assert (q["type"], q["answer"], q["tolerance"]) == ("numerical", 91.5, 2.5)
    assert len(export.warnings) == 1 and "'%'" in export.warnings[0]


def test_matching_with_distractors() -> None:
    lesson = lesson_with(
        {
            "id": "q",
            "type": "match",
            "prompt": "Match.",
            "pairs": {"CICIG": "Guatemala", "Mano Dura: 2003": "El Salvador"},
            "distractors": ["Honduras"],
        }
    )
    export = lesson_to_gift(lesson)
    q = questions_of(export.text)["q"]
    assert q["type"] == "match"
    assert q["pairs"] == [
        ("CICIG", "Guatemala"),
        ("Mano Dura: 2003", "El Salvador"),
        ("", "Honduras"),
    ]
    assert export.warnings == []


def test_matching_with_fewer_than_three_answers_is_skipped_with_a_warning() -> None:
    lesson = lesson_with(
        {"id": "small", "type": "match", "prompt": "Match.", "pairs": {"a": "1", "b": "2"}},
        {"id": "tf", "type": "true_false", "prompt": "Ok?", "answer": True},
    )
    export = lesson_to_gift(lesson)
    assert set(questions_of(export.text)) == {"tf"}
    assert export.questions == 1
    assert export.warnings == [
        "t/small: skipped: a Moodle matching question needs at least 3 answers "
        "(add a pair or a distractor)"
    ]


def test_matching_with_an_arrow_in_an_item_is_skipped() -> None:
    lesson = lesson_with(
        {
            "id": "q",
            "type": "match",
            "prompt": "Match.",
            "pairs": {"a -> b": "1", "c": "2", "d": "3"},
        }
    )
    export = lesson_to_gift(lesson)
    assert questions_of(export.text) == {}
    assert "'->'" in export.warnings[0]


def test_order_becomes_matching_by_position_with_a_warning() -> None:
    lesson = lesson_with(
        {"id": "q", "type": "order", "prompt": "Order them.", "items": ["1954", "1980", "1992"]}
    )
    export = lesson_to_gift(lesson)
    q = questions_of(export.text)["q"]
    assert q["type"] == "match"
    assert q["pairs"] == [("1954", "1st"), ("1980", "2nd"), ("1992", "3rd")]
    assert len(export.warnings) == 1 and "no ordering question" in export.warnings[0]


def test_one_category_per_lesson() -> None:
    first = lesson_with(
        {"id": "a", "type": "true_false", "prompt": "A?", "answer": True}, title="One/Two"
    )
    second = Lesson.model_validate({**first.model_dump(mode="json"), "id": "u", "title": "B"})
    text = lessons_to_gift([first, second]).text
    categories = [item["category"] for item in read_gift(text) if "category" in item]
    # Moodle reads // inside a category name as a slash, / as a sub-category.
    assert categories == ["quizapp/One//Two", "quizapp/B"]
    odd = Lesson.model_validate({**first.model_dump(mode="json"), "title": "/x\\y/"})
    # A name starting or ending with a slash gets a space, as Moodle's own exporter does;
    # backslashes are dropped (Moodle does not unescape them on this line).
    assert category_line(odd) == "$CATEGORY: quizapp/ //x y// "


def test_every_question_of_the_demo_lesson_is_exported() -> None:
    lesson = demo_lesson()
    export = lesson_to_gift(lesson)
    read = questions_of(export.text)
    assert list(read) == [q.id for q in lesson.quiz.questions]
    assert {q["type"] for q in read.values()} == {
        "multichoice",
        "truefalse",
        "shortanswer",
        "numerical",
        "match",
    }
    assert all(q["format"] == "markdown" for q in read.values())


# --------------------------------------------------------------------------- the CLI


@pytest.fixture
def lessons_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "demo-class.yaml").write_text(DEMO_LESSON_YAML, encoding="utf-8")
    return folder


def test_gift_command_to_stdout_with_warnings_on_stderr(
    lessons_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["gift", "--lessons", str(lessons_dir)]) == 0
    out, err = capsys.readouterr()
    assert "$CATEGORY: quizapp/Demo\\: El Salvador" not in out  # never escaped there
    assert "$CATEGORY: quizapp/Demo: El Salvador from war to Mano Dura" in out
    assert "::ms13-origin::" in out
    assert "warning: demo-class/timeline" in err


def test_gift_command_writes_a_file(
    lessons_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "quiz.gift"
    assert main(["gift", "demo-class", "--lessons", str(lessons_dir), "--out", str(out_file)]) == 0
    assert len(questions_of(out_file.read_text(encoding="utf-8"))) == 8
    err = capsys.readouterr().err
    assert "wrote 8 questions from 1 lesson" in err and "GIFT format" in err


def test_gift_command_unknown_lesson(lessons_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gift", "nope", "--lessons", str(lessons_dir)]) == 2
    assert "no lesson 'nope'" in capsys.readouterr().err


def test_gift_command_reports_broken_files_and_exports_the_rest(
    lessons_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (lessons_dir / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n", encoding="utf-8")
    assert main(["gift", "--lessons", str(lessons_dir)]) == 0
    out, err = capsys.readouterr()
    assert "::ms13-origin::" in out
    assert "1 lesson file with problems left out" in err


def test_add_gift_export_wires_gift_under_an_export_command(
    lessons_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = argparse.ArgumentParser(prog="quizapp")
    export = parser.add_subparsers().add_parser("export").add_subparsers()
    add_gift_export(export)
    args = parser.parse_args(["export", "gift", "--lessons", str(lessons_dir)])
    assert args.handler(args) == 0
    assert "::accords-year::" in capsys.readouterr().out


def test_export_gift_is_the_same_command_as_gift(
    lessons_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["gift", "--lessons", str(lessons_dir)]) == 0
    direct = capsys.readouterr()
    assert main(["export", "gift", "--lessons", str(lessons_dir)]) == 0
    grouped = capsys.readouterr()
    assert grouped.out == direct.out and "::accords-year::" in grouped.out
    assert "warning: demo-class/timeline" in grouped.err
    # The lessons folder can also come before the command, as for every command.
    assert main(["--lessons", str(lessons_dir), "export", "gift", "demo-class"]) == 0
    assert capsys.readouterr().out == direct.out
    assert main(["export", "gift", "nope", "--lessons", str(lessons_dir)]) == 2
