"""The static guard rails of the architecture: no import cycle in the domain, no private name
taken across a package, and import contracts (pyproject.toml) that really catch what they name.

`make contracts` runs the contracts on the tree as it is; these tests check what the contracts
cannot (cycles, private names) and that each contract breaks when its rule is broken, so a
contract that a typo has made toothless fails here instead of passing quietly.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent

# One import that breaks each contract, by contract id: (file, the line appended to it).
VIOLATIONS: dict[str, tuple[str, str]] = {
    "domain-without-ui": ("quizapp/paths.py", "import textual"),
    "layers": ("quizapp/tui/app.py", "import quizapp.cli"),
    "store-below-its-callers": ("quizapp/store/merge.py", "import quizapp.session"),
    "lessons-without-scores": ("quizapp/lessons/files.py", "import quizapp.store"),
    "sql-in-the-store-only": ("quizapp/grading.py", "import sqlite3"),
    "store-face": ("quizapp/session.py", "from quizapp.store.views import ViewsMixin"),
    "reports-face": (
        "quizapp/cli/scores.py",
        "from quizapp.reports.stats import pearson",
    ),
    "app-apart": ("quizapp/wording.py", "import benchmarks"),
    "benchmarks-apart": ("benchmarks/common.py", "from tests.support import store"),
}


def contracts() -> dict[str, str]:
    """The contracts of pyproject.toml: their name by id."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {c["id"]: c["name"] for c in config["tool"]["importlinter"]["contracts"]}


def not_python(folder: str, names: list[str]) -> set[str]:
    """What copy_sources leaves out of ``folder``: all but Python files and their packages."""
    return {
        name
        for name in names
        if name in ("__pycache__", "__snapshots__", "fixtures")
        or (not name.endswith(".py") and not Path(folder, name).is_dir())
    }


def copy_sources(target: Path) -> None:
    """Copy the three root packages' Python files and pyproject.toml into ``target``."""
    for package in ("quizapp", "benchmarks", "tests"):
        shutil.copytree(ROOT / package, target / package, ignore=not_python)
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")


def lint_imports(folder: Path) -> subprocess.CompletedProcess[str]:
    """Run lint-imports on the tree in ``folder`` (it puts its working folder first on the
    path, so the copy is analysed, not the installed package)."""
    return subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache", "--no-logo"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
        # Wide enough that no contract's name and verdict are wrapped apart.
        env={**os.environ, "COLUMNS": "250", "NO_COLOR": "1"},
    )


def test_every_contract_breaks_when_its_rule_is_broken(tmp_path: Path) -> None:
    names = contracts()
    assert set(VIOLATIONS) == set(names), "each contract needs a violation in VIOLATIONS"
    copy_sources(tmp_path)
    for file, line in VIOLATIONS.values():
        with (tmp_path / file).open("a", encoding="utf-8") as out:
            out.write(f"\n{line}\n")

    done = lint_imports(tmp_path)

    assert done.returncode == 1, done.stdout + done.stderr
    verdicts = dict(re.findall(r"^(.+?) (KEPT|BROKEN)\b", done.stdout, flags=re.MULTILINE))
    kept = [name for name in names.values() if verdicts.get(name) != "BROKEN"]
    assert not kept, f"not broken by their violation: {kept}\n{done.stdout}"


def test_psycopg_outside_the_store_breaks_the_sql_contract(tmp_path: Path) -> None:
    """The SQL contract forbids both drivers: psycopg alone, planted in a command, breaks it."""
    copy_sources(tmp_path)
    with (tmp_path / "quizapp/cli/scores.py").open("a", encoding="utf-8") as out:
        out.write("\nimport psycopg\n")

    done = lint_imports(tmp_path)

    verdicts = dict(re.findall(r"^(.+?) (KEPT|BROKEN)\b", done.stdout, flags=re.MULTILINE))
    assert verdicts.get(contracts()["sql-in-the-store-only"]) == "BROKEN", done.stdout
    assert done.returncode == 1


def owner(module: str) -> str:
    """The unit a module belongs to: ``quizapp.store`` for ``quizapp.store.views``,
    ``quizapp.grading`` for itself."""
    return ".".join(module.split(".")[:2])


def module_name(path: Path, root: Path) -> str:
    """``quizapp.store.views`` for ``root/quizapp/store/views.py``."""
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def private_imports(path: Path) -> Iterator[tuple[int, str, str]]:
    """Each ``from quizapp.x import _name`` in ``path``: line, module, name."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] != "quizapp":
                continue
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    yield node.lineno, node.module, alias.name


def cross_package_private_imports(root: Path) -> list[str]:
    """Private names the app's modules take from another package or module of the app."""
    found = []
    for path in sorted((root / "quizapp").rglob("*.py")):
        importer = module_name(path, root)
        for line, module, name in private_imports(path):
            if owner(module) != owner(importer):
                found.append(f"{path.relative_to(root)}:{line}: {name} from {module}")
    return found


def uncommented_private_imports(root: Path) -> list[str]:
    """Private names of the app that a benchmark imports without a comment above the import."""
    found = []
    for path in sorted((root / "benchmarks").rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for line, module, name in private_imports(path):
            if line < 2 or not lines[line - 2].lstrip().startswith("#"):
                found.append(f"{path.relative_to(root)}:{line}: {name} from {module}")
    return found


def test_no_private_name_crosses_a_package() -> None:
    assert cross_package_private_imports(ROOT) == []


def test_a_benchmark_says_why_it_reads_a_private_name() -> None:
    assert uncommented_private_imports(ROOT) == []


def import_cycles(graph: grimp.ImportGraph) -> list[set[str]]:
    """The groups of modules that import each other, directly or through others (the strongly
    connected components of more than one module)."""
    downstream = {m: graph.find_downstream_modules(m) for m in graph.modules}
    cycles: list[set[str]] = []
    seen: set[str] = set()
    for module in sorted(graph.modules):
        if module in seen:
            continue
        group = {other for other in downstream[module] if module in downstream[other]}
        if group:
            group.add(module)
            cycles.append(group)
            seen |= group
    return cycles


def test_no_import_cycle_outside_the_tui() -> None:
    # Imports inside functions and under TYPE_CHECKING count: a cycle there is still a tangle.
    graph = grimp.build_graph("quizapp", cache_dir=None)
    # The TUI's app and screens import each other (a screen pushes the next one, lazily).
    tangled = [
        sorted(cycle)
        for cycle in import_cycles(graph)
        if not all(m.startswith("quizapp.tui.") for m in cycle)
    ]
    assert tangled == []


def test_the_cycle_finder_sees_a_cycle() -> None:
    graph = grimp.build_graph("quizapp", cache_dir=None)
    graph.add_import(importer="quizapp.wording", imported="quizapp.lessons.checks")
    cycles = import_cycles(graph)
    assert {"quizapp.wording", "quizapp.lessons.checks"} <= next(
        c for c in cycles if "quizapp.wording" in c
    )


def test_the_private_name_guards_see_violations(tmp_path: Path) -> None:
    (tmp_path / "quizapp" / "store").mkdir(parents=True)
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "quizapp" / "session.py").write_text("from quizapp.store.views import _SQL\n")
    # Inside its own package a private name is fine.
    (tmp_path / "quizapp" / "store" / "views.py").write_text(
        "from quizapp.store.schema import _COUNTS\n"
    )
    (tmp_path / "benchmarks" / "a.py").write_text("import os\nfrom quizapp.store import _x\n")
    (tmp_path / "benchmarks" / "b.py").write_text("# why\nfrom quizapp.store import _y\n")

    assert cross_package_private_imports(tmp_path) == [
        "quizapp/session.py:1: _SQL from quizapp.store.views"
    ]
    assert uncommented_private_imports(tmp_path) == ["benchmarks/a.py:2: _x from quizapp.store"]
