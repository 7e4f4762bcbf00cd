"""The ticket figures counted as things happen, for the dashboard and open data.

``wisata_heritage.tickets_sold`` and ``wisata_heritage.ticket_revenue``
(rupiah) count on the day a sale is paid and are taken back on the day of a
refund; ``wisata_heritage.visits`` and ``wisata_heritage.visits.site_<id>``
count admissions at the gate on their day.
"""

from __future__ import annotations

from balai import toolkit as tk

SOLD = "wisata_heritage.tickets_sold"
REVENUE = "wisata_heritage.ticket_revenue"
VISITS = "wisata_heritage.visits"


def site_visits(site_id: int) -> str:
    """The metric of one site's admissions."""
    return f"{VISITS}.site_{site_id}"


async def count_sale(tickets: int, revenue: int) -> None:
    """A paid sale (negative numbers take a refunded one back)."""
    await tk.bump_metric(SOLD, tickets)
    if revenue:
        await tk.bump_metric(REVENUE, revenue)


async def count_visit(site_id: int | None) -> None:
    """One visitor admitted at a gate of ``site_id`` (``None``: an event without a site)."""
    await tk.bump_metric(VISITS)
    if site_id is not None:
        await tk.bump_metric(site_visits(site_id))
