"""Receipts and their public verification: what a printed receipt proves, and no more."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from litestar import Request

from balai.payments import numbers
from balai.payments.qris import qr_svg
from balai.payments.tables import Payment, PaymentInvoice
from balai.payments.types import InvoiceStatus
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
    return current_city().absolute_url(f"/bayar/verifikasi/{payment_no}?k={code}")


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


async def receipt_urls(
    request: Request, invoice_numbers: Iterable[str], *, with_token: bool = False
) -> dict[str, str]:
    """The receipt page of each paid invoice of the current city, by invoice number.

    Invoices that are unknown, not paid or refunded are left out. The URL
    opens for the invoice's payer when logged in; ``with_token`` adds the
    invoice's access token so anyone holding the link may open it: pass it
    only when your plugin has checked that the visitor may see this payment
    (e.g. they proved they own what it paid for).

    Args:
        request: The current request (for the city's path prefix).
        invoice_numbers: ``INV-…`` numbers, e.g. those stored on the plugin's records.
        with_token: Add the access token (see above).
    """
    wanted = sorted({n.strip().upper() for n in invoice_numbers if n and n.strip()})
    found: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        invoices = {
            r["id"]: r
            for r in await PaymentInvoice.select(
                PaymentInvoice.id, PaymentInvoice.number, PaymentInvoice.access_token
            ).where(
                PaymentInvoice.number.is_in(chunk)
                & (PaymentInvoice.status == InvoiceStatus.PAID.value)
            )
        }
        if not invoices:
            continue
        for payment in await Payment.select(Payment.invoice_id, Payment.number).where(
            Payment.invoice_id.is_in(list(invoices))
        ):
            invoice = invoices[payment["invoice_id"]]
            query = f"?t={invoice['access_token']}" if with_token else ""
            found[invoice["number"]] = city_url(
                request, f"/bayar/kuitansi/{payment['number']}{query}"
            )
    return found


async def receipt_url(request: Request, invoice_number: str, *, with_token: bool = False) -> str:
    """The receipt page of one paid invoice ('' when it is not paid); see :func:`receipt_urls`."""
    found = await receipt_urls(request, [invoice_number], with_token=with_token)
    return next(iter(found.values()), "")
