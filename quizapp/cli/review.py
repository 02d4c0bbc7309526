"""``quizapp review`` (the app, opened on a review of the due items) and ``quizapp due``
(the spaced-review items due now, per student and lesson). See docs/review.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from quizapp import review
from quizapp.cli import options
from quizapp.text import clean

__all__ = ["add_review_limit", "register", "run_due", "run_review"]


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError("must be from 1 to 1000")
    return value


def add_review_limit(parser: argparse.ArgumentParser, *, top_level: bool = False) -> None:
    """``--review-limit N``: items per review session."""
    parser.add_argument(
        "--review-limit",
        type=_limit,
        metavar="N",
        default=review.DEFAULT_REVIEW_LIMIT if top_level else argparse.SUPPRESS,
        help=f"items per review session (default {review.DEFAULT_REVIEW_LIMIT})",
    )


def register(subparsers: Any) -> None:
    """Add ``review`` and ``due`` to the ``quizapp`` parser."""
    session = subparsers.add_parser(
        "review",
        help="open the app on a review of the items due now",
        description="Open quizapp on a spaced review of the items due now, across lessons, "
        "oldest due first (see docs/review.md).",
    )
    options.add_lessons(session)
    options.add_db(session)
    session.add_argument(
        "--student", default=argparse.SUPPRESS, metavar="NAME", help="start as this student"
    )
    add_review_limit(session)
    session.set_defaults(handler=run_review)

    due = subparsers.add_parser(
        "due",
        help="print the review items due now, per lesson",
        description="Print how many spaced-review items are due now, per student and lesson "
        "(see docs/review.md).",
    )
    options.add_db(due)
    due.add_argument(
        "--student", default=argparse.SUPPRESS, metavar="NAME", help="only this student"
    )
    options.add_format(due, ("table", "json"), "table", "table (default) or json")
    due.set_defaults(handler=run_due)


def _fail(message: str, code: int = 1) -> int:
    print(clean(f"quizapp due: {message}", multiline=True), file=sys.stderr)
    return code


def run_due(args: argparse.Namespace) -> int:
    """``quizapp due``: due counts per student and lesson, as a table or JSON."""
    from quizapp.store import Store, StoreError

    path = options.existing_db("due", getattr(args, "db", None))
    try:
        with Store.open(path, readonly=True) as store:
            for notice in store.notices:
                print(notice, file=sys.stderr)
            names = {s.id: s.name for s in store.students()}
            now = store.review_now()
            wanted = getattr(args, "student", None)
            if wanted is not None:
                found = store.find_student(wanted)
                if found is None:
                    return _fail(options.unknown_id("student", wanted, names.values()), 2)
                state = review.summary(store, found.id, now)
                rows = [(found.id, lesson, n) for lesson, n in sorted(state.per_lesson.items())]
                next_due = state.next_due
            else:
                rows = store.class_due_counts(now)
                next_due = None
    except StoreError as error:
        return _fail(str(error))
    if args.format == "json":
        data: dict[str, Any] = {
            "due": [
                {"student": names.get(s, ""), "lesson": lesson, "due": n} for s, lesson, n in rows
            ],
            "total": sum(n for _, _, n in rows),
        }
        if wanted is not None:
            data["next_due"] = None if next_due is None else next_due.isoformat()
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        text = "Nothing is due for review."
        if next_due is not None:
            text += f" Next: {next_due.strftime('%Y-%m-%d %H:%M')} UTC."
        print(text)
        return 0
    width = max(len("student"), *(len(clean(names.get(s, ""))) for s, _, _ in rows))
    lesson_width = max(len("lesson"), *(len(clean(lesson)) for _, lesson, _ in rows))
    print(f"{'student':<{width}}  {'lesson':<{lesson_width}}  due")
    for s, lesson, n in rows:
        print(f"{clean(names.get(s, '')):<{width}}  {clean(lesson):<{lesson_width}}  {n}")
    return 0


def run_review(args: argparse.Namespace) -> int:
    """``quizapp review``: the app, opened on a review after sign-in."""
    from quizapp.paths import resolve_db_path
    from quizapp.tui.app import make_app

    app = make_app(
        lessons_dir=options.lessons_folder("review", getattr(args, "lessons", None)),
        db_path=resolve_db_path(getattr(args, "db", None)),
        student=getattr(args, "student", None),
    )
    app.review_limit = args.review_limit
    app.start_in_review = True
    app.run()
    return app.return_code or 0
