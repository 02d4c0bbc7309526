"""The domain is usable without a terminal: no domain module may import Textual, the TUI or
the CLI, checked at run time in a fresh interpreter.

The import contracts (pyproject.toml, `make contracts`) read the same rule from the source;
this test also sees what they cannot: an import made from a string (``importlib``)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import quizapp


def domain_modules() -> list[str]:
    """Every module of the package outside the UI, the CLI and serve, found on disk (so a new module
    is guarded the day it is added), plus ``quizapp.cli`` itself, whose imports are lazy."""
    found = [
        info.name
        for info in pkgutil.walk_packages(quizapp.__path__, "quizapp.")
        if not info.name.startswith(
            ("quizapp.tui", "quizapp.cli", "quizapp.serve", "quizapp.__main__")
        )
    ]
    return [*sorted(found), "quizapp.cli"]


DOMAIN = domain_modules()


def ui_modules_loaded_by(
    module: str, folder: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Import ``module`` (found in ``folder`` if given) in a fresh interpreter; exit 1 and list
    the UI modules (Textual's, the TUI's, and the CLI's unless ``module`` is the CLI) if any
    load."""
    ui = ["textual", "quizapp.tui"] + ([] if module.startswith("quizapp.cli") else ["quizapp.cli"])
    code = (
        "import importlib, sys\n"
        f"sys.path[:0] = {[str(folder)] if folder else []!r}\n"
        f"importlib.import_module({module!r})\n"
        "bad = sorted(m for m in sys.modules\n"
        f"             if any(m == u or m.startswith(u + '.') for u in {ui!r}))\n"
        "print(' '.join(bad)); sys.exit(1 if bad else 0)\n"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)


@pytest.mark.parametrize("module", DOMAIN)
def test_domain_module_does_not_import_the_ui_or_the_cli(module: str) -> None:
    done = ui_modules_loaded_by(module)
    assert done.returncode == 0, f"{module} imports the UI: {done.stdout}{done.stderr}"


def test_the_domain_list_covers_every_package() -> None:
    for package in ("lessons", "store", "reports"):
        assert any(m.startswith(f"quizapp.{package}.") for m in DOMAIN), package


def test_the_guard_sees_the_ui_when_it_is_imported() -> None:
    done = ui_modules_loaded_by("quizapp.tui.app")
    assert done.returncode == 1
    assert "textual" in done.stdout.split()


def test_the_guard_sees_the_cli_loaded_from_a_string(tmp_path: Path) -> None:
    # An import the contracts cannot read: the module name is only known at run time.
    (tmp_path / "sneaky.py").write_text(
        "import importlib\nimportlib.import_module('quizapp.' + 'cli')\n", encoding="utf-8"
    )
    done = ui_modules_loaded_by("sneaky", tmp_path)
    assert done.returncode == 1
    assert "quizapp.cli" in done.stdout.split()
