"""The ticket tables of ``wisata_heritage``: products, slots, stock, orders, tickets, admissions.

Every table holds one city's rows. Money is integer rupiah; times are UTC.
A product is sold for a site (``site``), an event (``event``) or an event at
a site (both).
"""

from __future__ import annotations

from balai import toolkit as tk
from piccolo.columns import Boolean, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete

from balai_wisata_heritage.events.tables import Event
from balai_wisata_heritage.sites.tables import Site


class TicketProduct(tk.CityTable, tablename="wisata_heritage_ticket_product"):
    """Something a visitor buys a ticket for: entry to a site, a guided walk, an event.

    ``sales_opens_at``/``sales_close_at`` bound when it is sold (``None``: no
    bound); ``cancel_hours`` is how long before its slot a ticket may still be
    cancelled or moved (``None``: never), ``cancel_fee`` what is kept per ticket.
    """

    site = ForeignKey(Site, on_delete=OnDelete.restrict, null=True)
    event = ForeignKey(Event, on_delete=OnDelete.restrict, null=True, default=None)
    title = Varchar(length=120)
    description = Text(default="")
    per_order_max = Integer(default=10)
    sales_opens_at = Timestamptz(null=True, default=None)
    sales_close_at = Timestamptz(null=True, default=None)
    cancel_hours = Integer(null=True, default=None)
    cancel_fee = Integer(default=0)
    is_active = Boolean(default=True)
    price_note = Varchar(length=200, default="")


class TicketPrice(tk.CityTable, tablename="wisata_heritage_ticket_price"):
    """What one category of visitor pays for a product (a category not listed is not sold)."""

    product = ForeignKey(TicketProduct, on_delete=OnDelete.cascade)
    category = Varchar(length=20)
    price = Integer()

    city_unique = (("product", "category"),)


class TicketSlot(tk.CityTable, tablename="wisata_heritage_ticket_slot"):
    """A time a product can be visited at, with its capacity (split by channel in the stock)."""

    product = ForeignKey(TicketProduct, on_delete=OnDelete.cascade)
    starts_at = Timestamptz()
    ends_at = Timestamptz()
    capacity = Integer()

    city_indexes = (("product", "starts_at"),)


class TicketStock(tk.CityTable, tablename="wisata_heritage_ticket_stock"):
    """Places of a slot still to sell through one channel (own site, counter, partner).

    ``remaining`` only changes by conditional updates (:mod:`.stock`).
    """

    slot = ForeignKey(TicketSlot, on_delete=OnDelete.cascade)
    channel = Varchar(length=20)
    quota = Integer()
    remaining = Integer()

    city_unique = (("slot", "channel"),)


class TicketOrder(tk.CityTable, tablename="wisata_heritage_ticket_order"):
    """One purchase: tickets for one slot, paid by one invoice or in cash at the counter."""

    number = Varchar(length=20)
    slot = ForeignKey(TicketSlot, on_delete=OnDelete.restrict)
    channel = Varchar(length=20)
    status = Varchar(length=20)
    buyer_id = Integer(null=True, default=None)
    buyer_name = Varchar(length=120, default="")
    sold_by = Integer(null=True, default=None)
    invoice_number = Varchar(length=40, default="")
    total = Integer()
    refunded = Integer(default=0)  # rupiah given back so far (cancelled tickets, a refund)
    created_at = Timestamptz()
    updated_at = Timestamptz()

    city_unique = (("number",),)
    city_indexes = (("buyer_id", "created_at"), ("invoice_number",), ("status", "created_at"))


class Ticket(tk.CityTable, tablename="wisata_heritage_ticket"):
    """One visitor's entry: valid once paid, used at its first admission."""

    code = Varchar(length=20)
    purchase = ForeignKey(TicketOrder, on_delete=OnDelete.cascade)
    slot = ForeignKey(TicketSlot, on_delete=OnDelete.restrict)
    category = Varchar(length=20)
    price = Integer()
    status = Varchar(length=20)
    admitted_at = Timestamptz(null=True, default=None)
    admitted_gate = Varchar(length=40, default="")
    admitted_by = Integer(null=True, default=None)

    city_unique = (("code",),)
    city_indexes = (("purchase",), ("slot", "status"))


class Admission(tk.CityTable, tablename="wisata_heritage_admission"):
    """Every scan a gate reported, admitted or not; offline double entries are flagged."""

    ticket = ForeignKey(Ticket, on_delete=OnDelete.cascade, null=True)
    code = Varchar(length=20, default="")
    gate = Varchar(length=40)
    officer_id = Integer(null=True, default=None)
    scanned_at = Timestamptz()
    recorded_at = Timestamptz()
    admitted = Boolean()
    reason = Varchar(length=30)
    offline = Boolean(default=False)
    flagged = Boolean(default=False)

    city_indexes = (("ticket",), ("flagged", "recorded_at"))
