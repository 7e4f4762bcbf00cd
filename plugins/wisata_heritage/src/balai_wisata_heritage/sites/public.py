"""Public pages of heritage sites: the paged list (with "near me" ordering) and a site's page."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from balai import toolkit as tk
from litestar import Request, Response, get
from litestar.exceptions import HTTPException, NotFoundException
from litestar.params import FromPath, FromQuery
from piccolo.query import OrderByRaw

from balai_wisata_heritage.events.tables import Event
from balai_wisata_heritage.geo import distance_m, read_degrees
from balai_wisata_heritage.markdown import render_markdown
from balai_wisata_heritage.settings import HeritageSettings
from balai_wisata_heritage.sites import rules
from balai_wisata_heritage.sites.tables import Site, SiteException
from balai_wisata_heritage.tickets.catalogue import product_links

SLUG = "wisata_heritage"
PER_PAGE = 12
UPCOMING_EXCEPTIONS = 5
UPCOMING_EVENTS = 5
LIST_COLUMNS = (
    Site.id,
    Site.name,
    Site.description,
    Site.district,
    Site.category,
    Site.opening_hours,
    Site.latitude,
    Site.longitude,
    Site.photo,
)


def usual_hours(row: dict, city: tk.City) -> str:
    """The site's own opening hours, or the city's default."""
    settings = city.settings_for(SLUG) or HeritageSettings()
    return row["opening_hours"] or settings.default_opening_hours


def photo_url(request: Request, token: str, size: int | None) -> str:
    """The URL of a site's photo (a thumbnail of ``size``), or ``""`` without one."""
    return tk.file_url(token, thumb=size, request=request) if token else ""


def public_site(site_id: int):
    """The select of one published site."""
    return Site.select().where((Site.id == site_id) & (Site.status == "published")).first()


def _near(lat: float, lon: float) -> OrderByRaw:
    # Equirectangular distance: exact enough to order sites within a city, and the
    # same plain arithmetic on SQLite and PostgreSQL. lat/lon are checked floats.
    scale = max(0.01, abs(math.cos(math.radians(lat))))
    return OrderByRaw(
        f"CASE WHEN latitude IS NULL THEN 1 ELSE 0 END, "
        f"(latitude - ({lat!r})) * (latitude - ({lat!r})) + "
        f"(longitude - ({lon!r})) * (longitude - ({lon!r})) * {scale * scale!r}"
    )


class PositionError(HTTPException):
    """A shared position that is not decimal degrees: 400, with the message shown."""

    status_code = 400
    shown = True


def read_position(lat: str | None, lon: str | None) -> tuple[float, float] | None:
    """The visitor's shared position from the query string, or ``None`` when not sent.

    Raises:
        PositionError: one of the two is missing or not decimal degrees (400).
    """
    if not lat and not lon:
        return None
    found = (read_degrees(lat, 90), read_degrees(lon, 180))
    if found[0] is None or found[1] is None:
        raise PositionError(detail=tk._("The position must be decimal degrees (lat, lon)."))
    return found[0], found[1]


@get("/", opt=tk.PUBLIC, name="wisata_heritage:index")
async def index(
    request: Request,
    kategori: FromQuery[str | None] = None,
    lat: FromQuery[str | None] = None,
    lon: FromQuery[str | None] = None,
) -> Response:
    """The city's published heritage sites, by name or nearest first, a page at a time."""
    city = tk.current_city()
    position = read_position(lat, lon)
    category = kategori if kategori in rules.CATEGORY_LABELS else ""
    where = Site.status == "published"
    if category:
        where &= Site.category == category
    select = Site.select(*LIST_COLUMNS).where(where)
    if position:
        select = select.order_by(_near(*position))
    select = select.order_by(Site.name)
    keep = {"kategori": category}
    if position:
        keep |= {"lat": lat, "lon": lon}
    found = await tk.paginate(request, select, per_page=PER_PAGE, keep=keep)
    today = datetime.now(city.tz).date()
    exceptions = await _exceptions_of([row["id"] for row in found.rows], today)
    for row in found.rows:
        open_, hours, note = rules.hours_on(
            usual_hours(row, city), exceptions.get(row["id"], []), today
        )
        row |= {
            "open_today": open_,
            "hours_today": hours,
            "hours_note": note,
            "distance_km": "",
            "photo_url": photo_url(request, row["photo"], 320),
        }
        if position and row["latitude"] is not None:
            metres = distance_m(*position, row["latitude"], row["longitude"])
            row["distance_km"] = tk.format_number(metres / 1000, 1)
    markers = await _markers(where)
    return await tk.render(
        request,
        "wisata_heritage/sites/index.html",
        {
            "found": found,
            "categories": rules.CATEGORIES,
            "category": category,
            "near": position is not None,
            "markers": markers,
        },
    )


async def _exceptions_of(site_ids: list[int], today) -> dict[int, list[dict]]:
    if not site_ids:
        return {}
    rows = await SiteException.select().where(
        SiteException.site.is_in(site_ids)
        & (SiteException.starts_on <= today)
        & (SiteException.ends_on >= today)
    )
    found: dict[int, list[dict]] = {}
    for row in rows:
        found.setdefault(row["site"], []).append(row)
    return found


async def _markers(where) -> list[dict]:
    """Every listed site with coordinates, for the map (all pages, not only this one)."""
    rows = await Site.select(Site.id, Site.name, Site.latitude, Site.longitude).where(
        where & Site.latitude.is_not_null() & Site.longitude.is_not_null()
    )
    return [
        {
            "lat": r["latitude"],
            "lon": r["longitude"],
            "label": r["name"],
            "href": f"/wisata-heritage/situs/{r['id']}",
        }
        for r in rows
    ]


@get("/situs/{site_id:int}", opt=tk.PUBLIC, name="wisata_heritage:site")
async def site_page(request: Request, site_id: FromPath[int]) -> Response:
    """One published site: legal data, story, hours with exceptions, place, facilities, tickets."""
    city = tk.current_city()
    site = await public_site(site_id)
    if site is None:
        raise NotFoundException(tk._("No such heritage site."))
    today = datetime.now(city.tz).date()
    exceptions = await (
        SiteException.select()
        .where((SiteException.site == site_id) & (SiteException.ends_on >= today))
        .order_by(SiteException.starts_on)
        .limit(UPCOMING_EXCEPTIONS)
    )
    open_, hours, note = rules.hours_on(usual_hours(site, city), exceptions, today)
    events = await (
        Event.select(Event.id, Event.title, Event.starts_at)
        .where(
            (Event.site == site_id)
            & (Event.status == "published")
            & (Event.ends_at >= datetime.now(UTC))
        )
        .order_by(Event.starts_at)
        .limit(UPCOMING_EVENTS)
    )
    return await tk.render(
        request,
        "wisata_heritage/sites/site.html",
        {
            "site": site,
            "usual_hours": usual_hours(site, city),
            "open_today": open_,
            "hours_today": hours,
            "hours_note": note,
            "exceptions": exceptions,
            "story_id": render_markdown(site["story_id"]),
            "story_en": render_markdown(site["story_en"]),
            "category_label": rules.CATEGORY_LABELS.get(site["category"], site["category"]),
            "protection_label": rules.PROTECTION_LABELS.get(site["protection"], site["protection"]),
            "facilities": rules.facility_lines(site["facilities"]),
            "markers": _site_marker(site),
            "photo_url": photo_url(request, site["photo"], 960),
            "events": events,
            "products": await product_links(site_id=site_id),
        },
    )


def _site_marker(site: dict) -> list[dict]:
    if site["latitude"] is None or site["longitude"] is None:
        return []
    return [{"lat": site["latitude"], "lon": site["longitude"], "label": site["name"], "href": ""}]


ROUTES = [index, site_page]
