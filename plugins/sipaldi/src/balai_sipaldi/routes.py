"""Pages of the ``sipaldi`` plugin: fees and planned visits, the officers' list.

Bookings hold home addresses: the public page shows counts per day and
district only.
"""

from __future__ import annotations

from datetime import date, datetime

from balai import toolkit as tk
from litestar import Request, Response, get
from piccolo.query.functions.aggregate import Count

from balai_sipaldi.settings import DesludgingSettings
from balai_sipaldi.tables import Booking, Status

SLUG = "sipaldi"
MANAGE = "sipaldi.manage"
PAGE_SIZE = 100
TYPICAL_TANK_M3 = 2
OPEN = [Status.REQUESTED.value, Status.SCHEDULED.value]


def status_labels() -> dict[str, str]:
    """Each status in the visitor's language."""
    return {
        Status.REQUESTED.value: tk._("Requested"),
        Status.SCHEDULED.value: tk._("Scheduled"),
        Status.DONE.value: tk._("Done"),
        Status.CANCELLED.value: tk._("Cancelled"),
    }


def today_in(city: tk.City) -> date:
    """Today's date in the city's zone."""
    return datetime.now(city.tz).date()


async def planned_visits(city: tk.City) -> list[dict]:
    """Open bookings from today on, counted per day and district."""
    return await (
        Booking.select(Booking.preferred_date, Booking.district, Count(alias="visits"))
        .where(Booking.status.is_in(OPEN), Booking.preferred_date >= today_in(city))
        .group_by(Booking.preferred_date, Booking.district)
        .order_by(Booking.preferred_date, Booking.district)
        .limit(PAGE_SIZE)
    )


@get("/", opt=tk.PUBLIC, name="sipaldi:index")
async def index(request: Request) -> Response:
    """The desludging fee and the truck's planned visits."""
    city = tk.current_city()
    settings = city.settings_for(SLUG) or DesludgingSettings()
    return await tk.render(
        request,
        "sipaldi/index.html",
        {
            "fee_per_m3": settings.disposal_fee_per_m3,
            "typical_tank_m3": TYPICAL_TANK_M3,
            "typical_fee": settings.disposal_fee_per_m3 * TYPICAL_TANK_M3,
            "visits": await planned_visits(city),
        },
    )


@get("/", guards=[tk.require_permission(MANAGE)], name="sipaldi:office")
async def office(request: Request) -> Response:
    """The officers' list of bookings by preferred date, the latest first."""
    rows = await (
        Booking.select()
        .order_by(Booking.preferred_date, ascending=False)
        .order_by(Booking.created_at)
        .limit(PAGE_SIZE)
    )
    return await tk.render(
        request, "sipaldi/office.html", {"bookings": rows, "statuses": status_labels()}
    )


PAGES = [index]
OFFICE = [office]
