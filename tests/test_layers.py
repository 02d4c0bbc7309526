"""The domain is usable without a terminal: no domain module may import Textual."""

from __future__ import annotations

import subprocess
import sys

import pytest

DOMAIN = [
    "quizapp.model",
    "quizapp.checks",
    "quizapp.loader",
    "quizapp.yamlread",
    "quizapp.wording",
    "quizapp.catalog",
    "quizapp.grading",
    "quizapp.paths",
    "quizapp.session",
    "quizapp.store",
    "quizapp.store_records",
    "quizapp.store_schema",
    "quizapp.store_file",
    "quizapp.store_merge",
    "quizapp.store_base",
    "quizapp.store_attempts",
    "quizapp.store_views",
    "quizapp.reports",
    "quizapp.report_types",
    "quizapp.report_stats",
    "quizapp.report_render",
    "quizapp.gift",
    "quizapp.cli",
]


def ui_modules_loaded_by(module: str) -> subprocess.CompletedProcess[str]:
    """Import ``module`` in a fresh interpreter; exit 1 and list UI modules if any load."""
    code = (
        "import importlib, sys\n"
        f"importlib.import_module({module!r})\n"
        "bad = sorted(m for m in sys.modules\n"
        "             if m.split('.')[0] == 'textual' or m.startswith('quizapp.tui'))\n"
        "print(' '.join(bad)); sys.exit(1 if bad else 0)\n"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)


@pytest.mark.parametrize("module", DOMAIN)
def test_domain_module_does_not_import_textual(module: str) -> None:
    done = ui_modules_loaded_by(module)
    assert done.returncode == 0, f"{module} imports the UI: {done.stdout}{done.stderr}"


def test_the_guard_sees_the_ui_when_it_is_imported() -> None:
    done = ui_modules_loaded_by("quizapp.tui.app")
    assert done.returncode == 1
    assert "textual" in done.stdout.split()
