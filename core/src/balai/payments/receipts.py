"""Receipts and their public verification: what a printed receipt proves, and no more."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from litestar import Request

from balai.payments import numbers
from balai.payments.qris import qr_svg
from balai.payments.service import origin
from balai.payments.tables import Payment
from balai.tenants import current_city
from balai.web.rendering import city_url


@dataclass(frozen=True)
class Verification:
    """The facts the public verification page shows: no payer, no items."""

    city_name: str
    payment_number: str
    amount: int
    paid_at: datetime
    valid: bool
    refunded: bool


def verification_url(request: Request, payment_no: str) -> str:
    """The absolute URL of the verification page of ``payment_no``, check code included."""
    secret = request.app.state.ui.config.secret_key
    code = numbers.check_code(secret, current_city().slug, payment_no)
    return origin(request) + city_url(request, f"/bayar/verifikasi/{payment_no}?k={code}")


def verification_qr(request: Request, payment_no: str) -> str:
    """The receipt's QR code (inline SVG) pointing at its verification page."""
    return qr_svg(verification_url(request, payment_no), title=payment_no)


async def payment_by_number(number: str) -> dict[str, Any] | None:
    """The current city's payment with ``number``."""
    return await Payment.select().where(Payment.number == number.strip().upper()).first()


async def verify(request: Request, payment_no: str, code: str) -> Verification | None:
    """The verification facts, or ``None`` for an unknown payment or a wrong check code."""
    city = current_city()
    secret = request.app.state.ui.config.secret_key
    if (
        not code
        or len(code) > 64
        or not numbers.check_code_valid(secret, city.slug, payment_no, code)
    ):
        return None
    payment = await payment_by_number(payment_no)
    if payment is None:
        return None
    return Verification(
        city_name=city.name,
        payment_number=payment["number"],
        amount=payment["amount"],
        paid_at=payment["paid_at"],
        valid=payment["refunded_at"] is None,
        refunded=payment["refunded_at"] is not None,
    )
