"""Officers edit a ticket product (prices, windows, rules, on sale or not) and a slot's quotas.

Every change asks for a reason and is a step in the product's history (the
core's workflow history, key ``wisata_heritage.ticket_product``) and an
audit entry. A channel's quota never goes below the places it already sold:
the stock row changes by one conditional update
(``... WHERE quota = <read> AND quota - remaining <= <new quota>``), so a
sale made meanwhile is never taken back.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from balai import toolkit as tk

from balai_wisata_heritage.office_kit import reason_field, record_change, write_transaction
from balai_wisata_heritage.tickets.rules import (
    MAX_PER_ORDER,
    BuyRefused,
    Category,
    Channel,
    channel_labels,
)
from balai_wisata_heritage.tickets.setup import MAX_CAPACITY, MAX_PRICE
from balai_wisata_heritage.tickets.tables import TicketPrice, TicketProduct, TicketSlot, TicketStock

MAX_CANCEL_HOURS = 24 * 60

PRODUCTS = tk.Workflow(
    "wisata_heritage.ticket_product",
    table=TicketProduct,
    state_column=TicketProduct.is_active,
    states={"on_sale": tk.N_("On sale"), "off_sale": tk.N_("Not on sale")},
    transitions=[],
)


def _price(label: str) -> tk.RupiahField:
    return tk.RupiahField(label, max_value=MAX_PRICE, required=False)


def _quota(label: str) -> tk.IntegerField:
    return tk.IntegerField(label, max_value=MAX_CAPACITY, required=False)


class ProductEditForm(tk.Form):
    """A product's prices, sales window, order maximum, change rules and sale state."""

    title = tk.TextField("Name", max_length=120)
    price_adult = _price("Domestic adult")
    price_child = _price("Child")
    price_student = _price("Student")
    price_foreign = _price("Foreign visitor")
    price_resident = _price("City resident (KTP checked at the gate)")
    price_note = tk.TextField("Note on the prices", max_length=200, required=False)
    per_order_max = tk.IntegerField("Most tickets per order", min_value=1, max_value=MAX_PER_ORDER)
    sales_opens = tk.DateField("Sales open on", required=False)
    sales_close = tk.DateField("Sales close after", required=False)
    cancel_hours = tk.IntegerField(
        "Hours before the slot until which visitors may cancel or move",
        max_value=MAX_CANCEL_HOURS,
        required=False,
    )
    cancel_fee = tk.RupiahField("Cancellation fee per ticket", max_value=MAX_PRICE, required=False)
    is_active = tk.CheckboxField("On sale")
    reason = reason_field()

    def check(self) -> None:
        """At least one price; sales close after they open."""
        if not any(self.clean.get(f"price_{c.value}") is not None for c in Category):
            self.add_error("price_adult", tk._("Give at least one category a price."))
        opens, closes = self.clean.get("sales_opens"), self.clean.get("sales_close")
        if opens and closes and closes < opens:
            self.add_error("sales_close", tk._("Sales must close after they open."))


class SlotQuotaForm(tk.Form):
    """A slot's places per sales channel (its capacity is their sum)."""

    quota_online = _quota("Online (the city's site)")
    quota_counter = _quota("Counter")
    quota_partner = _quota("Partners")
    reason = reason_field()


def day_start(day: date | None, tz: Any) -> datetime | None:
    """The start (00:00 in the city) of ``day``, in UTC; None for no day."""
    return datetime.combine(day, time(0, 0), tz).astimezone(UTC) if day else None


def product_initial(product: dict[str, Any], prices: list[dict[str, Any]], tz: Any) -> dict:
    """The edit form's values from a product row and its prices."""
    closes = product["sales_close_at"]
    return {
        "title": product["title"],
        **{f"price_{row['category']}": row["price"] for row in prices},
        "price_note": product["price_note"],
        "per_order_max": product["per_order_max"],
        "sales_opens": product["sales_opens_at"].astimezone(tz).date()
        if product["sales_opens_at"]
        else None,
        # Sales close at the start of the day after the one the officer gave.
        "sales_close": (closes.astimezone(tz) - timedelta(days=1)).date() if closes else None,
        "cancel_hours": product["cancel_hours"],
        "cancel_fee": product["cancel_fee"] or None,
        "is_active": product["is_active"],
    }


async def save_product(
    product_id: int, clean: dict[str, Any], *, user: tk.CurrentUser, request: Any
) -> None:
    """Write a valid :class:`ProductEditForm` to the product and its prices, with history."""
    tz = tk.current_city().tz
    closes = day_start(clean.get("sales_close"), tz)
    prices = {
        c.value: clean[f"price_{c.value}"]
        for c in Category
        if clean.get(f"price_{c.value}") is not None
    }
    values = {
        TicketProduct.title: clean["title"],
        TicketProduct.price_note: clean.get("price_note") or "",
        TicketProduct.per_order_max: clean["per_order_max"],
        TicketProduct.sales_opens_at: day_start(clean.get("sales_opens"), tz),
        TicketProduct.sales_close_at: closes + timedelta(days=1) if closes else None,
        TicketProduct.cancel_hours: clean.get("cancel_hours"),
        TicketProduct.cancel_fee: clean.get("cancel_fee") or 0,
        TicketProduct.is_active: bool(clean.get("is_active")),
    }
    state = "on_sale" if clean.get("is_active") else "off_sale"
    async with write_transaction(TicketProduct):
        await TicketProduct.update(values).where(TicketProduct.id == product_id)
        await TicketPrice.delete().where(TicketPrice.product == product_id)
        await TicketPrice.insert(
            *[
                TicketPrice(product=product_id, category=category, price=price)
                for category, price in prices.items()
            ]
        )
        await record_change(
            PRODUCTS,
            product_id,
            state,
            what="edited",
            reason=clean["reason"],
            user=user,
            request=request,
            detail={
                "prices": prices,
                "per_order_max": clean["per_order_max"],
                "cancel_fee": clean.get("cancel_fee") or 0,
                "on_sale": state == "on_sale",
            },
        )


async def slot_stock(slot_id: int) -> dict[str, dict[str, Any]]:
    """The slot's stock rows by channel."""
    rows = await TicketStock.select().where(TicketStock.slot == slot_id)
    return {row["channel"]: row for row in rows}


def slot_initial(stock: dict[str, dict[str, Any]]) -> dict:
    """The quota form's values from the slot's stock rows."""
    return {f"quota_{channel}": row["quota"] for channel, row in stock.items()}


async def save_quotas(
    slot: dict[str, Any], clean: dict[str, Any], *, user: tk.CurrentUser, request: Any
) -> None:
    """Set the slot's quota per channel; never below what a channel sold.

    Raises:
        BuyRefused: a quota below the places its channel already sold (or a
            sale meanwhile), or no place at all; nothing was written.
    """
    wanted = {c.value: clean.get(f"quota_{c.value}") or 0 for c in Channel}
    if not any(wanted.values()):
        raise BuyRefused(tk._("Give at least one channel some places."), "quota_online")
    labels = channel_labels()
    async with write_transaction(TicketStock):
        stock = await slot_stock(slot["id"])
        for channel, quota in wanted.items():
            row = stock.get(channel)
            if row is None:
                if quota:
                    await TicketStock.insert(
                        TicketStock(slot=slot["id"], channel=channel, quota=quota, remaining=quota)
                    )
                continue
            sold = row["quota"] - row["remaining"]
            changed = (
                await TicketStock.update(
                    {
                        TicketStock.quota: quota,
                        TicketStock.remaining: TicketStock.remaining + (quota - row["quota"]),
                    }
                )
                .where(
                    (TicketStock.id == row["id"])
                    & (TicketStock.quota == row["quota"])
                    & (TicketStock.remaining >= row["quota"] - quota)
                )
                .returning(TicketStock.id)
            )
            if not changed:
                raise BuyRefused(
                    tk._(
                        "%(channel)s has already sold %(sold)s places: its quota cannot be"
                        " less than that.",
                        channel=labels[channel],
                        sold=sold,
                    ),
                    f"quota_{channel}",
                )
        await TicketSlot.update({TicketSlot.capacity: sum(wanted.values())}).where(
            TicketSlot.id == slot["id"]
        )
        product = (
            await TicketProduct.select(TicketProduct.is_active)
            .where(TicketProduct.id == slot["product"])
            .first()
        )
        await record_change(
            PRODUCTS,
            slot["product"],
            "on_sale" if product["is_active"] else "off_sale",
            what="quotas",
            reason=clean["reason"],
            user=user,
            request=request,
            detail={"slot": slot["id"], "quotas": wanted},
        )
