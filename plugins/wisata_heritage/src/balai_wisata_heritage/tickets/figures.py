"""The ticket figures for the mayor's dashboard (Smart Branding) and the open dataset.

Everything is read from the daily metrics counted as things happen
(:mod:`.metrics`), except slot occupancy, a gauge of the next seven days'
slots (few rows, read through the slot index). No visitor appears anywhere.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from balai import toolkit as tk

from balai_wisata_heritage.settings import HeritageSettings
from balai_wisata_heritage.sites.tables import Site
from balai_wisata_heritage.tickets import metrics
from balai_wisata_heritage.tickets.rules import SLUG
from balai_wisata_heritage.tickets.tables import TicketSlot, TicketStock

DIM = tk.Dimension.BRANDING
OCCUPANCY_DAYS = 7
TOP_SITES = 10
MONTHS = 24
SITES_READ = 500


def _months_in(period: tk.Period) -> int:
    return max(1, round(period.days / 30))


def _settings() -> HeritageSettings:
    found = tk.current_city().settings_for(SLUG)
    return found if isinstance(found, HeritageSettings) else HeritageSettings()


async def occupancy(now: datetime | None = None) -> tuple[int, int]:
    """Places sold and capacity of the slots starting in the next seven days."""
    now = now or datetime.now(UTC)
    slots = await TicketSlot.select(TicketSlot.id).where(
        (TicketSlot.starts_at >= now) & (TicketSlot.starts_at < now + timedelta(OCCUPANCY_DAYS))
    )
    if not slots:
        return 0, 0
    rows = await TicketStock.select(TicketStock.quota, TicketStock.remaining).where(
        TicketStock.slot.is_in([row["id"] for row in slots])
    )
    return sum(r["quota"] - r["remaining"] for r in rows), sum(r["quota"] for r in rows)


async def visits_per_site(period: tk.Period) -> list[tuple[str, int]]:
    """Admissions per site in ``period``, most visited first."""
    sites = await Site.select(Site.id, Site.name).order_by(Site.name).limit(SITES_READ)
    out = []
    for site in sites:
        count = await tk.metric_total(metrics.site_visits(site["id"]), period)
        if count:
            out.append((site["name"], count))
    return sorted(out, key=lambda pair: -pair[1])


async def widgets(period: tk.Period) -> list[tk.Widget]:
    """Tickets and revenue against target, visits, occupancy, visits per site."""
    settings = _settings()
    months = _months_in(period)
    previous = period.previous()
    sold = await tk.metric_total(metrics.SOLD, period)
    revenue = await tk.metric_total(metrics.REVENUE, period)
    sold_target = settings.tickets_target_per_month * months
    revenue_target = settings.revenue_target_per_month * months
    taken, capacity = await occupancy()
    shown = [
        tk.Widget.figure(
            "wisata_heritage.tickets_sold",
            DIM,
            tk.N_("Heritage tickets sold"),
            sold,
            previous=await tk.metric_total(metrics.SOLD, previous),
            note=tk._("Target: %(target)s", target=tk.format_number(sold_target))
            if sold_target
            else "",
            order=40,
        ),
        tk.Widget.figure(
            "wisata_heritage.ticket_revenue",
            DIM,
            tk.N_("Heritage ticket revenue"),
            revenue,
            previous=await tk.metric_total(metrics.REVENUE, previous),
            unit="rupiah",
            note=tk._("Target: %(target)s", target=tk.rupiah(revenue_target))
            if revenue_target
            else "",
            order=41,
        ),
        tk.Widget.chart(
            "wisata_heritage.visits",
            DIM,
            tk.N_("Heritage visitors admitted"),
            await tk.metric_series(metrics.VISITS, period),
            order=42,
        ),
        tk.Widget.gauge(
            "wisata_heritage.slot_occupancy",
            DIM,
            tk.N_("Slot occupancy, next 7 days"),
            round(100 * taken / capacity) if capacity else 0,
            limit=100,
            high=90,
            unit="percent",
            order=43,
        ),
        tk.Widget.table(
            "wisata_heritage.visits_per_site",
            DIM,
            tk.N_("Visitors per heritage site"),
            [tk._("Site"), tk._("Visitors")],
            (await visits_per_site(period))[:TOP_SITES],
            order=44,
        ),
    ]
    if sold_target:
        shown.append(
            tk.Widget.gauge(
                "wisata_heritage.tickets_target",
                DIM,
                tk.N_("Heritage tickets against target"),
                round(100 * sold / sold_target),
                limit=100,
                unit="percent",
                order=45,
            )
        )
    return shown


def months_back(today: date, count: int) -> date:
    """The first day of the month ``count - 1`` months before ``today``'s."""
    index = today.year * 12 + today.month - 1 - (count - 1)
    return date(index // 12, index % 12 + 1, 1)


async def monthly_visits_per_site(city: tk.City) -> list[dict[str, Any]]:
    """Visitors admitted per site and month (last :data:`MONTHS`), months with visits only."""
    today = datetime.now(UTC).astimezone(city.tz).date()
    period = tk.Period(months_back(today, MONTHS), today, "month", "custom", city.tz)
    out: list[dict[str, Any]] = []
    with tk.city_scope(city):
        sites = await Site.select(Site.id, Site.name).order_by(Site.name).limit(SITES_READ)
        for site in sites:
            series = await tk.metric_series(metrics.site_visits(site["id"]), period)
            out += [
                {"month": month, "site": site["name"], "visitors": int(value)}
                for month, value in series
                if value
            ]
    out.sort(key=lambda r: (r["month"], r["site"]))
    return out


VISITS_PER_SITE = tk.Dataset(
    slug="wisata-heritage-visits-per-site",
    title="Heritage site visitors per month",
    description="Visitors admitted with a ticket at each heritage site, per month (counted at "
    "the gate). Aggregated counts only; sites without ticketed entry do not appear.",
    dimension=DIM,
    columns=(
        tk.DatasetColumn("month", "month", "Month, YYYY-MM."),
        tk.DatasetColumn("site", "string", "The heritage site."),
        tk.DatasetColumn("visitors", "integer", "Visitors admitted at the gate."),
    ),
    fetch=monthly_visits_per_site,
    publisher="Disporapar",
)
