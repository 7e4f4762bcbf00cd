"""Buying tickets: checking the choice, reserving places, the order and its invoice.

Online, a buyer gets one invoice of the city's payments ledger
(``source="wisata_heritage"``, ``source_ref="tickets:<order number>"``),
paid on the core's invoice page by virtual account, QRIS or e-wallet; the
tickets are written at once as ``pending`` and become ``valid`` when it is
paid (:mod:`.settlement`). At the counter an officer sells for cash: the
order is paid and its tickets valid at once, and the sale is audited.

Everything happens in one write transaction: the places are reserved
(:mod:`.stock`) and, when too few are left, nothing at all is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from balai import toolkit as tk

from balai_wisata_heritage.tickets import metrics, stock
from balai_wisata_heritage.tickets.rules import (
    ORDER_NUMBERS,
    SLUG,
    TICKET_CODES,
    BuyRefused,
    Category,
    Channel,
    OrderStatus,
    ProductRules,
    TicketStatus,
    check_sales_window,
    order_total,
    read_quantities,
)
from balai_wisata_heritage.tickets.tables import (
    Ticket,
    TicketOrder,
    TicketPrice,
    TicketProduct,
    TicketSlot,
)

PAYMENT_WINDOW = timedelta(minutes=30)  # an unpaid invoice lapses and frees its places
SOURCE_PREFIX = "tickets:"


@dataclass(frozen=True)
class Bought:
    """What a purchase created."""

    order_number: str
    invoice: tk.Invoice | None
    ticket_codes: list[str]
    total: int


async def product_rules(product_id: int) -> tuple[dict[str, Any], ProductRules] | None:
    """The current city's active product and its buying rules, or ``None``."""
    product = (
        await TicketProduct.select()
        .where((TicketProduct.id == product_id) & (TicketProduct.is_active == True))  # noqa: E712
        .first()
    )
    if product is None:
        return None
    prices = await TicketPrice.select(TicketPrice.category, TicketPrice.price).where(
        TicketPrice.product == product_id
    )
    rules = ProductRules(
        prices={row["category"]: row["price"] for row in prices},
        per_order_max=product["per_order_max"],
        sales_opens_at=product["sales_opens_at"],
        sales_close_at=product["sales_close_at"],
    )
    return product, rules


class BuyForm(tk.Form):
    """The buy form's time slot (:func:`.rules.read_quantities` reads the quantities)."""

    slot = tk.IntegerField(
        "Time slot",
        min_value=1,
        max_value=10**12,
        missing=lambda: tk._("Choose a time slot."),
        invalid=lambda: tk._("Choose a time slot."),
    )


async def read_slot_id(data: Mapping[str, object]) -> int:
    """The chosen slot's id from the buy form.

    Raises:
        BuyRefused: no slot, or not a slot number.
    """
    checked = BuyForm(data)
    if not await checked.validate():
        raise BuyRefused(checked.errors["slot"], "slot")
    return checked.clean["slot"]


async def buy(
    product_id: int,
    form: Mapping[str, object],
    *,
    channel: Channel,
    buyer_id: int | None,
    buyer_name: str,
    sold_by: int | None = None,
    request: Any = None,
    now: datetime | None = None,
    prepaid: bool = False,
    hold_for: timedelta = PAYMENT_WINDOW,
) -> Bought:
    """Check the buyer's choice, reserve the places and write the order and its tickets.

    Online sales (``channel`` online or partner) get a ledger invoice; counter
    sales (``sold_by`` the officer) are paid in cash at once. ``prepaid``:
    the payment is recorded in the ledger by the caller (the demo's past
    sales, through ``tk.seed_paid_invoices``), so the tickets are valid at once.
    ``hold_for``: how long the invoice may be paid before it lapses and
    frees the places (a partner's hold asks for its own).

    Raises:
        BuyRefused: the choice is not allowed or too few places are left;
            nothing was written.
        tk.LedgerError: the invoice could not be created; nothing was written.
    """
    now = now or datetime.now(UTC)
    found = await product_rules(product_id)
    if found is None:
        raise BuyRefused(tk._("This product is not on sale."))
    product, rules = found
    slot_id = await read_slot_id(form)
    slot = (
        await TicketSlot.select()
        .where((TicketSlot.id == slot_id) & (TicketSlot.product == product_id))
        .first()
    )
    if slot is None:
        raise BuyRefused(tk._("Choose one of the product's time slots."), "slot")
    check_sales_window(rules, slot["starts_at"], now)
    wanted = read_quantities(form, rules)
    count = sum(wanted.values())
    total = order_total(wanted, rules.prices)
    counter = channel == Channel.COUNTER
    paid_now = counter or prepaid or total == 0  # cash, paid already, or free entry
    async with stock.write_transaction():
        if not await stock.reserve(slot_id, channel.value, count):
            raise BuyRefused(
                tk._("Too few places are left in this time slot; choose fewer or another slot."),
                "slot",
            )
        number = await ORDER_NUMBERS.new_unique(TicketOrder.number)
        order = TicketOrder(
            number=number,
            slot=slot_id,
            channel=channel.value,
            status=(OrderStatus.PAID if paid_now else OrderStatus.AWAITING_PAYMENT).value,
            buyer_id=buyer_id,
            buyer_name=buyer_name[:120],
            sold_by=sold_by,
            total=total,
            created_at=now,
            updated_at=now,
        )
        await order.save()
        codes = []
        for category in Category:
            for _ in range(wanted.get(category.value, 0)):
                code = await TICKET_CODES.new_unique(Ticket.code)
                codes.append(code)
                await Ticket.insert(
                    Ticket(
                        code=code,
                        purchase=order.id,
                        slot=slot_id,
                        category=category.value,
                        price=rules.prices[category.value],
                        status=(TicketStatus.VALID if paid_now else TicketStatus.PENDING).value,
                    )
                )
        invoice = None
        if paid_now:
            await metrics.count_sale(count, total)
        if counter:
            await tk.audit_record(
                "wisata_heritage.counter_sale",
                actor_id=sold_by,
                request=request,
                subject=f"ticket_order:{number}",
                detail={"tickets": count, "total": total, "slot": slot_id},
            )
        elif not paid_now:
            invoice = await tk.create_invoice(
                payer_id=buyer_id,
                payer_name=buyer_name,
                items=[
                    tk.InvoiceItem(
                        tk._(
                            "%(count)s × %(category)s, %(product)s",
                            count=n,
                            category=Category(category).label,
                            product=product["title"],
                        ),
                        rules.prices[category] * n,
                    )
                    for category, n in wanted.items()
                ],
                due_at=now + hold_for,
                source=SLUG,
                source_ref=SOURCE_PREFIX + number,
            )
            await TicketOrder.update({TicketOrder.invoice_number: invoice.number}).where(
                TicketOrder.id == order.id
            )
    return Bought(number, invoice, codes, total)
