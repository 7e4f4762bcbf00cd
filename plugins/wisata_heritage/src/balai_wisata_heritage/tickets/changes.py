"""A buyer's changes to a paid order, by the rules the officer set on the product.

Until ``cancel_hours`` before its slot (a product without them allows no
change) the buyer may move the order to another slot of the same product
with places left on the order's channel, or cancel it. Moving reserves the
new places and frees the old in one write transaction (conditional
updates, as buying). The buyer may cancel one ticket or all: each
cancelled ticket is refunded its price less the product's cancellation fee
through the payments ledger (a partial refund keyed by the ticket, so never
twice), its place goes back on sale, and a gate refuses it as refunded; the
ticket, the place, the order's refunded sum and the ledger's refund change in
one transaction. When the refunds add up to the whole invoice (no fee) the
ledger's ``invoice_refunded`` hook marks the order refunded
(:mod:`.settlement`); an order with no ticket left after a fee is cancelled.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from balai import toolkit as tk

from balai_wisata_heritage.tickets import metrics, stock
from balai_wisata_heritage.tickets.rules import SLUG, BuyRefused, OrderStatus, TicketStatus
from balai_wisata_heritage.tickets.tables import Ticket, TicketOrder, TicketProduct, TicketSlot


async def change_rules(order: dict[str, Any], now: datetime | None = None) -> dict[str, Any]:
    """What the buyer may do with ``order`` now: move, cancel, until when, at what fee."""
    now = now or datetime.now(UTC)
    slot = await TicketSlot.select().where(TicketSlot.id == order["slot"]).first()
    product = (
        await TicketProduct.select(TicketProduct.cancel_hours, TicketProduct.cancel_fee)
        .where(TicketProduct.id == slot["product"])
        .first()
    )
    allowed = (
        order["status"] == OrderStatus.PAID.value
        and order["buyer_id"] is not None
        and product["cancel_hours"] is not None
    )
    deadline = slot["starts_at"] - timedelta(hours=product["cancel_hours"]) if allowed else None
    open_now = allowed and deadline is not None and now <= deadline
    if open_now:
        used = await Ticket.count().where(
            (Ticket.purchase == order["id"]) & (Ticket.status == TicketStatus.USED.value)
        )
        open_now = used == 0
    return {
        "can_move": open_now,
        "can_cancel": open_now and bool(order["invoice_number"]),
        "deadline": deadline,
        "fee": product["cancel_fee"],
        "product": slot["product"],
    }


class MoveForm(tk.Form):
    """The slot a buyer moves an order to."""

    slot = tk.IntegerField(
        "New time slot",
        min_value=1,
        max_value=10**11,
        missing=tk.N_("Choose another time slot."),
        invalid=tk.N_("Choose another time slot."),
    )


async def move(order: dict[str, Any], slot_id: int, buyer_id: int, request: Any = None) -> None:
    """Move a paid order to the slot ``slot_id`` of its product (from a valid :class:`MoveForm`).

    Raises:
        BuyRefused: changes are closed, the slot is not one of the product's
            future slots, or too few places are left; nothing was written.
    """
    now = datetime.now(UTC)
    rules = await change_rules(order, now)
    if not rules["can_move"]:
        raise BuyRefused(tk._("This order can no longer be changed."))
    if slot_id == order["slot"]:
        raise BuyRefused(tk._("Choose another time slot."), "slot")
    target = (
        await TicketSlot.select()
        .where((TicketSlot.id == slot_id) & (TicketSlot.product == rules["product"]))
        .first()
    )
    if target is None or target["starts_at"] <= now:
        raise BuyRefused(tk._("Choose one of the product's future time slots."), "slot")
    valid = (Ticket.purchase == order["id"]) & (Ticket.status == TicketStatus.VALID.value)
    count = await Ticket.count().where(valid)
    async with stock.write_transaction():
        moved = (
            await TicketOrder.update({TicketOrder.slot: target["id"], TicketOrder.updated_at: now})
            .where(
                (TicketOrder.id == order["id"])
                & (TicketOrder.slot == order["slot"])
                & (TicketOrder.status == OrderStatus.PAID.value)
            )
            .returning(TicketOrder.id)
        )
        if not moved:
            raise BuyRefused(tk._("This order can no longer be changed."))
        if not await stock.reserve(target["id"], order["channel"], count):
            raise BuyRefused(
                tk._("Too few places are left in this time slot; choose fewer or another slot."),
                "slot",
            )
        await stock.release(order["slot"], order["channel"], count)
        await Ticket.update({Ticket.slot: target["id"]}).where(valid)
        await tk.audit_record(
            "wisata_heritage.order_moved",
            actor_id=buyer_id,
            request=request,
            subject=f"ticket_order:{order['number']}",
            detail={"from_slot": order["slot"], "to_slot": target["id"]},
        )


async def cancel(
    order: dict[str, Any], buyer_id: int, request: Any, code: str | None = None
) -> int:
    """Cancel one valid ticket of a paid order (``code``) or all of them, less the fee.

    Each ticket is refunded its price less the product's ``cancel_fee``
    through the ledger (keyed ``ticket:<code>``: never refunded twice); its
    place goes back on sale. All in one transaction, audited.

    Returns:
        The rupiah refunded.

    Raises:
        BuyRefused: changes are closed, or the ticket is not a valid one of
            the order; nothing was written.
    """
    rules = await change_rules(order)
    if not rules["can_cancel"]:
        raise BuyRefused(tk._("This order can no longer be cancelled here."))
    which = (Ticket.purchase == order["id"]) & (Ticket.status == TicketStatus.VALID.value)
    if code is not None:
        which = which & (Ticket.code == code[:20])
    refunded_total = 0
    async with stock.write_transaction():
        tickets = await Ticket.select(Ticket.id, Ticket.code, Ticket.price).where(which)
        if not tickets:
            raise BuyRefused(tk._("This ticket can no longer be cancelled."))
        for ticket in tickets:
            refunded_total += await _cancel_ticket(order, ticket, rules["fee"], request)
        await TicketOrder.update(
            {TicketOrder.status: OrderStatus.CANCELLED.value, TicketOrder.updated_at: _now()}
        ).where(
            (TicketOrder.id == order["id"])
            & (TicketOrder.status == OrderStatus.PAID.value)
            & (
                TicketOrder.id.not_in(
                    Ticket.select(Ticket.purchase).where(
                        (Ticket.purchase == order["id"])
                        & (Ticket.status == TicketStatus.VALID.value)
                    )
                )
            )
        )
        await tk.audit_record(
            "wisata_heritage.order_cancelled"
            if code is None
            else "wisata_heritage.ticket_cancelled",
            actor_id=buyer_id,
            request=request,
            subject=f"ticket_order:{order['number']}",
            detail={
                "tickets": [t["code"] for t in tickets],
                "refunded": refunded_total,
                "fee_per_ticket": rules["fee"],
            },
        )
    return refunded_total


def _now() -> datetime:
    return datetime.now(UTC)


async def _cancel_ticket(
    order: dict[str, Any], ticket: dict[str, Any], fee: int, request: Any
) -> int:
    """Refund one ticket less ``fee`` inside the caller's transaction; the rupiah refunded."""
    back = max(ticket["price"] - fee, 0)
    status = TicketStatus.REFUNDED if back else TicketStatus.CANCELLED
    changed = (
        await Ticket.update({Ticket.status: status.value})
        .where((Ticket.id == ticket["id"]) & (Ticket.status == TicketStatus.VALID.value))
        .returning(Ticket.id)
    )
    if not changed:
        raise BuyRefused(tk._("This ticket can no longer be cancelled."))
    await stock.release(order["slot"], order["channel"], 1)
    await TicketOrder.update(
        {TicketOrder.refunded: TicketOrder.refunded + back, TicketOrder.updated_at: _now()}
    ).where(TicketOrder.id == order["id"])
    await metrics.count_sale(-1, -back)
    if back:
        try:
            done = await tk.refund_invoice(
                request,
                order["invoice_number"],
                source=SLUG,
                reason=f"Tiket {ticket['code']} dibatalkan oleh pengunjung",
                amount=back,
                key=f"ticket:{ticket['code']}",
            )
        except tk.LedgerError:
            done = False
        if not done:
            raise BuyRefused(tk._("This order can no longer be cancelled here."))
    return back
