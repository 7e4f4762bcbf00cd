"""Counting a payment once it is received: the monthly summary and the daily metrics.

Called inside the transaction that settles the payment (the ledger's
``invoice_settled``, or a collector's cash entry), so the counts commit with it.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from balai import toolkit as tk

from balai_pajak.months import local_date
from balai_pajak.pbjt.tables import TaxReturn
from balai_pajak.retribusi.tables import Market, StallBill
from balai_pajak.revenue.tables import RevenueMonth
from balai_pajak.tables import BillPayment, Sppt, SpptStatus

TAX_TYPES = ("pbb", "pbjt", "retribusi")
COLLECTOR = "collector"  # the channel of cash taken by a market collector

_UPSERT = (
    "INSERT INTO pajak_revenue_month (city, year, month, tax_type, district, amount, payments) "
    "VALUES ({}, {}, {}, {}, {}, {}, {}) "
    "ON CONFLICT (city, year, month, tax_type, district) DO UPDATE SET "
    "amount = pajak_revenue_month.amount + excluded.amount, "
    "payments = pajak_revenue_month.payments + excluded.payments"
)
_CHANNEL = re.compile(r"[^a-z0-9_]")


def revenue_metric(tax_type: str) -> str:
    """The daily metric of rupiah received for ``tax_type``."""
    return f"pajak.revenue.{tax_type}"


def channel_metrics(channel: str) -> tuple[str, str]:
    """The daily metrics (payments, rupiah) of one payment channel."""
    key = _CHANNEL.sub("_", channel.lower())[:30] or "unknown"
    return f"pajak.channel_count.{key}", f"pajak.channel_amount.{key}"


async def record_payment(
    tax_type: str, parts: dict[str, int], channel: str, paid_at: datetime
) -> None:
    """Count one payment of ``tax_type`` received through ``channel``.

    Args:
        tax_type: ``pbb``, ``pbjt`` or ``retribusi``.
        parts: Rupiah per district (one payment may cover several districts).
        channel: The payment provider's key, or ``collector``.
        paid_at: When it was received (UTC); its local day and month count.
    """
    if tax_type not in TAX_TYPES:
        raise ValueError(f"unknown tax type {tax_type!r}")
    city = tk.current_city()
    day = local_date(paid_at, city.tz)
    total = sum(parts.values())
    for index, (district, amount) in enumerate(sorted(parts.items())):
        await RevenueMonth.raw(
            _UPSERT,
            city.slug,
            day.year,
            day.month,
            tax_type,
            district[:60],
            int(amount),
            1 if index == 0 else 0,
        )
    await tk.bump_metric(revenue_metric(tax_type), total, day)
    count_metric, amount_metric = channel_metrics(channel)
    await tk.bump_metric(count_metric, 1, day)
    await tk.bump_metric(amount_metric, total, day)


async def count_channels(payments: list[tuple[str, datetime, int]]) -> None:
    """Count many payments (channel, paid at UTC, rupiah) in the per-channel metrics.

    For payments settled without ``invoice_settled`` (the demo's seeded ledger
    payments): one bump per channel and local day, in one transaction.
    """
    city = tk.current_city()
    days: dict[tuple[str, date], list[int]] = {}
    for channel, paid_at, amount in payments:
        total = days.setdefault((channel, local_date(paid_at, city.tz)), [0, 0])
        total[0] += 1
        total[1] += int(amount)
    async with RevenueMonth._meta.db.transaction():
        for (channel, day), (count, amount) in sorted(days.items()):
            count_metric, amount_metric = channel_metrics(channel)
            await tk.bump_metric(count_metric, count, day)
            await tk.bump_metric(amount_metric, amount, day)


async def _pbb_parts(invoice: tk.Invoice) -> dict[str, int]:
    """Rupiah per district of a PBB invoice, from the bills it pays."""
    rows = await BillPayment.select(
        BillPayment.principal,
        BillPayment.penalty,
        BillPayment.sppt.tax_object.district.as_alias("district"),
    ).where(BillPayment.invoice_number == invoice.number)
    parts: dict[str, int] = {}
    for row in rows:
        district = row["district"] or ""
        parts[district] = parts.get(district, 0) + int(row["principal"]) + int(row["penalty"])
    if sum(parts.values()) != invoice.amount:  # rows missing or partial: keep the total right
        return {"": invoice.amount}
    return parts


async def _pbjt_parts(invoice: tk.Invoice, ref: str) -> dict[str, int]:
    row = await (
        TaxReturn.select(TaxReturn.business.district.as_alias("district"))
        .where(TaxReturn.id == int(ref))
        .first()
    )
    return {(row or {}).get("district") or "": invoice.amount}


async def _retribusi_parts(invoice: tk.Invoice, ref: str) -> dict[str, int]:
    bill = await StallBill.select(StallBill.market).where(StallBill.id == int(ref)).first()
    market = None
    if bill is not None:
        market = await Market.select(Market.district).where(Market.id == bill["market"]).first()
    return {(market or {}).get("district") or "": invoice.amount}


async def invoice_parts(invoice: tk.Invoice) -> tuple[str, dict[str, int]] | None:
    """The tax type of a ``pajak`` invoice and its rupiah per district (``None``: not ours)."""
    tax_type, _, ref = invoice.source_ref.partition(":")
    if invoice.source != "pajak" or tax_type not in TAX_TYPES:
        return None
    if tax_type == "pbb":
        return tax_type, await _pbb_parts(invoice)
    if not ref.isdigit():
        return None
    if tax_type == "pbjt":
        return tax_type, await _pbjt_parts(invoice, ref)
    return tax_type, await _retribusi_parts(invoice, ref)


async def count_settled(invoice: tk.Invoice) -> None:
    """Count a paid ``pajak`` invoice of any tax type (from the ``invoice_settled`` hook)."""
    found = await invoice_parts(invoice)
    if found is not None:
        tax_type, parts = found
        await record_payment(tax_type, parts, invoice.provider_key, invoice.paid_at or _now())


async def count_refunded(invoice: tk.Invoice) -> None:
    """Take a refunded ``pajak`` invoice off the revenue, on the day of the refund."""
    found = await invoice_parts(invoice)
    if found is not None:
        tax_type, parts = found
        negative = {district: -amount for district, amount in parts.items()}
        await record_refund(tax_type, negative, invoice.provider_key)


async def record_refund(tax_type: str, parts: dict[str, int], channel: str) -> None:
    """Count a refund (negative ``parts``) today: rupiah down, payments down by one."""
    city = tk.current_city()
    day = local_date(_now(), city.tz)
    for index, (district, amount) in enumerate(sorted(parts.items())):
        await RevenueMonth.raw(
            _UPSERT,
            city.slug,
            day.year,
            day.month,
            tax_type,
            district[:60],
            int(amount),
            -1 if index == 0 else 0,
        )
    total = sum(parts.values())
    await tk.bump_metric(revenue_metric(tax_type), total, day)
    count_metric, amount_metric = channel_metrics(channel)
    await tk.bump_metric(count_metric, -1, day)
    await tk.bump_metric(amount_metric, total, day)


def _now() -> datetime:
    return datetime.now(UTC)


async def backfill_pbb() -> int:
    """Count PBB bills marked paid without a ledger payment (imported or demo data).

    Adds their rupiah to the monthly summary and the daily revenue metric,
    grouped by local day and district; the channel is unknown, so the
    per-channel counts are left alone. Run once, on data no payment counted.

    Returns:
        How many bills it counted.
    """
    city = tk.current_city()
    rows = await Sppt.select(
        Sppt.paid_at,
        Sppt.paid_principal,
        Sppt.paid_penalty,
        Sppt.tax_object.district.as_alias("district"),
    ).where((Sppt.status == SpptStatus.PAID.value) & Sppt.paid_at.is_not_null())
    months: dict[tuple[int, int, str], list[int]] = {}
    days: dict = {}
    for row in rows:
        day = local_date(row["paid_at"], city.tz)
        amount = int(row["paid_principal"]) + int(row["paid_penalty"])
        key = (day.year, day.month, row["district"] or "")
        total = months.setdefault(key, [0, 0])
        total[0] += amount
        total[1] += 1
        days[day] = days.get(day, 0) + amount
    for (year, month, district), (amount, payments) in sorted(months.items()):
        await RevenueMonth.raw(_UPSERT, city.slug, year, month, "pbb", district, amount, payments)
    for day, amount in sorted(days.items()):
        await tk.bump_metric(revenue_metric("pbb"), amount, day)
    return len(rows)
