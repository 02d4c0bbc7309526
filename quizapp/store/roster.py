"""The class roster and sign-in: students' PINs, the instructor's passphrase, the sign-in log.

When the roster holds anyone with a PIN, the app asks every student for name and PIN; the
class view asks for the instructor's passphrase when one is set. Secrets are never stored:
only a salted ``hashlib.scrypt`` hash (:func:`hash_secret`: N=2**14, r=8, p=1, a 16-byte
random salt, a 32-byte key; about 16 MiB and 50 ms to compute, written with its parameters
as ``scrypt$16384$8$1$<salt hex>$<key hex>`` so they can be raised later), checked in
constant time (``hmac.compare_digest``).

Wrong secrets are rate-limited per student (and for the instructor), in the database so a
restart does not reset them (:data:`FREE_FAILURES`, :func:`lockout`): the first four wrong
PINs in a row cost nothing; the fifth and each one after lock the name for 1, 2, 4, ...
minutes (at most an hour). A right PIN clears the count. Every attempt, right or wrong, is
written to the sign-in log (name as typed, cleaned; never the secret).

These tables are the class machine's own: :mod:`.incoming` never reads them from a student's
file, so a merge cannot bring in a PIN, a passphrase or log rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from quizapp.frozen import Frozen
from quizapp.store.base import StoreBase
from quizapp.store.records import StoreError, _check_name, _iso, _time, clean_name, name_key

__all__ = ["FREE_FAILURES", "RosterEntry", "RosterMixin", "SignIn", "hash_secret", "lockout"]

_N, _R, _P, _SALT, _KEY = 2**14, 8, 1, 16, 32
#: Wrong secrets in a row allowed before a lockout.
FREE_FAILURES = 4
_MAX_LOCK = dt.timedelta(hours=1)
#: The instructor's row in the ``instructor`` table (there is one).
_INSTRUCTOR = 1
_MAX_FIELD = 200


def hash_secret(secret: str, *, salt: bytes | None = None) -> str:
    """The stored form of ``secret``: salted scrypt with its parameters (see module doc)."""
    # hashlib, hmac and secrets are imported where a secret is hashed or made: a start of
    # the app checks whether there is a roster, never a PIN (docs/performance.md, issue 19).
    import hashlib
    import secrets

    salt = secrets.token_bytes(_SALT) if salt is None else salt
    key = hashlib.scrypt(
        secret.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=_KEY, maxmem=64 * 2**20
    )
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${key.hex()}"


def secret_matches(secret: str, stored: str | None) -> bool:
    """Whether ``secret`` hashes to ``stored`` (constant-time; a malformed hash never matches,
    and a missing one costs the same time as a real check)."""
    import hashlib
    import hmac

    try:
        kind, n, r, p, salt_hex, key_hex = (stored or "").split("$")
        if kind != "scrypt" or (int(n), int(r), int(p)) != (_N, _R, _P):
            raise ValueError(kind)
        salt, key = bytes.fromhex(salt_hex), bytes.fromhex(key_hex)
    except ValueError:
        hash_secret(secret)  # the same work, so a missing name is not told by timing
        return False
    candidate = hashlib.scrypt(
        secret.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=len(key), maxmem=64 * 2**20
    )
    return hmac.compare_digest(candidate, key)


def new_pin() -> str:
    """A fresh six-digit PIN (``secrets``; leading zeros kept)."""
    import secrets

    return f"{secrets.randbelow(10**6):06d}"


def lockout(failures: int) -> dt.timedelta:
    """How long a name is locked after ``failures`` wrong secrets in a row: nothing for the
    first :data:`FREE_FAILURES`, then 1, 2, 4, ... minutes, at most an hour."""
    if failures <= FREE_FAILURES:
        return dt.timedelta(0)
    return min(dt.timedelta(minutes=2 ** min(failures - FREE_FAILURES - 1, 10)), _MAX_LOCK)


class RosterEntry(Frozen):
    """One student on the roster (never the PIN or its hash)."""

    name: str
    student_number: str | None
    email: str | None
    failures: int
    locked_until: dt.datetime | None


class SignIn(Frozen):
    """What a sign-in attempt came to. ``ok`` is the only outcome that lets anyone in;
    ``locked`` carries the time the lock ends. Messages do not say whether a name exists."""

    outcome: Literal["ok", "wrong", "locked"]
    until: dt.datetime | None = None

    @property
    def ok(self) -> bool:
        """Whether the secret was right (and the name not locked)."""
        return self.outcome == "ok"


def _field(value: str | None, what: str) -> str | None:
    value = None if value is None else value.strip()
    if not value:
        return None
    if len(value) > _MAX_FIELD or clean_name(value) != value:
        raise StoreError(f"the {what} {value[:40]!r} is too long or holds control characters")
    return value


class RosterMixin(StoreBase):
    """Roster, PINs, the instructor's passphrase and the sign-in log (see module doc)."""

    def has_roster(self) -> bool:
        """Whether anyone on the roster has a PIN (then the app asks for name and PIN)."""
        return bool(self._read(lambda c: c.execute("SELECT 1 FROM roster LIMIT 1").fetchone()))

    def roster(self) -> list[RosterEntry]:
        """Everyone on the roster, by name."""
        rows = self._read(
            lambda c: c.execute(
                "SELECT s.name, r.student_number, r.email, r.failures, r.locked_until"
                " FROM roster r JOIN students s ON s.id = r.student_id ORDER BY s.name_key"
            ).fetchall()
        )
        return [
            RosterEntry(
                clean_name(str(n)), num, mail, int(f), None if lock is None else _time(lock)
            )
            for n, num, mail, f, lock in rows
        ]

    def enrol(self, entries: list[tuple[str, str | None, str | None]]) -> list[tuple[str, str]]:
        """Put each ``(name, student number, email)`` on the roster with a new PIN, all in one
        transaction (nothing is added if one fails); returns each name with its PIN, which is
        never stored. A name already on the roster raises :class:`StoreError`."""
        checked: list[tuple[str, str, str | None, str | None]] = []
        for name, number, email in entries:
            _check_name(name)
            checked.append(
                (clean_name(name), name_key(name), _field(number, "id"), _field(email, "email"))
            )
        keys = [key for _, key, _, _ in checked]
        if len(set(keys)) != len(keys):
            raise StoreError("a name appears twice; nothing was added")
        pins = [(name, new_pin()) for name, _, _, _ in checked]
        hashes = [hash_secret(pin) for _, pin in pins]
        now = self._now()
        with self._write() as conn:
            for (name, key, number, email), secret in zip(checked, hashes, strict=True):
                conn.execute(
                    "INSERT INTO students (name, name_key, created_at, last_active)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT (name_key) DO NOTHING",
                    (name, key, now, now),
                )
                sid = conn.execute("SELECT id FROM students WHERE name_key = ?", (key,)).fetchone()
                added = conn.execute(
                    "INSERT INTO roster (student_id, student_number, email, secret, set_at)"
                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (student_id) DO NOTHING",
                    (sid[0], number, email, secret, now),
                ).rowcount
                if not added:
                    raise StoreError(
                        f"{name!r} is already on the roster (quizapp students reset-pin gives a "
                        "new PIN); nothing was added"
                    )
        return pins

    def reset_pin(self, name: str) -> str:
        """A new PIN for a student on the roster (the lock and failure count cleared)."""
        pin = new_pin()
        secret = hash_secret(pin)
        with self._write() as conn:
            done = conn.execute(
                "UPDATE roster SET secret = ?, failures = 0, locked_until = NULL, set_at = ?"
                " WHERE student_id = (SELECT id FROM students WHERE name_key = ?)",
                (secret, self._now(), name_key(name)),
            ).rowcount
        if not done:
            raise StoreError(f"{clean_name(name)!r} is not on the roster")
        return pin

    def check_pin(self, name: str, pin: str) -> SignIn:
        """Check a student's PIN, with the lockout rule, and log the attempt."""
        key = name_key(name)
        row = self._read(
            lambda c: c.execute(
                "SELECT r.student_id, r.secret, r.failures, r.locked_until FROM roster r"
                " JOIN students s ON s.id = r.student_id WHERE s.name_key = ?",
                (key,),
            ).fetchone()
        )
        if row is None:
            secret_matches(pin, None)
            self._log(name, None, "unknown name")
            return SignIn("wrong")
        return self._check("roster", "student_id", row, pin, name)

    def has_instructor_passphrase(self) -> bool:
        """Whether the class view is guarded by a passphrase."""
        return bool(self._read(lambda c: c.execute("SELECT 1 FROM instructor LIMIT 1").fetchone()))

    def set_instructor_passphrase(self, passphrase: str) -> None:
        """Set (or replace) the instructor's passphrase (stored hashed; the lock cleared)."""
        if len(passphrase) < 8:
            raise StoreError("the passphrase must be at least 8 characters long")
        secret = hash_secret(passphrase)
        with self._write() as conn:
            conn.execute(
                "INSERT INTO instructor (id, secret, failures, locked_until, set_at)"
                " VALUES (?, ?, 0, NULL, ?) ON CONFLICT (id) DO UPDATE SET"
                " secret = excluded.secret, failures = 0, locked_until = NULL,"
                " set_at = excluded.set_at",
                (_INSTRUCTOR, secret, self._now()),
            )

    def check_instructor(self, passphrase: str) -> SignIn:
        """Check the instructor's passphrase, with the lockout rule, and log the attempt."""
        row = self._read(
            lambda c: c.execute(
                "SELECT id, secret, failures, locked_until FROM instructor WHERE id = ?",
                (_INSTRUCTOR,),
            ).fetchone()
        )
        if row is None:
            return SignIn("wrong")
        return self._check("instructor", "id", row, passphrase, "(instructor)")

    def signin_log(self) -> list[tuple[dt.datetime, str, str]]:
        """The sign-in log, oldest first: (time, name as typed, outcome)."""
        rows = self._read(
            lambda c: c.execute("SELECT at, name, outcome FROM signin_log ORDER BY id").fetchall()
        )
        return [(_time(at), clean_name(str(n)), str(o)) for at, n, o in rows]

    def _check(
        self, table: str, column: str, row: tuple[int, str, int, str | None], secret: str, who: str
    ) -> SignIn:
        ident, stored, failures, locked = row
        now = self._clock_now()
        if locked is not None and _time(locked) > now:
            self._log(who, ident if table == "roster" else None, "locked")
            return SignIn("locked", _time(locked))
        if secret_matches(secret, stored):
            with self._write() as conn:
                conn.execute(
                    f"UPDATE {table} SET failures = 0, locked_until = NULL WHERE {column} = ?",
                    (ident,),
                )
            self._log(who, ident if table == "roster" else None, "ok")
            return SignIn("ok")
        wait = lockout(failures + 1)
        until = None if not wait else now + wait
        with self._write() as conn:
            conn.execute(
                f"UPDATE {table} SET failures = failures + 1, locked_until = ? WHERE {column} = ?",
                (None if until is None else _iso(until), ident),
            )
        self._log(who, ident if table == "roster" else None, "wrong")
        return SignIn("wrong", until)

    def _clock_now(self) -> dt.datetime:
        return _time(self._now())

    def _log(self, name: str, student_id: int | None, outcome: str) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT INTO signin_log (at, name, student_id, outcome) VALUES (?, ?, ?, ?)",
                (self._now(), clean_name(name)[:_MAX_FIELD], student_id, outcome),
            )
