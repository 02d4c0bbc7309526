"""The PostgreSQL server the benchmarks measure against: finding it, a fresh database for a
run (dropped after), and loading a generated class into it in bulk.

The server is the one ``--postgres URL`` names, else ``QUIZAPP_TEST_POSTGRES`` (the tests'
server; its role must be allowed to create databases). When neither is set, psycopg is
missing or the server does not answer, :func:`find_server` says why in one line and the
benchmarks print their SQLite rows with that note instead of the PostgreSQL ones.

Benchmarks may speak SQL for bulk set-up (here: ``CREATE DATABASE`` and ``COPY``); every
measured call goes through :class:`quizapp.store.Store`.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import urllib.parse
from collections.abc import Iterator, Sequence
from typing import Any

ENV = "QUIZAPP_TEST_POSTGRES"
#: How long to wait for a server that may not be there.
CONNECT_TIMEOUT_S = 3


def shown(url: str) -> str:
    """``url`` with its password replaced by ``***`` (for printing)."""
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


def find_server(option: str | None) -> tuple[str | None, str]:
    """The server's URL and ``""``, or None and why there is none (one line)."""
    url = option or os.environ.get(ENV, "").strip()
    if not url:
        return None, f"no server given (--postgres URL, or {ENV})"
    try:
        import psycopg
    except ImportError:
        return None, "psycopg is not installed (pip install -e '.[test]')"
    try:
        with psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT_S) as conn:
            row = conn.execute(
                "SELECT current_user, rolcreatedb OR rolsuper FROM pg_roles"
                " WHERE rolname = current_user"
            ).fetchone()
    except psycopg.Error as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return None, f"cannot reach {shown(url)}: {reason}"
    if row is None or not row[1]:
        who = row[0] if row else "this role"
        return None, f"{who} may not create databases (ALTER ROLE {who} CREATEDB)"
    return url, ""


def with_database(url: str, name: str) -> str:
    """``url`` naming the database ``name`` instead of its own."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def _admin(url: str, statement: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S) as conn:
        conn.execute(sql.SQL(statement).format(sql.Identifier(name)))


def database_exists(url: str, name: str) -> bool:
    """Whether the server at ``url`` has a database ``name``."""
    import psycopg

    with psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT_S) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    return row is not None


def create_database(url: str, name: str) -> str:
    """Create the database ``name`` on the server at ``url``; its URL."""
    _admin(url, "CREATE DATABASE {}", name)
    return with_database(url, name)


def drop_database(url: str, name: str) -> None:
    """Drop the database ``name`` (closing any session still in it)."""
    _admin(url, "DROP DATABASE IF EXISTS {} WITH (FORCE)", name)


@contextlib.contextmanager
def fresh_database(url: str, prefix: str = "quizapp_bench") -> Iterator[str]:
    """A new, empty database on the server at ``url`` for the block (its URL), dropped after."""
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(4)}"
    database = create_database(url, name)
    try:
        yield database
    finally:
        drop_database(url, name)


def count_rows(url: str, table: str) -> int:
    """The rows in ``table`` of the database at ``url``, asked of the server itself (so a
    check cannot be fooled by a store that wrote somewhere else)."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT_S) as conn:
        row = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        (count,) = row.fetchone() or (0,)
    return int(count)


def copy_rows(url: str, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """``COPY`` ``rows`` into ``table`` (``columns``) in the database at ``url``, in one
    transaction. Values go as COPY's text, which the server reads as each column's type
    (ISO times into timestamps, JSON text into json), as it would from a file."""
    import psycopg
    from psycopg import sql

    names = sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(sql.Identifier(table), names)
    with psycopg.connect(url) as conn, conn.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def follow_ids(url: str, *tables: str) -> None:
    """Move each table's id sequence past the ids ``COPY`` wrote, so rows the store adds
    later get new ones."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(url) as conn:
        for table in tables:
            conn.execute(
                sql.SQL("SELECT setval(pg_get_serial_sequence({}, 'id'), max(id)) FROM {}").format(
                    sql.Literal(table), sql.Identifier(table)
                )
            )


def settle(url: str) -> None:
    """``VACUUM (ANALYZE)`` the database at ``url``: after a bulk load, what autovacuum does
    to it within a minute (planner statistics, the visibility map), done now so the timed
    reads do not depend on when autovacuum happens to run."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
