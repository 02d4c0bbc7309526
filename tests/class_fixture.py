"""A generated class for item-analysis tests and demos: 30 students answering a demo lesson.

Students answer as in item response theory: each has an ability, each question a difficulty
(and a slope), and the chance of knowing the answer is logistic in ability minus difficulty.
A student who does not know picks a plausible wrong answer. Every response is graded by
:func:`quizapp.grading.grade`, so the scores are what the app would store.

The demo lesson has an easy question, a hard one, a common misconception and ONE QUESTION
WITH A DELIBERATELY WRONG ANSWER KEY (``accords-year``: the key says 1996, the Chapultepec
accords were signed in 1992), so a report on it shows every kind of flag. It is test data,
never a lesson to teach.

Also here: the tables the score store is expected to have (:func:`create_expected_schema`),
so tests and demos can write a database that :func:`quizapp.reports.load_records` reads.

Run it to make a demo folder for ``quizapp report``::

    .venv/bin/python tests/class_fixture.py /tmp/demo
    .venv/bin/quizapp report --lessons /tmp/demo/lessons --db /tmp/demo/scores.sqlite3
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import sqlite3
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from quizapp.grading import grade
from quizapp.model import (
    Lesson,
    MatchQuestion,
    MultiQuestion,
    NumberQuestion,
    OrderQuestion,
    Question,
    SingleQuestion,
    TextQuestion,
    TrueFalseQuestion,
)
from quizapp.reports import AnswerRecord

DEMO_LESSON_YAML = """\
# Test data for quizapp report: NOT a lesson to teach. Question `accords-year` has a
# deliberately wrong answer key (the accords were signed in 1992, not 1996).
id: demo-class
title: "Demo: El Salvador from war to Mano Dura"
summary: A short demo lesson used to show the instructor report on a generated class.
minutes: 10
sources:
  - id: wp-civil-war
    title: Salvadoran Civil War
    publisher: Wikipedia
    url: https://en.wikipedia.org/wiki/Salvadoran_Civil_War
  - id: wp-chapultepec
    title: Chapultepec Peace Accords
    publisher: Wikipedia
    url: https://en.wikipedia.org/wiki/Chapultepec_Peace_Accords
  - id: wp-ms13
    title: MS-13
    publisher: Wikipedia
    url: https://en.wikipedia.org/wiki/MS-13
  - id: wp-mano-dura
    title: Mano Dura
    publisher: Wikipedia
    url: https://en.wikipedia.org/wiki/Mano_Dura
  - id: wp-iirira
    title: Illegal Immigration Reform and Immigrant Responsibility Act of 1996
    publisher: Wikipedia
    url: https://en.wikipedia.org/wiki/Illegal_Immigration_Reform_and_Immigrant_Responsibility_Act_of_1996
cards:
  - title: The war and the peace
    body: El Salvador's civil war ended with the Chapultepec Peace Accords of 16 January 1992.
    sources: [wp-civil-war, wp-chapultepec]
  - title: A gang from Los Angeles
    body: MS-13 began in Los Angeles among youths from Salvadoran refugee families.
    sources: [wp-ms13]
quiz:
  pass_mark: 60
  questions:
    - id: ms13-origin
      type: single
      prompt: Where did MS-13 begin?
      choices: [Los Angeles, San Salvador, Tegucigalpa, Guatemala City]
      answer: Los Angeles
      explanation: It began in Los Angeles and spread to Central America later.
      sources: [wp-ms13]
      card: 2
    - id: accords-year
      type: single
      prompt: In what year were the Chapultepec Peace Accords signed?
      choices: ["1989", "1992", "1996"]
      answer: "1996"   # DELIBERATELY WRONG KEY: the report must flag this question
      explanation: The accords ended El Salvador's civil war.
      sources: [wp-chapultepec]
      card: 1
    - id: mano-dura
      type: multi
      prompt: Which of these were true of Plan Mano Dura?
      choices:
        - President Francisco Flores launched it in 2003
        - Suspects could be arrested for their appearance
        - {text: It was a truce between the gangs, feedback: "That was the 2012 truce."}
        - The Supreme Court upheld the first anti-gang law
      answer:
        - President Francisco Flores launched it in 2003
        - Suspects could be arrested for their appearance
      explanation: The Supreme Court declared the first anti-gang law unconstitutional in 2004.
      sources: [wp-mano-dura]
    - id: romero
      type: true_false
      prompt: Archbishop Óscar Romero was assassinated while saying Mass.
      answer: true
      explanation: A death squad killed him on 24 March 1980.
      sources: [wp-civil-war]
    - id: iirira
      type: text
      prompt: Which 1996 US law widened the crimes that trigger deportation? (its acronym)
      accept: [IIRIRA, Illegal Immigration Reform and Immigrant Responsibility Act]
      explanation: IIRIRA was signed on 30 September 1996.
      sources: [wp-iirira]
    - id: tco-year
      type: number
      prompt: In what year did the US Treasury designate MS-13 a transnational criminal group?
      answer: 2012
      explanation: It was the first street gang to be given that label.
      sources: [wp-ms13]
    - id: timeline
      type: order
      prompt: Put these in order, earliest first.
      items:
        - Archbishop Romero is assassinated
        - The Chapultepec Peace Accords are signed
        - IIRIRA is signed
        - Plan Mano Dura is launched
      explanation: 1980, 1992, 1996, 2003.
      sources: [wp-civil-war]
    - id: presidents
      type: match
      prompt: Match each president with the policy of his government.
      pairs:
        Francisco Flores: Plan Mano Dura
        Antonio Saca: Super Mano Dura
        Mauricio Funes: the gang truce
      explanation: Mano Dura (2003), Super Mano Dura (2004), the truce (2012).
      sources: [wp-mano-dura]
"""

# Difficulty (b) and slope (a) of each demo question; the student's ability is N(0, 1).
DEMO_ITEMS: dict[str, tuple[float, float]] = {
    "ms13-origin": (-2.6, 1.5),  # nearly everyone knows it: flagged too easy
    "accords-year": (-0.3, 1.6),  # miskeyed: the students who know pick 1992
    "mano-dura": (-0.4, 1.4),
    "romero": (-1.0, 1.2),
    "iirira": (0.2, 1.8),
    "tco-year": (2.2, 1.2),  # few remember the year: flagged too hard
    "timeline": (-0.2, 1.3),
    "presidents": (0.0, 1.5),
}
# What students who know the fact answer where the key is wrong.
DEMO_MISKEYED: dict[str, Any] = {"accords-year": "1992"}
# Wrong answers students who do not know tend to give (a misconception), per question.
DEMO_MISCONCEPTIONS: dict[str, Any] = {"ms13-origin": "San Salvador", "iirira": "AEDPA"}


def demo_lesson() -> Lesson:
    """The demo lesson (validated by the schema; its `accords-year` key is wrong on purpose)."""
    return Lesson.model_validate(yaml.safe_load(DEMO_LESSON_YAML))


def simulate_class(
    lesson: Lesson,
    *,
    students: int = 30,
    seed: int = 10,
    items: dict[str, tuple[float, float]] | None = None,
    miskeyed: dict[str, Any] | None = None,
    misconceptions: dict[str, Any] | None = None,
    retake_share: float = 0.3,
    unfinished: int = 2,
    outdated: int = 4,
    start: dt.datetime | None = None,
) -> list[AnswerRecord]:
    """Answers of a class to ``lesson``: one finished attempt per student, some retakes.

    ``items`` gives each question's (difficulty, slope), default (0, 1.2); ``miskeyed`` maps a
    question id to the response students who know the fact give (where the lesson's key is
    wrong); ``misconceptions`` maps a question id to the wrong answer most others give. Also
    ``unfinished`` abandoned attempts and ``outdated`` answers to an older version of the
    first question (as if the instructor edited it), which the report must leave out.
    """
    rng = random.Random(seed)
    items = items if items is not None else {}
    miskeyed = miskeyed or {}
    misconceptions = misconceptions or {}
    start = start or dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)
    records: list[AnswerRecord] = []
    questions = lesson.quiz.questions
    for s in range(students):
        student = f"student-{s + 1:02d}"
        ability = rng.gauss(0.0, 1.0)
        tries = 2 if rng.random() < retake_share else 1
        for attempt_no in range(tries):
            began = start + dt.timedelta(days=attempt_no * 2, minutes=7 * s)
            ended = began + dt.timedelta(minutes=6)
            attempt_id = f"{student}-{attempt_no + 1}"
            for question in questions:
                difficulty, slope = items.get(question.id, (0.0, 1.2))
                learned = 0.6 * attempt_no  # a retake after reading the cards again
                knows = rng.random() < _logistic(slope * (ability + learned - difficulty))
                response = _response(
                    rng, question, knows, miskeyed.get(question.id), misconceptions.get(question.id)
                )
                seconds = round(rng.lognormvariate(math.log(18 + 6 * max(difficulty, 0)), 0.4), 1)
                records.append(
                    AnswerRecord(
                        student=student,
                        attempt_id=attempt_id,
                        lesson_id=lesson.id,
                        question_id=question.id,
                        question_hash=question.content_hash(),
                        response=response,
                        score=grade(question, response).score,
                        seconds=seconds,
                        attempt_started=_iso(began),
                        attempt_finished=_iso(ended),
                    )
                )
    for k in range(unfinished):  # started, answered the first question, closed the app
        question = questions[0]
        response = _response(rng, question, rng.random() < 0.5, None, None)
        began = start + dt.timedelta(days=5, minutes=k)
        records.append(
            AnswerRecord(
                student=f"student-{k + 1:02d}",
                attempt_id=f"unfinished-{k + 1}",
                lesson_id=lesson.id,
                question_id=question.id,
                question_hash=question.content_hash(),
                response=response,
                score=grade(question, response).score,
                seconds=12.0,
                attempt_started=_iso(began),
                attempt_finished=None,
            )
        )
    # The first few students answered an older wording of the last question.
    target = questions[-1].id
    changed = 0
    for i, record in enumerate(records):
        if changed < outdated and record.question_id == target:
            records[i] = replace(record, question_hash="0ld0ld0ld0ld0ld0")
            changed += 1
    return records


def demo_class(students: int = 30, seed: int = 10) -> tuple[Lesson, list[AnswerRecord]]:
    """The demo lesson and a generated class's answers to it."""
    lesson = demo_lesson()
    records = simulate_class(
        lesson,
        students=students,
        seed=seed,
        items=DEMO_ITEMS,
        miskeyed=DEMO_MISKEYED,
        misconceptions=DEMO_MISCONCEPTIONS,
    )
    return lesson, records


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _response(
    rng: random.Random, question: Question, knows: bool, true_answer: Any, misconception: Any
) -> Any:
    """What a student answers: the right answer if they know it, else a plausible mistake."""
    if true_answer is not None and isinstance(question, SingleQuestion):
        # The key is wrong: those who know give the true answer, the others guess among
        # the rest, the key included.
        others = [c.text for c in question.options if c.text != true_answer]
        return true_answer if knows else rng.choice(others)
    match question:
        case SingleQuestion():
            if knows:
                return question.answer
            wrong = [c.text for c in question.options if c.text != question.answer]
            if misconception is not None and rng.random() < 0.6:
                return misconception
            return rng.choice(wrong)
        case MultiQuestion():
            if knows:
                return list(question.answer)
            picked = [c.text for c in question.options if rng.random() < 0.45]
            return picked or [question.options[0].text]
        case TrueFalseQuestion():
            return question.answer if knows else (rng.random() < 0.35) == question.answer
        case TextQuestion():
            if knows:
                return rng.choice([question.accept[0], question.accept[0].lower()])
            return misconception if misconception and rng.random() < 0.5 else "I don't know"
        case NumberQuestion():
            if knows:
                return (
                    str(int(question.answer)) if question.answer.is_integer() else question.answer
                )
            return str(int(question.answer + rng.choice([-9, -4, -2, -1, 1, 3, 6])))
        case OrderQuestion():
            if knows:
                return list(question.items)
            shuffled = list(question.items)
            rng.shuffle(shuffled)
            return shuffled
        case MatchQuestion():
            if knows:
                return dict(question.pairs)
            partners = list(question.pairs.values())
            rng.shuffle(partners)
            return dict(zip(question.pairs, partners, strict=True))
    return None  # pragma: no cover - the union is exhaustive


# ----------------------------------------------------------------------------------------
# FIXTURE OF THE EXPECTED SCORE-STORE SCHEMA. The score store (quizapp/store.py) is built
# separately; these are the tables quizapp.reports.load_records reads, written here so the
# report can be tested end to end. If the store's real schema differs, adjust both this
# fixture and reports.RECORDS_SQL.
EXPECTED_SCHEMA = """
CREATE TABLE students (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE attempts (
    id INTEGER PRIMARY KEY,
    student_id INTEGER NOT NULL REFERENCES students(id),
    lesson_id TEXT NOT NULL,
    lesson_hash TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL
);
CREATE TABLE answers (
    id INTEGER PRIMARY KEY,
    attempt_id INTEGER NOT NULL REFERENCES attempts(id),
    question_id TEXT NOT NULL,
    question_hash TEXT NOT NULL,
    response_json TEXT NOT NULL,
    score REAL NOT NULL,
    seconds REAL,
    answered_at TEXT NOT NULL
);
"""


def create_expected_schema(conn: sqlite3.Connection) -> None:
    """Create the tables the report expects the score store to have."""
    conn.executescript(EXPECTED_SCHEMA)


def write_score_db(path: Path, records: Sequence[AnswerRecord], lesson_hash: str = "") -> None:
    """Write ``records`` into a new database at ``path`` with the expected schema."""
    conn = sqlite3.connect(path)
    try:
        create_expected_schema(conn)
        students: dict[str, int] = {}
        attempts: dict[str, int] = {}
        for record in records:
            if record.student not in students:
                cursor = conn.execute("INSERT INTO students (name) VALUES (?)", (record.student,))
                students[record.student] = int(cursor.lastrowid or 0)
            if record.attempt_id not in attempts:
                cursor = conn.execute(
                    "INSERT INTO attempts (student_id, lesson_id, lesson_hash, started_at,"
                    " finished_at, status) VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        students[record.student],
                        record.lesson_id,
                        lesson_hash,
                        record.attempt_started,
                        record.attempt_finished,
                        "finished" if record.attempt_finished else "in_progress",
                    ),
                )
                attempts[record.attempt_id] = int(cursor.lastrowid or 0)
            conn.execute(
                "INSERT INTO answers (attempt_id, question_id, question_hash, response_json,"
                " score, seconds, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    attempts[record.attempt_id],
                    record.question_id,
                    record.question_hash,
                    json.dumps(record.response),
                    record.score,
                    record.seconds,
                    record.attempt_started,
                ),
            )
        conn.commit()
    finally:
        conn.close()


def write_demo(folder: Path, students: int = 30, seed: int = 10) -> tuple[Path, Path]:
    """Write the demo lesson to ``folder/lessons`` and its class to ``folder/scores.sqlite3``."""
    lesson, records = demo_class(students, seed)
    lessons = folder / "lessons"
    lessons.mkdir(parents=True, exist_ok=True)
    (lessons / f"{lesson.id}.yaml").write_text(DEMO_LESSON_YAML, encoding="utf-8")
    db = folder / "scores.sqlite3"
    if db.exists():
        db.unlink()
    write_score_db(db, records, lesson.content_hash())
    return lessons, db


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "demo-class")
    lessons_dir, db_path = write_demo(target)
    print(f"quizapp report --lessons {lessons_dir} --db {db_path}")
