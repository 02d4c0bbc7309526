"""Child process for the crash test: answers quiz questions into a database until killed.

Usage: python crash_child.py DB_PATH SEED

Prints ``ready`` once the database is open, then after each answer is committed a line
``answered ATTEMPT_UUID QUESTION_ID``, and ``finished ATTEMPT_UUID`` after finishing an
attempt, flushing each line. It resumes the unfinished attempt if there is one (as the app
offers to), so every run continues where the killed one stopped.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from quizapp.session import QuizSession
from quizapp.store import Store
from tests.support.store import make_lesson, right_response, wrong_response


def main() -> None:
    db_path, seed = Path(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    lesson = make_lesson("crash")
    with Store.open(db_path) as store:
        student = store.student("Crash Ténéré")
        print("ready", flush=True)
        while True:
            attempt = store.unfinished_attempt(student.id, lesson.id)
            if attempt is None:
                session = QuizSession.start(store, student, lesson, seed=rng.randrange(2**31))
            else:
                session = QuizSession.resume(store, attempt, lesson)
            while (question := session.current) is not None:
                response = (
                    right_response(question) if rng.random() < 0.6 else wrong_response(question)
                )
                session.answer(response, rng.uniform(0.5, 30.0))
                print(f"answered {session.attempt.uuid} {question.id}", flush=True)
            session.finish()
            print(f"finished {session.attempt.uuid}", flush=True)


if __name__ == "__main__":
    main()
