"""The tables of the ``wisata_heritage`` plugin (Piccolo app ``wisata_heritage``)."""

from __future__ import annotations

from balai import toolkit as tk
from piccolo.columns import Text, Varchar


class Site(tk.CityTable, tablename="wisata_heritage_site"):
    """A heritage site visitors can go to: a building, a kampung, a museum.

    ``opening_hours`` is free text as the site announces it (``Selasa–Minggu
    08.00–15.00``); empty means the city's default applies.
    """

    name = Varchar(length=120)
    description = Text()
    district = Varchar(length=60)
    opening_hours = Varchar(length=80, default="")
