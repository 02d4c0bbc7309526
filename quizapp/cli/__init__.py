"""The `quizapp` command: the TUI by default, and subcommands for instructors.

Each group of subcommands lives in its own module with a ``register(subparsers)`` function,
so that this file only assembles them. A student's ``quizapp [--student NAME] ...`` names no
subcommand: it is read first by :func:`quizapp.cli.run.app_options`, a reader of the app's
own options written out in full, and ``argparse``, the subcommands' modules and their
parsers (about 12 ms of every start) are imported and built only when the arguments are
anything else, which the full parser then reads, errors and help included.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from quizapp import __version__
from quizapp.cli import run as run_cmd
from quizapp.cli.options import CommandError

if TYPE_CHECKING:
    import argparse


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


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (also used by tests)."""
    import argparse

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
    app = run_cmd.app_options(argv)
    try:
        code = run_cmd.start_app(app) if app is not None else _run_parsed(argv)
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


def _run_parsed(argv: list[str]) -> int:
    """Anything but the app's own options: the full parser reads ``argv`` (its errors, help
    and version exit here) and the chosen command runs."""
    args = build_parser().parse_args(argv)
    code: int = args.handler(args)
    return code
