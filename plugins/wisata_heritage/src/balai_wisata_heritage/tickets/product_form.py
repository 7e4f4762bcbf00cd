"""Reading the officers' product and slot forms: every value checked, a message per field.

Nothing here writes; :mod:`.setup` writes what these functions accepted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from balai import toolkit as tk

from balai_wisata_heritage.tickets.rules import MAX_PER_ORDER, Category, Channel
from balai_wisata_heritage.tickets.setup import MAX_CAPACITY, MAX_PRICE

MAX_TITLE = 120
MAX_DESCRIPTION = 2000
MAX_NOTE = 200
MAX_CANCEL_HOURS = 24 * 60
MAX_DAYS_AHEAD = 400


def price_field(category: Category) -> str:
    """The product form's field for one category's price."""
    return f"price_{category.value}"


def quota_field(channel: Channel) -> str:
    """The slot form's field for one channel's quota."""
    return f"quota_{channel.value}"


def _whole(
    form: Mapping[str, Any], name: str, low: int, high: int, errors: dict[str, str]
) -> int | None:
    text = str(form.get(name, "")).strip().replace(".", "")
    if not text:
        return None
    if not text.isdigit() or len(text) > 12 or not low <= int(text) <= high:
        errors[name] = tk._("Enter a whole number from %(low)s to %(high)s.", low=low, high=high)
        return None
    return int(text)


@dataclass
class ProductInput:
    """A product as the officer wrote it."""

    title: str = ""
    description: str = ""
    site_id: int | None = None
    event_id: int | None = None
    per_order_max: int = 10
    cancel_hours: int | None = None
    cancel_fee: int = 0
    price_note: str = ""
    prices: dict[Category, int] = field(default_factory=dict)
    sales_opens_at: datetime | None = None
    sales_close_at: datetime | None = None


def _day_start(
    form: Mapping[str, Any], name: str, tz: Any, errors: dict[str, str]
) -> datetime | None:
    """The start (00:00 in the city) of the date in field ``name``, in UTC; None when empty."""
    text = str(form.get(name, "")).strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        errors[name] = tk._("Enter the date as YYYY-MM-DD.")
        return None
    return datetime.combine(day, time(0, 0), tz).astimezone(UTC)


def read_product(
    form: Mapping[str, Any], site_ids: set[int], event_ids: set[int], tz: Any = UTC
) -> tuple[ProductInput, dict[str, str]]:
    """The product form's values and what is wrong with them (empty: fine)."""
    errors: dict[str, str] = {}
    product = ProductInput(
        title=" ".join(str(form.get("title", "")).split()),
        description=str(form.get("description", "")).strip(),
        price_note=" ".join(str(form.get("price_note", "")).split()),
    )
    if not product.title:
        errors["title"] = tk._("Enter the product's name.")
    elif len(product.title) > MAX_TITLE:
        errors["title"] = tk._("At most %(max)s characters.", max=MAX_TITLE)
    if len(product.description) > MAX_DESCRIPTION:
        errors["description"] = tk._("At most %(max)s characters.", max=MAX_DESCRIPTION)
    if len(product.price_note) > MAX_NOTE:
        errors["price_note"] = tk._("At most %(max)s characters.", max=MAX_NOTE)
    site = str(form.get("site", "")).strip()
    event = str(form.get("event", "")).strip()
    if site:
        if not site.isdigit() or int(site) not in site_ids:
            errors["site"] = tk._("Choose one of the city's sites.")
        else:
            product.site_id = int(site)
    if event:
        if not event.isdigit() or int(event) not in event_ids:
            errors["event"] = tk._("Choose one of the city's events.")
        else:
            product.event_id = int(event)
    if product.site_id is None and product.event_id is None and not {"site", "event"} & set(errors):
        errors["site"] = tk._("Choose the site or the event the tickets are for.")
    per_order = _whole(form, "per_order_max", 1, MAX_PER_ORDER, errors)
    product.per_order_max = per_order or 10
    product.cancel_hours = _whole(form, "cancel_hours", 0, MAX_CANCEL_HOURS, errors)
    product.cancel_fee = _whole(form, "cancel_fee", 0, MAX_PRICE, errors) or 0
    for category in Category:
        price = _whole(form, price_field(category), 0, MAX_PRICE, errors)
        if price is not None:
            product.prices[category] = price
    if not product.prices and not any(k.startswith("price_") for k in errors):
        errors[price_field(Category.ADULT)] = tk._("Give at least one category a price.")
    product.sales_opens_at = _day_start(form, "sales_opens", tz, errors)
    closes = _day_start(form, "sales_close", tz, errors)
    # Sales close at the end of the given day: the start of the next.
    product.sales_close_at = closes + timedelta(days=1) if closes is not None else None
    if (
        product.sales_opens_at is not None
        and product.sales_close_at is not None
        and product.sales_close_at <= product.sales_opens_at
    ):
        errors["sales_close"] = tk._("Sales must close after they open.")
    return product, errors


@dataclass
class SlotInput:
    """A slot as the officer wrote it (times already in UTC)."""

    starts_at: datetime | None = None
    ends_at: datetime | None = None
    quotas: dict[Channel, int] = field(default_factory=dict)


def _time(text: str) -> time | None:
    try:
        return time.fromisoformat(text.strip().replace(".", ":"))
    except ValueError:
        return None


def read_slot(form: Mapping[str, Any], now: datetime, tz: Any) -> tuple[SlotInput, dict[str, str]]:
    """The slot form's values and what is wrong with them (empty: fine)."""
    errors: dict[str, str] = {}
    slot = SlotInput()
    try:
        day = date.fromisoformat(str(form.get("day", "")).strip())
    except ValueError:
        day = None
        errors["day"] = tk._("Enter the date as YYYY-MM-DD.")
    start = _time(str(form.get("starts", "")))
    end = _time(str(form.get("ends", "")))
    if start is None:
        errors["starts"] = tk._("Enter the time as HH:MM.")
    if end is None:
        errors["ends"] = tk._("Enter the time as HH:MM.")
    if day is not None and start is not None and end is not None:
        slot.starts_at = datetime.combine(day, start, tz).astimezone(now.tzinfo)
        slot.ends_at = datetime.combine(day, end, tz).astimezone(now.tzinfo)
        if slot.ends_at <= slot.starts_at:
            errors["ends"] = tk._("The slot must end after it starts.")
        elif slot.starts_at <= now:
            errors["day"] = tk._("A new slot must start in the future.")
        elif slot.starts_at > now + timedelta(days=MAX_DAYS_AHEAD):
            errors["day"] = tk._("A slot can be at most %(days)s days ahead.", days=MAX_DAYS_AHEAD)
    for channel in Channel:
        quota = _whole(form, quota_field(channel), 0, MAX_CAPACITY, errors)
        if quota:
            slot.quotas[channel] = quota
    if not slot.quotas and not any(k.startswith("quota_") for k in errors):
        errors[quota_field(Channel.ONLINE)] = tk._("Give at least one channel some places.")
    return slot, errors
