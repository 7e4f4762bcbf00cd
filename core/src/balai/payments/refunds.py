"""Refunds a plugin decides on by its own rules (a visitor cancelling within the deadline)."""

from __future__ import annotations

from typing import Any

from balai.payments import ledger


async def refund_invoice(request: Any, number: str, *, source: str, reason: str) -> bool:
    """Refund the current city's paid invoice ``number`` in full, by its plugin's decision.

    For refunds the plugin's own rules grant (a buyer cancelling before the
    deadline the officers set), not for an officer's judgement (that is the
    payments office's refund page). Recorded without an officer, with
    ``reason``; the plugin's ``invoice_refunded`` hook runs inside the
    refund's transaction, as for any refund.

    Args:
        request: The request it happens in (its application's plugin registry is told).
        number: The invoice number.
        source: The calling plugin's slug: an invoice of another source is refused.
        reason: Why (shown to the payments office).

    Returns:
        ``True`` if this call refunded it; ``False`` if it is unknown, of
        another source, or not paid (any more).

    Raises:
        LedgerError: no reason given.
    """
    invoice = await ledger.invoice_by_number(number)
    if invoice is None or invoice.source != source:
        return False
    return await ledger.refund(
        invoice, officer_id=None, reason=reason, registry=request.app.state.ui.registry
    )
