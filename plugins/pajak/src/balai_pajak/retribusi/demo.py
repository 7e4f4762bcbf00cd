"""Demo markets and stalls with a few months of bills: paid online, in cash, in arrears.

Bills paid online are settled ledger invoices (``tk.seed_paid_invoices``,
``source_ref="retribusi:<bill id>"``); cash taken by a collector has the
collector's receipt number and no invoice, as in the collector's own flow.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, time

from balai import toolkit as tk

from balai_pajak.months import Month, local_today
from balai_pajak.retribusi.billing import (
    PREFIX,
    SOURCE,
    bill_label,
    generate_bills,
    receipt_number,
)
from balai_pajak.retribusi.tables import BillStatus, Market, Stall, StallBill
from balai_pajak.revenue.record import COLLECTOR, record_payment

# Market name, district, address. Fees are demo figures, not the city's tariff.
MARKETS: dict[str, list[tuple[str, str, str]]] = {
    "malang": [
        ("Pasar Oro-Oro Dowo", "Klojen", "Jl. Guntur No. 20"),
        ("Pasar Besar Malang", "Klojen", "Jl. Pasar Besar"),
    ],
}
HOLDERS = (
    "Bu Sri Wahyuni",
    "Pak Slamet",
    "Bu Lestari",
    "Pak Agus Salim",
    "Bu Endang",
    "Pak Joko",
    "Bu Siti Aminah",
    "Pak Hartono",
    "Bu Ninik",
    "Pak Bambang",
)


def _at(day, city: tk.City) -> datetime:
    return datetime.combine(day, time(9), tzinfo=city.tz).astimezone(UTC)


async def seed(city: tk.City) -> tk.DemoReport:
    """Two markets with stalls and bills of this month and the three before, once."""
    report = tk.DemoReport()
    plan = MARKETS.get(city.slug, [])
    if not plan or await Market.count() > 0:
        return report
    chance = random.Random(f"retribusi-{city.slug}")  # noqa: S311 (demo data, not security)
    now = datetime.now(UTC)
    stalls = 0
    for m_index, (name, district, address) in enumerate(plan):
        market = Market(name=name, district=district, address=address, created_at=now)
        await market.save()
        for number in range(1, 9):
            await Stall(
                market=market.id,
                number=f"{'AB'[m_index]}-{number:02d}",
                size_m2=chance.choice((4, 6, 9, 12)),
                holder_name=HOLDERS[(number + m_index * 3) % len(HOLDERS)],
                monthly_fee=chance.choice((45_000, 60_000, 75_000, 120_000)),
                link_code="".join(
                    chance.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(8)
                ),
                created_at=now,
            ).save()
            stalls += 1
    today = local_today(city.tz)
    months = [Month.of(today)]
    for _ in range(3):
        months.append(months[-1].previous())
    for month in reversed(months):
        await generate_bills(month)
    bills = await StallBill.select().order_by(StallBill.id)
    markets = {m["id"]: m for m in await Market.select(Market.id, Market.name, Market.district)}
    stall_rows = {s["id"]: s for s in await Stall.select(Stall.id, Stall.number, Stall.holder_name)}
    online: list[tuple[dict, tk.DemoPayment]] = []
    for bill in bills:
        if Month(bill["year"], bill["month"]) == months[0]:
            continue  # this month's bills stay open
        roll = chance.random()
        if roll < 0.2:
            continue  # arrears
        paid_on = min(bill["due_date"], today)
        paid_at = _at(paid_on, city)
        channel = COLLECTOR if roll < 0.6 else chance.choice(("va", "qris", "ewallet"))
        await StallBill.update(
            {
                StallBill.status: BillStatus.PAID.value,
                StallBill.paid_at: paid_at,
                StallBill.paid_channel: channel,
                StallBill.receipt_number: receipt_number(bill["id"], paid_on)
                if channel == COLLECTOR
                else "",
            }
        ).where(StallBill.id == bill["id"])
        await record_payment(
            "retribusi", {markets[bill["market"]]["district"]: bill["amount"]}, channel, paid_at
        )
        if channel != COLLECTOR:
            stall = stall_rows[bill["stall"]]
            label = bill_label(bill, markets[bill["market"]]["name"], stall["number"])
            online.append(
                (
                    bill,
                    tk.DemoPayment(
                        payer_id=None,
                        payer_name=stall["holder_name"],
                        items=[tk.InvoiceItem(label, bill["amount"])],
                        source=SOURCE,
                        source_ref=f"{PREFIX}{bill['id']}",
                        channel=channel,
                        paid_at=paid_at,
                    ),
                )
            )
    paid = await tk.seed_paid_invoices([payment for _, payment in online])
    for (bill, _), seeded in zip(online, paid, strict=True):
        await StallBill.update({StallBill.invoice_number: seeded.invoice_number}).where(
            StallBill.id == bill["id"]
        )
    report.summary.append(f"pajak: {len(plan)} markets, {stalls} stalls, bills of four months")
    return report
