"""Real processes: a quiz killed with SIGKILL at random points, and two writers at once."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from quizapp.session import QuizSession
from quizapp.store import Store
from tests.support.store import make_lesson

HERE = Path(__file__).resolve().parent / "support"
KILLS = 20

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")


def spawn(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(HERE / script), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=HERE,
    )


def test_answers_survive_sigkill_and_the_attempt_resumes(tmp_path: Path) -> None:
    db = tmp_path / "scores.sqlite3"
    lesson = make_lesson("crash")
    rng = random.Random(20261128)
    reported: dict[str, set[str]] = defaultdict(set)  # attempt uuid -> question ids
    finished: set[str] = set()
    unreported_before = 0
    for kill in range(KILLS):
        child = spawn("crash_child.py", str(db), str(kill))
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready", child.stderr.read()  # type: ignore[union-attr]
        lines = [child.stdout.readline() for _ in range(rng.randrange(0, 12))]
        assert all(lines), child.communicate()[1]  # the child died on its own: show why
        child.send_signal(signal.SIGKILL)
        # The lines printed before the kill that were not read yet. Read through the same
        # file object: communicate() would read the pipe's descriptor and miss what
        # readline() has already buffered (lines the child printed, counted as unreported).
        rest = child.stdout.read()
        child.wait()
        if child.stderr is not None:
            child.stderr.close()
        lines += rest.splitlines(keepends=True)
        for line in lines:
            if not line.endswith("\n"):
                continue  # cut short by the kill
            word, attempt_uuid, *question = line.split()
            if word == "answered":
                reported[attempt_uuid].add(question[0])
            else:
                finished.add(attempt_uuid)
        assert child.returncode == -signal.SIGKILL

        with Store.open(db, create=False) as store:
            assert store.notices == []  # never damaged
            stored = {
                a.uuid: {n.question_id for n in store.answers(a.id)} for a in store.history(None)
            }
            by_uuid = {a.uuid: a for a in store.history(None)}
            for attempt_uuid, questions in reported.items():
                assert questions <= stored[attempt_uuid], f"lost answers after kill {kill}"
            for attempt_uuid in finished:
                assert by_uuid[attempt_uuid].status == "finished"
            # Each kill leaves at most the one answer committed just before it unreported
            # (it stays unreported: the next child resumes after it, so the count only grows).
            unreported = sum(len(stored[u] - reported.get(u, set())) for u in stored)
            assert unreported - unreported_before <= 1, f"kill {kill}"
            unreported_before = unreported
            # The unfinished attempt resumes where it stopped, with its answers kept.
            student = store.find_student("Crash Ténéré")
            assert student is not None
            attempt = store.unfinished_attempt(student.id, lesson.id)
            if attempt is not None:
                session = QuizSession.resume(store, attempt, lesson)
                assert set(session.answered) == stored[attempt.uuid]
                assert session.dropped == []
                order = list(attempt.question_ids)
                expected_next = next((q for q in order if q not in stored[attempt.uuid]), None)
                assert (session.current.id if session.current else None) == expected_next
            reported.update({u: set(q) for u, q in stored.items()})
    assert sum(len(q) for q in reported.values()) > KILLS  # the children did real work


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "scores.sqlite3"
    answers = 150
    writers = [spawn("writer_child.py", str(db), name, str(answers)) for name in ("Ana", "Ben")]
    for writer in writers:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "ready"
    for writer in writers:  # start both together
        assert writer.stdin is not None
        writer.stdin.write("go\n")
        writer.stdin.flush()
    outputs = [writer.communicate(timeout=120) for writer in writers]
    for writer, (out, err) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, out + err
        assert out.strip().endswith(f"done {answers}")
        assert "locked" not in out + err and "Traceback" not in err
    with Store.open(db, create=False) as store:
        names = sorted(s.name for s in store.students())
        assert names == ["Ana", "Ben"]
        rows = list(store.answer_rows())
        assert len(rows) == 2 * answers
        assert {r.student for r in rows} == {"Ana", "Ben"}
        assert all(r.response == f'{{"by": "{r.student}"}}' for r in rows)
        book = store.gradebook("best")
        assert [(r.student, r.attempts, r.best) for r in book] == [
            ("Ana", answers // 10, 100.0),
            ("Ben", answers // 10, 100.0),
        ]
