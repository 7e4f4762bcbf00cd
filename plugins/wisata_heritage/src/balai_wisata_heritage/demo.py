"""Demo data of the content half: sites, then the events and walks that use them."""

from __future__ import annotations

from datetime import datetime

from balai import toolkit as tk

from balai_wisata_heritage.events.demo import seed_events
from balai_wisata_heritage.sites.demo import seed_sites
from balai_wisata_heritage.sites.tables import Site
from balai_wisata_heritage.walks.demo import seed_walks


async def seed(city: tk.City) -> tk.DemoReport:
    """Create the demo heritage content of ``city`` (inside its scope), once."""
    report = tk.DemoReport()
    if await Site.count() > 0:
        return report
    today = datetime.now(city.tz).date()
    site_ids = await seed_sites(city.slug, today)
    if not site_ids:
        return report
    events = await seed_events(city.slug, city.tz, today, site_ids)
    walks = await seed_walks(city.slug, site_ids, today)
    report.summary.append(
        f"wisata_heritage: {len(site_ids)} heritage sites, {events} events, {walks} walks"
    )
    return report
