"""Unguessable, human-readable numbers for invoices and payments, and check codes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import UTC, datetime

# Crockford's base32: no I, L, O, U, so a number read aloud cannot be misheard.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def random_code(length: int = 8) -> str:
    """``length`` random Crockford base32 characters (5 bits of entropy each).

    One ``token_bytes`` call cut into 5-bit groups (not one ``secrets.choice``
    per character): the demo makes tens of thousands of numbers at start-up.
    """
    bits = int.from_bytes(secrets.token_bytes((5 * length + 7) // 8), "big")
    return "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in range(length))


def _grouped(prefix: str, when: datetime | None) -> str:
    code = random_code(8)
    year = (when or datetime.now(UTC)).year
    return f"{prefix}-{year}-{code[:4]}-{code[4:]}"


def invoice_number(when: datetime | None = None) -> str:
    """A new invoice number like ``INV-2026-7KQ4-M9TX`` (40 random bits)."""
    return _grouped("INV", when)


def payment_number(when: datetime | None = None) -> str:
    """A new payment number like ``PAY-2026-3H8D-QW2N`` (40 random bits)."""
    return _grouped("PAY", when)


def access_token() -> str:
    """A secret token that opens an invoice page without logging in (counter payments)."""
    return secrets.token_urlsafe(18)


def check_code(secret: str, city: str, payment_no: str) -> str:
    """The check code printed on a receipt: an HMAC of the city and payment number."""
    mac = hmac.new(
        secret.encode(), f"receipt:{city}:{payment_no}".encode(), hashlib.sha256
    ).digest()
    return base64.b32encode(mac[:10]).decode("ascii")


def check_code_valid(secret: str, city: str, payment_no: str, given: str) -> bool:
    """Whether ``given`` is the receipt's check code (compared in constant time)."""
    return hmac.compare_digest(check_code(secret, city, payment_no), given.strip().upper())
