"""Market-fee work on the database: monthly bills, online payment, collectors' cash, arrears."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from balai import toolkit as tk
from piccolo.query.functions.aggregate import Count, Sum

from balai_pajak.months import Month, local_today
from balai_pajak.retribusi.settings import RetribusiSettings
from balai_pajak.retribusi.tables import BillStatus, Market, Stall, StallBill
from balai_pajak.revenue.record import COLLECTOR, record_payment
from balai_pajak.transactions import write_transaction

SOURCE = "pajak"
PREFIX = "retribusi:"
INVOICE_HOURS = 24
JOB = "pajak.retribusi_bills"


class PaymentRefused(ValueError):
    """A bill cannot be paid as asked; the message (translated) says why."""


def settings_of(city: tk.City) -> RetribusiSettings:
    """The city's market-fee settings (defaults when it set none)."""
    pajak = city.settings_for("pajak")
    return pajak.retribusi if pajak is not None else RetribusiSettings()


def now_utc() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


async def generate_bills(month: Month) -> int:
    """Make the bill of ``month`` for every active stall with a fee that has none yet.

    Idempotent: a stall that has its bill for the month is left alone (and
    the unique index refuses a second one), so running it again makes none.

    Returns:
        How many bills this call made.
    """
    city = tk.current_city()
    due = month.day(settings_of(city).due_day)
    stalls = await Stall.select(Stall.id, Stall.market, Stall.monthly_fee).where(
        (Stall.is_active == True) & (Stall.monthly_fee > 0)  # noqa: E712
    )
    billed = {
        r["stall"]
        for r in await StallBill.select(StallBill.stall).where(
            (StallBill.year == month.year) & (StallBill.month == month.month)
        )
    }
    now = now_utc()
    new = [
        StallBill(
            stall=s["id"],
            market=s["market"],
            year=month.year,
            month=month.month,
            amount=s["monthly_fee"],
            due_date=due,
            created_at=now,
        )
        for s in stalls
        if s["id"] not in billed
    ]
    if new:
        await StallBill.insert(*new)
    return len(new)


async def monthly_job(city: tk.City, **kwargs) -> None:
    """The scheduled job: this month's bills for every stall (idempotent, daily)."""
    await generate_bills(Month.of(local_today(city.tz)))


def bill_label(bill: dict, market_name: str, stall_number: str) -> str:
    """The invoice line of a stall bill (at most 200 characters)."""
    return tk._(
        "Stall fee %(month)s, %(market)s stall %(stall)s",
        month=str(Month(bill["year"], bill["month"])),
        market=market_name,
        stall=stall_number,
    )[:200]


async def start_payment(bill: dict, stall: dict, user) -> str:
    """An invoice for an unpaid bill (reusing a still-open one); returns its number.

    Raises:
        PaymentRefused: the bill is already paid.
    """
    if bill["status"] != BillStatus.UNPAID.value:
        raise PaymentRefused(tk._("This bill is already paid."))
    now = now_utc()
    if bill["invoice_number"] and bill["invoice_due_at"] and bill["invoice_due_at"] > now:
        return bill["invoice_number"]
    market = await Market.select(Market.name).where(Market.id == bill["market"]).first()
    label = bill_label(bill, market["name"] if market else "", stall["number"])
    due_at = now + timedelta(hours=INVOICE_HOURS)
    invoice = await tk.create_invoice(
        payer_id=user.id,
        payer_name=stall["holder_name"] or user.name,
        items=[tk.InvoiceItem(label[:200], bill["amount"])],
        due_at=due_at,
        source=SOURCE,
        source_ref=f"{PREFIX}{bill['id']}",
    )
    await StallBill.update(
        {StallBill.invoice_number: invoice.number, StallBill.invoice_due_at: due_at}
    ).where(StallBill.id == bill["id"])
    return invoice.number


async def _district_of_market(market_id: int) -> str:
    row = await Market.select(Market.district).where(Market.id == market_id).first()
    return row["district"] if row else ""


def receipt_number(bill_id: int, paid_on: date) -> str:
    """The receipt number of a bill paid in cash (unique per city)."""
    return f"RTB-{paid_on.year}-{bill_id:07d}"


async def record_cash(bill_id: int, collector_id: int, request) -> dict:
    """Record that a collector received a bill's fee in cash; audited; returns the bill.

    One conditional update: of two collectors tapping at once, one wins.

    Raises:
        PaymentRefused: the bill is paid already, or an online payment of it is open.
    """
    city = tk.current_city()
    now = now_utc()
    async with write_transaction(StallBill):
        bill = await StallBill.select().where(StallBill.id == bill_id).first()
        if bill is None or bill["status"] != BillStatus.UNPAID.value:
            raise PaymentRefused(tk._("This bill is already paid; nothing was recorded."))
        if bill["invoice_number"] and bill["invoice_due_at"] and bill["invoice_due_at"] > now:
            raise PaymentRefused(
                tk._("The holder has started paying this bill online; nothing was recorded.")
            )
        number = receipt_number(bill_id, local_today(city.tz))
        won = await (
            StallBill.update(
                {
                    StallBill.status: BillStatus.PAID.value,
                    StallBill.paid_at: now,
                    StallBill.paid_channel: COLLECTOR,
                    StallBill.collected_by: collector_id,
                    StallBill.receipt_number: number,
                }
            )
            .where((StallBill.id == bill_id) & (StallBill.status == BillStatus.UNPAID.value))
            .returning(StallBill.id)
        )
        if not won:
            raise PaymentRefused(tk._("This bill is already paid; nothing was recorded."))
        district = await _district_of_market(bill["market"])
        await record_payment("retribusi", {district: bill["amount"]}, COLLECTOR, now)
        await tk.audit_record(
            "pajak.retribusi_cash_received",
            actor_id=collector_id,
            request=request,
            subject=f"retribusi_bill:{bill_id}",
            detail={"amount": bill["amount"], "receipt": number, "stall": bill["stall"]},
        )
    return (await StallBill.select().where(StallBill.id == bill_id).first()) or {}


async def settled(city: tk.City, invoice: tk.Invoice) -> None:
    """Mark the bill an invoice paid (inside the settlement's transaction)."""
    bill_id = int(invoice.source_ref[len(PREFIX) :])
    bill = await StallBill.select().where(StallBill.id == bill_id).first()
    if bill is None:
        return
    paid_at = invoice.paid_at or now_utc()
    await StallBill.update(
        {
            StallBill.status: BillStatus.PAID.value,
            StallBill.paid_at: paid_at,
            StallBill.paid_channel: invoice.provider_key[:20],
            StallBill.invoice_number: invoice.number,
        }
    ).where(StallBill.id == bill_id)


async def expired(city: tk.City, invoice: tk.Invoice) -> None:
    """Forget an expired invoice so that the bill can be paid again (online or in cash)."""
    bill_id = int(invoice.source_ref[len(PREFIX) :])
    await StallBill.update({StallBill.invoice_number: "", StallBill.invoice_due_at: None}).where(
        (StallBill.id == bill_id)
        & (StallBill.invoice_number == invoice.number)
        & (StallBill.status == BillStatus.UNPAID.value)
    )


async def refunded(city: tk.City, invoice: tk.Invoice) -> None:
    """The money of a paid bill went back: the bill is unpaid again."""
    bill_id = int(invoice.source_ref[len(PREFIX) :])
    await StallBill.update(
        {
            StallBill.status: BillStatus.UNPAID.value,
            StallBill.paid_at: None,
            StallBill.paid_channel: "",
            StallBill.invoice_number: "",
            StallBill.invoice_due_at: None,
        }
    ).where(
        (StallBill.id == bill_id)
        & (StallBill.status == BillStatus.PAID.value)
        & (StallBill.invoice_number == invoice.number)
    )


async def arrears_by_market(today: date) -> list[dict]:
    """Per market: its stalls, the unpaid bills past due and their total."""
    markets = await Market.select().order_by(Market.name)
    overdue = await (
        StallBill.select(
            StallBill.market,
            Count(StallBill.id, alias="bills"),
            Sum(StallBill.amount, alias="amount"),
        )
        .where((StallBill.status == BillStatus.UNPAID.value) & (StallBill.due_date < today))
        .group_by(StallBill.market)
    )
    by_market = {r["market"]: r for r in overdue}
    stalls = await (
        Stall.select(Stall.market, Count(Stall.id, alias="stalls"))
        .where(Stall.is_active == True)  # noqa: E712
        .group_by(Stall.market)
    )
    stall_counts = {r["market"]: r["stalls"] for r in stalls}
    return [
        {
            **m,
            "stalls": stall_counts.get(m["id"], 0),
            "bills_overdue": (by_market.get(m["id"]) or {}).get("bills", 0),
            "arrears": int((by_market.get(m["id"]) or {}).get("amount") or 0),
        }
        for m in markets
    ]


async def forget_user(user_id: int) -> None:
    """A deleted account: unlink its stalls and drop it from cash it collected (bills stay)."""
    await Stall.update({Stall.holder_id: None}).where(Stall.holder_id == user_id)
    await StallBill.update({StallBill.collected_by: None}).where(StallBill.collected_by == user_id)
