"""``quizapp [--lessons DIR] [--db PATH] [--student NAME] [--review-limit N] [--instructor]``
is read without argparse (:func:`quizapp.cli.run.app_options`, issue 19). Whatever it
accepts, it must read exactly as the full parser does; whatever it is not sure of, it leaves
to the full parser (None), which answers as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from quizapp.cli import build_parser, main
from quizapp.cli.run import AppOptions, app_options
from quizapp.review import DEFAULT_REVIEW_LIMIT

NAMES = ["--lessons", "--db", "--student", "--review-limit", "--instructor"]
# Near misses the full parser reads differently (abbreviations, help) or refuses.
OTHERS = ["--stud", "--less", "-h", "--help", "--version", "--", "-", "validate", "scores"]
VALUES = st.sampled_from(
    ["Ana", "Zoë O'Brien", "lessons", "/tmp/x y", "a=b", "-x", "--db", "", "7", "0", "1000",
     "1001", " 5", "+5", "٣", "postgresql://u:p@h/db?x=y", "[bold]x[/]"]
)  # fmt: skip
TOKENS = st.one_of(
    st.sampled_from(NAMES + OTHERS),
    st.builds(lambda n, v: f"{n}={v}", st.sampled_from(NAMES), VALUES),
    VALUES,
)


def as_full_parser_reads(argv: list[str]) -> AppOptions | None:
    """``argv`` through the full parser, as AppOptions (None: it exits, or runs a command)."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit:
        return None
    if not hasattr(args, "instructor") or args.handler.__name__ != "run_app":
        return None
    return AppOptions(
        lessons=args.lessons,
        db=args.db,
        student=args.student,
        review_limit=args.review_limit,
        instructor=args.instructor,
    )


def fields(options: AppOptions) -> tuple[object, ...]:
    limit = DEFAULT_REVIEW_LIMIT if options.review_limit is None else options.review_limit
    return options.lessons, options.db, options.student, limit, options.instructor


@settings(max_examples=300, deadline=None)
@given(st.lists(TOKENS, max_size=6))
@example(["--student", "Ana", "--lessons", "lessons", "--db", "x.sqlite3"])
@example(["--student=Ana", "--review-limit", "5", "--student", "Bo", "--instructor"])
def test_what_the_app_reads_itself_the_full_parser_reads_alike(argv: list[str]) -> None:
    mine = app_options(argv)
    if mine is None:
        return  # the full parser reads it, as it always did
    theirs = as_full_parser_reads(argv)
    assert theirs is not None, argv
    assert fields(mine) == fields(theirs)


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--student", "Ana"],
        ["--student=Ana", "--lessons", "lessons", "--db", "postgresql://u:p@h/db"],
        ["--instructor", "--db", "class.sqlite3"],
        ["--review-limit", "5", "--student", "Zoë O'Brien"],
    ],
)
def test_a_students_usual_command_lines_are_read_without_the_full_parser(argv: list[str]) -> None:
    assert app_options(argv) is not None


@pytest.mark.parametrize(
    "argv",
    [
        ["--stud", "Ana"],  # an abbreviation: argparse's to expand
        ["--student"],
        ["--student", "-x"],
        ["--review-limit", "0"],
        ["--review-limit", "٣"],
        ["--instructor=yes"],
        ["--help"],
        ["scores"],
    ],
)
def test_anything_else_goes_to_the_full_parser(argv: list[str]) -> None:
    assert app_options(argv) is None


def test_a_bad_review_limit_is_still_refused_with_the_full_parsers_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--review-limit", "0", "--lessons", str(tmp_path)])
    assert exited.value.code == 2
    assert "argument --review-limit: must be from 1 to 1000" in capsys.readouterr().err
