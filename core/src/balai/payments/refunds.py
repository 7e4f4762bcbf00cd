"""Refunds a plugin decides on by its own rules (a visitor cancelling within the deadline)."""

from __future__ import annotations

from typing import Any

from balai.payments import ledger


async def refund_invoice(
    request: Any,
    number: str,
    *,
    source: str,
    reason: str,
    amount: int | None = None,
    key: str = "",
) -> bool:
    """Refund the current city's paid invoice ``number``, whole or in part, as its plugin decides.

    For refunds the plugin's own rules grant (a buyer cancelling before the
    deadline the officers set, less a cancellation fee), not for an officer's
    judgement (that is the payments office's refund page). Recorded without
    an officer, with ``reason``, and audited (``payments.refunded`` or
    ``payments.partly_refunded``).

    Without ``amount`` all that is left is refunded. With ``amount`` only that
    many rupiah: the invoice stays paid until its refunds add up to what was
    paid; refunds never add up to more. The plugin's ``invoice_refunded``
    hook runs, inside the refund's transaction, when the invoice becomes
    wholly refunded. Runs in the caller's transaction if one is open (a
    plugin changes its own records and refunds together, or neither).

    Args:
        request: The request it happens in (its application's plugin registry is told).
        number: The invoice number.
        source: The calling plugin's slug: an invoice of another source is refused.
        reason: Why (shown to the payments office).
        amount: Whole rupiah to give back, at most what is left; ``None``: all that is left.
        key: Makes the refund idempotent: a second call with the same key
            (e.g. ``"ticket:WHT-7KQ2"``) refunds nothing again and answers ``True``.

    Returns:
        ``True`` if the refund is made (by this call, or earlier under ``key``);
        ``False`` if the invoice is unknown, of another source, or not paid (any more).

    Raises:
        LedgerError: no reason, an amount that is not a positive whole rupiah
            or more than is left to refund, or a key used for another refund.
    """
    from balai.audit.log import record

    invoice = await ledger.invoice_by_number(number)
    if invoice is None or invoice.source != source:
        return False
    done = await ledger.refund(
        invoice,
        officer_id=None,
        reason=reason,
        registry=request.app.state.ui.registry,
        amount=amount,
        key=key,
    )
    if done:
        after = await ledger.invoice_by_id(invoice.id)
        assert after is not None
        whole = after.refunded_amount == after.amount
        await record(
            "payments.refunded" if whole else "payments.partly_refunded",
            actor_id=None,
            request=request,
            subject=f"invoice:{invoice.number}",
            detail={
                "amount": amount
                if amount is not None
                else invoice.amount - invoice.refunded_amount,
                "refunded_so_far": after.refunded_amount,
                "reason": " ".join(reason.split())[:300],
                "source": source,
                "key": key,
            },
        )
    return done
