"""One-time codes with which a citizen links a business or a market stall to their account.

An officer registers the business (or stall) and hands the code to its
owner, who types it in once logged in; the code is then cleared.
"""

from __future__ import annotations

import hmac
import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
LENGTH = 8


def new_code() -> str:
    """A fresh random code of eight unambiguous characters."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(typed: str) -> str:
    """The code as stored: upper case, spaces and dashes removed."""
    return "".join(typed.upper().split()).replace("-", "")[: LENGTH * 2]


def matches(stored: str, typed: str) -> bool:
    """Whether ``typed`` is the (still unused) ``stored`` code, in constant time."""
    return bool(stored) and hmac.compare_digest(stored, normalise(typed))
