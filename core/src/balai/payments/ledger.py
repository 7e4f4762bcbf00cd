"""The ledger: creating invoices and moving them, exactly once, to their outcome.

Every state change is one conditional ``UPDATE ... WHERE status = <expected>``
inside a write transaction, so that of any number of concurrent attempts
exactly one wins; the hook that tells the invoice's plugin runs inside the
same transaction, so a plugin's own writes commit (or roll back) with it.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from balai.payments import numbers
from balai.payments.tables import (
    Payment,
    PaymentEvent,
    PaymentInvoice,
    PaymentInvoiceItem,
    PaymentRefund,
)
from balai.payments.types import Invoice, InvoiceItem, InvoiceKind, InvoiceStatus
from balai.payments.widgets import count_payment, count_refund
from balai.tenants import City, current_city

log = logging.getLogger("balai.payments")

MAX_ITEMS = 50
MAX_AMOUNT = 10_000_000_000  # Rp10 billion: well beyond any city service, inside a 64-bit sum


class LedgerError(ValueError):
    """An invoice cannot be created or changed as asked; the message says why."""


class AmountMismatch(LedgerError):
    """A payment's amount differs from the invoice's."""


class DuplicateEvent(LedgerError):
    """This event key (or external id) was recorded before."""


def now_utc() -> datetime:
    """The current time in UTC (one place, so tests and code agree)."""
    return datetime.now(UTC)


def write_transaction() -> Any:
    """A transaction that takes the write lock at once on SQLite (no upgrade deadlock)."""
    engine = PaymentInvoice._meta.db
    if isinstance(engine, SQLiteEngine):
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()


def is_unique_violation(exc: BaseException) -> bool:
    """Whether ``exc`` is a unique-constraint violation on SQLite or PostgreSQL."""
    if isinstance(exc, sqlite3.IntegrityError):
        return "UNIQUE" in str(exc).upper()
    return type(exc).__name__ == "UniqueViolationError"


# --- reading --------------------------------------------------------------------


def _to_invoice(row: dict[str, Any], items: Sequence[dict[str, Any]] = ()) -> Invoice:
    return Invoice(
        id=row["id"],
        number=row["number"],
        city=row["city"],
        status=InvoiceStatus(row["status"]),
        amount=row["amount"],
        payer_id=row["payer_id"],
        payer_name=row["payer_name"],
        due_at=row["due_at"],
        source=row["source"],
        source_ref=row["source_ref"],
        created_at=row["created_at"],
        paid_at=row["paid_at"],
        access_token=row["access_token"],
        provider_key=row["provider"] or "",
        kind=InvoiceKind(row["kind"]),
        refunded_amount=row["refunded_amount"],
        items=tuple(
            InvoiceItem(description=i["description"], amount=i["amount"], quantity=i["quantity"])
            for i in items
        ),
    )


async def _load(where: Any) -> Invoice | None:
    row = await PaymentInvoice.select().where(where).first()
    if row is None:
        return None
    items = await (
        PaymentInvoiceItem.select()
        .where(PaymentInvoiceItem.invoice_id == row["id"])
        .order_by(PaymentInvoiceItem.position)
    )
    return _to_invoice(row, items)


async def invoice_by_number(number: str) -> Invoice | None:
    """The current city's invoice with ``number`` (``None`` if there is none)."""
    return await _load(PaymentInvoice.number == number.strip().upper())


async def invoice_by_id(invoice_id: int) -> Invoice | None:
    """The current city's invoice with row id ``invoice_id``."""
    return await _load(PaymentInvoice.id == invoice_id)


async def payment_of(invoice: Invoice) -> dict[str, Any] | None:
    """The payment row of ``invoice``, if it was paid."""
    return await Payment.select().where(Payment.invoice_id == invoice.id).first()


# --- creating -------------------------------------------------------------------


def _check_items(items: Sequence[InvoiceItem]) -> int:
    if not items:
        raise LedgerError("an invoice needs at least one item")
    if len(items) > MAX_ITEMS:
        raise LedgerError(f"an invoice holds at most {MAX_ITEMS} items")
    for item in items:
        if not isinstance(item.amount, int) or isinstance(item.amount, bool) or item.amount <= 0:
            raise LedgerError(f"item {item.description!r}: amount must be a positive whole rupiah")
        if not isinstance(item.quantity, int) or item.quantity <= 0:
            raise LedgerError(f"item {item.description!r}: quantity must be positive")
        if not item.description.strip() or len(item.description) > 200:
            raise LedgerError("an item needs a description of at most 200 characters")
    total = sum(i.amount for i in items)
    if total > MAX_AMOUNT:
        raise LedgerError("the total is larger than any invoice may be")
    return total


async def create_invoice(
    *,
    payer_id: int | None,
    payer_name: str,
    items: Sequence[InvoiceItem],
    due_at: datetime,
    source: str,
    source_ref: str,
    kind: InvoiceKind = InvoiceKind.BILL,
) -> Invoice:
    """Create a pending invoice in the current city.

    The amount is the sum of the items. Runs in the caller's transaction if
    one is open.

    Args:
        payer_id: The paying account, or ``None`` for a counter payment (the
            payer then opens the invoice with its ``access_token``).
        payer_name: The name printed on the invoice.
        items: The lines; amounts in whole rupiah.
        due_at: When it expires; an aware time in the future.
        source: The creating plugin's slug (only that plugin reacts to the hooks).
        source_ref: The plugin's own reference, e.g. its record id.
        kind: ``InvoiceKind.GOODS`` for things bought (cash is then paid on
            delivery), ``InvoiceKind.BILL`` (the default) for taxes, fees and
            charges (cash is paid at the counter).

    Raises:
        LedgerError: no items, a non-positive amount, a past or naive due time,
            a missing source.
    """
    total = _check_items(items)
    if due_at.tzinfo is None:
        raise LedgerError("due_at must carry a time zone")
    now = now_utc()
    if due_at <= now:
        raise LedgerError("due_at must be in the future")
    if not source or not source_ref:
        raise LedgerError("source and source_ref are required")
    if not payer_name.strip():
        raise LedgerError("payer_name is required")
    city = current_city()
    row = PaymentInvoice(
        number=numbers.invoice_number(now),
        access_token=numbers.access_token(),
        status=InvoiceStatus.PENDING.value,
        amount=total,
        payer_id=payer_id,
        payer_name=payer_name.strip()[:120],
        due_at=due_at.astimezone(UTC),
        source=source,
        source_ref=source_ref[:120],
        kind=InvoiceKind(kind).value,
        created_at=now,
    )
    await row.save()
    await PaymentInvoiceItem.insert(
        *[
            PaymentInvoiceItem(
                invoice_id=row.id,
                position=position,
                description=item.description.strip(),
                quantity=item.quantity,
                amount=item.amount,
            )
            for position, item in enumerate(items)
        ]
    )
    log.info(
        "invoice %s created in %s for %s:%s (Rp%d)",
        row.number,
        city.slug,
        source,
        source_ref,
        total,
    )
    invoice = await invoice_by_id(row.id)
    assert invoice is not None
    return invoice


# --- settling -------------------------------------------------------------------


@dataclass(frozen=True)
class SettlementEvent:
    """A report that money arrived (or did not) for an invoice.

    Attributes:
        event_key: Unique per event (``<provider>:<gateway event id>``); a
            second event with the same key changes nothing.
        external_id: The request's ``X-EXTERNAL-ID`` (unique per request).
        provider: The provider key.
        kind: ``paid``, ``failed`` or ``expired``.
        amount: Whole rupiah the event reports.
        body: The raw body, kept for audit.
        confirmed_by: The officer who confirmed a cash receipt.
        reference: Our attempt reference the gateway paid (kept on the
            payment for reconciliation).
    """

    event_key: str
    external_id: str
    provider: str
    kind: str
    amount: int
    body: str = ""
    confirmed_by: int | None = None
    reference: str = ""


@dataclass(frozen=True)
class Settlement:
    """What :func:`settle` did.

    Attributes:
        outcome: ``settled`` (this event paid the invoice), ``not_pending``
            (money for an invoice that was no longer pending: flagged for an
            officer), ``noted`` (a failure or expiry from the gateway while
            the invoice is pending), ``ignored`` (a failure or expiry for an
            invoice no longer pending, e.g. an ``expired`` after ``paid``:
            recorded, nothing else changes) or ``duplicate`` (seen before:
            nothing changed).
        payment_number: The new payment's number when settled.
    """

    outcome: str
    payment_number: str = ""


async def settle(invoice: Invoice, event: SettlementEvent, *, registry: Any) -> Settlement:
    """Record ``event`` for ``invoice`` once and, if it pays it, settle the invoice.

    Records the event under its unique key; a repeated key is a no-op. A
    ``paid`` event moves the invoice from pending to paid with one conditional
    update, records the payment and calls ``invoice_settled`` for the city,
    all in one transaction. A ``paid`` event for an invoice that is not
    pending any more is recorded and flagged (money to give back), never
    credited twice.

    Args:
        invoice: The invoice, read in the current city.
        event: The event.
        registry: The application's :class:`~balai.plugins.PluginRegistry`.

    Raises:
        AmountMismatch: a ``paid`` event for another amount (nothing recorded).
    """
    if event.kind == "paid" and event.amount != invoice.amount:
        raise AmountMismatch(
            f"paid Rp{event.amount}, invoice {invoice.number} is Rp{invoice.amount}"
        )
    city = current_city()
    if await PaymentEvent.exists().where(
        (PaymentEvent.event_key == event.event_key)
        | (PaymentEvent.external_id == event.external_id)
    ):
        return Settlement("duplicate")
    try:
        async with write_transaction():
            return await _settle_in_transaction(city, invoice, event, registry)
    except Exception as exc:
        if is_unique_violation(exc):
            log.info("event %s for %s arrived again: no change", event.event_key, invoice.number)
            return Settlement("duplicate")
        raise


async def _settle_in_transaction(
    city: City, invoice: Invoice, event: SettlementEvent, registry: Any
) -> Settlement:
    now = now_utc()
    record = PaymentEvent(
        event_key=event.event_key,
        external_id=event.external_id,
        provider=event.provider,
        invoice_id=invoice.id,
        kind=event.kind,
        amount=event.amount,
        outcome="received",
        received_at=now,
        body=event.body[:4000],
    )
    await record.save()
    if event.kind != "paid":
        current = (
            await PaymentInvoice.select(PaymentInvoice.status)
            .where(PaymentInvoice.id == invoice.id)
            .first()
        )
        pending = current is not None and current["status"] == InvoiceStatus.PENDING.value
        outcome = "noted" if pending else "ignored"
        await PaymentEvent.update({PaymentEvent.outcome: outcome}).where(
            PaymentEvent.id == record.id
        )
        if not pending:
            log.info(
                "%s event %s for %s, which is %s: recorded and ignored",
                event.kind,
                event.event_key,
                invoice.number,
                current["status"] if current else "gone",
            )
        return Settlement(outcome)
    won = await (
        PaymentInvoice.update(
            {
                PaymentInvoice.status: InvoiceStatus.PAID.value,
                PaymentInvoice.paid_at: now,
                PaymentInvoice.provider: event.provider,
            }
        )
        .where(
            (PaymentInvoice.id == invoice.id)
            & (PaymentInvoice.status == InvoiceStatus.PENDING.value)
        )
        .returning(PaymentInvoice.id)
    )
    if not won:
        await PaymentEvent.update(
            {PaymentEvent.outcome: "not_pending", PaymentEvent.flagged: True}
        ).where(PaymentEvent.id == record.id)
        log.warning(
            "payment event %s for %s, which is no longer pending: flagged for an officer",
            event.event_key,
            invoice.number,
        )
        return Settlement("not_pending")
    number = numbers.payment_number(now)
    await Payment(
        number=number,
        invoice_id=invoice.id,
        provider=event.provider,
        external_id=event.reference or event.external_id,
        amount=event.amount,
        paid_at=now,
        confirmed_by=event.confirmed_by,
    ).save()
    await PaymentEvent.update({PaymentEvent.outcome: "settled"}).where(PaymentEvent.id == record.id)
    await count_payment(event.provider, event.amount)
    paid = await invoice_by_id(invoice.id)
    await registry.gather(city, "invoice_settled", city=city, invoice=paid)
    log.info("invoice %s paid by %s (payment %s)", invoice.number, event.provider, number)
    return Settlement("settled", number)


# --- expiring, refunding, cancelling -----------------------------------------------


async def _move(invoice_id: int, source: InvoiceStatus, target: InvoiceStatus) -> bool:
    changed = await (
        PaymentInvoice.update(
            {PaymentInvoice.status: target.value, PaymentInvoice.closed_at: now_utc()}
        )
        .where((PaymentInvoice.id == invoice_id) & (PaymentInvoice.status == source.value))
        .returning(PaymentInvoice.id)
    )
    return bool(changed)


async def expire_overdue(*, registry: Any, now: datetime | None = None) -> list[str]:
    """Expire the current city's pending invoices whose due time has passed.

    Each invoice moves in its own transaction, with ``invoice_expired`` called
    inside it; an invoice paid meanwhile stays paid.

    Returns:
        The numbers of the invoices this call expired.
    """
    city = current_city()
    moment = now or now_utc()
    due = await PaymentInvoice.select(PaymentInvoice.id).where(
        (PaymentInvoice.status == InvoiceStatus.PENDING.value) & (PaymentInvoice.due_at < moment)
    )
    expired: list[str] = []
    for row in due:
        async with write_transaction():
            if not await _move(row["id"], InvoiceStatus.PENDING, InvoiceStatus.EXPIRED):
                continue
            invoice = await invoice_by_id(row["id"])
            await registry.gather(city, "invoice_expired", city=city, invoice=invoice)
        expired.append(invoice.number)  # type: ignore[union-attr]
    if expired:
        log.info("expired %d invoice(s) in %s", len(expired), city.slug)
    return expired


async def refund(
    invoice: Invoice,
    *,
    officer_id: int | None,
    reason: str,
    registry: Any,
    amount: int | None = None,
    key: str = "",
) -> bool:
    """Record that money of a paid invoice was given back, and tell its plugin when all was.

    Without ``amount`` the whole rest is refunded (everything, if nothing was
    before). With ``amount`` only that much: the invoice stays ``paid`` until
    its refunds add up to what was paid, and then becomes ``refunded``
    (``invoice_refunded`` runs, inside the transaction, only then). Refunds
    never add up to more than was paid: a conditional update adds each one
    to the invoice's ``refunded_amount`` only while the sum stays within the
    amount. Runs in the caller's transaction if one is open.

    ``officer_id`` is ``None`` when a payment channel voids its own payment
    (a partner's same-day reversal) or a plugin's rules grant the refund.

    Args:
        invoice: The invoice, read in the current city.
        officer_id: The officer who decided it, if any.
        reason: Why (kept with the refund).
        registry: The application's :class:`~balai.plugins.PluginRegistry`.
        amount: Whole rupiah to give back; ``None`` for all that is left.
        key: Makes the refund idempotent: a second call with the same key
            gives nothing back again and answers ``True`` (``""``: no key).

    Returns:
        ``True`` if this call refunded it (or a refund with ``key`` was made
        before); ``False`` if the invoice was not paid (any more), or, for a
        whole refund, another refund came first.

    Raises:
        LedgerError: no reason, an amount that is not a positive whole rupiah
            or more than is left to refund, or ``key`` used before for
            another invoice or amount; nothing was written.
    """
    reason = " ".join(reason.split())
    if not reason:
        raise LedgerError("a refund needs a reason")
    if amount is not None and (
        not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0
    ):
        raise LedgerError("a refund's amount must be a positive whole rupiah")
    if len(key) > 120:
        raise LedgerError("a refund's key has at most 120 characters")
    city = current_city()
    full_key = f"{city.slug}:{invoice.number}:{key}" if key else ""
    engine = PaymentInvoice._meta.db
    outer = engine.current_transaction.get() is not None
    try:
        async with write_transaction():
            done = await _refund_in_transaction(
                city, invoice, officer_id, reason, registry, amount, full_key
            )
    except Exception as exc:
        if outer or not full_key or not is_unique_violation(exc):
            raise
        # A concurrent call with the same key won: its refund stands.
        return await _earlier_refund(invoice, full_key, amount)
    return done


async def _earlier_refund(invoice: Invoice, full_key: str, amount: int | None) -> bool:
    earlier = await PaymentRefund.select().where(PaymentRefund.key == full_key).first()
    if earlier is None:
        return False
    if earlier["invoice_id"] != invoice.id or (amount is not None and earlier["amount"] != amount):
        raise LedgerError("this refund key was used for another refund")
    return True


async def _refund_in_transaction(
    city: City,
    invoice: Invoice,
    officer_id: int | None,
    reason: str,
    registry: Any,
    amount: int | None,
    full_key: str,
) -> bool:
    if full_key and await PaymentRefund.exists().where(PaymentRefund.key == full_key):
        return await _earlier_refund(invoice, full_key, amount)
    current = (
        await PaymentInvoice.select(
            PaymentInvoice.status, PaymentInvoice.amount, PaymentInvoice.refunded_amount
        )
        .where(PaymentInvoice.id == invoice.id)
        .first()
    )
    if current is None or current["status"] != InvoiceStatus.PAID.value:
        return False
    left = current["amount"] - current["refunded_amount"]
    value = left if amount is None else amount
    if value > left:
        raise LedgerError(f"only Rp{left} of invoice {invoice.number} is left to refund")
    # Adds only while the sum stays within the amount (a whole refund: only if
    # nothing was refunded meanwhile); of concurrent refunds no two overshoot.
    limit = current["amount"] - value
    if amount is None:
        limit = current["refunded_amount"]
    added = await (
        PaymentInvoice.update(
            {PaymentInvoice.refunded_amount: PaymentInvoice.refunded_amount + value}
        )
        .where(
            (PaymentInvoice.id == invoice.id)
            & (PaymentInvoice.status == InvoiceStatus.PAID.value)
            & (PaymentInvoice.refunded_amount <= limit)
        )
        .returning(PaymentInvoice.refunded_amount)
    )
    if not added:
        if amount is None:
            return False
        raise LedgerError(f"too little of invoice {invoice.number} is left to refund")
    now = now_utc()
    await PaymentRefund(
        invoice_id=invoice.id,
        key=full_key or f"{city.slug}:{invoice.number}:{numbers.access_token()}",
        amount=value,
        reason=reason[:300],
        officer_id=officer_id,
        created_at=now,
    ).save()
    whole = added[0]["refunded_amount"] == current["amount"]
    if whole:
        await _move(invoice.id, InvoiceStatus.PAID, InvoiceStatus.REFUNDED)
        await Payment.update(
            {
                Payment.refunded_at: now,
                Payment.refunded_by: officer_id,
                Payment.refund_reason: reason[:300],
            }
        ).where(Payment.invoice_id == invoice.id)
    refunded = await invoice_by_id(invoice.id)
    assert refunded is not None and refunded.provider_key
    await count_refund(refunded.provider_key, value)
    if whole:
        await registry.gather(city, "invoice_refunded", city=city, invoice=refunded)
    log.info(
        "invoice %s: Rp%d refunded (%s) by officer %s",
        invoice.number,
        value,
        "all of it" if whole else "part",
        officer_id,
    )
    return True


async def cancel_invoice(invoice: Invoice) -> bool:
    """Cancel a pending invoice (its plugin no longer wants it paid).

    Returns:
        ``True`` if it was pending and is now cancelled.
    """
    return await _move(invoice.id, InvoiceStatus.PENDING, InvoiceStatus.CANCELLED)
