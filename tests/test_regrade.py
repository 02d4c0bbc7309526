"""``quizapp regrade`` (issue 16) on the generated class: 30 students answered the demo lesson
whose ``accords-year`` key says 1996; the instructor fixes it to 1992 and regrades."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.classdata import write_demo
from quizapp.cli import main
from quizapp.lessons.loader import load_file
from quizapp.regrade import old_key
from quizapp.reports import item_analysis, load_records
from quizapp.store import Store
from tests.support.store import make_lesson

WRONG = '      answer: "1996"   # DELIBERATELY WRONG KEY: the report must flag this question'


@pytest.fixture(scope="module")
def fixed_class(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("class")
    lessons, db = write_demo(folder)
    path = lessons / "demo-class.yaml"
    text = path.read_text(encoding="utf-8")
    assert WRONG in text
    path.write_text(text.replace(WRONG, '      answer: "1992"'), encoding="utf-8")
    return lessons, db


def _state(db: Path | str) -> tuple[list[tuple[int, str]], list[float | None]]:
    with Store.open(db, readonly=True) as store:
        answers = [(a.id, repr(a.response)) for a in store.lesson_answers("demo-class")]
        percents = [a.percent for a in store.history(None)]
    return answers, percents


def _accords(lessons: Path, db: Path | str) -> object:
    lesson, _ = load_file(lessons / "demo-class.yaml")
    assert lesson is not None
    report = item_analysis(lesson, load_records(db))
    return next(q for q in report.questions if q.question_id == "accords-year")


def test_a_fixed_key_regrades_the_class_and_the_report_follows(
    fixed_class: tuple[Path, Path], db: Path | str, capsys: pytest.CaptureFixture[str]
) -> None:
    source_lessons, source_db = fixed_class
    if isinstance(db, Path):
        db.write_bytes(source_db.read_bytes())
    else:  # the class on PostgreSQL: merged in from the generated file
        with Store.open(db) as store:
            assert store.merge_from(source_db).refused == 0
    before_answers, before_percents = _state(db)
    before = _accords(source_lessons, db)
    assert before.answers == 0  # type: ignore[attr-defined]  # every answer is to the old key

    args = ["regrade", "--db", str(db), "--lessons", str(source_lessons)]
    assert main([*args, "--dry-run"]) == 0
    dry = capsys.readouterr().out
    assert "accords-year" in dry and "0% -> 100%" in dry and "Nothing was written" in dry
    assert _state(db) == (before_answers, before_percents)  # a dry run changes nothing

    assert main(args) == 0
    out = capsys.readouterr().out
    assert "0% -> 100%" in out and "100% -> 0%" in out
    assert "presidents: 4 answer(s) to an earlier version" in out  # reworded: reported only
    answers, percents = _state(db)
    assert answers == before_answers  # answers never rewritten
    assert percents != before_percents  # the attempts were rescored
    after = _accords(source_lessons, db)
    assert after.answers > 25  # type: ignore[attr-defined]
    kinds = {f.kind for f in after.flags}  # type: ignore[attr-defined]
    assert "negative_discrimination" not in kinds
    with Store.open(db, readonly=True) as store:
        logged = store.regrade_log()
    assert logged and all(row[2] == "accords-year" for row in logged)

    assert main(args) == 0  # nothing is left to regrade
    assert "0 grade(s) changed." in capsys.readouterr().out


def test_an_unknown_lesson_is_an_error(
    fixed_class: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    lessons, db = fixed_class
    assert main(["regrade", "nope", "--db", str(db), "--lessons", str(lessons)]) == 2
    assert "nope" in capsys.readouterr().err


def test_the_old_key_is_found_only_when_the_key_alone_changed() -> None:
    lesson = make_lesson(shuffle=False)
    single = lesson.quiz.questions[0]
    older = single.model_copy(update={"answer": "San Salvador"})
    assert old_key(single, older.content_hash()) is not None
    reworded = older.model_copy(update={"prompt": "Where was it founded?"})
    assert old_key(single, reworded.content_hash()) is None
    number = lesson.quiz.questions[4]
    typo = number.model_copy(update={"answer": 1969.0})
    assert old_key(number, typo.content_hash(), ["1969", "x"]) is not None
    assert old_key(number, typo.content_hash(), ["1970"]) is None
