"""`make bench`: every benchmark, one table of medians with their floors and ratios.

python -m benchmarks            # the full run (several minutes)
python -m benchmarks --quick    # tiny input: checks that each benchmark runs
"""

from __future__ import annotations

import argparse
import contextlib
import io
import platform
from collections.abc import Sequence

from benchmarks import (
    backends,
    classscale,
    interaction,
    merge,
    reports,
    review,
    serve,
    startup,
    store,
    validate,
)
from benchmarks.common import Figure, print_table

SUITES = (
    ("start-up", startup),
    ("interaction", interaction),
    ("validate", validate),
    ("score store", store),
    ("score store, SQLite and PostgreSQL", backends),
    ("reports", reports),
    ("merge", merge),
    ("class scale", classscale),
    ("serve", serve),
    ("spaced review", review),
)


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    """Run every benchmark (each prints its own table quietly) and print one table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny input, for the smoke test")
    args = parser.parse_args(argv)
    extra = ["--quick"] if args.quick else []
    everything: list[Figure] = []
    for title, module in SUITES:
        print(f"running {title} ...", flush=True)
        with contextlib.redirect_stdout(io.StringIO()):
            figures = module.main(extra)
        everything.append(Figure(f"[{title}]", float("nan")))
        everything.extend(figures)
    print()
    print(
        f"quizapp benchmarks on {platform.machine()} {platform.system()}, "
        f"Python {platform.python_version()} (medians; compare ratios, machines are noisy)"
    )
    print_table([f for f in everything if f.value_ms == f.value_ms or f.name.startswith("[")])
    return everything


if __name__ == "__main__":
    main()
