"""Public pages of heritage walks: the list and a walk's printable page."""

from __future__ import annotations

from balai import toolkit as tk
from litestar import Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from balai_wisata_heritage.figures.content import count_walk_view
from balai_wisata_heritage.markdown import render_markdown
from balai_wisata_heritage.walks.route import legs, totals
from balai_wisata_heritage.walks.stops import stops_of
from balai_wisata_heritage.walks.tables import Walk

PER_PAGE = 20


def km(metres: int) -> str:
    """Metres as kilometres with one decimal in the visitor's notation."""
    return tk.format_number(metres / 1000, 1)


@get("/jalan-kaki/", opt=tk.PUBLIC, name="wisata_heritage:walks")
async def walks_page(request: Request) -> Response:
    """The city's published walks with their length and time."""
    select = Walk.select(Walk.id, Walk.name, Walk.summary).where(Walk.status == "published")
    found = await tk.paginate(request, select.order_by(Walk.name), per_page=PER_PAGE)
    stops = await stops_of([row["id"] for row in found.rows])
    for row in found.rows:
        metres, minutes = totals(legs(stops.get(row["id"], [])))
        row |= {"km": km(metres), "minutes": minutes, "stops": len(stops.get(row["id"], []))}
    return await tk.render(request, "wisata_heritage/walks/index.html", {"found": found})


@get("/jalan-kaki/{walk_id:int}", opt=tk.PUBLIC, name="wisata_heritage:walk")
async def walk_page(request: Request, walk_id: FromPath[int]) -> Response:
    """One published walk: its stops in order with the legs between them; prints on paper."""
    walk = await Walk.select().where((Walk.id == walk_id) & (Walk.status == "published")).first()
    if walk is None:
        raise NotFoundException(tk._("No such walk."))
    await count_walk_view(walk_id)
    route = legs((await stops_of([walk_id])).get(walk_id, []))
    metres, minutes = totals(route)
    markers = [
        {
            "lat": leg.stop["latitude"],
            "lon": leg.stop["longitude"],
            "label": f"{n}. {leg.stop['name']}",
            "href": tk.city_url(request, f"/wisata-heritage/situs/{leg.stop['site']}")
            if leg.stop["site_public"]
            else "",
        }
        for n, leg in enumerate(route, 1)
        if leg.stop["latitude"] is not None
    ]
    return await tk.render(
        request,
        "wisata_heritage/walks/walk.html",
        {
            "walk": walk,
            "route": [
                {"stop": leg.stop, "km": km(leg.metres), "walk_minutes": leg.walk_minutes}
                for leg in route
            ],
            "km": km(metres),
            "minutes": minutes,
            "markers": markers,
            "description_id": render_markdown(walk["description_id"]),
            "description_en": render_markdown(walk["description_en"]),
        },
    )


ROUTES = [walks_page, walk_page]
