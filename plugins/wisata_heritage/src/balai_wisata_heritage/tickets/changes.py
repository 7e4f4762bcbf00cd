"""A buyer's changes to a paid order, by the rules the officer set on the product.

Until ``cancel_hours`` before its slot (a product without them allows no
change) the buyer may move the order to another slot of the same product
with places left on the order's channel, or cancel it. Moving reserves the
new places and frees the old in one write transaction (conditional
updates, as buying). Cancelling refunds the whole invoice through the
payments ledger; the ledger's ``invoice_refunded`` hook then refunds the
tickets and frees their places (:mod:`.settlement`). A product with a
cancellation fee is not cancelled here: the ledger refunds whole invoices
only, so the page sends the buyer to the counter.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from balai import toolkit as tk

from balai_wisata_heritage.tickets import stock
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
            (Ticket.purchase == order["id"]) & (Ticket.status != TicketStatus.VALID.value)
        )
        open_now = used == 0
    return {
        "can_move": open_now,
        "can_cancel": open_now and product["cancel_fee"] == 0 and bool(order["invoice_number"]),
        "deadline": deadline,
        "fee": product["cancel_fee"],
        "product": slot["product"],
    }


async def move(order: dict[str, Any], form: Any, buyer_id: int, request: Any = None) -> None:
    """Move a paid order to another slot of its product.

    Raises:
        BuyRefused: changes are closed, the slot is not one of the product's
            future slots, or too few places are left; nothing was written.
    """
    now = datetime.now(UTC)
    rules = await change_rules(order, now)
    if not rules["can_move"]:
        raise BuyRefused(tk._("This order can no longer be changed."))
    text = str(form.get("slot", "")).strip()
    if not text.isdigit() or len(text) > 12 or int(text) == order["slot"]:
        raise BuyRefused(tk._("Choose another time slot."), "slot")
    target = (
        await TicketSlot.select()
        .where((TicketSlot.id == int(text)) & (TicketSlot.product == rules["product"]))
        .first()
    )
    if target is None or target["starts_at"] <= now:
        raise BuyRefused(tk._("Choose one of the product's future time slots."), "slot")
    count = await Ticket.count().where(Ticket.purchase == order["id"])
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
        await Ticket.update({Ticket.slot: target["id"]}).where(Ticket.purchase == order["id"])
        await tk.audit_record(
            "wisata_heritage.order_moved",
            actor_id=buyer_id,
            request=request,
            subject=f"ticket_order:{order['number']}",
            detail={"from_slot": order["slot"], "to_slot": target["id"]},
        )


async def cancel(order: dict[str, Any], buyer_id: int, request: Any) -> None:
    """Cancel a paid order: the ledger refunds its invoice, its hook refunds the tickets.

    Raises:
        BuyRefused: changes are closed or the product keeps a fee; nothing was written.
    """
    rules = await change_rules(order)
    if not rules["can_cancel"]:
        raise BuyRefused(tk._("This order can no longer be cancelled here."))
    refunded = await tk.refund_invoice(
        request, order["invoice_number"], source=SLUG, reason="Dibatalkan oleh pengunjung"
    )
    if not refunded:
        raise BuyRefused(tk._("This order can no longer be cancelled here."))
    await tk.audit_record(
        "wisata_heritage.order_cancelled",
        actor_id=buyer_id,
        request=request,
        subject=f"ticket_order:{order['number']}",
    )
