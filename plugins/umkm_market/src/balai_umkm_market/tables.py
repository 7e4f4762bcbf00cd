"""The tables of the ``umkm_market`` plugin (Piccolo app ``umkm_market``)."""

from __future__ import annotations

import enum

from balai import toolkit as tk
from piccolo.columns import Boolean, Timestamptz, Varchar


class Category(enum.StrEnum):
    """What a merchant sells."""

    FOOD = "food"
    CRAFT = "craft"
    FASHION = "fashion"
    FARM = "farm"
    SERVICES = "services"


class Merchant(tk.CityTable, tablename="umkm_market_merchant"):
    """A local business (UMKM) that sells through the city's market.

    ``is_verified`` is set by a Diskopindag officer once the business
    registration (NIB) has been checked. ``created_at`` is stored in UTC.
    """

    name = Varchar(length=120)
    owner_name = Varchar(length=120)
    district = Varchar(length=60)
    category = Varchar(length=20, choices=Category, default=Category.FOOD.value)
    is_verified = Boolean(default=False)
    created_at = Timestamptz()
