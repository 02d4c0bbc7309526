"""What every command shares, defined once: the ``--db``, ``--lessons``, ``--out`` and
``--format`` options, and the rules for what a user gets wrong on a command line.

The rules (each exits 2, the code of a bad command line, with one line naming the problem):

- an unknown id (a lesson, a student): ``no lesson 'cicg'; did you mean 'cicig'?``;
- a missing path: ``no such file or folder: PATH``; a symlink loop says so;
- ``--out`` into a folder that does not exist: refused, never created behind the user's back.

A command raises :class:`CommandError`; :func:`quizapp.cli.main` prints it and exits.
"""

from __future__ import annotations

import errno
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from quizapp.paths import DbTarget
from quizapp.wording import did_you_mean

if TYPE_CHECKING:
    import argparse

__all__ = [
    "CommandError",
    "add_db",
    "add_format",
    "add_lessons",
    "add_out",
    "existing_db",
    "lessons_folder",
    "missing_path",
    "out_problem",
    "unknown_id",
    "warn",
]


class CommandError(Exception):
    """A problem with what the user asked for: printed as ``quizapp COMMAND: message``."""

    def __init__(self, command: str, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.command, self.message, self.code = command, message, code

    def __str__(self) -> str:
        return (
            f"quizapp {self.command}: {self.message}"
            if self.command
            else f"quizapp: {self.message}"
        )


def warn(command: str, message: str) -> None:
    """A line on standard error that does not stop the command (control characters from a
    file name or a score file removed)."""
    from quizapp.text import clean

    print(clean(f"quizapp {command}: {message}", multiline=True), file=sys.stderr)


# --------------------------------------------------------------------------- options
# On a subcommand the default is SUPPRESS, so a value given before the command
# (`quizapp --db X scores`) is kept rather than reset by the subcommand's default.


def add_db(parser: argparse.ArgumentParser, *, top_level: bool = False) -> None:
    """``--db PATH``: the score database (a SQLite file, or a ``postgresql://`` URL, kept
    as the text it is: a path would fold the URL's ``//``)."""
    import argparse  # here: a student's start reads its options without it (cli/run.py)

    parser.add_argument(
        "--db",
        type=str,
        metavar="PATH",
        default=None if top_level else argparse.SUPPRESS,
        help="score database: a file, or postgresql://USER@HOST/DB (default: $QUIZAPP_DB, "
        "else the user's data folder)",
    )


def add_lessons(
    parser: argparse.ArgumentParser,
    help_text: str = "lessons folder (default: $QUIZAPP_LESSONS, ./lessons, else the "
    "lessons that come with quizapp)",
    *,
    top_level: bool = False,
) -> None:
    """``--lessons DIR``: the lessons folder."""
    import argparse

    parser.add_argument(
        "--lessons",
        type=Path,
        metavar="DIR",
        default=None if top_level else argparse.SUPPRESS,
        help=help_text,
    )


def add_out(parser: argparse.ArgumentParser) -> None:
    """``--out FILE``: where an export goes (standard output without it)."""
    parser.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="write to FILE, in a folder that exists (default: standard output)",
    )


def add_format(
    parser: argparse.ArgumentParser, choices: Sequence[str], default: str, help_text: str
) -> None:
    """``--format``: how a command prints its result."""
    parser.add_argument("--format", choices=tuple(choices), default=default, help=help_text)


# --------------------------------------------------------------------------- rules


def missing_path(path: Path) -> str | None:
    """Why ``path`` cannot be read (missing, a symlink loop, ...), or None if it is there."""
    try:
        path.stat()
    except OSError as error:
        if error.errno == errno.ELOOP:
            return f"{path} is a symlink loop (a link that leads back to itself)"
        if error.errno in (errno.ENOENT, errno.ENOTDIR):
            return f"no such file or folder: {path}"
        return f"cannot read {path}: {error.strerror or error}"
    return None


def out_problem(out: Path | None) -> str | None:
    """Why an export cannot be written to ``--out``, or None. A missing folder is refused:
    a typo in a folder name should not make a new folder somewhere unexpected."""
    if out is None:
        return None
    if out.is_dir():
        return f"--out {out} is a folder; give a file name, e.g. {out / 'export.csv'}"
    folder = out.parent
    if not folder.is_dir():
        problem = missing_path(folder) or f"{folder} is not a folder"
        return f"cannot write {out}: {problem} (create the folder first)"
    return None


def unknown_id(what: str, wanted: str, known: Iterable[str], where: str = "") -> str:
    """``no lesson 'cicg' in lessons/; did you mean 'cicig'?``, else the known ids."""
    known = sorted(set(known))
    hint = did_you_mean(wanted, known)
    place = f" in {where}" if where else ""
    if hint:
        return f"no {what} {wanted!r}{place}{hint}"
    listed = ", ".join(known[:20]) + (", ..." if len(known) > 20 else "")
    return f"no {what} {wanted!r}{place} (known: {listed or 'none'})"


def lessons_folder(command: str, flag: Path | None) -> Path:
    """The lessons folder to use (``--lessons``, else the default); a missing one is an error
    (exit 2), named, with where the default would have been."""
    from quizapp.paths import default_lessons_dir

    folder = flag if flag is not None else default_lessons_dir()
    problem = missing_path(folder)
    if problem:
        raise CommandError(command, f"lessons folder: {problem}")
    if not folder.is_dir():
        raise CommandError(command, f"--lessons {folder} is a file; give the folder it is in")
    return folder


def existing_db(command: str, flag: str | Path | None) -> DbTarget:
    """The score database a read-only command reads; a missing file is an error (exit 2).
    A PostgreSQL URL is returned as it is (the store says if nothing is there)."""
    from quizapp.paths import resolve_db_path

    path = resolve_db_path(flag)
    if isinstance(path, str):
        return path
    problem = missing_path(path)
    if problem:
        raise CommandError(
            command,
            f"no score database at {path}: scores are stored there when students take a "
            "quiz (use --db PATH or set $QUIZAPP_DB)"
            + ("" if problem.startswith("no such") else f"; {problem}"),
        )
    return path


def check_lesson_ids(
    command: str,
    folder: Path,
    broken: int,
    wanted: Sequence[str],
    known: Iterable[str],
) -> bool:
    """Warn about the ``broken`` lesson files left out for their problems, and about every
    id of ``wanted`` that is not among ``known``; True when every wanted id is known."""
    if broken:
        count = broken
        warn(
            command,
            f"{count} lesson file{'s' if count != 1 else ''} with problems left "
            f"out (run `quizapp validate {folder}`)",
        )
    known_ids = list(known)
    missing = [lesson_id for lesson_id in wanted if lesson_id not in known_ids]
    for lesson_id in missing:
        warn(command, unknown_id("lesson", lesson_id, known_ids, str(folder)))
    return not missing


def no_lesson_files(command: str, folder: Path) -> CommandError:
    """The error of an instructor command run on a folder with no lesson file in it."""
    return CommandError(
        command,
        f"no lesson files (*.yaml) in {folder}; start one with `quizapp new ID --lessons {folder}`",
    )
