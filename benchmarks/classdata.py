"""A generated class for item-analysis tests and demos: 30 students answering a demo lesson.

The class is written through the real score store and quiz sessions
(:class:`quizapp.store.Store`, :class:`quizapp.session.QuizSession`), exactly as the app
records a quiz: each student is a stored profile, each attempt is started by a session (its
own question and choice order), each answer is graded by the session and committed by the
store. So whatever reads the file (``quizapp report``, the class view) reads what a real
class would leave behind.

Students answer as in item response theory: each has an ability, each question a difficulty
(and a slope), and the chance of knowing the answer is logistic in ability minus difficulty.
A student who does not know picks a plausible wrong answer.

The demo lesson has an easy question, a hard one, a common misconception and ONE QUESTION
WITH A DELIBERATELY WRONG ANSWER KEY (``accords-year``: the key says 1996, the Chapultepec
accords were signed in 1992), so a report on it shows every kind of flag. It is test data,
never a lesson to teach. Some students retake the quiz, a few retry only the questions they
missed, two leave an attempt unfinished, and the first four took the quiz before the
instructor reworded its last question.

Run it to make a demo folder for ``quizapp report`` and ``quizapp --instructor``::

    .venv/bin/python benchmarks/classdata.py /tmp/demo
    .venv/bin/quizapp report --lessons /tmp/demo/lessons --db /tmp/demo/scores.sqlite3
"""

from __future__ import annotations

import datetime as dt
import math
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from quizapp.lessons.model import (
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
from quizapp.paths import DbTarget
from quizapp.session import QuizSession
from quizapp.store import Store

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


# The last question as it read before the instructor reworded it: the first students
# answered this version, and the report must leave those answers out.
OLD_PRESIDENTS_PROMPT = "Match the presidents and the policies."
# Thirty names as students type them (accents, apostrophes, one in brackets).
CLASS_NAMES = (
    "Ana Beltrán",
    "Bruno Castillo",
    "Camila Díaz",
    "Diego Estrada",
    "Elena Flores",
    "Fernando Gómez",
    "Gabriela Hernández",
    "Héctor Ibarra",
    "Isabel Jiménez",
    "Javier López",
    "Karla Martínez",
    "Luis Navarro",
    "María Ortega",
    "Nicolás Peña",
    "Olivia Quintero",
    "Pablo Ramírez",
    "Quinn O'Neil",
    "Rosa Sánchez",
    "Santiago Torres",
    "Teresa Ureña",
    "Ulises Vargas",
    "Valeria Wong",
    "Walter Ximénez",
    "Ximena Yáñez",
    "Yolanda Zamora",
    "Zoë Alvarado",
    "Álvaro Bonilla",
    "Beatriz Cruz",
    "Carlos Duarte",
    "[Dani] Ulloa",
)


@dataclass
class ClassClock:
    """The store's clock while a class is generated: set to when each attempt starts, and
    moved on by the time each answer takes (and a millisecond per write, so every stored
    time is distinct)."""

    now: dt.datetime

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(milliseconds=1)
        return self.now


def demo_lesson() -> Lesson:
    """The demo lesson (validated by the schema; its `accords-year` key is wrong on purpose)."""
    return Lesson.model_validate(yaml.safe_load(DEMO_LESSON_YAML))


def older_demo_lesson() -> Lesson:
    """The demo lesson before its last question was reworded."""
    text = DEMO_LESSON_YAML.replace(
        "Match each president with the policy of his government.", OLD_PRESIDENTS_PROMPT
    )
    return Lesson.model_validate(yaml.safe_load(text))


def write_class(
    db_path: DbTarget,
    lesson: Lesson,
    *,
    students: int = 30,
    seed: int = 7,
    items: dict[str, tuple[float, float]] | None = None,
    miskeyed: dict[str, Any] | None = None,
    misconceptions: dict[str, Any] | None = None,
    retake_share: float = 0.3,
    retries: int = 3,
    unfinished: int = 2,
    older: Lesson | None = None,
    outdated: int = 4,
    start: dt.datetime | None = None,
) -> None:
    """Record a class taking ``lesson``'s quiz in the score database at ``db_path`` (a
    SQLite file or a PostgreSQL URL).

    Each student takes the whole quiz once, some (``retake_share``) twice, two days apart,
    after reading the cards again. ``items`` gives each question's (difficulty, slope),
    default (0, 1.2); ``miskeyed`` maps a question id to the response students who know the
    fact give (where the lesson's key is wrong); ``misconceptions`` maps a question id to
    the wrong answer most others give. The first ``retries`` students who missed something
    then retry only the questions they missed; the first ``unfinished`` students start one
    more attempt, answer a question and close the app. With ``older``, the first
    ``outdated`` students took their first attempt on that older version of the lesson.
    """
    rng = random.Random(seed)
    items = items if items is not None else {}
    miskeyed = miskeyed or {}
    misconceptions = misconceptions or {}
    start = start or dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)
    clock = ClassClock(start)
    retried = 0

    def take(session: QuizSession, ability: float) -> None:
        for question in session.questions:
            difficulty, slope = items.get(question.id, (0.0, 1.2))
            knows = rng.random() < _logistic(slope * (ability - difficulty))
            response = _response(
                rng, question, knows, miskeyed.get(question.id), misconceptions.get(question.id)
            )
            seconds = round(rng.lognormvariate(math.log(18 + 6 * max(difficulty, 0)), 0.4), 1)
            clock.now += dt.timedelta(seconds=seconds)
            session.answer(response, seconds)

    with Store.open(db_path, clock=clock) as store, store.batch():
        for s in range(students):
            name = CLASS_NAMES[s] if s < len(CLASS_NAMES) else f"Student {s + 1}"
            clock.now = start + dt.timedelta(minutes=7 * s)
            student = store.student(name)
            ability = rng.gauss(0.0, 1.0)
            tries = 2 if rng.random() < retake_share else 1
            session: QuizSession | None = None
            for attempt_no in range(tries):
                version = older if older is not None and s < outdated and not attempt_no else lesson
                clock.now = start + dt.timedelta(days=2 * attempt_no, minutes=7 * s)
                session = QuizSession.start(store, student, version, seed=rng.randrange(2**31))
                take(session, ability + 0.6 * attempt_no)  # a retake after reading again
                session.finish()
            missed = session.missed() if session is not None else []
            if missed and retried < retries:
                retried += 1
                clock.now += dt.timedelta(minutes=5)
                retry = QuizSession.start(store, student, lesson, seed=s, only=missed)
                take(retry, ability + 0.8)
                retry.finish()
        for k in range(min(unfinished, students)):  # answered one question, closed the app
            clock.now = start + dt.timedelta(days=5, minutes=k)
            student = store.student(CLASS_NAMES[k % len(CLASS_NAMES)])
            session = QuizSession.start(store, student, lesson, seed=1000 + k)
            first = session.questions[0]
            session.answer(_response(rng, first, rng.random() < 0.5, None, None), 12.0)


def write_demo_class(db_path: Path, students: int = 30, seed: int = 7) -> Lesson:
    """The demo class in ``db_path``; returns the (current) demo lesson.

    With 30 students, chance alone often flags a sound question or two (a discrimination
    index is uncertain by about 0.2 at this size). Seed 7 is one whose class shows just the
    three problems built into the lesson (an easy question, a hard one, a wrong key); other
    seeds show those plus a few chance flags.
    """
    lesson = demo_lesson()
    write_class(
        db_path,
        lesson,
        students=students,
        seed=seed,
        items=DEMO_ITEMS,
        miskeyed=DEMO_MISKEYED,
        misconceptions=DEMO_MISCONCEPTIONS,
        older=older_demo_lesson(),
    )
    return lesson


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


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


def write_course(db_path: Path, lessons: list[Lesson], students: int = 30, seed: int = 7) -> None:
    """The same class also taking ``lessons`` (real ones, say), fewer students the later the
    lesson (as in a course under way), for a gradebook with many columns."""
    for number, lesson in enumerate(lessons):
        write_class(
            db_path,
            lesson,
            students=max(1, students - 3 * number),
            seed=seed + 100 * (number + 1),
            start=dt.datetime(2025, 3, 10 + 2 * number, 9, 0, tzinfo=dt.UTC),
        )


def write_demo(folder: Path, students: int = 30, seed: int = 7) -> tuple[Path, Path]:
    """Write the demo lesson to ``folder/lessons`` and its class to ``folder/scores.sqlite3``
    (a new database: an old one there is replaced)."""
    lessons = folder / "lessons"
    lessons.mkdir(parents=True, exist_ok=True)
    (lessons / "demo-class.yaml").write_text(DEMO_LESSON_YAML, encoding="utf-8")
    db = folder / "scores.sqlite3"
    for old in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        old.unlink(missing_ok=True)
    write_demo_class(db, students, seed)
    return lessons, db


if __name__ == "__main__":
    # benchmarks/classdata.py FOLDER [LESSONS_DIR]: the demo class in FOLDER; with LESSONS_DIR,
    # its lessons are copied beside the demo lesson and the class takes them too.
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "demo-class")
    lessons_dir, db_path = write_demo(target)
    if len(sys.argv) > 2:
        from quizapp.lessons.loader import load_paths

        loaded = load_paths([Path(sys.argv[2])])
        for path in loaded.paths.values():
            (lessons_dir / path.name).write_bytes(path.read_bytes())
        write_course(db_path, loaded.lessons)
    print(f"quizapp report --lessons {lessons_dir} --db {db_path}")
