"""The table of heritage events: festivals, guided walks, exhibitions."""

from __future__ import annotations

from balai import toolkit as tk
from piccolo.columns import ForeignKey, Text, Timestamptz, Varchar

from balai_wisata_heritage.sites.tables import Site


class Event(tk.CityTable, tablename="wisata_heritage_event"):
    """Something happening at a heritage site (or elsewhere in the city).

    ``kind`` is one of ``events.rules.KINDS``. ``starts_at`` and ``ends_at``
    are stored in UTC and shown in the city's zone. ``site`` is the site it
    takes place at, or null with ``venue`` naming the place.
    ``description_id`` / ``description_en`` are officers' Markdown.
    ``status`` is the editing workflow's state (``events.editing.EVENTS``):
    only ``published`` and ``cancelled`` events are public (a cancelled one
    stays listed, marked, and in the iCalendar feed as ``CANCELLED``).
    Ticket products of the ticket half refer to an event by its id.
    """

    title = Varchar(length=120)
    kind = Varchar(length=20, default="festival")
    site = ForeignKey(references=Site, null=True, default=None)
    venue = Varchar(length=160, default="")
    starts_at = Timestamptz()
    ends_at = Timestamptz()
    summary = Varchar(length=240, default="")
    description_id = Text(default="")
    description_en = Text(default="")
    status = Varchar(length=20, default="draft")
    updated_at = Timestamptz(null=True, default=None)

    city_indexes = (("status", "starts_at"),)
