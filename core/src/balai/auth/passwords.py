"""Password hashing with Argon2id (argon2-cffi), and the password policy.

The policy: at least :data:`MIN_LENGTH` characters, not the name or login,
not a common or breached password (the list shipped in
``common_passwords.txt``, checked without any network look-up). A stored
hash made with other parameters than today's is replaced at the next
successful sign-in (:func:`needs_rehash`).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from balai.i18n import gettext as _

_hasher = PasswordHasher()
MIN_LENGTH = 10
# Hashed once so that a login for an unknown account costs as much as a real one.
_DUMMY_HASH = _hasher.hash("balai-timing-equaliser")


def hash_password(password: str) -> str:
    """Hash ``password`` for storage."""
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Check ``password`` against ``stored_hash`` in constant-ish time."""
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(stored_hash)


def password_problem(password: str, *, name: str = "", login: str = "") -> str | None:
    """Why ``password`` is not acceptable (translated), or ``None``."""
    if len(password) < MIN_LENGTH:
        return _("Use at least %(n)s characters.", n=MIN_LENGTH)
    if len(password) > 256:
        return _("Use at most %(n)s characters.", n=256)
    lowered = password.lower()
    for part in (name, login):
        if part and len(part) >= 4 and part.lower() in lowered:
            return _("The password must not contain your name or login.")
    if len(set(password)) < 4 or is_common(password):
        return _("The password is too easy to guess.")
    return None


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common and breached passwords (lower case)."""
    text = (Path(__file__).parent / "common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")


def is_common(password: str) -> bool:
    """Whether ``password`` is on the list, or is a listed stem with digits or symbols around it."""
    lowered = password.lower()
    listed = common_passwords()
    stem = _EDGES.sub("", lowered)
    return lowered in listed or (len(stem) >= 3 and stem in listed)
