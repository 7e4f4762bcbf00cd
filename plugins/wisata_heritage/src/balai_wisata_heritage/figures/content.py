"""The mayor's figures of the content half (Smart Branding) and its open datasets.

Sites now, events per month and the most viewed walking routes. Events are
counted from their (few, indexed) rows by the month they start in the city's
zone; route views are a metric bumped on each walk page
(``wisata_heritage.walk_views.walk_<id>``). Ticket and visit figures are the
ticket half's (``tickets/``).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from balai import toolkit as tk

from balai_wisata_heritage.events import rules as event_rules
from balai_wisata_heritage.events.tables import Event
from balai_wisata_heritage.sites.tables import Site
from balai_wisata_heritage.walks.tables import Walk

BRANDING = tk.Dimension.BRANDING
TOP_ROUTES = 5
PUBLISHER = "Disporapar"


def walk_views(walk_id: int) -> str:
    """The metric of one walk's page views."""
    return f"wisata_heritage.walk_views.walk_{walk_id}"


async def count_walk_view(walk_id: int) -> None:
    """One visitor opened the walk's page."""
    await tk.bump_metric(walk_views(walk_id))


async def _event_starts(start: datetime, end: datetime) -> list[dict]:
    return await Event.select(Event.starts_at, Event.kind).where(
        Event.status.is_in(list(event_rules.PUBLIC_STATES))
        & (Event.starts_at >= start)
        & (Event.starts_at < end)
    )


async def widgets(period: tk.Period) -> list[tk.Widget]:
    """Sites now, events in the period (with the trend and per bucket), top routes."""
    published = await Site.count().where(Site.status == "published")
    drafts = await Site.count().where(Site.status == "draft")
    start, end = period.utc_bounds()
    rows = await _event_starts(start, end)
    previous_start, previous_end = period.previous().utc_bounds()
    previous = await Event.count().where(
        Event.status.is_in(list(event_rules.PUBLIC_STATES))
        & (Event.starts_at >= previous_start)
        & (Event.starts_at < previous_end)
    )
    per_bucket = Counter(
        period.bucket_of(row["starts_at"].astimezone(period.tz).date()) for row in rows
    )
    walks = await Walk.select(Walk.id, Walk.name).where(Walk.status == "published")
    views = [(w["name"], await tk.metric_total(walk_views(w["id"]), period)) for w in walks]
    top = sorted((v for v in views if v[1] > 0), key=lambda v: (-v[1], v[0]))[:TOP_ROUTES]
    return [
        tk.Widget.gauge(
            "wisata_heritage.sites",
            BRANDING,
            tk._("Heritage sites open to the public"),
            published,
            note=tk.ngettext("%(num)d more in draft", "%(num)d more in draft", drafts)
            if drafts
            else "",
            order=40,
        ),
        tk.Widget.figure(
            "wisata_heritage.events",
            BRANDING,
            tk._("Heritage events starting"),
            len(rows),
            previous=previous,
            order=41,
        ),
        tk.Widget.chart(
            "wisata_heritage.events_per_bucket",
            BRANDING,
            tk._("Heritage events by start"),
            [(period.label(b), per_bucket.get(b, 0)) for b in period.buckets()],
            order=42,
        ),
        tk.Widget.table(
            "wisata_heritage.top_routes",
            BRANDING,
            tk._("Most viewed heritage walks"),
            [tk._("Walk"), tk._("Views")],
            top,
            note="" if top else tk._("No walk was viewed in this period."),
            order=43,
        ),
    ]


async def events_per_month(city: tk.City) -> list[dict]:
    """Public events per month (of their start, in the city's zone) and kind."""
    rows = await Event.select(Event.starts_at, Event.kind).where(
        Event.status.is_in(list(event_rules.PUBLIC_STATES))
    )
    counted = Counter(
        (row["starts_at"].astimezone(city.tz).strftime("%Y-%m"), row["kind"]) for row in rows
    )
    return [
        {"month": month, "kind": kind, "events": n} for (month, kind), n in sorted(counted.items())
    ]


DATASETS = (
    tk.Dataset(
        slug="wisata-heritage-events-monthly",
        title="Heritage events per month",
        description="How many festivals, guided walks, exhibitions, performances and "
        "workshops the city announced, by the month they start and by kind "
        "(cancelled ones included). Counts only.",
        dimension=BRANDING,
        columns=(
            tk.DatasetColumn(
                "month", "month", "Calendar month (YYYY-MM), in the city's time zone."
            ),
            tk.DatasetColumn(
                "kind",
                "string",
                "Kind: festival, guided_walk, exhibition, performance or workshop.",
            ),
            tk.DatasetColumn("events", "integer", "Events starting in the month."),
        ),
        fetch=events_per_month,
        publisher=PUBLISHER,
    ),
)
