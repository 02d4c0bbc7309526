"""``quizapp students ...`` (the class roster and PINs) and ``quizapp instructor
set-passphrase`` (the class view's passphrase).

A PIN is printed once, when made, and stored only as a salted scrypt hash
(:mod:`quizapp.store`); with anyone on the roster, the app asks for name and PIN.
"""

from __future__ import annotations

import argparse
import csv
import getpass
import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from quizapp.cli import options
from quizapp.paths import resolve_db_path
from quizapp.store import Store, StoreError
from quizapp.text import clean
from quizapp.wording import plural

__all__ = ["parse_roster", "register"]

_NAME_HEADERS = {"name", "student", "student name", "full name"}
_ID_HEADERS = {"id", "student id", "student_id", "number", "student number"}
_EMAIL_HEADERS = {"email", "e-mail", "mail"}
_MAX_ROWS = 5000


def register(subparsers: Any) -> None:
    """Add ``students`` and ``instructor`` to the ``quizapp`` parser."""
    students = subparsers.add_parser(
        "students",
        help="the class roster: add students, import a CSV, list, give a new PIN",
        description="With anyone on the roster, the app asks each student for name and PIN. "
        "A PIN is printed once and stored only as a salted hash: hand it to the student.",
    )
    sub = students.add_subparsers(title="commands", metavar="COMMAND", required=True)
    add = sub.add_parser("add", help="put students on the roster and print their PINs")
    add.add_argument("names", nargs="+", metavar="NAME")
    imp = sub.add_parser(
        "import",
        help="put everyone in a CSV on the roster (name, optional student id and email)",
        description="Read a CSV with a header row naming the columns: name (or student), and "
        "optionally id (or student id) and email; or no header and the columns in that "
        "order. All rows are added, or none: a bad row is reported with its line number.",
    )
    imp.add_argument("csv", type=Path, metavar="ROSTER.csv")
    sub.add_parser("list", help="everyone on the roster (never their PINs)")
    reset = sub.add_parser("reset-pin", help="give a student a new PIN (and lift a lockout)")
    reset.add_argument("name", metavar="NAME")
    for parser in (add, imp, reset, sub.choices["list"]):
        options.add_db(parser)
    add.set_defaults(handler=_run(_add, "students add"))
    imp.set_defaults(handler=_run(_import, "students import"))
    sub.choices["list"].set_defaults(handler=_run(_list, "students list"))
    reset.set_defaults(handler=_run(_reset, "students reset-pin"))

    instructor = subparsers.add_parser(
        "instructor", help="the instructor's passphrase, which guards the class view"
    )
    isub = instructor.add_subparsers(title="commands", metavar="COMMAND", required=True)
    passphrase = isub.add_parser(
        "set-passphrase",
        help="set the passphrase the class view asks for (typed twice, never shown)",
    )
    options.add_db(passphrase)
    passphrase.set_defaults(handler=_run(_set_passphrase, "instructor set-passphrase"))


def _run(
    action: Callable[[Store, argparse.Namespace], int], name: str
) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        command = f"quizapp {name}"
        try:
            with Store.open(resolve_db_path(getattr(args, "db", None))) as store:
                return action(store, args)
        except StoreError as error:
            print(f"{command}: {error}", file=sys.stderr)
            return 1

    return handler


def _print_pins(pins: list[tuple[str, str]]) -> None:
    print("Hand each student their PIN; it is shown only now (reset-pin makes a new one):")
    width = max(len(clean(name)) for name, _ in pins)
    for name, pin in pins:
        print(f"  {clean(name):<{width}}  {pin}")


def _add(store: Store, args: argparse.Namespace) -> int:
    pins = store.enrol([(name, None, None) for name in args.names])
    _print_pins(pins)
    return 0


def parse_roster(text: str) -> tuple[list[tuple[str, str | None, str | None]], list[str]]:
    """The rows of a roster CSV (a byte-order mark is ignored) and the problems found, each
    naming its line; rows are ``(name, student id, email)``."""
    text = text.removeprefix("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    problems: list[str] = []
    if not rows:
        return [], ["the file is empty"]
    head = [cell.strip().lower() for cell in rows[0]]
    columns = {"name": 0, "id": 1, "email": 2}
    start = 0
    if any(h in _NAME_HEADERS for h in head):
        start = 1
        columns = {"name": -1, "id": -1, "email": -1}
        for index, cell in enumerate(head):
            for key, names in (
                ("name", _NAME_HEADERS),
                ("id", _ID_HEADERS),
                ("email", _EMAIL_HEADERS),
            ):
                if cell in names and columns[key] < 0:
                    columns[key] = index
    entries: list[tuple[str, str | None, str | None]] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(rows[start:], start=start + 1):
        if not any(cell.strip() for cell in row):
            continue

        name = _cell(row, columns["name"])
        if name is None:
            problems.append(f"line {line}: no name")
            continue
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in "".join(row)):
            problems.append(f"line {line}: control characters")
            continue
        email = _cell(row, columns["email"])
        if email is not None and ("@" not in email or " " in email):
            problems.append(f"line {line}: {clean(email)!r} is not an email address")
            continue
        key = " ".join(name.casefold().split())
        if key in seen:
            problems.append(f"line {line}: {clean(name)!r} already on line {seen[key]}")
            continue
        seen[key] = line
        entries.append((name, _cell(row, columns["id"]), email))
    if len(entries) > _MAX_ROWS:
        problems.append(f"more than {_MAX_ROWS} students")
    return entries, problems


def _cell(row: list[str], index: int) -> str | None:
    return (row[index].strip() or None) if 0 <= index < len(row) else None


def _import(store: Store, args: argparse.Namespace) -> int:
    path: Path = args.csv
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = "not UTF-8 text" if isinstance(error, UnicodeDecodeError) else error.strerror
        print(f"quizapp students import: cannot read {path}: {reason}", file=sys.stderr)
        return 2
    entries, problems = parse_roster(text)
    if problems:
        print(f"quizapp students import: {path}: nothing was imported:", file=sys.stderr)
        for problem in problems[:20]:
            print(f"  {problem}", file=sys.stderr)
        return 1
    pins = store.enrol(entries)
    print(f"Imported {plural(len(pins), 'student')} from {path}.")
    _print_pins(pins)
    return 0


def _list(store: Store, args: argparse.Namespace) -> int:
    del args
    entries = store.roster()
    if not entries:
        print(
            "Nobody is on the roster: the app asks for a name only. Add students with "
            "quizapp students add NAME... or quizapp students import roster.csv."
        )
        return 0
    for entry in entries:
        extra = "  ".join(clean(v) for v in (entry.student_number, entry.email) if v)
        lock = f"  locked until {entry.locked_until:%H:%M} UTC" if entry.locked_until else ""
        print(f"{clean(entry.name)}  {extra}{lock}".rstrip())
    return 0


def _reset(store: Store, args: argparse.Namespace) -> int:
    pin = store.reset_pin(args.name)
    _print_pins([(args.name, pin)])
    return 0


def _set_passphrase(store: Store, args: argparse.Namespace) -> int:
    del args
    try:
        first = getpass.getpass("New instructor passphrase (at least 8 characters): ")
        second = getpass.getpass("The same again: ")
    except EOFError:
        print("quizapp instructor set-passphrase: no passphrase given", file=sys.stderr)
        return 2
    if first != second:
        print("quizapp instructor set-passphrase: the two differ; nothing changed", file=sys.stderr)
        return 1
    store.set_instructor_passphrase(first)
    print("The class view (quizapp --instructor, and i in the app) now asks for it.")
    return 0
