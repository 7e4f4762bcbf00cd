"""Pages of the ``e_jkn`` plugin: public figures of the cover, the officers' list.

Enrolments are personal data: the public page shows counts only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from balai import toolkit as tk
from litestar import Request, Response, get

from balai_e_jkn.settings import EnrolmentSettings
from balai_e_jkn.tables import Enrolment, Status

SLUG = "e_jkn"
MANAGE = "e_jkn.manage"
PAGE_SIZE = 100
IN_PROCESS = [Status.WELFARE.value, Status.SUBMITTED.value, Status.VERIFIED.value]


@dataclass(frozen=True)
class CoverFigures:
    """This year's enrolments of a city against its quota."""

    quota: int
    approved: int
    in_process: int

    @property
    def places_left(self) -> int:
        """Places still open this year (never below zero)."""
        return max(self.quota - self.approved, 0)


def status_labels() -> dict[str, str]:
    """Each status in the visitor's language."""
    return {
        Status.WELFARE.value: tk._("Waiting for the Dinsos welfare check"),
        Status.SUBMITTED.value: tk._("Submitted"),
        Status.VERIFIED.value: tk._("Checked by Dinkes"),
        Status.APPROVED.value: tk._("Active at BPJS"),
        Status.REJECTED.value: tk._("Rejected"),
    }


def start_of_year(city: tk.City) -> datetime:
    """1 January, 00.00 in the city's zone, as a UTC time."""
    now = datetime.now(city.tz)
    return datetime(now.year, 1, 1, tzinfo=city.tz).astimezone(UTC)


async def cover_figures(city: tk.City) -> CoverFigures:
    """Count this year's approved and pending enrolments of ``city``."""
    settings = city.settings_for(SLUG) or EnrolmentSettings()
    this_year = Enrolment.created_at >= start_of_year(city)
    approved = await Enrolment.count().where(this_year, Enrolment.status == Status.APPROVED.value)
    in_process = await Enrolment.count().where(this_year, Enrolment.status.is_in(IN_PROCESS))
    quota = settings.rules_on(datetime.now(city.tz).date()).annual_quota
    return CoverFigures(quota, approved, in_process)


@get("/", opt=tk.PUBLIC, name="e_jkn:index")
async def index(request: Request) -> Response:
    """What the city's cover is and how many places are left this year."""
    figures = await cover_figures(tk.current_city())
    user = await tk.current_user(request)
    return await tk.render(
        request, "e_jkn/index.html", {"figures": figures, "signed_in": user is not None}
    )


@get("/", guards=[tk.require_permission(MANAGE)], name="e_jkn:office")
async def office(request: Request) -> Response:
    """The officers' list of enrolments, newest first."""
    rows = await Enrolment.select().order_by(Enrolment.created_at, ascending=False).limit(PAGE_SIZE)
    return await tk.render(
        request,
        "e_jkn/office.html",
        {
            "enrolments": rows,
            "statuses": status_labels(),
            "figures": await cover_figures(tk.current_city()),
        },
    )


PAGES = [index]
OFFICE = [office]
