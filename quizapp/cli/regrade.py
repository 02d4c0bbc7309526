"""``quizapp regrade [LESSON ...] [--dry-run]``: regrade stored answers after a key fix.

See :mod:`quizapp.regrade` for which answers are regraded (a changed key alone) and which
are only reported (a changed prompt or choices); the store logs every change.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from quizapp.cli import options
from quizapp.text import clean

__all__ = ["register", "run_regrade"]


def register(subparsers: Any) -> None:
    """Add ``regrade`` to the ``quizapp`` parser."""
    regrade = subparsers.add_parser(
        "regrade",
        help="regrade stored answers to questions whose answer key was fixed",
        description="Regrade the stored answers to questions whose answer key changed "
        "(matched by question id). Answers to a question whose prompt or choices changed are "
        "reported, not regraded. Answers are never rewritten, only their grades; every "
        "change is logged in the database.",
    )
    regrade.add_argument("lesson_ids", nargs="*", metavar="LESSON", help="lessons (default: all)")
    regrade.add_argument(
        "--dry-run", action="store_true", help="say what would change; change nothing"
    )
    options.add_db(regrade)
    options.add_lessons(regrade, "lessons folder with the fixed keys")
    regrade.set_defaults(handler=run_regrade)


def _percent(score: float) -> str:
    return f"{100 * score:.0f}%"


def run_regrade(args: argparse.Namespace) -> int:
    """Plan the regrade of each lesson, print it, and apply it unless ``--dry-run``."""
    from quizapp.lessons.loader import load_paths
    from quizapp.regrade import plan
    from quizapp.store import Store, StoreError

    folder = options.lessons_folder("regrade", getattr(args, "lessons", None))
    db = options.existing_db("regrade", getattr(args, "db", None))
    loaded = load_paths([folder])
    lessons = {lesson.id: lesson for lesson in loaded.lessons}
    for wanted in args.lesson_ids:
        if wanted not in lessons:
            message = options.unknown_id("lesson", wanted, lessons, str(folder))
            raise options.CommandError("regrade", message)
    chosen = [lessons[i] for i in args.lesson_ids] if args.lesson_ids else list(lessons.values())
    try:
        with Store.open(db) as store:
            total = 0
            for lesson in chosen:
                regrade = plan(lesson, store.lesson_answers(lesson.id))
                for (question_id, _), count in sorted(regrade.reported.items()):
                    print(
                        clean(
                            f"{lesson.id} / {question_id}: {count} answer(s) to an earlier "
                            "version whose prompt or choices differ: reported, not regraded."
                        )
                    )
                if not regrade.versions:
                    continue
                for change in regrade.changes:
                    print(
                        clean(
                            f"{lesson.id} / {change.question_id}: {change.student}: "
                            f"{_percent(change.old_score)} -> {_percent(change.new_score)}"
                        )
                    )
                total += len(regrade.changes)
                if not args.dry_run:
                    store.apply_regrade(
                        lesson.id,
                        regrade.versions,
                        [
                            (c.answer_id, c.question_id, c.old_score, c.new_score)
                            for c in regrade.changes
                        ],
                    )
    except StoreError as error:
        print(clean(f"quizapp regrade: {error}"), file=sys.stderr)
        return 1
    verb = "would change" if args.dry_run else "changed"
    print(
        f"{total} grade(s) {verb}." + (" Nothing was written (--dry-run)." if args.dry_run else "")
    )
    return 0
