"""`quizapp import gift`: a GIFT file becomes lesson files that validate; what quizapp exports
comes back as the same GIFT; what it cannot hold is named."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.cli import main
from quizapp.lessons.gift import lesson_to_gift
from quizapp.lessons.gift_import import lesson_yaml, read_gift
from quizapp.lessons.loader import load_file, load_paths
from quizapp.lessons.model import Lesson
from quizapp.lessons.yamlread import parse
from tests.support.gift_hostile import hostile_lesson, hostile_questions, lesson_of
from tests.support.lessons import MINIMAL, shipped_lesson_files


def import_file(gift: str, tmp_path: Path, *extra: str) -> tuple[int, Path]:
    source = tmp_path / "bank.gift"
    source.write_text(gift, encoding="utf-8")
    out = tmp_path / "imported"
    return main(["import", "gift", str(source), "--lessons", str(out), *extra]), out


def imported(path: Path) -> Lesson:
    lesson, errors = load_file(path)
    assert lesson is not None, [str(e) for e in errors]
    return lesson


def test_export_import_export_gives_the_same_gift_for_every_shipped_lesson(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lessons = load_paths(shipped_lesson_files()).lessons
    exported = {lesson.id: lesson_to_gift(lesson).text for lesson in lessons}
    code, out = import_file("\n".join(exported.values()), tmp_path)
    assert code == 0
    assert sorted(p.stem for p in out.iterdir()) == sorted(exported)
    for lesson_id, gift in exported.items():
        again = imported(out / f"{lesson_id}.yaml")
        assert lesson_to_gift(again).text == gift, lesson_id
    assert "created" in capsys.readouterr().out


def minimal_lesson() -> Lesson:
    return Lesson.model_validate(parse(MINIMAL).data)


@pytest.mark.parametrize("make", [hostile_lesson, minimal_lesson], ids=["hostile", "minimal"])
def test_export_import_export_of_a_hostile_and_the_minimal_lesson(
    make: Callable[[], Lesson], tmp_path: Path
) -> None:
    lesson = make()
    gift = lesson_to_gift(lesson).text
    code, out = import_file(gift, tmp_path)
    assert code == 0
    assert lesson_to_gift(imported(out / f"{lesson.id}.yaml")).text == gift


def test_the_lesson_file_says_what_is_left_to_write(tmp_path: Path) -> None:
    gift = "::q1::Capital of Guatemala?{=Guatemala City ~Antigua#The old capital.}\n"
    code, out = import_file(gift, tmp_path, "--id", "capitals")
    assert code == 0
    text = (out / "capitals.yaml").read_text(encoding="utf-8")
    assert "# Cards: a GIFT file has none." in text
    lesson = imported(out / "capitals.yaml")
    question = lesson.quiz.questions[0]
    assert (lesson.id, question.id, question.type) == ("capitals", "q1", "single")
    assert question.choices[1].feedback == "The old capital."  # type: ignore[union-attr]


MOODLE_BANK = """\
$CATEGORY: $course$/top/Default for History/Cold War

// an essay: nothing to grade automatically
::essay::Discuss the 1954 coup.{}

::desc::Just a description, no answers.

::blank::The coup was in {=1954 =Guatemala} that year.

::tf::Arbenz resigned in 1954.{T#Right.#Wrong.####He did.}

::short::Who led the coup?{=%100%Castillo Armas =%50%Armas =C*}

::range::When was the coup?{#1953..1955####About 1954.}

::Question with a long name: yes::Pick two{~%50%A ~%50%B ~%-100%C}
"""


def test_what_quizapp_cannot_hold_is_named_and_the_rest_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = import_file(MOODLE_BANK, tmp_path)
    assert code == 0
    err = capsys.readouterr().err
    for named in (
        "essay: left out: an essay question",
        "desc: left out: a description",
        "blank: left out: answers inside the text",
        "tf: the feedback on the true/false answer is left out",
        "short: answer 'Armas' (50%) is left out",
        "short: answer 'C*': a * is a wildcard",
        "weights differ from quizapp's",
    ):
        assert named in err, named
    lesson = imported(out / "cold-war.yaml")
    assert lesson.title == "Cold War"
    by_id = {q.id: q for q in lesson.quiz.questions}
    assert sorted(by_id) == ["question-with-a-long-name-yes", "range", "short", "tf"]
    assert (by_id["range"].answer, by_id["range"].tolerance) == (1954, 1)  # type: ignore[union-attr]
    assert by_id["range"].explanation == "About 1954."
    assert by_id["short"].accept == ["Castillo Armas", "C*"]  # type: ignore[union-attr]


def test_import_refuses_what_it_cannot_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = import_file(MOODLE_BANK + "\n$CATEGORY: other\n\n::x::Q?{T}\n", tmp_path, "--id", "a")
    assert code == 2 and "has 2 question categories" in capsys.readouterr().err
    code, _ = import_file("::x::Q?{T}\n", tmp_path, "--id", "Bad Id")
    assert code == 2 and "invalid lesson id 'Bad Id'" in capsys.readouterr().err
    code, out = import_file("::x::Q?{T}\n", tmp_path, "--id", "same")
    assert code == 0
    before = (out / "same.yaml").read_text(encoding="utf-8")
    code, _ = import_file("::y::Other?{F}\n", tmp_path, "--id", "same")
    assert code == 1 and "already exists" in capsys.readouterr().err
    assert (out / "same.yaml").read_text(encoding="utf-8") == before
    missing = tmp_path / "nope.gift"
    assert main(["import", "gift", str(missing)]) == 2
    assert f"no such file or folder: {missing}" in capsys.readouterr().err
    code, _ = import_file("// only a comment\n", tmp_path)
    assert code == 1 and "no question quizapp can use" in capsys.readouterr().err


_ALPHABET = st.sampled_from([*"ab ~=#{}:\\\n%[]*", "[html]", "->", "//", "é"])
_TEXT = (
    st.lists(_ALPHABET, min_size=1, max_size=12)
    .map("".join)
    .filter(lambda s: s.strip() == s and s.strip() and "\n " not in s and " \n" not in s)
)


@settings(max_examples=25, deadline=None)
@given(_TEXT)
def test_generated_texts_round_trip(text: str) -> None:
    lesson = lesson_of(hostile_questions(text))
    gift = lesson_to_gift(lesson).text
    (found,) = read_gift(gift, "x")
    again = Lesson.model_validate(parse(lesson_yaml(found, "hostile", "x.gift")).data)
    assert lesson_to_gift(again).text == gift
