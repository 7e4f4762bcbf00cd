"""The officers' list of heritage sites (Disporapar)."""

from __future__ import annotations

from balai import toolkit as tk
from litestar import Request, Response, get

from balai_wisata_heritage.sites.public import usual_hours
from balai_wisata_heritage.sites.tables import Site

MANAGE = "wisata_heritage.manage"
PAGE_SIZE = 100


@get("/", guards=[tk.require_permission(MANAGE)], name="wisata_heritage:office")
async def office(request: Request) -> Response:
    """The officers' list of the city's heritage sites, drafts included, by district."""
    city = tk.current_city()
    rows = await Site.select().order_by(Site.district, Site.name).limit(PAGE_SIZE)
    for row in rows:
        row["hours"] = usual_hours(row, city)
    return await tk.render(
        request, "wisata_heritage/office.html", {"sites": rows, "total": await Site.count()}
    )


ROUTES = [office]
