"""The domain is usable without a terminal: no domain module may import Textual."""

from __future__ import annotations

import subprocess
import sys

import pytest

DOMAIN = [
    "quizapp.model",
    "quizapp.checks",
    "quizapp.loader",
    "quizapp.grading",
    "quizapp.paths",
    "quizapp.cli",
]
OPTIONAL = ["quizapp.session", "quizapp.store", "quizapp.reports", "quizapp.gift"]


@pytest.mark.parametrize("module", DOMAIN + OPTIONAL)
def test_domain_module_does_not_import_textual(module: str) -> None:
    code = (
        "import importlib, importlib.util, sys\n"
        f"if importlib.util.find_spec({module!r}) is None: sys.exit(3)\n"
        f"importlib.import_module({module!r})\n"
        "bad = sorted(m for m in sys.modules\n"
        "             if m.split('.')[0] == 'textual' or m.startswith('quizapp.tui'))\n"
        "print(' '.join(bad)); sys.exit(1 if bad else 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    if done.returncode == 3 and module in OPTIONAL:
        pytest.skip(f"{module} does not exist yet")
    assert done.returncode == 0, f"{module} imports the UI: {done.stdout}{done.stderr}"
