"""The ticket rules that need no database: categories, channels, states, a buyer's choice.

:func:`read_quantities` turns the buy form into quantities per category and
says what is wrong, so that bad input never reaches the stock.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from balai import toolkit as tk

SLUG = "wisata_heritage"
TICKET_CODES = tk.ReferenceFormat("WHT", with_year=False)
ORDER_NUMBERS = tk.ReferenceFormat("WHO")
SIGNING_PURPOSE = "heritage_ticket"
MAX_PER_ORDER = 50  # the most any product may allow in one order
EARLY_ENTRY = timedelta(minutes=30)  # a gate admits this long before the slot starts


class Category(enum.StrEnum):
    """Who a ticket is for; a product sells the categories it has a price for."""

    ADULT = "adult"
    CHILD = "child"
    STUDENT = "student"
    FOREIGN = "foreign"
    RESIDENT = "resident"

    @property
    def label(self) -> str:
        """The category's name for people."""
        return tk._(CATEGORY_LABELS[self])


CATEGORY_LABELS = {
    Category.ADULT: tk.N_("Domestic adult"),
    Category.CHILD: tk.N_("Child"),
    Category.STUDENT: tk.N_("Student"),
    Category.FOREIGN: tk.N_("Foreign visitor"),
    Category.RESIDENT: tk.N_("City resident (KTP checked at the gate)"),
}


class Channel(enum.StrEnum):
    """Where a ticket is sold; each slot has a quota per channel."""

    ONLINE = "online"  # the city's own site
    COUNTER = "counter"  # an officer at the ticket counter, for cash
    PARTNER = "partner"  # partners through the partner API (issue 16)


CHANNEL_LABELS = {
    Channel.ONLINE.value: tk.N_("Online (the city's site)"),
    Channel.COUNTER.value: tk.N_("Counter"),
    Channel.PARTNER.value: tk.N_("Partners"),
}


def channel_labels() -> dict[str, str]:
    """Each channel's name in the current language."""
    return {key: tk._(label) for key, label in CHANNEL_LABELS.items()}


class OrderStatus(enum.StrEnum):
    """Where an order stands."""

    AWAITING_PAYMENT = "awaiting_payment"
    PAID = "paid"
    LAPSED = "lapsed"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


class TicketStatus(enum.StrEnum):
    """Where a ticket stands; only ``valid`` ones pass the gate."""

    PENDING = "pending"  # its order is not paid yet
    VALID = "valid"
    USED = "used"
    VOID = "void"  # its order lapsed unpaid
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


STATUS_LABELS = {
    OrderStatus.AWAITING_PAYMENT.value: tk.N_("Awaiting payment"),
    OrderStatus.PAID.value: tk.N_("Paid"),
    OrderStatus.LAPSED.value: tk.N_("Lapsed unpaid"),
    OrderStatus.CANCELLED.value: tk.N_("Cancelled"),
    OrderStatus.REFUNDED.value: tk.N_("Refunded"),
    TicketStatus.PENDING.value: tk.N_("Not paid yet"),
    TicketStatus.VALID.value: tk.N_("Valid"),
    TicketStatus.USED.value: tk.N_("Used"),
    TicketStatus.VOID.value: tk.N_("Void"),
}


def status_label(status: str) -> str:
    """An order's or ticket's status for people."""
    return tk._(STATUS_LABELS[status]) if status in STATUS_LABELS else status


class BuyRefused(Exception):
    """A purchase cannot go ahead; ``message`` says why (nothing was written)."""

    def __init__(self, message: str, field: str = "__all__") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class ProductRules:
    """What a product allows, as far as the buy form is concerned."""

    prices: Mapping[str, int]
    per_order_max: int
    sales_opens_at: datetime | None
    sales_close_at: datetime | None


def quantity_field(category: str) -> str:
    """The buy form's field for one category's quantity."""
    return f"qty_{category}"


def read_quantities(form: Mapping[str, object], rules: ProductRules) -> dict[str, int]:
    """Quantities per category from the buy form (only categories with a quantity).

    Raises:
        BuyRefused: a quantity is not a whole number from 0 to the order's
            maximum, a category is not sold, or no ticket is asked for.
    """
    wanted: dict[str, int] = {}
    for name, raw in form.items():
        if not name.startswith("qty_"):
            continue
        category = name.removeprefix("qty_")
        text = str(raw).strip()
        if not text:
            continue
        if category not in rules.prices:
            raise BuyRefused(tk._("This product does not sell that kind of ticket."), name)
        if not text.isdigit() or len(text) > 4:
            raise BuyRefused(
                tk._("Enter a whole number of tickets from 0 to %(max)s.", max=rules.per_order_max),
                name,
            )
        if int(text):
            wanted[category] = int(text)
    total = sum(wanted.values())
    if total == 0:
        raise BuyRefused(tk._("Choose at least one ticket."))
    if total > rules.per_order_max:
        raise BuyRefused(
            tk._("At most %(max)s tickets per order.", max=rules.per_order_max), "__all__"
        )
    return wanted


def check_sales_window(rules: ProductRules, slot_starts: datetime, now: datetime) -> None:
    """Refuse a slot that has begun or a product not on sale now.

    Raises:
        BuyRefused: the slot is in the past, or sales have not opened or have closed.
    """
    if slot_starts <= now:
        raise BuyRefused(tk._("This time slot has already begun; choose a later one."), "slot")
    if rules.sales_opens_at is not None and now < rules.sales_opens_at:
        raise BuyRefused(tk._("Ticket sales have not opened yet."))
    if rules.sales_close_at is not None and now >= rules.sales_close_at:
        raise BuyRefused(tk._("Ticket sales have closed."))


def order_total(wanted: Mapping[str, int], prices: Mapping[str, int]) -> int:
    """What the chosen tickets cost together, in rupiah."""
    return sum(prices[category] * count for category, count in wanted.items())
