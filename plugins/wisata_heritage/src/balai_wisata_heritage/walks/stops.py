"""Reading a walk's stops with the place each stands for."""

from __future__ import annotations

from balai_wisata_heritage.walks.tables import WalkStop


async def stops_of(walk_ids: list[int]) -> dict[int, list[dict]]:
    """The stops of each walk in order; a stop at a site takes the site's name and coordinates."""
    if not walk_ids:
        return {}
    rows = await (
        WalkStop.select(
            *WalkStop.all_columns(),
            WalkStop.site.name,
            WalkStop.site.latitude,
            WalkStop.site.longitude,
            WalkStop.site.status,
        )
        .where(WalkStop.walk.is_in(walk_ids))
        .order_by(WalkStop.walk)
        .order_by(WalkStop.position)
    )
    found: dict[int, list[dict]] = {}
    for row in rows:
        if row["site"] is not None:
            row["name"] = row["site.name"]
            row["latitude"] = row["site.latitude"]
            row["longitude"] = row["site.longitude"]
        row["site_public"] = row["site"] is not None and row["site.status"] == "published"
        found.setdefault(row["walk"], []).append(row)
    return found
