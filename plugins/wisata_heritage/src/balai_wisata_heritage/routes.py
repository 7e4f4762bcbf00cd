"""Pages of the ``wisata_heritage`` plugin: the public list of sites and the officers' list."""

from __future__ import annotations

from balai import toolkit as tk
from litestar import Request, Response, get

from balai_wisata_heritage.settings import HeritageSettings
from balai_wisata_heritage.tables import Site

SLUG = "wisata_heritage"
MANAGE = "wisata_heritage.manage"
PAGE_SIZE = 100


def with_hours(rows: list[dict], city: tk.City) -> list[dict]:
    """Site rows with ``hours``: their own opening hours or the city's default."""
    settings = city.settings_for(SLUG) or HeritageSettings()
    return [
        {**row, "hours": row["opening_hours"] or settings.default_opening_hours} for row in rows
    ]


@get("/", opt=tk.PUBLIC, name="wisata_heritage:index")
async def index(request: Request) -> Response:
    """The city's heritage sites, by name."""
    rows = await Site.select().order_by(Site.name).limit(PAGE_SIZE)
    return await tk.render(
        request, "wisata_heritage/index.html", {"sites": with_hours(rows, tk.current_city())}
    )


@get("/", guards=[tk.require_permission(MANAGE)], name="wisata_heritage:office")
async def office(request: Request) -> Response:
    """The officers' list of the city's heritage sites, by district."""
    rows = await Site.select().order_by(Site.district, Site.name).limit(PAGE_SIZE)
    return await tk.render(
        request,
        "wisata_heritage/office.html",
        {"sites": with_hours(rows, tk.current_city()), "total": await Site.count()},
    )


PAGES = [index]
OFFICE = [office]
