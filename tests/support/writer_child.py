"""Child process for the two-writer test: many small committed writes to a shared database.

Usage: python writer_child.py DB STUDENT_NAME ANSWERS   (DB: a file, or a postgresql:// URL)

Prints ``ready`` once the database is open, waits for a line on stdin (so that both
writers start together), then records ANSWERS answers, each its own transaction, in
attempts of 10 questions, reading the student's history between attempts. Exits 0 and
prints ``done N`` if every write succeeded; any StoreError is printed and exits 1.
"""

from __future__ import annotations

import sys

from quizapp.store import Store, StoreError


def main() -> int:
    db_path, name, total = sys.argv[1], sys.argv[2], int(sys.argv[3])
    try:
        with Store.open(db_path) as store:
            print("ready", flush=True)
            sys.stdin.readline()
            student = store.student(name)
            written = 0
            while written < total:
                ids = [f"q{i}" for i in range(min(10, total - written))]
                attempt = store.start_attempt(student.id, "shared", "lh", written, ids)
                for qid in ids:
                    store.record_answer(attempt.id, qid, "qh", {"by": name}, 1.0, 0.5)
                    written += 1
                store.finish_attempt(attempt.id)
                store.history(student.id)
                store.gradebook()
            print(f"done {written}", flush=True)
    except StoreError as error:
        print(f"error: {error}", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
