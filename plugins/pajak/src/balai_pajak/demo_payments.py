"""The demo's paid PBB bills as real ledger payments, and the demo citizen's NOPs.

Every bill the PBB demo marks paid gets a settled ledger invoice
(``source="pajak"``, ``source_ref="pbb:<bill id>"``, the same lines
:func:`balai_pajak.pbb.payment.invoice_items` writes) through
``tk.seed_paid_invoices``, on a realistic mix of channels; the bill keeps
the invoice number and a paid :class:`BillPayment` row, exactly as after
``invoice_settled``. The demo citizen (``warga@<city>.test``) gets a few
NOPs linked, chosen among the city's first demo objects that have both
paid and unpaid bills, and pays their paid bills from that account, so
"My bills" shows bills to pay and receipts at once.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Any

from balai import toolkit as tk

from balai_pajak.bulk import insert_rows
from balai_pajak.pbb.payment import SOURCE, invoice_items, source_ref
from balai_pajak.pbb.penalty import Owed
from balai_pajak.revenue.record import count_channels
from balai_pajak.tables import BillPayment, NopLink, Sppt, SpptStatus

# Share of the demo's PBB payments per channel (bank VA and counter lead, as in the cities).
CHANNEL_MIX = (("va", 0.35), ("cash", 0.25), ("qris", 0.22), ("ewallet", 0.18))
CITIZEN_NOPS = 3


def pick_channel(rng: random.Random) -> str:
    """One channel drawn from :data:`CHANNEL_MIX`."""
    roll = rng.random()
    for channel, share in CHANNEL_MIX:
        if roll < share:
            return channel
        roll -= share
    return CHANNEL_MIX[0][0]


def citizen_nops(bills: list[dict[str, Any]], first: list[str], today) -> list[str]:
    """Up to :data:`CITIZEN_NOPS` of ``first`` having a paid bill and an unpaid, due one."""
    kinds: dict[str, set[str]] = {}
    for bill in bills:
        if bill["status"] == SpptStatus.PAID.value:
            kinds.setdefault(bill["nop"], set()).add("paid")
        elif bill["due_date"] <= today:
            kinds.setdefault(bill["nop"], set()).add("unpaid")
    return [nop for nop in first if kinds.get(nop) == {"paid", "unpaid"}][:CITIZEN_NOPS]


async def _set_invoice_numbers(numbers: list[tuple[str, int]]) -> None:
    """``Sppt.invoice_number`` of many bills in one ``executemany`` (current transaction)."""
    engine = Sppt._meta.db
    marks = ("?", "?") if engine.engine_type == "sqlite" else ("$1", "$2")
    statement = f"UPDATE pajak_sppt SET invoice_number = {marks[0]} WHERE id = {marks[1]}"  # noqa: S608
    async with engine.transaction() as transaction:
        await transaction.connection.executemany(statement, numbers)


async def seed(
    city: tk.City, bills: list[dict[str, Any]], first: list[str], today, rng: random.Random
) -> tk.DemoReport:
    """Ledger payments for the paid ``bills`` (already inserted) and the citizen's NOPs.

    Args:
        city: The city being seeded.
        bills: The demo's bill dicts (``nop``, ``year``, ``status``, ``due_date``,
            ``paid_at``, ``paid_principal``, ``paid_penalty``, ``owed`` for paid ones).
        first: The NOPs of the city's first demo objects, in order.
        today: The city's local date.
        rng: The demo's random generator (deterministic channels).
    """
    report = tk.DemoReport()
    citizen = await tk.demo_user(f"warga@{city.slug}.test", f"Warga {city.name}")
    linked = set(citizen_nops(bills, first, today))
    ids = {(r["nop"], r["year"]): r["id"] for r in await Sppt.select(Sppt.id, Sppt.nop, Sppt.year)}
    paid = [b for b in bills if b["status"] == SpptStatus.PAID.value]
    planned = []
    for bill in paid:
        bill["id"] = ids[(bill["nop"], bill["year"])]
        owed: Owed = bill["owed"]
        planned.append(
            tk.DemoPayment(
                payer_id=citizen.id if bill["nop"] in linked else None,
                payer_name=bill["taxpayer_name"] or citizen.account.login,
                items=invoice_items([bill], {bill["id"]: owed}),
                source=SOURCE,
                source_ref=source_ref([bill["id"]]),
                channel=pick_channel(rng),
                paid_at=bill["paid_at"],
            )
        )
    seeded = await tk.seed_paid_invoices(planned)
    await count_channels([(p.channel, p.paid_at, sum(i.amount for i in p.items)) for p in planned])
    await _set_invoice_numbers(
        [(s.invoice_number, b["id"]) for s, b in zip(seeded, paid, strict=True)]
    )
    await insert_rows(
        BillPayment,
        ("city", "invoice_number", "sppt", "principal", "penalty", "created_at", "status"),
        [
            (
                city.slug,
                s.invoice_number,
                b["id"],
                b["paid_principal"],
                b["paid_penalty"],
                b["paid_at"],
                "paid",
            )
            for s, b in zip(seeded, paid, strict=True)
        ],
    )
    objects = {
        r["nop"]: r["tax_object"]
        for r in await Sppt.select(Sppt.nop, Sppt.tax_object).where(
            Sppt.nop.is_in(sorted(linked) or [""])
        )
    }
    now = datetime.now(UTC)
    for nop in sorted(linked):
        await NopLink(user_id=citizen.id, tax_object=objects[nop], nop=nop, created_at=now).save()
    if paid:
        report.summary.append(f"pajak: {len(paid)} PBB-P2 payments in the payments ledger")
    if linked:
        report.accounts.append(citizen.account)
        report.summary.append(
            f"pajak: {citizen.account.login} has {len(linked)} NOP{'s' if len(linked) != 1 else ''}"
            " linked (Tagihan saya)"
        )
    return report
