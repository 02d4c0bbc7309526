"""Reaching the test PostgreSQL server, for the store's contract tests on both backends.

``QUIZAPP_TEST_POSTGRES`` names a server and database the tests may use
(``postgresql://USER:PASSWORD@HOST:PORT/DB``; the role must be allowed to create and drop
schemas). Each test gets a fresh schema of its own (:func:`fresh_schema`): the store is
opened with ``options=-c search_path=<schema>`` in its URL, so it builds its tables there,
and the schema is dropped when the test ends. Fixtures are in ``tests/conftest.py``.
"""

from __future__ import annotations

import functools
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

ENV = "QUIZAPP_TEST_POSTGRES"
BACKENDS = ("sqlite", "postgresql")


def base_url() -> str | None:
    """The test server's URL, or None when none is configured."""
    return os.environ.get(ENV, "").strip() or None


@functools.lru_cache(maxsize=1)
def _probe(url: str) -> str | None:
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed (pip install -e '.[test]')"
    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as error:
        return f"the server at {ENV} cannot be reached ({' '.join(str(error).split())})"
    return None


def missing() -> str | None:
    """What keeps the PostgreSQL tests from running here, or None when nothing does."""
    url = base_url()
    if url is None:
        return f"{ENV} is not set"
    return _probe(url)


def in_schema(url: str, schema: str) -> str:
    """``url`` with ``search_path`` set to ``schema`` (kept with the URL's other options)."""
    option = quote(f"-c search_path={schema}", safe="")
    return f"{url}{'&' if '?' in url else '?'}options={option}"


def admin() -> object:
    """A plain psycopg connection (autocommit) to the test server."""
    import psycopg

    url = base_url()
    assert url is not None
    return psycopg.connect(url, autocommit=True)


@contextmanager
def fresh_schema(prefix: str = "t") -> Iterator[str]:
    """A URL whose store lives in a new, empty schema, dropped (with everything in it)
    afterwards."""
    import psycopg

    url = base_url()
    assert url is not None
    schema = f"quizapp_{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"'.encode())
    try:
        yield in_schema(url, schema)
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'.encode())


def execute_raw(target: object, sql: str, parameters: tuple[object, ...] = ()) -> None:
    """Run one statement on a score database behind the store's back (to damage a row, as
    a bug or a hand edit would): ``sqlite3`` on a file, psycopg on a URL (``?``
    placeholders either way)."""
    if isinstance(target, str) and target.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(target, autocommit=True) as conn:
            conn.execute(sql.replace("?", "%s").encode(), parameters)
        return
    import sqlite3

    conn3 = sqlite3.connect(str(target))
    try:
        with conn3:
            conn3.execute(sql, parameters)
    finally:
        conn3.close()
