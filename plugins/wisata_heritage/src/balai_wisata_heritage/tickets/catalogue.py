"""Reading ticket products for the pages: what is on sale, its slots, places left."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from balai_wisata_heritage.sites.tables import Site
from balai_wisata_heritage.tickets.rules import Category, Channel
from balai_wisata_heritage.tickets.tables import TicketPrice, TicketProduct, TicketSlot, TicketStock

SLOTS_SHOWN = 60


async def products_on_sale(event_id: int | None = None) -> list[dict[str, Any]]:
    """Active products (``event_id``: one event's) with their site, event and lowest price."""
    where = TicketProduct.is_active == True  # noqa: E712
    if event_id is not None:
        where = where & (TicketProduct.event == event_id)
    rows = (
        await TicketProduct.select(
            TicketProduct.id,
            TicketProduct.title,
            TicketProduct.description,
            TicketProduct.site.name.as_alias("site_name"),
            TicketProduct.event.title.as_alias("event_title"),
            TicketProduct.event.starts_at.as_alias("event_starts_at"),
        )
        .where(where)
        .order_by(TicketProduct.title)
    )
    prices = await TicketPrice.select(TicketPrice.product, TicketPrice.price)
    lowest: dict[int, int] = {}
    for price in prices:
        lowest[price["product"]] = min(price["price"], lowest.get(price["product"], price["price"]))
    return [{**row, "from_price": lowest.get(row["id"])} for row in rows]


async def product_links(
    *, site_id: int | None = None, event_id: int | None = None
) -> list[dict[str, Any]]:
    """Active products of a site or of an event (id and title), for its page to link."""
    where = TicketProduct.is_active == True  # noqa: E712
    if site_id is not None:
        where = where & (TicketProduct.site == site_id)
    if event_id is not None:
        where = where & (TicketProduct.event == event_id)
    return await (
        TicketProduct.select(TicketProduct.id, TicketProduct.title)
        .where(where)
        .order_by(TicketProduct.title)
    )


def prices_in_order(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Price rows in the categories' order, each with its ``label``."""
    order = {category.value: index for index, category in enumerate(Category)}
    known = [row for row in rows if row["category"] in order]
    return [
        {**row, "label": Category(row["category"]).label}
        for row in sorted(known, key=lambda row: order[row["category"]])
    ]


async def prices_of(product_id: int) -> list[dict[str, Any]]:
    """The product's prices, in the categories' order."""
    rows = await TicketPrice.select(TicketPrice.category, TicketPrice.price).where(
        TicketPrice.product == product_id
    )
    return prices_in_order(rows)


async def upcoming_slots(
    product_id: int, channel: Channel, now: datetime | None = None
) -> list[dict[str, Any]]:
    """The product's slots still to begin, with the places left through ``channel``."""
    now = now or datetime.now(UTC)
    slots = (
        await TicketSlot.select()
        .where((TicketSlot.product == product_id) & (TicketSlot.starts_at > now))
        .order_by(TicketSlot.starts_at)
        .limit(SLOTS_SHOWN)
    )
    if not slots:
        return []
    stock = await TicketStock.select(TicketStock.slot, TicketStock.remaining).where(
        TicketStock.slot.is_in([slot["id"] for slot in slots])
        & (TicketStock.channel == channel.value)
    )
    left = {row["slot"]: row["remaining"] for row in stock}
    return [{**slot, "remaining": left.get(slot["id"], 0)} for slot in slots]


async def site_name(site_id: int | None) -> str:
    """A site's name ("" without one)."""
    if site_id is None:
        return ""
    row = await Site.select(Site.name).where(Site.id == site_id).first()
    return row["name"] if row else ""
