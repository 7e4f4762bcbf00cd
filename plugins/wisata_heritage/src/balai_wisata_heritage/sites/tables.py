"""Tables of heritage sites (cagar budaya) and their opening-hour exceptions."""

from __future__ import annotations

from balai import toolkit as tk
from piccolo.columns import (
    Boolean,
    Date,
    DoublePrecision,
    ForeignKey,
    Text,
    Timestamptz,
    Varchar,
)


class Site(tk.CityTable, tablename="wisata_heritage_site"):
    """A heritage object visitors can go to: a building, a structure, a site, an area.

    Legal data follows UU 11/2010 on Cagar Budaya: ``category`` (see
    ``sites.rules.CATEGORIES``), the national register's
    ``registration_number`` and the city's designation ``decree`` where
    known, and ``protection`` (see ``sites.rules.PROTECTIONS``).
    ``legal_verified`` is false, with ``legal_source`` saying where the
    numbers come from, until an officer checked them against the register.

    ``story_id`` and ``story_en`` are Markdown written by officers, rendered
    through ``balai_wisata_heritage.markdown``. ``opening_hours`` is free
    text as the site announces it (``Selasa–Minggu 08.00–15.00``); empty
    means the city's default applies; dated exceptions are
    :class:`SiteException` rows. ``facilities`` holds one facility a line.
    ``photo`` is the core files service's token of a public image.
    ``status`` is the editing workflow's state (``sites.editing.SITES``):
    only ``published`` sites are public.
    """

    name = Varchar(length=120)
    description = Text()
    district = Varchar(length=60)
    opening_hours = Varchar(length=80, default="")
    category = Varchar(length=20, default="building")
    registration_number = Varchar(length=40, default="")
    decree = Varchar(length=200, default="")
    protection = Varchar(length=20, default="suspected")
    legal_verified = Boolean(default=False)
    legal_source = Varchar(length=200, default="")
    story_id = Text(default="")
    story_en = Text(default="")
    address = Varchar(length=200, default="")
    latitude = DoublePrecision(null=True, default=None)
    longitude = DoublePrecision(null=True, default=None)
    facilities = Text(default="")
    accessibility = Text(default="")
    photo = Varchar(length=64, default="")
    status = Varchar(length=20, default="published")
    updated_at = Timestamptz(null=True, default=None)

    city_indexes = (("status", "name"),)


class SiteException(tk.CityTable, tablename="wisata_heritage_site_exception"):
    """Days a site keeps other hours than usual: a holiday, a closure, an event.

    From ``starts_on`` to ``ends_on`` (inclusive, the city's dates) the site
    is ``closed``, or open with ``hours`` instead of its usual ones;
    ``note`` says why (``Idulfitri``, ``Renovasi atap``).
    """

    site = ForeignKey(references=Site)
    starts_on = Date()
    ends_on = Date()
    closed = Boolean(default=True)
    hours = Varchar(length=80, default="")
    note = Varchar(length=120)

    city_indexes = (("site", "starts_on"),)
