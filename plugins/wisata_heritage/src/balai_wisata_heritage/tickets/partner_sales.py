"""Heritage tickets sold by the city's partners (the core's ``partner_tickets`` hook).

A partner sells only the places of a slot's ``partner`` quota. A hold is a
purchase of channel ``partner`` (:func:`.purchase.buy`: the places taken
by a conditional update, the order, its pending tickets and its ledger
invoice, in one transaction) whose invoice lapses after the partner's hold
time; the payments' expiry job then frees the places
(:func:`.settlement.invoice_lapsed`). When the partner confirms, the core
settles the invoice and :func:`.settlement.invoice_paid` makes the tickets
valid: the same signed e-tickets the gate checks (:mod:`.qr`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from balai import toolkit as tk

from balai_wisata_heritage.tickets import purchase, stock
from balai_wisata_heritage.tickets.qr import ticket_payload
from balai_wisata_heritage.tickets.rules import (
    BuyRefused,
    Channel,
    OrderStatus,
    TicketStatus,
    check_sales_window,
    order_total,
    quantity_field,
)
from balai_wisata_heritage.tickets.tables import (
    Ticket,
    TicketOrder,
    TicketPrice,
    TicketProduct,
    TicketSlot,
    TicketStock,
)

OFFERED = 200  # the most slots listed at once, nearest first
_ISSUED = (TicketStatus.VALID.value, TicketStatus.USED.value)


class PartnerSales:
    """The heritage plugin's :class:`balai.toolkit.TicketSeller`."""

    async def offers(self, now: datetime) -> list[tk.TicketOffer]:
        """Slots still to begin of active products with a partner quota, nearest first.

        Joins stay one table deep: PostgreSQL cuts longer join aliases to 63
        characters, which makes two of them equal.
        """
        rows = (
            await TicketStock.select(
                TicketStock.slot.as_alias("slot_id"),
                TicketStock.remaining,
                TicketStock.slot.starts_at.as_alias("starts_at"),
                TicketStock.slot.ends_at.as_alias("ends_at"),
                TicketStock.slot.product.as_alias("product_id"),
            )
            .where(
                (TicketStock.channel == Channel.PARTNER.value) & (TicketStock.slot.starts_at > now)
            )
            .order_by(TicketStock.slot.starts_at)
            .limit(OFFERED)
        )
        ids = list({row["product_id"] for row in rows})
        if not ids:
            return []
        products = {
            product["id"]: product
            for product in await TicketProduct.select(
                TicketProduct.id,
                TicketProduct.title,
                TicketProduct.per_order_max,
                TicketProduct.sales_opens_at,
                TicketProduct.sales_close_at,
                TicketProduct.site.name.as_alias("place"),
                TicketProduct.event.title.as_alias("event"),
            ).where(TicketProduct.id.is_in(ids) & (TicketProduct.is_active == True))  # noqa: E712
            if _selling(product, now)
        }
        prices: dict[int, dict[str, int]] = {}
        for price in await TicketPrice.select().where(TicketPrice.product.is_in(ids)):
            prices.setdefault(price["product"], {})[price["category"]] = price["price"]
        return [
            tk.TicketOffer(
                slot_id=row["slot_id"],
                product=product["title"],
                starts_at=row["starts_at"],
                ends_at=row["ends_at"],
                available=row["remaining"],
                prices=prices.get(product["id"], {}),
                per_order_max=product["per_order_max"],
                place=product["place"] or "",
                event=product["event"] or "",
            )
            for row in rows
            if (product := products.get(row["product_id"])) is not None
        ]

    async def hold(
        self, slot_id: int, quantities: Mapping[str, int], buyer_name: str, hold_for: timedelta
    ) -> tk.TicketHold:
        """Buy through the partner channel, unpaid until the partner confirms.

        Raises:
            tk.TicketRefused: nothing was written.
        """
        now = datetime.now(UTC)
        slot = await TicketSlot.select().where(TicketSlot.id == slot_id).first()
        found = await purchase.product_rules(slot["product"]) if slot else None
        if found is None:
            raise tk.TicketRefused(tk.TicketRefusal.UNKNOWN_SLOT, "No such slot")
        _product, rules = found
        unsold = sorted(set(quantities) - set(rules.prices))
        if unsold:
            raise tk.TicketRefused(tk.TicketRefusal.QUANTITY, f"not sold: {', '.join(unsold)}")
        if sum(quantities.values()) > rules.per_order_max:
            raise tk.TicketRefused(
                tk.TicketRefusal.QUANTITY, f"at most {rules.per_order_max} per order"
            )
        if order_total(quantities, rules.prices) == 0:
            raise tk.TicketRefused(tk.TicketRefusal.NOT_ON_SALE, "Free entry is not sold")
        try:
            check_sales_window(rules, slot["starts_at"], now)
        except BuyRefused:
            raise tk.TicketRefused(
                tk.TicketRefusal.NOT_ON_SALE, "The slot has begun or its sales are closed"
            ) from None
        form = {"slot": str(slot_id)}
        form.update({quantity_field(c): str(n) for c, n in quantities.items()})
        try:
            bought = await purchase.buy(
                slot["product"],
                form,
                channel=Channel.PARTNER,
                buyer_id=None,
                buyer_name=buyer_name,
                now=now,
                hold_for=hold_for,
            )
        except BuyRefused:  # every other reason was checked above
            raise tk.TicketRefused(tk.TicketRefusal.SOLD_OUT, "Sold out") from None
        assert bought.invoice is not None  # a partner's order is paid later
        return tk.TicketHold(
            order_number=bought.order_number,
            invoice_number=bought.invoice.number,
            amount=bought.total,
            expires_at=bought.invoice.due_at,
            quantities=dict(quantities),
        )

    async def release(self, order_number: str) -> bool:
        """Cancel a held order: its invoice, its pending tickets, and free its places."""
        order = await _order(order_number)
        if order is None or order["status"] != OrderStatus.AWAITING_PAYMENT.value:
            return False
        invoice = await tk.invoice_by_number(order["invoice_number"])
        if invoice is None or not await tk.cancel_invoice(invoice):
            return False
        await TicketOrder.update(
            {
                TicketOrder.status: OrderStatus.CANCELLED.value,
                TicketOrder.updated_at: datetime.now(UTC),
            }
        ).where(TicketOrder.id == order["id"])
        cancelled = (
            await Ticket.update({Ticket.status: TicketStatus.CANCELLED.value})
            .where((Ticket.purchase == order["id"]) & (Ticket.status == TicketStatus.PENDING.value))
            .returning(Ticket.id)
        )
        if cancelled:
            await stock.release(order["slot"], order["channel"], len(cancelled))
        return True

    async def tickets(self, order_number: str) -> list[tk.IssuedTicket]:
        """The paid order's tickets with their signed payloads."""
        order = await _order(order_number)
        if order is None or order["status"] != OrderStatus.PAID.value:
            return []
        rows = (
            await Ticket.select(
                Ticket.code,
                Ticket.category,
                Ticket.slot.starts_at.as_alias("starts_at"),
                Ticket.slot.ends_at.as_alias("ends_at"),
            )
            .where((Ticket.purchase == order["id"]) & Ticket.status.is_in(list(_ISSUED)))
            .order_by(Ticket.id)
        )
        return [
            tk.IssuedTicket(
                code=row["code"],
                category=row["category"],
                starts_at=row["starts_at"],
                ends_at=row["ends_at"],
                payload=ticket_payload(
                    row["code"], row["category"], row["starts_at"], row["ends_at"]
                ),
            )
            for row in rows
        ]


def _selling(product: dict, now: datetime) -> bool:
    opens, closes = product["sales_opens_at"], product["sales_close_at"]
    return (opens is None or opens <= now) and (closes is None or now < closes)


async def _order(number: str) -> dict | None:
    return (
        await TicketOrder.select()
        .where((TicketOrder.number == number) & (TicketOrder.channel == Channel.PARTNER.value))
        .first()
    )


SELLER = PartnerSales()
