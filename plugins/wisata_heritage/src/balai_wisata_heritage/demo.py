"""Demo data of the content half: sites, then the walks and events that use them."""

from __future__ import annotations

from datetime import datetime

from balai import toolkit as tk

from balai_wisata_heritage.sites.demo import seed_sites
from balai_wisata_heritage.sites.tables import Site


async def seed(city: tk.City) -> tk.DemoReport:
    """Create the demo heritage content of ``city`` (inside its scope), once."""
    report = tk.DemoReport()
    if await Site.count() > 0:
        return report
    today = datetime.now(city.tz).date()
    site_ids = await seed_sites(city.slug, today)
    if site_ids:
        report.summary.append(f"wisata_heritage: {len(site_ids)} heritage sites")
    return report
