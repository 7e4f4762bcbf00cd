"""Settled payments for demo data, in bulk: the ledger's rows without a gateway.

A plugin's ``seed_demo`` that shows bills paid in the past calls
:func:`seed_paid_invoices` (``tk.seed_paid_invoices``) with one
:class:`DemoPayment` per payment. Each becomes what settling it through the
ledger leaves behind: a paid invoice with its items, a payment with its
number, a ``paid`` event (key ``demo:<payment number>``) and the
``payments.count.<channel>``/``payments.revenue.<channel>`` metrics on the
local day it was paid, so the payments office, receipts and the
"payments per channel" widget show them. Thousands of payments are
written with a few multi-row statements, in the caller's transaction.

When the sandbox bank is the gateway (development), each gateway payment
(not ``cash``) is also in the sandbox's book as settled, so the payments
office's daily reconciliation matches it instead of flagging it.

It does **not** call ``invoice_settled``: the seeding plugin writes its own
side (bills paid, the invoice number on them) with the numbers returned.
Only usable while ``balai demo`` seeds a city (:mod:`balai.seeding`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from balai.dashboard.metrics import local_day
from balai.dashboard.tables import DailyMetric
from balai.payments import numbers
from balai.payments.ledger import LedgerError, _check_items
from balai.payments.tables import (
    Payment,
    PaymentEvent,
    PaymentInvoice,
    PaymentInvoiceItem,
    SandboxTransaction,
)
from balai.payments.types import InvoiceItem, InvoiceStatus
from balai.payments.widgets import count_metric, revenue_metric
from balai.seeding import require_seeding, sandbox_partner
from balai.tenants import current_city

CHANNELS = ("va", "qris", "ewallet", "cash")


@dataclass(frozen=True)
class DemoPayment:
    """One payment of the demo's past, as ``create_invoice`` and a settlement would make it.

    Attributes:
        payer_id: The paying account, or ``None`` (paid at a counter or bank).
        payer_name: The name printed on invoice and receipt.
        items: The invoice lines (whole rupiah, as for ``create_invoice``).
        source: The seeding plugin's slug.
        source_ref: Its reference, as its own payment code would write it.
        channel: ``va``, ``qris``, ``ewallet`` or ``cash``.
        paid_at: When the money arrived (aware; in the past).
    """

    payer_id: int | None
    payer_name: str
    items: Sequence[InvoiceItem]
    source: str
    source_ref: str
    channel: str
    paid_at: datetime


@dataclass(frozen=True)
class SeededPayment:
    """The numbers a demo payment got: invoice (``INV-…``) and payment (``PAY-…``)."""

    invoice_number: str
    payment_number: str


def _new_numbers(
    payments: Sequence[DemoPayment], make: Callable[[datetime], str], taken: set[str]
) -> list[str]:
    """A fresh number per payment from ``make`` (dated by its payment), none in ``taken``."""
    found: list[str] = []
    for payment in payments:
        number = make(payment.paid_at)
        while number in taken:
            number = make(payment.paid_at)
        taken.add(number)
        found.append(number)
    return found


async def _insert(table, columns: Sequence[str], rows: list[tuple]) -> None:
    """Multi-row insert on the current transaction's connection (driver placeholders)."""
    if not rows:
        return
    engine = table._meta.db
    if engine.engine_type == "sqlite":
        marks = ", ".join("?" for _ in columns)
    else:
        marks = ", ".join(f"${n}" for n in range(1, len(columns) + 1))
    statement = f"INSERT INTO {table._meta.tablename} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
    async with engine.transaction() as transaction:
        await transaction.connection.executemany(statement, rows)


async def _add_metrics(city: str, totals: dict[tuple[str, object], int]) -> None:
    """Add to daily metrics in one statement per batch (``ON CONFLICT`` adds up)."""
    engine = DailyMetric._meta.db
    marks = "?, ?, ?, ?" if engine.engine_type == "sqlite" else "$1, $2, $3, $4"
    statement = (
        "INSERT INTO balai_dashboard_daily (city, metric, day, value) "  # noqa: S608
        f"VALUES ({marks}) ON CONFLICT (city, metric, day) "
        "DO UPDATE SET value = balai_dashboard_daily.value + excluded.value"
    )
    rows = [(city, metric, day, value) for (metric, day), value in totals.items()]
    if rows:
        async with engine.transaction() as transaction:
            await transaction.connection.executemany(statement, rows)


async def seed_paid_invoices(payments: Sequence[DemoPayment]) -> list[SeededPayment]:
    """Record ``payments`` as settled invoices of the current city; numbers in the same order.

    Raises:
        NotSeedingError: outside the demo's seeding of a city.
        LedgerError: an item the ledger would refuse, an unknown channel, a
            naive or future ``paid_at``, a missing source or payer name.
    """
    require_seeding()
    if not payments:
        return []
    city = current_city()
    now = datetime.now(UTC)
    totals: list[int] = []
    for payment in payments:
        totals.append(_check_items(payment.items))
        if payment.channel not in CHANNELS:
            raise LedgerError(f"unknown demo channel {payment.channel!r}")
        if payment.paid_at.tzinfo is None or payment.paid_at > now:
            raise LedgerError("paid_at must be an aware time in the past")
        if not payment.source or not payment.source_ref or not payment.payer_name.strip():
            raise LedgerError("source, source_ref and payer_name are required")
    taken = {r["number"] for r in await PaymentInvoice.select(PaymentInvoice.number)} | {
        r["number"] for r in await Payment.select(Payment.number)
    }
    invoice_numbers = _new_numbers(payments, numbers.invoice_number, taken)
    payment_numbers = _new_numbers(payments, numbers.payment_number, taken)
    invoice_rows = []
    for payment, total, number in zip(payments, totals, invoice_numbers, strict=True):
        paid_at = payment.paid_at.astimezone(UTC)
        invoice_rows.append(
            (
                city.slug,
                number,
                numbers.access_token(),
                InvoiceStatus.PAID.value,
                total,
                payment.payer_id,
                payment.payer_name.strip()[:120],
                paid_at + timedelta(days=1),
                payment.source,
                payment.source_ref[:120],
                payment.channel,
                paid_at - timedelta(minutes=5),
                paid_at,
            )
        )
    await _insert(
        PaymentInvoice,
        (
            "city",
            "number",
            "access_token",
            "status",
            "amount",
            "payer_id",
            "payer_name",
            "due_at",
            "source",
            "source_ref",
            "provider",
            "created_at",
            "paid_at",
        ),
        invoice_rows,
    )
    ids: dict[str, int] = {}
    for start in range(0, len(invoice_numbers), 500):
        chunk = invoice_numbers[start : start + 500]
        for row in await PaymentInvoice.select(PaymentInvoice.id, PaymentInvoice.number).where(
            PaymentInvoice.number.is_in(chunk)
        ):
            ids[row["number"]] = row["id"]
    partner = sandbox_partner()
    items, paid, events, bank = [], [], [], []
    metrics: Counter[tuple[str, object]] = Counter()
    for payment, total, inv_no, pay_no in zip(
        payments, totals, invoice_numbers, payment_numbers, strict=True
    ):
        invoice_id = ids[inv_no]
        paid_at = payment.paid_at.astimezone(UTC)
        items.extend(
            (city.slug, invoice_id, position, item.description.strip(), item.quantity, item.amount)
            for position, item in enumerate(payment.items)
        )
        reference = f"{inv_no}-DEMO"  # as an attempt reference: <invoice>-<code>
        paid.append((city.slug, pay_no, invoice_id, payment.channel, reference, total, paid_at))
        if partner and payment.channel != "cash":
            bank.append(
                (
                    f"SBX-{pay_no}",
                    partner,
                    reference,
                    payment.channel,
                    total,
                    "",
                    "",
                    "paid",
                    paid_at - timedelta(minutes=5),
                    paid_at,
                    1,
                )
            )
        events.append(
            (
                city.slug,
                f"demo:{pay_no}",
                pay_no,
                payment.channel,
                invoice_id,
                "paid",
                total,
                "settled",
                False,
                paid_at,
                "demo data",
            )
        )
        day = local_day(paid_at)
        metrics[(count_metric(payment.channel), day)] += 1
        metrics[(revenue_metric(payment.channel), day)] += total
    await _insert(
        PaymentInvoiceItem,
        ("city", "invoice_id", "position", "description", "quantity", "amount"),
        items,
    )
    await _insert(
        Payment,
        ("city", "number", "invoice_id", "provider", "external_id", "amount", "paid_at"),
        paid,
    )
    await _insert(
        PaymentEvent,
        (
            "city",
            "event_key",
            "external_id",
            "provider",
            "invoice_id",
            "kind",
            "amount",
            "outcome",
            "flagged",
            "received_at",
            "body",
        ),
        events,
    )
    await _insert(
        SandboxTransaction,
        (
            "reference",
            "partner_id",
            "partner_reference",
            "channel",
            "amount",
            "va_number",
            "callback_url",
            "status",
            "created_at",
            "settled_at",
            "deliveries",
        ),
        bank,
    )
    await _add_metrics(city.slug, metrics)
    return [
        SeededPayment(inv, pay) for inv, pay in zip(invoice_numbers, payment_numbers, strict=True)
    ]
