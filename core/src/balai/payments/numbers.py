"""Invoice and payment numbers (the shared :mod:`balai.references` format), and check codes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime

from balai.references import ReferenceFormat, random_code

INVOICE = ReferenceFormat("INV")
PAYMENT = ReferenceFormat("PAY")

__all__ = [
    "INVOICE",
    "PAYMENT",
    "access_token",
    "check_code",
    "check_code_valid",
    "invoice_number",
    "payment_number",
    "random_code",
]


def invoice_number(when: datetime | None = None) -> str:
    """A new invoice number like ``INV-2026-7KQ4-M9TX-K`` (40 random bits, a check character)."""
    return INVOICE.new(when)


def payment_number(when: datetime | None = None) -> str:
    """A new payment number like ``PAY-2026-3H8D-QW2N-7`` (40 random bits, a check character)."""
    return PAYMENT.new(when)


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
