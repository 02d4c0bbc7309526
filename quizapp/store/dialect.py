"""The SQL that differs between the two backends, chosen in one place.

The store's statements are written in the subset SQLite and PostgreSQL both understand:
``?`` placeholders (the PostgreSQL adapter turns them into ``%s``), ``INSERT ... ON CONFLICT
... DO NOTHING / DO UPDATE`` (never ``INSERT OR REPLACE`` / ``OR IGNORE``), ``RETURNING id``
(never ``lastrowid``), ``CASE`` (never a boolean summed), ``CAST(? AS TEXT) IS NULL`` (a bare
``? IS NULL`` has no type on PostgreSQL), ``lower()`` (never ``COLLATE NOCASE``). Text compares
and sorts the same on both: PostgreSQL's text columns are declared ``COLLATE "C"`` (code point
order, SQLite's ``BINARY``), and times are the same ISO 8601 text on both.

What cannot be written once is a :class:`Dialect` field:

========================  ===================================  ==================================
what                      SQLite                               PostgreSQL
========================  ===================================  ==================================
larger / smaller of two   ``max(a, b)`` / ``min(a, b)``        ``greatest(a, b)`` / ``least(a, b)``
a JSON list of texts      ``SELECT value FROM json_each(?)``   ``jsonb_array_elements_text(?)``
a JSON list of ids        ``CAST(value AS INTEGER)``           ``CAST(... AS BIGINT)``
schema version            ``PRAGMA user_version``              the ``quizapp_schema`` table
merge sets the results    drops and re-creates the triggers    ``SET LOCAL quizapp.merging``,
triggers aside                                                 which the trigger function reads
one writer at a time      ``BEGIN IMMEDIATE``                  ``BEGIN`` then
                                                               ``pg_advisory_xact_lock``
========================  ===================================  ==================================

The last three are in :mod:`.database`, :mod:`.merge` and :mod:`.postgres`; this module
holds the words the mixins' queries use.
"""

from __future__ import annotations

from quizapp.frozen import Frozen

__all__ = ["POSTGRES", "SQLITE", "Dialect", "dialect_of"]


class Dialect(Frozen):
    """The words of one backend's SQL that differ from the other's (see the module doc)."""

    name: str
    #: The scalar larger and smaller of two values.
    greatest: str
    least: str
    #: A subquery listing the texts of a JSON array given as one ``?`` parameter.
    json_texts: str
    #: A subquery listing the integers of a JSON array of texts given as one ``?``.
    json_ints: str


SQLITE = Dialect(
    name="sqlite",
    greatest="max",
    least="min",
    json_texts="SELECT value FROM json_each(?)",
    json_ints="SELECT CAST(value AS INTEGER) FROM json_each(?)",
)

POSTGRES = Dialect(
    name="postgresql",
    greatest="greatest",
    least="least",
    json_texts="SELECT jsonb_array_elements_text(CAST(? AS jsonb))",
    json_ints="SELECT CAST(jsonb_array_elements_text(CAST(? AS jsonb)) AS BIGINT)",
)


def dialect_of(conn: object) -> Dialect:
    """The dialect of a connection: the PostgreSQL adapter says so; anything else is SQLite."""
    dialect = getattr(conn, "dialect", SQLITE)
    return dialect if isinstance(dialect, Dialect) else SQLITE
