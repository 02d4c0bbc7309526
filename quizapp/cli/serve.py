"""``quizapp serve``: the app in the browser for a class on one server (see docs/serve.md)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from quizapp.cli import options

__all__ = ["register", "run_serve"]


def register(subparsers: Any) -> None:
    """Add ``serve`` to the ``quizapp`` parser."""
    serve = subparsers.add_parser(
        "serve",
        help="run the app in the browser: one app per tab, all on one score database",
        description="Serve the app over HTTP with textual-serve: each browser tab runs its own "
        "app, all writing to one score database. Students sign in with name and PIN (make a "
        "roster first: quizapp students add / import); the class view is at /instructor "
        "when the instructor's passphrase is set. Bind to 127.0.0.1 unless behind a reverse "
        "proxy with HTTPS (docs/serve.md).",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (8000)")
    options.add_db(serve)
    options.add_lessons(serve)
    serve.add_argument(
        "--no-sign-in",
        action="store_true",
        help="serve without a roster (allowed on a loopback address only)",
    )
    serve.set_defaults(handler=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    """Check the plan (roster, port), print the address and serve until Ctrl-C."""
    from quizapp.paths import resolve_db_path
    from quizapp.serve import ServeError, check_serve, run_server

    lessons = options.lessons_folder("quizapp serve", getattr(args, "lessons", None))
    db = resolve_db_path(getattr(args, "db", None))
    try:
        plan = check_serve(
            args.host,
            args.port,
            db if isinstance(db, str) else db.resolve(),
            lessons.resolve(),
            no_sign_in=args.no_sign_in,
        )
    except ServeError as error:
        print(f"quizapp serve: {error}", file=sys.stderr)
        return 2
    try:
        run_server(plan)
    except OSError as error:
        print(f"quizapp serve: cannot listen on {plan.address}: {error.strerror}", file=sys.stderr)
        return 1
    return 0
