"""Tables of heritage walking routes and their ordered stops."""

from __future__ import annotations

from balai import toolkit as tk
from piccolo.columns import DoublePrecision, ForeignKey, Integer, Text, Timestamptz, Varchar

from balai_wisata_heritage.sites.tables import Site


class Walk(tk.CityTable, tablename="wisata_heritage_walk"):
    """A walking route through heritage sites, e.g. through Kayutangan.

    ``description_id`` / ``description_en`` are officers' Markdown;
    ``status`` is the editing workflow's state (only ``published`` is public).
    Distance and time are worked out from the stops (``walks.route``).
    """

    name = Varchar(length=120)
    summary = Varchar(length=240, default="")
    description_id = Text(default="")
    description_en = Text(default="")
    status = Varchar(length=20, default="draft")
    updated_at = Timestamptz(null=True, default=None)


class WalkStop(tk.CityTable, tablename="wisata_heritage_walk_stop"):
    """One stop of a walk, at ``position`` (1, 2, …) along it.

    A stop is a heritage ``site`` (its coordinates are used) or a named
    point with its own ``latitude``/``longitude``; ``minutes`` is how long
    walkers stay there.
    """

    walk = ForeignKey(references=Walk)
    position = Integer()
    site = ForeignKey(references=Site, null=True, default=None)
    name = Varchar(length=120, default="")
    latitude = DoublePrecision(null=True, default=None)
    longitude = DoublePrecision(null=True, default=None)
    minutes = Integer(default=10)
    note = Varchar(length=240, default="")

    city_unique = (("walk", "position"),)
