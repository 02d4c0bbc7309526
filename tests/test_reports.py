"""Item analysis (quizapp.reports) and `quizapp report`.

The statistics are checked against values computed by hand (the working is in the comments
of ``hand_records``), plus property tests on small random classes. The same hand data set
is also written through the real score store and read back, and a generated class of 30
students (benchmarks/classdata.py) takes its quizzes through real quiz sessions, so the
report is tested end to end on what the app stores.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.classdata import demo_lesson, older_demo_lesson, write_class, write_demo
from quizapp.cli import main
from quizapp.lessons.model import Lesson
from quizapp.reports import (
    TOO_FEW,
    AnswerRecord,
    AttemptRule,
    LessonReport,
    ReportError,
    analyse_lesson,
    answered_lessons,
    cronbach_alpha,
    histogram,
    item_analysis,
    load_records,
    pearson,
    render_csv,
    render_json,
    render_table,
    select_attempts,
)
from quizapp.session import QuizSession
from quizapp.store import MIGRATIONS, SCHEMA_VERSION, Store

HAND_LESSON = Lesson.model_validate(
    {
        "id": "hand",
        "title": "Hand-computed lesson",
        "summary": "Three questions.",
        "minutes": 5,
        "sources": [{"id": "s", "title": "A source"}],
        "cards": [{"title": "Card", "body": "Text."}],
        "quiz": {
            "pass_mark": 60,
            "questions": [
                {
                    "id": "q1",
                    "type": "single",
                    "prompt": "Pick A.",
                    "choices": ["A", "B", "C"],
                    "answer": "A",
                },
                {"id": "q2", "type": "true_false", "prompt": "True?", "answer": True},
                {"id": "q3", "type": "number", "prompt": "Year?", "answer": 1992},
            ],
        },
    }
)
Q1, Q2, Q3 = HAND_LESSON.quiz.questions


def record(
    student: str,
    attempt: str,
    question: Any,
    response: Any,
    score: float,
    *,
    seconds: float | None = None,
    started: str = "2025-01-01T10:00:00Z",
    finished: str | None = "2025-01-01T10:10:00Z",
    lesson_id: str = "hand",
    question_hash: str | None = None,
) -> AnswerRecord:
    return AnswerRecord(
        student=student,
        attempt_id=attempt,
        lesson_id=lesson_id,
        question_id=question.id,
        question_hash=question.content_hash() if question_hash is None else question_hash,
        response=response,
        score=score,
        seconds=seconds,
        attempt_started=started,
        attempt_finished=finished,
    )


def hand_records() -> list[AnswerRecord]:
    """Five students' first attempts, plus records every report must treat specially.

    Scores (1 = right) of the first attempts:

        student  q1 q2 q3  total  percent
        s1        1  1  1    3    100
        s2        1  1  0    2     66.67
        s3        1  1  0    2     66.67
        s4        1  0  0    1     33.33
        s5        0  0  0    0      0

    Facility: q1 4/5 = 80%, q2 3/5 = 60%, q3 1/5 = 20%.
    Quiz: mean (100 + 66.67 + 66.67 + 33.33 + 0) / 5 = 53.33%; median 66.67%.
      totals 3,2,2,1,0: mean 1.6, squared deviations 1.96+.16+.16+.36+2.56 = 5.2,
      sample variance 5.2/4 = 1.3, sd = sqrt(1.3) = 1.140175 questions = 38.0058%.
    Cronbach's alpha, k = 3: item sample variances q1 (1,1,1,1,0) .8/4 = .2,
      q2 (1,1,1,0,0) 1.2/4 = .3, q3 (1,0,0,0,0) .8/4 = .2; sum .7.
      alpha = 3/2 * (1 - .7/1.3) = 1.5 * .6/1.3 = 0.692308.
    Discrimination = r(item, rest of the quiz), rest = total - item:
      q1: x 1,1,1,1,0 (mean .8), rest 2,1,1,0,0 (mean .8); Sxy = .24+.04+.04-.16+.64 = .8,
          Sxx = .8, Syy = 1.44+.04+.04+.64+.64 = 2.8; r = .8 / sqrt(.8*2.8) = 0.534522
      q2: x 1,1,1,0,0 (.6), rest 2,1,1,1,0 (1.0); Sxy = .4+0+0+0+.6 = 1.0, Sxx = 1.2,
          Syy = 2; r = 1 / sqrt(2.4) = 0.645497
      q3: x 1,0,0,0,0 (.2), rest 2,2,2,1,0 (1.4); Sxy = .48-.12-.12+.08+.28 = .6,
          Sxx = .8, Syy = .36*3+.16+1.96 = 3.2; r = .6 / sqrt(2.56) = 0.375
    Passed (pass mark 60%): 100, 66.67, 66.67 -> 3.
    Average time on q1: (10 + 20 + 30 + 40) / 4 = 25 s (s5 has no time).
    """
    scores = {
        "s1": (1, 1, 1),
        "s2": (1, 1, 0),
        "s3": (1, 1, 0),
        "s4": (1, 0, 0),
        "s5": (0, 0, 0),
    }
    times = {"s1": 10.0, "s2": 20.0, "s3": 30.0, "s4": 40.0, "s5": None}
    out = []
    for i, (student, (a, b, c)) in enumerate(scores.items()):
        start = f"2025-01-01T10:0{i}:00Z"
        attempt = f"{student}-first"
        out += [
            record(
                student, attempt, Q1, "A" if a else "B", a, seconds=times[student], started=start
            ),
            record(student, attempt, Q2, bool(b), b, started=start),
            record(student, attempt, Q3, "1992" if c else "1990", c, started=start),
        ]
    # s1 tries again a day later and gets everything wrong ("last" sees this one).
    later = "2025-01-02T10:00:00Z"
    out += [
        record("s1", "s1-again", Q1, "C", 0, started=later),
        record("s1", "s1-again", Q2, False, 0, started=later),
        record("s1", "s1-again", Q3, "1", 0, started=later),
    ]
    # s6 started and never finished: left out, and counted as unfinished.
    out.append(record("s6", "s6-open", Q1, "A", 1, finished=None))
    # s7 answered an older version of q1: left out, and counted as outdated.
    out.append(record("s7", "s7-old", Q1, "A", 1, question_hash="0123456789abcdef"))
    # An answer to another lesson: not this report's business at all.
    out.append(record("s8", "s8-other", Q1, "A", 1, lesson_id="other"))
    return out


def by_id(report: LessonReport) -> dict[str, Any]:
    return {q.question_id: q for q in report.questions}


def test_first_attempts_match_the_hand_computation() -> None:
    report = item_analysis(HAND_LESSON, hand_records(), "first")
    quiz = report.quiz
    assert (quiz.students, quiz.attempts) == (5, 5)
    assert quiz.mean == pytest.approx(53.3333, abs=1e-3)
    assert quiz.median == pytest.approx(66.6667, abs=1e-3)
    assert quiz.sd == pytest.approx(38.0058, abs=1e-3)
    assert quiz.alpha == pytest.approx(0.692308, abs=1e-5)
    assert quiz.passed == 3
    q = by_id(report)
    assert [q[i].facility for i in ("q1", "q2", "q3")] == pytest.approx([80, 60, 20])
    assert q["q1"].discrimination == pytest.approx(0.534522, abs=1e-5)
    assert q["q2"].discrimination == pytest.approx(0.645497, abs=1e-5)
    assert q["q3"].discrimination == pytest.approx(0.375, abs=1e-5)
    assert q["q1"].average_seconds == pytest.approx(25.0)
    assert q["q2"].average_seconds is None
    assert report.outdated_answers == 1
    assert report.unfinished_attempts == 1


def test_choice_counts_show_what_the_class_picked() -> None:
    q = by_id(item_analysis(HAND_LESSON, hand_records()))
    picked = {(c.text, c.right): (c.count, c.percent) for c in q["q1"].choices}
    assert picked == {("A", True): (4, 80.0), ("B", False): (1, 20.0), ("C", False): (0, 0.0)}
    tf = {(c.text, c.right): c.count for c in q["q2"].choices}
    assert tf == {("True", True): 3, ("False", False): 2}
    assert q["q3"].choices == ()


def test_no_flags_on_a_healthy_quiz_and_20_percent_is_not_too_hard() -> None:
    report = item_analysis(HAND_LESSON, hand_records())
    assert report.flagged == ()


def test_last_best_and_all_attempt_rules() -> None:
    records = hand_records()
    last = item_analysis(HAND_LESSON, records, "last")
    # s1's last attempt scored 0: percents 0, 66.67, 66.67, 33.33, 0.
    assert last.quiz.mean == pytest.approx(33.3333, abs=1e-3)
    assert by_id(last)["q1"].facility == pytest.approx(60.0)
    best = item_analysis(HAND_LESSON, records, "best")
    assert best.quiz.mean == pytest.approx(53.3333, abs=1e-3)
    everything = item_analysis(HAND_LESSON, records, "all")
    assert (everything.quiz.students, everything.quiz.attempts) == (5, 6)


def test_select_attempts_keeps_one_attempt_per_student_and_lesson() -> None:
    records = hand_records()
    first = select_attempts(records, "first")
    assert {r.attempt_id for r in first if r.student == "s1"} == {"s1-first"}
    last = select_attempts(records, "last")
    assert {r.attempt_id for r in last if r.student == "s1"} == {"s1-again"}
    # Unfinished attempts only when asked for.
    assert "s6-open" not in {r.attempt_id for r in select_attempts(records, "all")}
    opened = select_attempts(records, "all", finished_only=False)
    assert "s6-open" in {r.attempt_id for r in opened}
    with pytest.raises(ValueError, match="unknown attempt rule"):
        select_attempts(records, "median")  # type: ignore[arg-type]


def test_first_means_earliest_start_whatever_the_timestamp_spelling() -> None:
    early = record("s", "b", Q1, "A", 1, started="2025-01-01T09:00:00+00:00")
    late = record("s", "a", Q1, "B", 0, started="2025-01-01T10:00:00Z")
    assert [r.attempt_id for r in select_attempts([late, early], "first")] == ["b"]


def test_best_attempt_ties_go_to_the_earlier_one() -> None:
    one = record("s", "one", Q1, "A", 1, started="2025-01-01T09:00:00Z")
    two = record("s", "two", Q1, "A", 1, started="2025-01-02T09:00:00Z")
    assert [r.attempt_id for r in select_attempts([two, one], "best")] == ["one"]


def class_of(
    rows: list[tuple[int, int, int]], responses: list[str] | None = None
) -> list[AnswerRecord]:
    """Records of one attempt per row of (q1, q2, q3) scores; q1's response from ``responses``."""
    out = []
    for i, (a, b, c) in enumerate(rows):
        attempt = f"a{i}"
        start = f"2025-01-01T10:{i:02d}:00Z"
        picked = responses[i] if responses else ("A" if a else "B")
        out += [
            record(f"s{i}", attempt, Q1, picked, a, started=start),
            record(f"s{i}", attempt, Q2, bool(b), b, started=start),
            record(f"s{i}", attempt, Q3, str(c), c, started=start),
        ]
    return out


def test_a_wrong_answer_key_is_flagged() -> None:
    # Strong students (right on q2 and q3) pick B on q1; weak ones pick the keyed A.
    rows = [(0, 1, 1)] * 6 + [(1, 0, 0)] * 4
    picks = ["B"] * 6 + ["A"] * 4
    q1 = by_id(item_analysis(HAND_LESSON, class_of(rows, picks)))["q1"]
    assert q1.discrimination is not None and q1.discrimination < 0
    kinds = [f.kind for f in q1.flags]
    assert "negative_discrimination" in kinds
    assert "wrong_choice" in kinds
    message = next(f.message for f in q1.flags if f.kind == "wrong_choice")
    assert "“B”" in message and "(6)" in message and "“A”" in message
    assert any("answer key" in f.message for f in q1.flags)


def test_too_easy_and_too_hard() -> None:
    rows = [(1, 0, i % 2) for i in range(10)]
    q = by_id(item_analysis(HAND_LESSON, class_of(rows)))
    assert [f.kind for f in q["q1"].flags] == ["too_easy"]
    assert q["q1"].discrimination is None  # everyone right: no spread, no flag about it
    assert q["q1"].discrimination_note == "everyone scored the same on it"
    assert "too_hard" in [f.kind for f in q["q2"].flags]


def test_near_zero_discrimination() -> None:
    # q1 right for half of each group: no relation to the rest of the quiz.
    rows = [(1, 1, 1), (0, 1, 1), (1, 0, 0), (0, 0, 0), (1, 1, 0), (0, 1, 0)]
    q1 = by_id(item_analysis(HAND_LESSON, class_of(rows)))["q1"]
    assert q1.discrimination == pytest.approx(0.0, abs=1e-9)
    assert [f.kind for f in q1.flags] == ["low_discrimination"]


def test_small_classes_say_too_few_answers_and_raise_no_flags() -> None:
    report = item_analysis(HAND_LESSON, class_of([(1, 0, 0), (0, 1, 0)]))
    q1 = by_id(report)["q1"]
    assert q1.discrimination is None and q1.discrimination_note == TOO_FEW
    assert report.quiz.alpha is None and report.quiz.alpha_note == TOO_FEW
    assert report.flagged == ()
    table = render_table([report])
    assert "too few" in table
    assert "nan" not in table.lower()


def test_no_answers_at_all() -> None:
    report = item_analysis(HAND_LESSON, [])
    assert report.quiz.attempts == 0
    assert report.quiz.mean is None and report.quiz.sd is None
    assert "No answers yet." in render_table([report])
    rows = list(csv.DictReader(io.StringIO(render_csv([report]))))
    assert [r["facility_percent"] for r in rows] == ["", "", ""]
    assert json.loads(render_json([report]))["lessons"][0]["quiz"]["mean"] is None


def test_pearson_and_alpha_refuse_what_they_cannot_compute() -> None:
    assert pearson([1, 0], [1, 0]) is None
    assert pearson([1, 1, 1], [0, 1, 2]) is None
    assert pearson([0, 1, 2], [0, 2, 4]) == pytest.approx(1.0)
    assert pearson([0, 1, 2], [4, 2, 0]) == pytest.approx(-1.0)
    assert cronbach_alpha([[1, 1], [0, 0]]) is None  # two attempts
    assert cronbach_alpha([[1], [0], [1]]) is None  # one question
    assert cronbach_alpha([[1, 0], [1, 0], [1, 0]]) is None  # same total for everyone


def test_histogram_puts_each_score_in_its_bin_and_scales_bars() -> None:
    lines = histogram([0, 5, 9.9, 10, 55, 99.9, 100, 100], width=8)
    assert len(lines) == 10
    count = {line.split("│")[0].strip(): line.split("│")[1] for line in lines}
    assert count["0–9"].endswith(" 3") and count["0–9"].startswith("████████")  # fullest
    assert count["10–19"].endswith(" 1")
    assert count["50–59"].endswith(" 1")
    assert count["90–100"].endswith(" 3")
    assert count["20–29"] == ""
    # 1 of the max 3 on 8 cells: 2 2/3 cells, drawn as 2 full blocks and a partial one.
    assert count["10–19"].startswith("██▋")


def test_table_fits_100_columns_with_long_texts() -> None:
    long = "word " * 60
    lesson = Lesson.model_validate(
        {
            **HAND_LESSON.model_dump(mode="json"),
            "title": long,
            "quiz": {
                "questions": [
                    {
                        "id": "a-very-long-question-identifier-" + "x" * 40,
                        "type": "single",
                        "prompt": long,
                        "choices": [long, long + "!"],
                        "answer": long,
                    }
                ]
            },
        }
    )
    question = lesson.quiz.questions[0]
    records = [
        record(f"s{i}", f"a{i}", question, long if i % 2 else long + "!", 1 - i % 2)
        for i in range(8)
    ]
    table = render_table([item_analysis(lesson, records)])
    assert max(len(line) for line in table.splitlines()) <= 100


def test_demo_class_table_fits_and_shows_the_broken_key(demo: tuple[Path, Path]) -> None:
    _lessons, db = demo
    report = item_analysis(demo_lesson(), load_records(db))
    table = render_table([report])
    assert max(len(line) for line in table.splitlines()) <= 100
    flagged = {q.question_id: [f.kind for f in q.flags] for q in report.flagged}
    assert "negative_discrimination" in flagged["accords-year"]
    assert "wrong_choice" in flagged["accords-year"]
    assert "too_easy" in flagged["ms13-origin"]
    assert "too_hard" in flagged["tco-year"]
    assert report.quiz.students == 30


def test_csv_has_one_row_per_question() -> None:
    report = item_analysis(HAND_LESSON, hand_records())
    rows = list(csv.DictReader(io.StringIO(render_csv([report]))))
    assert [r["question_id"] for r in rows] == ["q1", "q2", "q3"]
    assert rows[0]["facility_percent"] == "80.0"
    assert rows[0]["discrimination"] == "0.535"
    assert rows[0]["choices"] == "A*=4; B=1; C=0"


def test_json_holds_every_figure() -> None:
    data = json.loads(render_json([item_analysis(HAND_LESSON, hand_records())]))
    lesson = data["lessons"][0]
    assert lesson["quiz"]["alpha"] == pytest.approx(0.6923)
    assert lesson["outdated_answers"] == 1
    assert [q["facility"] for q in lesson["questions"]] == [80.0, 60.0, 20.0]


# --------------------------------------------------------------------------- properties

SCORES = st.sampled_from([0.0, 0.25, 0.5, 1.0]) | st.floats(0, 1)


@st.composite
def small_classes(draw: st.DrawFn) -> list[AnswerRecord]:
    """Up to 6 attempts of up to 4 students; each answer present or missing, any score."""
    out = []
    for i in range(draw(st.integers(0, 6))):
        student = f"s{draw(st.integers(0, 3))}"
        finished = draw(st.sampled_from(["2025-01-01T11:00:00Z", None]))
        for question in HAND_LESSON.quiz.questions:
            if draw(st.booleans()):
                out.append(
                    record(
                        student,
                        f"a{i}",
                        question,
                        draw(st.sampled_from(["A", "B", True, False, None, ["x"]])),
                        draw(SCORES),
                        seconds=draw(st.none() | st.floats(0, 600)),
                        started=f"2025-01-01T10:{i:02d}:00Z",
                        finished=finished,
                        question_hash=draw(st.sampled_from([None, "old-version-hash"])),
                    )
                )
    return out


@settings(max_examples=150, deadline=None)
@given(small_classes(), st.sampled_from(["first", "last", "best", "all"]))
def test_small_random_classes_give_finite_figures(records: list[AnswerRecord], rule: Any) -> None:
    report = item_analysis(HAND_LESSON, records, rule)
    for q in report.questions:
        assert q.facility is None or 0.0 <= q.facility <= 100.0
        assert q.discrimination is None or (
            math.isfinite(q.discrimination) and -1.0 <= q.discrimination <= 1.0
        )
        assert (q.discrimination is None) == (q.discrimination_note is not None)
        assert q.answers <= report.quiz.attempts
    quiz = report.quiz
    assert quiz.alpha is None or math.isfinite(quiz.alpha)
    for value in (quiz.mean, quiz.median, quiz.sd):
        assert value is None or (math.isfinite(value) and value >= 0)
    assert all(0.0 <= s <= 100.0 for s in quiz.scores)

    def no_nan(token: str) -> float:
        raise AssertionError(f"{token} in JSON output")

    json.loads(render_json([report]), parse_constant=no_nan)
    assert "nan" not in render_table([report]).lower()
    render_csv([report])


# --------------------------------------------------------------------------- the store and the CLI


class StepClock:
    """A store clock the test sets to each attempt's start time."""

    def __init__(self) -> None:
        self.now = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(milliseconds=1)
        return self.now


def store_records(db: Path, records: Sequence[AnswerRecord]) -> None:
    """Write answer records through the real store: one stored attempt per attempt id,
    started at the record's time, finished when the record says it was."""
    clock = StepClock()
    attempts: dict[str, list[AnswerRecord]] = {}
    for rec in records:
        attempts.setdefault(rec.attempt_id, []).append(rec)
    with Store.open(db, clock=clock) as store:
        for rows in attempts.values():
            first = rows[0]
            clock.now = dt.datetime.fromisoformat(first.attempt_started)
            student = store.student(first.student)
            attempt = store.start_attempt(
                student.id, first.lesson_id, "lesson-hash", 1, [r.question_id for r in rows]
            )
            for r in rows:
                store.record_answer(
                    attempt.id, r.question_id, r.question_hash, r.response, r.score, r.seconds or 0
                )
            if first.attempt_finished is not None:
                store.finish_attempt(attempt.id)


def test_the_hand_data_read_back_from_the_store_gives_the_same_figures(tmp_path: Path) -> None:
    db = tmp_path / "scores.sqlite3"
    records = hand_records()
    store_records(db, records)
    loaded = load_records(db)
    assert len(loaded) == len(records)
    assert {r.response for r in loaded if r.question_id == "q2"} == {True, False}
    assert sum(r.attempt_finished is None for r in loaded) == 1
    report = item_analysis(HAND_LESSON, loaded)
    assert report.quiz.alpha == pytest.approx(0.692308, abs=1e-5)
    assert report.quiz.mean == pytest.approx(53.3333, abs=1e-3)
    assert by_id(report)["q1"].discrimination == pytest.approx(0.534522, abs=1e-5)
    assert report.outdated_answers == 1
    assert report.unfinished_attempts == 1
    # "last" finds s1's second attempt by the stored start times.
    assert item_analysis(HAND_LESSON, loaded, "last").quiz.mean == pytest.approx(33.3333, abs=1e-3)


def answer_all(session: QuizSession, right: set[str]) -> None:
    """Answer every question of a session, right when its id is in ``right``."""
    for question in session.questions:
        if question.id == "q1":
            session.answer("A" if "q1" in right else "B", 5)
        elif question.id == "q2":
            session.answer("q2" in right, 5)
        else:
            session.answer("1992" if "q3" in right else "1990", 5)


def test_retries_of_missed_questions_are_never_a_first_last_or_best_attempt(
    tmp_path: Path,
) -> None:
    db = tmp_path / "scores.sqlite3"
    clock = StepClock()
    with Store.open(db, clock=clock) as store:
        for name, right in (("Ana", {"q1"}), ("Ben", {"q1", "q2"}), ("Cy", set())):
            student = store.student(name)
            session = QuizSession.start(store, student, HAND_LESSON, seed=1)
            answer_all(session, right)
            session.finish()
            clock.now += dt.timedelta(hours=1)
            retry = QuizSession.start(store, student, HAND_LESSON, seed=2, only=session.missed())
            answer_all(retry, {"q1", "q2", "q3"})  # everything right the second time
            retry.finish()
    records = load_records(db)
    assert sum(r.retry for r in records) == 6  # Ana 2, Ben 1, Cy 3
    for rule in ("first", "last", "best", "all"):
        report = item_analysis(HAND_LESSON, records, rule)
        assert report.quiz.attempts == 3, rule
        assert report.retry_attempts == 3
        # Only the full attempts: q1 right for Ana and Ben, q3 for nobody.
        assert by_id(report)["q1"].facility == pytest.approx(200 / 3)
        assert by_id(report)["q3"].facility == 0
    assert "3 retries of missed questions" in render_table([item_analysis(HAND_LESSON, records)])


def test_an_abandoned_attempt_is_not_a_finished_one(tmp_path: Path) -> None:
    db = tmp_path / "scores.sqlite3"
    with Store.open(db) as store:
        student = store.student("Ana")
        session = QuizSession.start(store, student, HAND_LESSON, seed=1)
        session.answer("B", 3)
        session.abandon()  # the store gives it a finished_at time: when it was given up
    records = load_records(db)
    assert [r.attempt_finished for r in records] == [None]
    report = item_analysis(HAND_LESSON, records)
    assert report.quiz.attempts == 0 and report.unfinished_attempts == 1


def test_load_records_explains_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="no score database"):
        load_records(tmp_path / "missing.sqlite3")
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(ReportError, match="not a quizapp score database"):
        load_records(junk)
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()
    with pytest.raises(ReportError, match="not a quizapp score database"):
        load_records(empty)
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE answers (id INTEGER PRIMARY KEY, response TEXT)")
    with pytest.raises(ReportError, match="not a quizapp score database"):
        load_records(other)
    newer = tmp_path / "newer.sqlite3"
    Store.open(newer).close()
    with sqlite3.connect(newer) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(ReportError, match="newer version of quizapp"):
        load_records(newer)


def test_load_records_reads_a_database_of_the_first_schema(tmp_path: Path) -> None:
    old = tmp_path / "v1.sqlite3"
    conn = sqlite3.connect(old)
    for statement in MIGRATIONS[0]:
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO students (name, name_key, created_at, last_active) VALUES"
        " ('Ana', 'Ana', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')"
    )
    conn.execute(
        "INSERT INTO attempts (uuid, student_id, lesson_id, lesson_hash, seed, question_ids,"
        " status, started_at, finished_at, score, max_score) VALUES ('u1', 1, 'hand', 'h', 1,"
        " '[\"q1\"]', 'finished', '2024-01-01T10:00:00Z', '2024-01-01T10:05:00Z', 1, 1)"
    )
    conn.execute(
        "INSERT INTO answers (uuid, attempt_id, question_id, question_hash, response, score,"
        " seconds, answered_at) VALUES ('n1', 1, 'q1', ?, '\"A\"', 1, 4, '2024-01-01T10:01:00Z')",
        (Q1.content_hash(),),
    )
    conn.commit()
    conn.close()
    [only] = load_records(old)
    assert (only.response, only.score, only.retry) == ("A", 1.0, False)
    assert only.attempt_finished is not None


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The generated class of 30 students (only read by the tests that use it)."""
    return write_demo(tmp_path_factory.mktemp("demo"))


def test_report_command_prints_the_table(
    demo: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    lessons, db = demo
    assert main(["report", "--lessons", str(lessons), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "First attempts: 30 students, 30 attempts" in out
    with Store.open(db, create=False) as store:
        attempts = store.history(None)
    retries = sum(a.mode == "retry" for a in attempts)
    unfinished = sum(a.status == "in_progress" for a in attempts)
    assert retries and unfinished
    assert f"{unfinished} unfinished attempts and {retries} retries" in out
    assert "answers to an older version of a question" in out
    assert "accords-year" in out and "check the answer key" in out
    assert "Scores of the first attempts" in out


def test_report_command_csv_and_json(
    demo: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    lessons, db = demo
    args = ["report", "demo-class", "--lessons", str(lessons), "--db", str(db)]
    assert main([*args, "--format", "csv", "--attempts", "all"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == len(demo_lesson().quiz.questions)
    assert {r["attempts_rule"] for r in rows} == {"all"}
    assert main([*args, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["lessons"][0]["lesson_id"] == "demo-class"


def test_report_options_also_work_before_the_command(
    demo: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    lessons, db = demo
    assert main(["--lessons", str(lessons), "--db", str(db), "report", "--format", "csv"]) == 0
    assert "accords-year" in capsys.readouterr().out


def test_report_command_errors(
    demo: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lessons, db = demo
    assert main(["report", "--lessons", str(lessons), "--db", str(tmp_path / "none.db")]) == 2
    assert "no score database" in capsys.readouterr().err
    assert main(["report", "nope", "--lessons", str(lessons), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "no lesson 'nope'" in err and "demo-class" in err
    junk = tmp_path / "junk.db"
    junk.write_text("not sqlite" * 200)
    assert main(["report", "--lessons", str(lessons), "--db", str(junk)]) == 1
    assert "not a quizapp score database" in capsys.readouterr().err


def test_report_command_with_no_answers_yet(
    demo: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lessons, _db = demo
    empty = tmp_path / "empty.sqlite3"
    Store.open(empty).close()
    assert main(["report", "--lessons", str(lessons), "--db", str(empty)]) == 0
    assert "no answers to report on yet" in capsys.readouterr().out


def test_reports_benchmark_runs_quick(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """benchmarks/reports.py on a tiny class: it runs and prints its figures (the figures
    themselves are measured by running it, never asserted)."""
    from benchmarks.reports import main as bench

    figures = bench(["--quick", "--dir", str(tmp_path)])
    assert [f.name.split(",")[0] for f in figures] == [
        "load_records",
        "item analysis of one lesson",
        "gradebook rows",
    ]
    assert all(f.value_ms > 0 for f in figures)
    assert "load_records" in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []  # its temporary database is cleaned up


def test_a_multi_response_of_the_wrong_shape_is_counted_not_a_crash() -> None:
    """A merged or hand-edited score file may hold a multi answer with objects in it."""
    lesson = Lesson.model_validate(
        {
            **HAND_LESSON.model_dump(),
            "quiz": {
                "questions": [
                    {
                        "id": "m",
                        "type": "multi",
                        "prompt": "Pick A and B.",
                        "choices": ["A", "B", "C"],
                        "answer": ["A", "B"],
                    }
                ]
            },
        }
    )
    [multi] = lesson.quiz.questions
    records = [
        record("s1", "a1", multi, ["A", {"text": "B"}, ["C"]], 0.5),
        record("s2", "a2", multi, ["A", "B"], 1.0),
    ]
    [stats] = item_analysis(lesson, records).questions
    assert {c.text: c.count for c in stats.choices} == {"A": 2, "B": 1, "C": 0}


def test_records_of_some_lessons_are_those_of_every_answer_filtered(tmp_path: Path) -> None:
    # The report and the class view read one lesson's answers of a big class, not all of
    # them: the same records, in the same order, as every answer filtered by lesson.
    db = tmp_path / "scores.sqlite3"
    demo = demo_lesson()
    other = demo.model_copy(update={"id": "other-lesson"})
    write_class(db, demo, students=6, seed=3)
    write_class(db, other, students=4, seed=5)
    with Store.open(db) as store:  # an attempt without answers: not an answered lesson
        QuizSession.start(store, store.student("Quiet"), HAND_LESSON, seed=1)
    every = load_records(db)
    for wanted in ({demo.id}, {other.id}, {demo.id, other.id}, set()):
        assert load_records(db, wanted) == [r for r in every if r.lesson_id in wanted]
    assert answered_lessons(db) == {demo.id, other.id}


def test_report_on_one_lesson_still_names_lessons_missing_from_the_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lessons_dir, db = write_demo(tmp_path, students=8)
    with Store.open(db) as store:
        student = store.student("Lost")
        session = QuizSession.start(store, student, HAND_LESSON, seed=1)
        answer_all(session, {"q1"})
        session.finish()
    assert main(["report", "--db", str(db), "--lessons", str(lessons_dir)]) == 0
    captured = capsys.readouterr()
    assert HAND_LESSON.id in captured.err and "Demo" in captured.out


@pytest.mark.parametrize("rule", ["first", "last", "best", "all"])
def test_analysing_a_lesson_from_the_store_gives_the_report_of_every_answer(
    tmp_path: Path, rule: AttemptRule
) -> None:
    # analyse_lesson reads only the attempts the rule keeps (first, last); the report must
    # be the one item_analysis gives over every answer, outdated answers, retries and
    # unfinished attempts counted alike. The demo class has all of those.
    _, db = write_demo(tmp_path, students=24, seed=11)
    lesson = demo_lesson()
    with Store.open(db) as store:  # attempts at another lesson are no one's business here
        session = QuizSession.start(store, store.student("Other"), HAND_LESSON, seed=1)
        answer_all(session, {"q1"})
        session.finish()
    expected = item_analysis(lesson, load_records(db), rule)
    assert expected.outdated_answers and expected.unfinished_attempts
    assert expected.retry_attempts
    assert analyse_lesson(db, lesson, rule) == expected


@pytest.mark.parametrize("rule", ["first", "last"])
def test_attempts_are_tallied_alike_on_either_backend(db: Path | str, rule: AttemptRule) -> None:
    # The tallies (per attempt, its answers to the current and to older versions of each
    # question) are SQL both backends run: the report they lead to must be the one every
    # answer gives, outdated answers, retries and unfinished attempts counted alike.
    lesson = demo_lesson()
    write_class(db, lesson, students=10, seed=5, older=older_demo_lesson(), outdated=3)
    expected = item_analysis(lesson, load_records(db), rule)
    assert expected.outdated_answers and expected.unfinished_attempts
    assert expected.retry_attempts
    assert analyse_lesson(db, lesson, rule) == expected


@pytest.mark.parametrize("rule", ["first", "last"])
def test_answers_whose_question_is_stored_as_a_blob_are_never_current(
    tmp_path: Path, rule: AttemptRule
) -> None:
    # A damaged SQLite file can hold a question id or hash as a blob of the very bytes of
    # the text: the statistics read it as another value (outdated), and so must the tallies.
    _, db = write_demo(tmp_path, students=12, seed=3)
    lesson = demo_lesson()
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE answers SET question_hash = CAST(question_hash AS BLOB) WHERE id % 5 = 0"
        )
        conn.execute("UPDATE answers SET question_id = CAST(question_id AS BLOB) WHERE id % 7 = 1")
    conn.close()
    expected = item_analysis(lesson, load_records(db), rule)
    assert expected.outdated_answers > 20
    assert analyse_lesson(db, lesson, rule) == expected
