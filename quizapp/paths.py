"""Where quizapp's data lives. Resolved by functions at run time, never at import."""

from __future__ import annotations

import os
from pathlib import Path

DB_ENV = "QUIZAPP_DB"
LESSONS_ENV = "QUIZAPP_LESSONS"
CACHE_ENV = "QUIZAPP_CACHE"


def default_db_path() -> Path:
    """The score database: ``$QUIZAPP_DB`` if set, else the user's data folder."""
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return platformdirs.user_data_path("quizapp") / "scores.sqlite3"


def resolve_db_path(flag: str | Path | None) -> Path:
    """``--db PATH`` wins over ``$QUIZAPP_DB``, which wins over the default."""
    return Path(flag).expanduser() if flag else default_db_path()


def default_lessons_dir() -> Path:
    """The lessons folder: ``$QUIZAPP_LESSONS``, else ``./lessons`` when it exists, else the
    lessons shipped with the app (:func:`shipped_lessons_dir`)."""
    env = os.environ.get(LESSONS_ENV)
    if env:
        return Path(env).expanduser()
    here = Path.cwd() / "lessons"
    if here.is_dir():
        return here
    return shipped_lessons_dir()


def shipped_lessons_dir() -> Path:
    """The nine lessons that come with the app.

    An installed wheel carries them as package data (``quizapp/_lessons``, mapped from the
    repository's ``lessons/`` folder by pyproject.toml); a source checkout or an editable
    install reads the repository's folder itself.
    """
    from importlib import resources

    packaged = resources.files("quizapp") / "_lessons"
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "lessons"


def lesson_cache_file() -> Path:
    """The lesson-list cache (headers of lesson files): ``$QUIZAPP_CACHE`` if set, else the
    user's cache folder. Deleting it is always safe."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return platformdirs.user_cache_path("quizapp") / "lessons.json"
