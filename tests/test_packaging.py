"""The app as a user installs it: a wheel built from this tree, installed into a fresh venv,
run from a folder that is not the checkout. It must find its own lessons and template.

Offline on purpose: the wheel is built with the test venv's hatchling (no build isolation),
and the fresh venv borrows the test venv's dependencies through a ``.pth`` line instead of
downloading them, so only quizapp itself comes from the wheel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.support.lessons import REPO, shipped_lesson_files


def _run(*cmd: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(part) for part in cmd],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, f"{cmd} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with quizapp installed from a wheel; returns its ``bin`` folder."""
    root = tmp_path_factory.mktemp("wheel")
    # Build from a copy holding what is released: no scratch lessons, caches or venv.
    src = root / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, src / name)
    shutil.copytree(REPO / "quizapp", src / "quizapp", ignore=shutil.ignore_patterns("__pycache__"))
    (src / "lessons").mkdir()
    for lesson in shipped_lesson_files():
        shutil.copy(lesson, src / "lessons" / lesson.name)
    dist = root / "dist"
    pip = (sys.executable, "-m", "pip", "--disable-pip-version-check")
    _run(*pip, "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", dist, src, cwd=root)
    (wheel,) = dist.glob("quizapp-*.whl")
    venv = root / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=root)
    python = venv / "bin" / "python"
    purelib = Path(
        _run(
            python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=root
        ).strip()
    )
    # Dependencies from the test venv (a plain path: its editable quizapp is not loaded).
    (purelib / "_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run(*pip, "--python", python, "install", "--quiet", "--no-deps", wheel, cwd=root)
    return venv / "bin"


def _clean_env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUIZAPP_")}
    env["QUIZAPP_DB"] = str(tmp / "scores.sqlite3")
    env["QUIZAPP_CACHE"] = str(tmp / "cache.json")
    env["HOME"] = str(tmp)
    return env


def test_the_installed_app_validates_its_shipped_lessons_from_another_folder(
    installed: Path, tmp_path: Path
) -> None:
    out = _run(installed / "quizapp", "validate", cwd=tmp_path, env=_clean_env(tmp_path))
    assert out.splitlines()[-1].startswith(f"{len(shipped_lesson_files())} lessons, ")
    assert out.splitlines()[-1].endswith(", 0 problems")
    # ... and they are the copies inside the installed package, not the checkout's.
    where = _run(
        installed / "python",
        "-c",
        "from quizapp.paths import default_lessons_dir; print(default_lessons_dir())",
        cwd=Path("/"),
        env=_clean_env(tmp_path),
    ).strip()
    assert where.startswith(str(installed.parent)) and where.endswith("_lessons")
    assert sorted(p.name for p in Path(where).iterdir()) == [p.name for p in shipped_lesson_files()]


def test_the_installed_app_lists_the_shipped_lessons_from_the_root_folder(
    installed: Path, tmp_path: Path
) -> None:
    listing = _run(
        installed / "python",
        "-c",
        "from quizapp.lessons.catalog import scan; from quizapp.paths import *;"
        "print('\\n'.join(h.title for h in scan([default_lessons_dir()], None).headers))",
        cwd=Path("/"),
        env=_clean_env(tmp_path),
    )
    assert len(listing.splitlines()) == len(shipped_lesson_files()) == 9
    assert listing.startswith("Cold War roots")


def test_the_installed_app_exports_gift_and_starts_a_lesson_from_its_template(
    installed: Path, tmp_path: Path
) -> None:
    env = _clean_env(tmp_path)
    gift = _run(installed / "quizapp", "export", "gift", cwd=tmp_path, env=env)
    assert gift.count("$CATEGORY: quizapp/") == 9
    out = _run(installed / "quizapp", "new", "my-lesson", cwd=tmp_path, env=env)
    assert "created lessons/my-lesson.yaml" in out
    _run(installed / "quizapp", "validate", tmp_path / "lessons", cwd=tmp_path, env=env)
