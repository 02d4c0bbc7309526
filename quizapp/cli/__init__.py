"""The `quizapp` command: the TUI by default, and subcommands for instructors.

Each group of subcommands lives in its own module with a ``register(subparsers)`` function,
so that this file only assembles them. A student's ``quizapp [--student NAME] ...`` names no
subcommand: it is parsed first by a parser of the app's own options, and the subcommands'
modules are imported (and their parsers built, about 10 ms of every start) only when the
arguments are anything else, which the full parser then reads, errors and help included.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from quizapp import __version__
from quizapp.cli import run as run_cmd
from quizapp.cli.options import CommandError


def _groups() -> tuple[Any, ...]:
    """The modules of the subcommands, in the order ``quizapp --help`` lists them."""
    from quizapp.cli import backup as backup_cmds
    from quizapp.cli import exports as export_cmds
    from quizapp.cli import imports as import_cmds
    from quizapp.cli import instructor as instructor_cmds
    from quizapp.cli import lessons as lessons_cmds
    from quizapp.cli import merge as merge_cmds
    from quizapp.cli import regrade as regrade_cmds
    from quizapp.cli import review as review_cmds
    from quizapp.cli import scores as scores_cmds
    from quizapp.cli import serve as serve_cmds
    from quizapp.cli import students as students_cmds

    return (
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


class _NotTheAppAlone(Exception):
    """The arguments are not the app's options alone: the full parser reads them."""


class _AppParser(argparse.ArgumentParser):
    """The app's own options (no subcommand, no help): anything it cannot read goes to the
    full parser, which says what is wrong exactly as it always did."""

    def error(self, message: str) -> NoReturn:
        raise _NotTheAppAlone(message)


def _app_arguments(argv: Sequence[str]) -> argparse.Namespace | None:
    """``argv`` read as the student's app, or None when it holds anything else."""
    parser = _AppParser(prog="quizapp", add_help=False, exit_on_error=False)
    run_cmd.add_app_options(parser)
    parser.set_defaults(handler=run_cmd.run_app)
    try:
        args, extra = parser.parse_known_args(argv)
    except (_NotTheAppAlone, argparse.ArgumentError):
        return None
    return None if extra else args


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
    for group in _groups():
        group.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the chosen command; returns the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    args = _app_arguments(argv) or build_parser().parse_args(argv)
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
