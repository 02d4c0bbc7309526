"""The domain is usable without a terminal: no domain module may import Textual."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import quizapp


def domain_modules() -> list[str]:
    """Every module of the package outside the UI and the CLI, found on disk (so a new module
    is guarded the day it is added), plus ``quizapp.cli`` itself, whose imports are lazy."""
    found = [
        info.name
        for info in pkgutil.walk_packages(quizapp.__path__, "quizapp.")
        if not info.name.startswith(("quizapp.tui", "quizapp.cli", "quizapp.__main__"))
    ]
    return [*sorted(found), "quizapp.cli"]


DOMAIN = domain_modules()


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


def test_the_domain_list_covers_every_package() -> None:
    for package in ("lessons", "store", "reports"):
        assert any(m.startswith(f"quizapp.{package}.") for m in DOMAIN), package


def test_the_guard_sees_the_ui_when_it_is_imported() -> None:
    done = ui_modules_loaded_by("quizapp.tui.app")
    assert done.returncode == 1
    assert "textual" in done.stdout.split()
