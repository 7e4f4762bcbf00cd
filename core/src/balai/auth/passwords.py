"""Password hashing with Argon2id (argon2-cffi), and the password policy."""

from __future__ import annotations

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
    if len(set(password)) < 4:
        return _("The password is too easy to guess.")
    return None
