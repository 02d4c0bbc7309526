"""The `quizapp` command: the TUI by default, and subcommands for instructors.

Each group of subcommands lives in its own module with a ``register(subparsers)`` function,
so that this file only assembles them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from quizapp import __version__
from quizapp.cli import backup as backup_cmds
from quizapp.cli import exports as export_cmds
from quizapp.cli import imports as import_cmds
from quizapp.cli import instructor as instructor_cmds
from quizapp.cli import lessons as lessons_cmds
from quizapp.cli import merge as merge_cmds
from quizapp.cli import regrade as regrade_cmds
from quizapp.cli import review as review_cmds
from quizapp.cli import run as run_cmd
from quizapp.cli import scores as scores_cmds
from quizapp.cli import serve as serve_cmds
from quizapp.cli import students as students_cmds
from quizapp.cli.options import CommandError

_GROUPS = (
    lessons_cmds,
    instructor_cmds,
    import_cmds,
    scores_cmds,
    export_cmds,
    merge_cmds,
    regrade_cmds,
    review_cmds,
    backup_cmds,
    students_cmds,
    serve_cmds,
    run_cmd,
)


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (also used by tests)."""
    parser = argparse.ArgumentParser(
        prog="quizapp",
        description="Lessons and quizzes on US–Central America security history, in the terminal.",
    )
    parser.add_argument("--version", action="version", version=f"quizapp {__version__}")
    run_cmd.add_app_options(parser)
    parser.set_defaults(handler=run_cmd.run_app)
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for group in _GROUPS:
        group.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the chosen command; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.handler(args)
    except CommandError as error:
        print(error, file=sys.stderr)
        return error.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # Output piped into `head` and friends: not an error worth a traceback.
        sys.stderr.close()
        return 1
    return code
