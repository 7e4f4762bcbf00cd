"""What the payments ledger's outcomes do to ticket orders (called from the invoice hooks).

Each runs inside the ledger's transaction, so the order changes exactly when
the invoice does. Paid: the tickets become valid and the buyer is told.
Lapsed: the tickets are void and their places go back on sale. Refunded
(wholly): the tickets still valid are refunded (a gate refuses them) and
their places go back on sale; tickets the buyer cancelled one by one were
refunded in part by :mod:`.changes`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from balai import toolkit as tk

from balai_wisata_heritage.tickets import metrics, stock
from balai_wisata_heritage.tickets.purchase import SOURCE_PREFIX
from balai_wisata_heritage.tickets.rules import SLUG, OrderStatus, TicketStatus
from balai_wisata_heritage.tickets.tables import Ticket, TicketOrder


def _order_number(invoice: tk.Invoice) -> str | None:
    if invoice.source != SLUG or not invoice.source_ref.startswith(SOURCE_PREFIX):
        return None
    return invoice.source_ref.removeprefix(SOURCE_PREFIX)


async def _move(number: str, source: OrderStatus, target: OrderStatus) -> dict | None:
    moved = (
        await TicketOrder.update(
            {TicketOrder.status: target.value, TicketOrder.updated_at: datetime.now(UTC)}
        )
        .where((TicketOrder.number == number) & (TicketOrder.status == source.value))
        .returning(TicketOrder.id, TicketOrder.slot, TicketOrder.channel, TicketOrder.buyer_id)
    )
    return moved[0] if moved else None


async def invoice_paid(invoice: tk.Invoice) -> None:
    """The order's invoice was paid: its tickets become valid; the buyer is notified."""
    number = _order_number(invoice)
    if number is None:
        return
    order = await _move(number, OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID)
    if order is None:
        return
    await Ticket.update({Ticket.status: TicketStatus.VALID.value}).where(
        (Ticket.purchase == order["id"]) & (Ticket.status == TicketStatus.PENDING.value)
    )
    count = await Ticket.count().where(Ticket.purchase == order["id"])
    await metrics.count_sale(count, invoice.amount)
    if order["buyer_id"] is not None:
        await tk.notify(
            order["buyer_id"],
            "wisata_heritage.tickets_paid",
            {
                "number": number,
                "count": count,
                "link": tk.absolute_url(f"/wisata-heritage/tiket/pesanan/{number}"),
            },
        )


async def invoice_lapsed(invoice: tk.Invoice) -> None:
    """The order's invoice lapsed unpaid: its tickets are void, its places for sale again."""
    number = _order_number(invoice)
    if number is None:
        return
    order = await _move(number, OrderStatus.AWAITING_PAYMENT, OrderStatus.LAPSED)
    if order is None:
        return
    voided = (
        await Ticket.update({Ticket.status: TicketStatus.VOID.value})
        .where((Ticket.purchase == order["id"]) & (Ticket.status == TicketStatus.PENDING.value))
        .returning(Ticket.id)
    )
    if voided:
        await stock.release(order["slot"], order["channel"], len(voided))


async def invoice_refunded(invoice: tk.Invoice) -> None:
    """The order's invoice was wholly refunded: unused tickets are refunded, their places freed.

    Tickets the buyer cancelled before (less a fee) were taken off the figures
    then; only the rest of the tickets and of the money are taken off now.
    """
    number = _order_number(invoice)
    if number is None:
        return
    order = await _move(number, OrderStatus.PAID, OrderStatus.REFUNDED) or await _move(
        number, OrderStatus.CANCELLED, OrderStatus.REFUNDED
    )
    if order is None:
        return
    earlier = await Ticket.count().where(
        (Ticket.purchase == order["id"])
        & Ticket.status.is_in([TicketStatus.REFUNDED.value, TicketStatus.CANCELLED.value])
    )
    refunded = (
        await Ticket.update({Ticket.status: TicketStatus.REFUNDED.value})
        .where((Ticket.purchase == order["id"]) & (Ticket.status == TicketStatus.VALID.value))
        .returning(Ticket.id)
    )
    if refunded:
        await stock.release(order["slot"], order["channel"], len(refunded))
    total = await Ticket.count().where(Ticket.purchase == order["id"])
    already = await TicketOrder.select(TicketOrder.refunded).where(TicketOrder.id == order["id"])
    await TicketOrder.update({TicketOrder.refunded: invoice.amount}).where(
        TicketOrder.id == order["id"]
    )
    await metrics.count_sale(-(total - earlier), -(invoice.amount - already[0]["refunded"]))
