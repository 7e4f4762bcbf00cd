"""Making a report: number, routing, SLA clocks, photos, history (web and Open311 alike)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from balai import toolkit as tk

from balai_pengaduan.geo import box_around, distance_m
from balai_pengaduan.handling.workflow import FLOW, NUMBERS, OPEN_STATES
from balai_pengaduan.settings import Category, city_settings
from balai_pengaduan.tables import Photo, Report


@dataclass(frozen=True)
class NewReport:
    """What a report is made of, checked by the caller."""

    category: Category
    description: str
    kelurahan: str = ""
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    reporter_id: int | None = None
    photo_ids: tuple[str, ...] = ()
    source: str = "web"
    client_id: int | None = None


async def create(new: NewReport) -> dict[str, Any]:
    """Store the report with a fresh number, routed to its category's department.

    Emergency categories are urgent. The SLA clocks start now. Returns the row.
    """
    now = datetime.now(UTC)
    category = new.category
    number = await NUMBERS.new_unique(Report.number)
    async with Report._meta.db.transaction():
        rows = await Report.insert(
            Report(
                number=number,
                category=category.code,
                department=category.department,
                urgent=category.emergency,
                description=new.description,
                kelurahan=new.kelurahan,
                address=new.address,
                latitude=new.latitude,
                longitude=new.longitude,
                reporter_id=new.reporter_id,
                source=new.source,
                client_id=new.client_id,
                created_at=now,
                updated_at=now,
                response_due=now + timedelta(hours=category.first_response_hours),
                resolution_due=now + timedelta(hours=category.resolution_hours),
            )
        ).returning(Report.id)
        report_id = rows[0]["id"]
        if new.photo_ids:
            await Photo.insert(
                *(Photo(report_id=report_id, file_id=f, created_at=now) for f in new.photo_ids)
            )
        await FLOW.record_step(report_id, "submit", "", "new", actor_id=new.reporter_id, at=now)
        await tk.bump_metric(f"pengaduan.reports.{category.code}", 1)
    return await Report.select().where(Report.id == report_id).first()


async def nearby(category: str, lat: float | None, lon: float | None, kelurahan: str) -> list[dict]:
    """Open reports of ``category`` near the place, recent enough to be the same problem.

    Near means within the city's ``duplicate_radius_m`` of the point, or, for
    a report without a point, in the same kelurahan.
    """
    settings = city_settings()
    since = datetime.now(UTC) - timedelta(days=settings.duplicate_days)
    query = Report.select(
        Report.number,
        Report.description,
        Report.kelurahan,
        Report.address,
        Report.latitude,
        Report.longitude,
        Report.status,
        Report.created_at,
    ).where(
        (Report.category == category)
        & (Report.created_at >= since)
        & Report.status.is_in(list(OPEN_STATES))
    )
    if lat is not None and lon is not None:
        south, west, north, east = box_around(lat, lon, settings.duplicate_radius_m)
        query = query.where(
            (Report.latitude >= south)
            & (Report.latitude <= north)
            & (Report.longitude >= west)
            & (Report.longitude <= east)
        )
        rows = await query.order_by(Report.created_at, ascending=False).limit(50)
        return [
            r
            for r in rows
            if distance_m(lat, lon, r["latitude"], r["longitude"]) <= settings.duplicate_radius_m
        ][:5]
    if not kelurahan:
        return []
    return (
        await query.where(Report.kelurahan == kelurahan)
        .order_by(Report.created_at, ascending=False)
        .limit(5)
    )
