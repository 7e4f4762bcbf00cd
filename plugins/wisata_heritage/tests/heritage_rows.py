"""Rows the heritage content tests insert (inside a city scope, via ``city_run``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from balai_wisata_heritage.events.tables import Event
from balai_wisata_heritage.sites.tables import Site, SiteException


def add_site(name: str, **values):
    """An async function inserting a site (published unless ``status`` says otherwise)."""

    async def insert() -> int:
        row = {
            "description": f"Tentang {name}.",
            "district": "Klojen",
            "status": "published",
            **values,
        }
        done = await Site.insert(Site(name=name, **row)).returning(Site.id)
        return done[0]["id"]

    return insert


def add_exception(site_id: int, starts_on, ends_on, **values):
    """An async function inserting an opening-hours exception of ``site_id``."""

    async def insert() -> None:
        await SiteException.insert(
            SiteException(site=site_id, starts_on=starts_on, ends_on=ends_on, **values)
        )

    return insert


def add_event(title: str, *, days: int = 7, hours: int = 3, **values):
    """An async function inserting an event starting in ``days`` days (published)."""

    async def insert() -> int:
        starts = datetime(2030, 1, 1, 2, 0, tzinfo=UTC) if days is None else None
        starts = starts or datetime.now(UTC).replace(microsecond=0) + timedelta(days=days)
        row = {
            "kind": "festival",
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=hours),
            "status": "published",
            "venue": "Alun-Alun Tugu",
            **values,
        }
        done = await Event.insert(Event(title=title, **row)).returning(Event.id)
        return done[0]["id"]

    return insert
