"""Paying PBB bills through the core's payments ledger, and hearing the outcome.

The citizen picks one or several unpaid bills of their linked NOPs on "My
bills"; :func:`pay` makes **one** invoice (``source="pajak"``,
``source_ref="pbb:<bill ids>"``) with, per bill, a principal line and, when
late, a penalty line, each naming the NOP and year (the core's invoice and
receipt pages show these lines). One :class:`BillPayment` row per bill
records what the invoice pays of it; a partial unique index keeps a bill in
at most one pending invoice. The payer then chooses how to pay on the core's
invoice page (virtual account, QRIS, e-wallet, counter).

The invoice is due at the end of the last day (city time, at most
:data:`MAX_DAYS_OPEN` days ahead) on which the amount owed stays what the
invoice says, so a penalty month that starts meanwhile is never undercharged.

Outcomes arrive through the ledger's hooks, dispatched by ``plugin.py`` on
the ``pbb:`` prefix: :func:`invoice_settled` marks the bills paid inside the
settlement's transaction (each bill once, by a conditional update);
:func:`invoice_expired` frees them; :func:`invoice_refunded` makes them
unpaid again.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from balai import toolkit as tk
from litestar import Request, Response, post
from litestar.exceptions import NotFoundException
from litestar.response import Redirect
from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from balai_pajak.pbb import penalty, receipts
from balai_pajak.pbb.lookup_links import is_unique_violation
from balai_pajak.pbb.my_bills import render_bills
from balai_pajak.tables import BillPayment, BillPaymentStatus, NopLink, Sppt, SpptStatus

log = logging.getLogger("balai_pajak")

SOURCE = "pajak"
REF_PREFIX = "pbb:"
MAX_BILLS = 25  # two lines a bill, and the ledger takes at most 50 lines
MAX_DAYS_OPEN = 3
MAX_REF = 120


def write_transaction() -> Any:
    """A transaction that takes SQLite's write lock at once (no upgrade deadlock)."""
    engine = BillPayment._meta.db
    if isinstance(engine, SQLiteEngine):
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()


def invoice_items(bills: list[dict[str, Any]], owed: dict[int, Any]) -> list[tk.InvoiceItem]:
    """The invoice lines: per bill its principal and, when late, its penalty."""
    items = []
    for bill in bills:
        amounts = owed[bill["id"]]
        label = tk._(
            "PBB-P2 %(year)s, NOP %(nop)s", year=bill["year"], nop=tk.format_nop(bill["nop"])
        )
        items.append(tk.InvoiceItem(tk._("%(bill)s: principal", bill=label), amounts.principal))
        if amounts.penalty:
            items.append(
                tk.InvoiceItem(
                    tk.ngettext(
                        "%(bill)s: late penalty, %(num)s month × %(rate)s",
                        "%(bill)s: late penalty, %(num)s months × %(rate)s",
                        amounts.penalty_months,
                        bill=label,
                        rate=penalty.rate_text(amounts.rate_ppm_per_month),
                    ),
                    amounts.penalty,
                )
            )
    return items


def source_ref(bill_ids: list[int]) -> str:
    """``pbb:<ids>``; long selections are shortened (the payment rows are the record)."""
    ref = REF_PREFIX + ",".join(str(i) for i in bill_ids)
    if len(ref) <= MAX_REF:
        return ref
    return f"{REF_PREFIX}{bill_ids[0]}+{len(bill_ids) - 1}"


def invoice_due_at(bills: list[dict[str, Any]], today: date, city: tk.City) -> datetime:
    """The end of the last day (at most :data:`MAX_DAYS_OPEN` ahead) with today's amounts."""

    def totals(day: date) -> list[int]:
        return [penalty.amount_owed(b, day, city).total for b in bills]

    now = totals(today)
    last = today
    for ahead in range(1, MAX_DAYS_OPEN + 1):
        day = today + timedelta(days=ahead)
        if totals(day) != now:
            break
        last = day
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=city.tz)
    return end.astimezone(UTC)


def _bill_ids(values: list[Any]) -> list[int] | None:
    ids = []
    for value in values:
        text = str(value).strip()
        if not text.isascii() or not text.isdigit() or len(text) > 12:
            return None
        ids.append(int(text))
    return sorted(set(ids))


async def _pending_of(ids: list[int]) -> dict[int, str]:
    rows = await BillPayment.select(BillPayment.sppt, BillPayment.invoice_number).where(
        BillPayment.sppt.is_in(ids) & (BillPayment.status == BillPaymentStatus.PENDING.value)
    )
    return {r["sppt"]: r["invoice_number"] for r in rows}


async def _reuse_or_refuse(request: Request, ids: list[int], pending: dict[int, str]) -> Response:
    """The invoice already holding exactly these bills, or the bills page saying why not."""
    numbers = set(pending.values())
    if len(numbers) == 1 and set(pending) == set(ids):
        number = numbers.pop()
        held = await BillPayment.count().where(
            (BillPayment.invoice_number == number)
            & (BillPayment.status == BillPaymentStatus.PENDING.value)
        )
        if held == len(ids):
            return Redirect(tk.city_url(request, f"/bayar/{number}"), status_code=303)
    return await render_bills(
        request,
        selected=ids,
        error=tk._(
            "Some of the chosen bills are already in an invoice awaiting payment (%(numbers)s). "
            "Pay that invoice, or choose the other bills; an unpaid invoice is released "
            "when it expires.",
            numbers=", ".join(sorted(numbers)),
        ),
        status_code=409,
    )


@post("/tagihan/bayar", guards=[tk.require_verified], name="pajak:pay")
async def pay(request: Request) -> Response:
    """One invoice for the chosen bills; then on to the core's invoice page."""
    city = tk.current_city()
    user = await tk.current_user(request)
    assert user is not None
    form = await request.form()
    ids = _bill_ids(form.getall("bill", []))
    if ids is None:
        raise NotFoundException()
    if not ids:
        return await render_bills(
            request, error=tk._("Choose at least one bill to pay."), status_code=400
        )
    if len(ids) > MAX_BILLS:
        return await render_bills(
            request,
            selected=ids,
            error=tk._("Choose at most %(max)s bills for one payment.", max=MAX_BILLS),
            status_code=400,
        )
    bills = await (
        Sppt.select(Sppt.id, Sppt.nop, Sppt.year, Sppt.tax_due, Sppt.due_date, Sppt.status)
        .where(Sppt.id.is_in(ids) & (Sppt.status != SpptStatus.CANCELLED.value))
        .order_by(Sppt.nop)
        .order_by(Sppt.year)
    )
    linked = {
        r["nop"]
        for r in await NopLink.select(NopLink.nop).where(
            (NopLink.user_id == user.id)
            & NopLink.nop.is_in(list({b["nop"] for b in bills} or {""}))
        )
    }
    if len(bills) != len(ids) or any(b["nop"] not in linked for b in bills):
        log.warning("user %s asked to pay bills %s that are not theirs here", user.id, ids)
        raise NotFoundException()
    paid = [b for b in bills if b["status"] == SpptStatus.PAID.value]
    if paid:
        return await render_bills(
            request,
            error=tk._(
                "The bill of %(year)s for NOP %(nop)s is already paid.",
                year=paid[0]["year"],
                nop=tk.format_nop(paid[0]["nop"]),
            ),
            status_code=409,
        )
    pending = await _pending_of(ids)
    if pending:
        return await _reuse_or_refuse(request, ids, pending)
    today = datetime.now(city.tz).date()
    owed = {b["id"]: penalty.amount_owed(b, today, city) for b in bills}
    try:
        async with write_transaction():
            invoice = await tk.create_invoice(
                payer_id=user.id,
                payer_name=user.name,
                items=invoice_items(bills, owed),
                due_at=invoice_due_at(bills, today, city),
                source=SOURCE,
                source_ref=source_ref(ids),
            )
            now = datetime.now(UTC)
            await BillPayment.insert(
                *(
                    BillPayment(
                        invoice_number=invoice.number,
                        sppt=b["id"],
                        principal=owed[b["id"]].principal,
                        penalty=owed[b["id"]].penalty,
                        created_at=now,
                        status=BillPaymentStatus.PENDING.value,
                    )
                    for b in bills
                )
            )
    except Exception as exc:
        if not is_unique_violation(exc):
            raise
        # Another request billed one of these bills a moment ago.
        return await _reuse_or_refuse(request, ids, await _pending_of(ids))
    log.info("invoice %s for PBB bills %s of user %s", invoice.number, ids, user.id)
    return Redirect(tk.city_url(request, f"/bayar/{invoice.number}"), status_code=303)


# --- the ledger's hooks (dispatched by plugin.py on the "pbb:" prefix) --------------


async def invoice_settled(city: tk.City, invoice: tk.Invoice) -> None:
    """Mark the invoice's bills paid, inside the settlement's transaction, each once.

    A bill that was paid meanwhile by another way (which the pending index
    should prevent) is left as it was and the double payment is logged and
    audited for an officer to refund; the settlement is not refused, since
    the money has arrived.
    """
    rows = await BillPayment.select(
        BillPayment.sppt, BillPayment.principal, BillPayment.penalty
    ).where(
        (BillPayment.invoice_number == invoice.number)
        & (BillPayment.status == BillPaymentStatus.PENDING.value)
    )
    if not rows:
        log.warning("invoice %s paid, but none of its PBB bills is pending", invoice.number)
        return
    await BillPayment.update({BillPayment.status: BillPaymentStatus.PAID.value}).where(
        (BillPayment.invoice_number == invoice.number)
        & (BillPayment.status == BillPaymentStatus.PENDING.value)
    )
    paid_at = invoice.paid_at or datetime.now(UTC)
    await receipts.queue_receipt(city, invoice)
    for row in rows:
        changed = await (
            Sppt.update(
                {
                    Sppt.status: SpptStatus.PAID.value,
                    Sppt.paid_at: paid_at,
                    Sppt.paid_principal: row["principal"],
                    Sppt.paid_penalty: row["penalty"],
                    Sppt.invoice_number: invoice.number,
                }
            )
            .where((Sppt.id == row["sppt"]) & (Sppt.status == SpptStatus.UNPAID.value))
            .returning(Sppt.id)
        )
        if not changed:
            log.warning("bill %s was paid twice (invoice %s)", row["sppt"], invoice.number)
            await tk.audit_record(
                "pajak.bill_paid_twice",
                actor_id=invoice.payer_id,
                subject=f"sppt:{row['sppt']}",
                detail={"invoice": invoice.number},
            )


async def invoice_expired(city: tk.City, invoice: tk.Invoice) -> None:
    """Free the bills of an invoice that expired unpaid (they can be billed again)."""
    await BillPayment.update({BillPayment.status: BillPaymentStatus.EXPIRED.value}).where(
        (BillPayment.invoice_number == invoice.number)
        & (BillPayment.status == BillPaymentStatus.PENDING.value)
    )


async def invoice_refunded(city: tk.City, invoice: tk.Invoice) -> None:
    """The money of a paid invoice went back: its bills are unpaid again."""
    rows = await BillPayment.select(BillPayment.sppt).where(
        (BillPayment.invoice_number == invoice.number)
        & (BillPayment.status == BillPaymentStatus.PAID.value)
    )
    await BillPayment.update({BillPayment.status: BillPaymentStatus.REFUNDED.value}).where(
        (BillPayment.invoice_number == invoice.number)
        & (BillPayment.status == BillPaymentStatus.PAID.value)
    )
    for row in rows:
        await Sppt.update(
            {
                Sppt.status: SpptStatus.UNPAID.value,
                Sppt.paid_at: None,
                Sppt.paid_principal: 0,
                Sppt.paid_penalty: 0,
                Sppt.invoice_number: "",
            }
        ).where(
            (Sppt.id == row["sppt"])
            & (Sppt.status == SpptStatus.PAID.value)
            & (Sppt.invoice_number == invoice.number)
        )


PAGES = [pay]
