"""Where quizapp's data lives. Resolved by functions at run time, never at import."""

from __future__ import annotations

import os
from pathlib import Path

DB_ENV = "QUIZAPP_DB"
LESSONS_ENV = "QUIZAPP_LESSONS"
CACHE_ENV = "QUIZAPP_CACHE"


#: A score database: a SQLite file's path, or a PostgreSQL server's URL (a ``str``).
DbTarget = Path | str

_URL_SCHEMES = ("postgresql://", "postgres://")


def is_db_url(target: object) -> bool:
    """Whether ``target`` is a PostgreSQL URL (``postgresql://`` or ``postgres://``) rather
    than a SQLite file path."""
    return isinstance(target, str) and target.lower().startswith(_URL_SCHEMES)


def redact_db_url(url: str) -> str:
    """``url`` without its password (in the user part or a ``password=`` parameter), to
    show in messages and logs."""
    from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
        netloc = parts.netloc
        if "@" in netloc:
            user, _, host = netloc.rpartition("@")
            netloc = f"{user.partition(':')[0]}@{host}"
        query = parse_qsl(parts.query, keep_blank_values=True)
        kept = parts.query
        if any(k.lower() == "password" for k, _ in query):
            kept = urlencode([(k, v) for k, v in query if k.lower() != "password"], quote_via=quote)
        return urlunsplit((parts.scheme, netloc, parts.path, kept, ""))
    except ValueError:
        return url.split("://", 1)[0] + "://(unreadable URL)"


def shown_db(target: DbTarget) -> str:
    """A score database as messages name it: the path, or the URL without its password."""
    return redact_db_url(target) if isinstance(target, str) and is_db_url(target) else str(target)


def default_db_path() -> DbTarget:
    """The score database: ``$QUIZAPP_DB`` if set (a path, or a PostgreSQL URL kept as it
    is), else the user's data folder."""
    env = os.environ.get(DB_ENV)
    if env:
        return env if is_db_url(env) else Path(env).expanduser()
    import platformdirs

    return platformdirs.user_data_path("quizapp") / "scores.sqlite3"


def resolve_db_path(flag: str | Path | None) -> DbTarget:
    """``--db PATH`` wins over ``$QUIZAPP_DB``, which wins over the default. A PostgreSQL
    URL (:func:`is_db_url`) is returned unchanged, as a ``str``; anything else is a path."""
    if not flag:
        return default_db_path()
    if is_db_url(flag):
        return str(flag)
    return Path(flag).expanduser()


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
