"""Public pages of heritage events: the calendar, an event's page and the iCalendar feed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from balai import toolkit as tk
from litestar import Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery

from balai_wisata_heritage.events import ical, rules
from balai_wisata_heritage.events.tables import Event
from balai_wisata_heritage.markdown import render_markdown
from balai_wisata_heritage.tickets.catalogue import product_links

PER_PAGE = 20
COLUMNS = (
    Event.id,
    Event.title,
    Event.kind,
    Event.starts_at,
    Event.ends_at,
    Event.summary,
    Event.venue,
    Event.status,
    Event.site.id,
    Event.site.name,
    Event.site.latitude,
    Event.site.longitude,
)
MONTHS = (
    tk.N_("January"),
    tk.N_("February"),
    tk.N_("March"),
    tk.N_("April"),
    tk.N_("May"),
    tk.N_("June"),
    tk.N_("July"),
    tk.N_("August"),
    tk.N_("September"),
    tk.N_("October"),
    tk.N_("November"),
    tk.N_("December"),
)


def month_label(moment: datetime, city: tk.City) -> str:
    """``Desember 2026`` (``December 2026`` in English): the month in the city's zone."""
    local = moment.astimezone(city.tz)
    return f"{tk._(MONTHS[local.month - 1])} {local.year}"


def place_of(row: dict) -> str:
    """Where an event is: its site's name, or its venue."""
    return row["site.name"] or row["venue"]


@get("/acara/", opt=tk.PUBLIC, name="wisata_heritage:events")
async def calendar_page(request: Request, jenis: FromQuery[str | None] = None) -> Response:
    """Coming events (published or cancelled), soonest first, by month, a page at a time."""
    city = tk.current_city()
    kind = jenis if jenis in rules.KIND_LABELS else ""
    where = Event.status.is_in(list(rules.PUBLIC_STATES)) & (Event.ends_at >= datetime.now(UTC))
    if kind:
        where &= Event.kind == kind
    select = Event.select(*COLUMNS).where(where).order_by(Event.starts_at).order_by(Event.id)
    found = await tk.paginate(request, select, per_page=PER_PAGE, keep={"jenis": kind})
    months: list[tuple[str, list[dict]]] = []
    for row in found.rows:
        label = month_label(row["starts_at"], city)
        if not months or months[-1][0] != label:
            months.append((label, []))
        months[-1][1].append(row | {"place": place_of(row)})
    return await tk.render(
        request,
        "wisata_heritage/events/calendar.html",
        {
            "found": found,
            "months": months,
            "kinds": rules.KINDS,
            "kind": kind,
            "kind_labels": rules.KIND_LABELS,
        },
    )


@get("/acara/{event_id:int}", opt=tk.PUBLIC, name="wisata_heritage:event")
async def event_page(request: Request, event_id: FromPath[int]) -> Response:
    """One public event: when, where (with a map of its site), what, and its tickets."""
    row = await (
        Event.select(*COLUMNS, Event.description_id, Event.description_en)
        .where((Event.id == event_id) & Event.status.is_in(list(rules.PUBLIC_STATES)))
        .first()
    )
    if row is None:
        raise NotFoundException(tk._("No such event."))
    markers = []
    if row["site.latitude"] is not None:
        markers = [
            {
                "lat": row["site.latitude"],
                "lon": row["site.longitude"],
                "label": row["site.name"],
                "href": tk.city_url(request, f"/wisata-heritage/situs/{row['site.id']}"),
            }
        ]
    return await tk.render(
        request,
        "wisata_heritage/events/event.html",
        {
            "event": row,
            "place": place_of(row),
            "kind_label": rules.KIND_LABELS.get(row["kind"], row["kind"]),
            "description_id": render_markdown(row["description_id"]),
            "description_en": render_markdown(row["description_en"]),
            "markers": markers,
            "products": await product_links(event_id=event_id),
        },
    )


@get("/acara.ics", opt=tk.PUBLIC, name="wisata_heritage:events_feed")
async def feed(request: Request) -> Response:
    """The city's heritage events as an iCalendar feed (recent and coming, cancelled marked)."""
    city = tk.current_city()
    since = datetime.now(UTC) - timedelta(days=rules.FEED_PAST_DAYS)
    rows = await (
        Event.select(*COLUMNS, Event.updated_at)
        .where(Event.status.is_in(list(rules.PUBLIC_STATES)) & (Event.ends_at >= since))
        .order_by(Event.starts_at)
        .limit(rules.FEED_LIMIT)
    )
    now = datetime.now(UTC)
    host = (city.hosts or (city.slug + ".balai.invalid",))[0]
    events = [
        ical.vevent(
            uid=f"event-{row['id']}@{host}",
            stamp=row["updated_at"] or now,
            starts_at=row["starts_at"],
            ends_at=row["ends_at"],
            summary=row["title"],
            description=row["summary"],
            location=place_of(row),
            geo=(row["site.latitude"], row["site.longitude"])
            if row["site.latitude"] is not None
            else None,
            url=city.absolute_url(f"/wisata-heritage/acara/{row['id']}"),
            cancelled=row["status"] == "cancelled",
            categories=tk._(rules.KIND_LABELS.get(row["kind"], "Festival")),
        )
        for row in rows
    ]
    body = ical.calendar(tk._("Heritage events in %(city)s", city=city.name), city.timezone, events)
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"content-disposition": f'inline; filename="acara-heritage-{city.slug}.ics"'},
    )


ROUTES = [calendar_page, event_page, feed]
