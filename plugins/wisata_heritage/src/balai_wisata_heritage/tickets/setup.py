"""Writing ticket products, their prices and slots (officers' forms, demo data, tests).

A slot's capacity is split into quotas per sales channel; each quota is a
stock row whose ``remaining`` starts at the quota.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from balai_wisata_heritage.tickets.rules import MAX_PER_ORDER, Category, Channel
from balai_wisata_heritage.tickets.tables import TicketPrice, TicketProduct, TicketSlot, TicketStock

MAX_CAPACITY = 100_000
MAX_PRICE = 10_000_000


async def add_product(
    title: str,
    *,
    site_id: int | None,
    prices: Mapping[Category, int],
    description: str = "",
    per_order_max: int = 10,
    cancel_hours: int | None = None,
    cancel_fee: int = 0,
    price_note: str = "",
    event_id: int | None = None,
    sales_opens_at: datetime | None = None,
    sales_close_at: datetime | None = None,
) -> int:
    """A new product with its prices; returns its id.

    Raises:
        ValueError: no price, a price out of range or an order maximum out of range.
    """
    if not prices:
        raise ValueError("a product needs at least one price")
    if any(not 0 <= price <= MAX_PRICE for price in prices.values()):
        raise ValueError("a price is out of range")
    if not 1 <= per_order_max <= MAX_PER_ORDER:
        raise ValueError("the order maximum is out of range")
    product = TicketProduct(
        site=site_id,
        event=event_id,
        title=title,
        description=description,
        per_order_max=per_order_max,
        cancel_hours=cancel_hours,
        cancel_fee=cancel_fee,
        price_note=price_note,
        sales_opens_at=sales_opens_at,
        sales_close_at=sales_close_at,
    )
    await product.save()
    await TicketPrice.insert(
        *[
            TicketPrice(product=product.id, category=Category(category).value, price=price)
            for category, price in prices.items()
        ]
    )
    return product.id


async def add_slot(
    product_id: int, starts_at: datetime, ends_at: datetime, quotas: Mapping[Channel, int]
) -> int:
    """A new slot whose capacity is the sum of its channels' quotas; returns its id.

    Raises:
        ValueError: the slot ends before it starts, or a quota is out of range.
    """
    if ends_at <= starts_at:
        raise ValueError("a slot ends after it starts")
    if any(not 0 <= quota <= MAX_CAPACITY for quota in quotas.values()) or not any(quotas.values()):
        raise ValueError("a slot needs a positive capacity within range")
    slot = TicketSlot(
        product=product_id,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=sum(quotas.values()),
    )
    await slot.save()
    await TicketStock.insert(
        *[
            TicketStock(slot=slot.id, channel=Channel(channel).value, quota=quota, remaining=quota)
            for channel, quota in quotas.items()
        ]
    )
    return slot.id
