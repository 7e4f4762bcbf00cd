"""Starting payments and finding providers: the glue between pages and the ledger."""

from __future__ import annotations

import hmac
import logging
from typing import Any

from litestar import Request

from balai.payments import numbers
from balai.payments.ledger import now_utc
from balai.payments.tables import PaymentAttempt
from balai.payments.types import Invoice, PaymentProvider, PaymentStart, StartContext
from balai.tenants import current_city

log = logging.getLogger("balai.payments")


def providers(registry: Any) -> dict[str, PaymentProvider]:
    """Every declared payment provider by key (the first declaration of a key wins)."""
    found: dict[str, PaymentProvider] = {}
    for declared in registry.declared("payment_providers").values():
        for provider in declared or ():
            if isinstance(provider, PaymentProvider) and provider.key not in found:
                found[provider.key] = provider
    return found


def invoice_path(invoice: Invoice, *, with_token: bool) -> str:
    """The invoice page's path inside the city, with the access token if asked."""
    path = f"/bayar/{invoice.number}"
    return f"{path}?t={invoice.access_token}" if with_token else path


def may_see(invoice: Invoice, user: Any, token: str) -> bool:
    """Whether the visitor may open the invoice: its payer, or with its secret token."""
    if user is not None and invoice.payer_id is not None and user.id == invoice.payer_id:
        return True
    return bool(token) and hmac.compare_digest(token, invoice.access_token)


async def start_payment(
    request: Request, invoice: Invoice, provider: PaymentProvider, *, with_token: bool
) -> tuple[dict[str, Any], PaymentStart]:
    """Open an attempt at paying ``invoice`` with ``provider`` and start it.

    Returns:
        The attempt row and what the provider said.

    Raises:
        GatewayError: the gateway refused or is not configured.
    """
    city = current_city()
    reference = f"{invoice.number}-{numbers.random_code(4)}"
    # From the city's configured address, never from the Host the request came with.
    callback = city.absolute_url(f"/api/bayar/callback/{provider.key}")
    return_url = city.absolute_url(invoice_path(invoice, with_token=with_token))
    started = await provider.start(
        StartContext(
            city=city,
            invoice=invoice,
            attempt_ref=reference,
            callback_url=callback,
            return_url=return_url,
            app=request.app,
        )
    )
    attempt = PaymentAttempt(
        invoice_id=invoice.id,
        reference=reference,
        provider=provider.key,
        external_id=started.reference or None,
        amount=invoice.amount,
        va_number=started.va_number,
        qris_payload=started.qris_payload,
        redirect_url=started.redirect_url,
        status="open",
        created_at=now_utc(),
    )
    await attempt.save()
    log.info("payment of %s started with %s (%s)", invoice.number, provider.key, reference)
    row = await PaymentAttempt.select().where(PaymentAttempt.id == attempt.id).first()
    return row, started


async def latest_attempt(invoice: Invoice) -> dict[str, Any] | None:
    """The invoice's most recent payment attempt."""
    return await (
        PaymentAttempt.select()
        .where(PaymentAttempt.invoice_id == invoice.id)
        .order_by(PaymentAttempt.id, ascending=False)
        .first()
    )
