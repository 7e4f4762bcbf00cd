"""Reading the officers' product and slot forms: every value checked, a message per field.

Nothing here writes; :mod:`.setup` writes what these functions accepted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

from balai import toolkit as tk

from balai_wisata_heritage.tickets.editing import day_start
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


def _whole(label: str, low: int, high: int, kind: type = tk.IntegerField) -> tk.Field:
    """An optional whole number from ``low`` to ``high``, refused in the forms' own words."""
    return kind(
        label,
        min_value=low,
        max_value=high,
        required=False,
        invalid=lambda: tk._("Enter a whole number from %(low)s to %(high)s.", low=low, high=high),
    )


def _date(label: str, *, required: bool = False) -> tk.DateField:
    """A date (YYYY-MM-DD), refused in the forms' own words."""
    return tk.DateField(
        label,
        required=required,
        missing=lambda: tk._("Enter the date as YYYY-MM-DD."),
        invalid=lambda: tk._("Enter the date as YYYY-MM-DD."),
    )


class _TimeField(tk.Field):
    """A time of day, ``HH:MM`` (``09.30`` reads as 09:30)."""

    def parse(self, text: str) -> time:
        """The time written in ``text``."""
        try:
            return time.fromisoformat(text.replace(".", ":"))
        except ValueError:
            raise tk.FieldError(tk._("Enter the time as HH:MM.")) from None


def _time(label: str) -> _TimeField:
    return _TimeField(label, missing=lambda: tk._("Enter the time as HH:MM."))


class ProductForm(tk.Form):
    """A new product: name, what it is for, prices per category, sales window and rules.

    ``site_ids`` and ``event_ids``: the city's sites and events the product may be for.
    """

    title = tk.TextField(
        "Name",
        max_length=MAX_TITLE,
        missing=lambda: tk._("Enter the product's name."),
        invalid="At most %(max)s characters.",
    )
    description = tk.TextField(
        "Description",
        max_length=MAX_DESCRIPTION,
        multiline=True,
        required=False,
        invalid="At most %(max)s characters.",
    )
    site = tk.IntegerField(
        "Site",
        max_value=10**12,
        required=False,
        invalid=lambda: tk._("Choose one of the city's sites."),
    )
    event = tk.IntegerField(
        "Event",
        max_value=10**12,
        required=False,
        invalid=lambda: tk._("Choose one of the city's events."),
    )
    price_adult = _whole("Domestic adult", 0, MAX_PRICE, tk.RupiahField)
    price_child = _whole("Child", 0, MAX_PRICE, tk.RupiahField)
    price_student = _whole("Student", 0, MAX_PRICE, tk.RupiahField)
    price_foreign = _whole("Foreign visitor", 0, MAX_PRICE, tk.RupiahField)
    price_resident = _whole("City resident (KTP checked at the gate)", 0, MAX_PRICE, tk.RupiahField)
    price_note = tk.TextField(
        "Note on the prices",
        max_length=MAX_NOTE,
        required=False,
        invalid="At most %(max)s characters.",
    )
    per_order_max = _whole("Most tickets per order", 1, MAX_PER_ORDER)
    cancel_hours = _whole(
        "Hours before the slot until which visitors may cancel or move", 0, MAX_CANCEL_HOURS
    )
    cancel_fee = _whole("Cancellation fee per ticket", 0, MAX_PRICE, tk.RupiahField)
    sales_opens = _date("Sales open on")
    sales_close = _date("Sales close after")

    def __init__(self, data: Any, *, site_ids: set[int], event_ids: set[int]) -> None:
        super().__init__(data)
        self.site_ids = site_ids
        self.event_ids = event_ids

    async def validate(self, *, owner_id: int | None = None) -> bool:
        """Every field, then the site or event among the city's (a message each)."""
        await super().validate(owner_id=owner_id)
        for name, known, message in (
            ("site", self.site_ids, tk._("Choose one of the city's sites.")),
            ("event", self.event_ids, tk._("Choose one of the city's events.")),
        ):
            if name not in self.errors and self.clean.get(name) not in (None, *known):
                self.add_error(name, message)
        return not self.errors

    def check(self) -> None:
        """The site or the event; at least one price; sales close after they open."""
        if self.clean.get("site") is None and self.clean.get("event") is None:
            self.add_error("site", tk._("Choose the site or the event the tickets are for."))
        if all(self.clean.get(price_field(c)) is None for c in Category):
            self.add_error(price_field(Category.ADULT), tk._("Give at least one category a price."))
        opens, closes = self.clean.get("sales_opens"), self.clean.get("sales_close")
        if opens and closes and closes < opens:
            self.add_error("sales_close", tk._("Sales must close after they open."))


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


async def read_product(
    data: Any, site_ids: set[int], event_ids: set[int], tz: Any = UTC
) -> tuple[ProductInput, dict[str, str]]:
    """The product form's values and what is wrong with them (empty: fine)."""
    checked = ProductForm(data, site_ids=site_ids, event_ids=event_ids)
    if not await checked.validate():
        return ProductInput(), checked.errors
    clean = checked.clean
    closes = day_start(clean["sales_close"], tz)
    product = ProductInput(
        title=clean["title"],
        description=clean["description"],
        site_id=clean["site"],
        event_id=clean["event"],
        per_order_max=clean["per_order_max"] or 10,
        cancel_hours=clean["cancel_hours"],
        cancel_fee=clean["cancel_fee"] or 0,
        price_note=clean["price_note"],
        prices={c: clean[price_field(c)] for c in Category if clean[price_field(c)] is not None},
        sales_opens_at=day_start(clean["sales_opens"], tz),
        # Sales close at the end of the given day: the start of the next.
        sales_close_at=closes + timedelta(days=1) if closes is not None else None,
    )
    return product, {}


class SlotForm(tk.Form):
    """A new slot: its day, start and end in the city's time, places per channel.

    ``now`` and ``tz``: the moment it is added and the city's time zone.
    """

    day = _date("Date", required=True)
    starts = _time("Starts")
    ends = _time("Ends")
    quota_online = _whole("Online (the city's site)", 0, MAX_CAPACITY)
    quota_counter = _whole("Counter", 0, MAX_CAPACITY)
    quota_partner = _whole("Partners", 0, MAX_CAPACITY)

    def __init__(self, data: Any, *, now: datetime, tz: Any) -> None:
        super().__init__(data)
        self.now = now
        self.tz = tz

    def check(self) -> None:
        """The slot ends after it starts, starts in the future, not too far ahead; some places."""
        day, now = self.clean["day"], self.now
        starts_at = datetime.combine(day, self.clean["starts"], self.tz).astimezone(now.tzinfo)
        ends_at = datetime.combine(day, self.clean["ends"], self.tz).astimezone(now.tzinfo)
        if ends_at <= starts_at:
            self.add_error("ends", tk._("The slot must end after it starts."))
        elif starts_at <= now:
            self.add_error("day", tk._("A new slot must start in the future."))
        elif starts_at > now + timedelta(days=MAX_DAYS_AHEAD):
            self.add_error(
                "day", tk._("A slot can be at most %(days)s days ahead.", days=MAX_DAYS_AHEAD)
            )
        if not any(self.clean[quota_field(c)] for c in Channel):
            self.add_error(
                quota_field(Channel.ONLINE), tk._("Give at least one channel some places.")
            )
        self.clean["starts_at"], self.clean["ends_at"] = starts_at, ends_at


@dataclass
class SlotInput:
    """A slot as the officer wrote it (times already in UTC)."""

    starts_at: datetime | None = None
    ends_at: datetime | None = None
    quotas: dict[Channel, int] = field(default_factory=dict)


async def read_slot(data: Any, now: datetime, tz: Any) -> tuple[SlotInput, dict[str, str]]:
    """The slot form's values and what is wrong with them (empty: fine)."""
    checked = SlotForm(data, now=now, tz=tz)
    if not await checked.validate():
        return SlotInput(), checked.errors
    clean = checked.clean
    quotas = {c: clean[quota_field(c)] for c in Channel if clean[quota_field(c)]}
    return SlotInput(clean["starts_at"], clean["ends_at"], quotas), {}
