"""Office pages of the ``pajak`` plugin, and the PBB due date the public lookup shows.

The citizens' PBB pages live in ``lookup.py``, ``lookup_links.py``, ``my_bills.py``
and ``pbb_payment.py``.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime

from balai import toolkit as tk
from litestar import Request, Response, get

from balai_pajak.nop import format_nop
from balai_pajak.settings import PajakSettings
from balai_pajak.tables import TaxObject

SLUG = "pajak"
MANAGE = "pajak.manage"
OFFICE_PAGE_SIZE = 100


def pbb_due_date(city: tk.City) -> date:
    """The last day of the month in which this year's PBB-P2 falls due in ``city``."""
    settings = city.settings_for(SLUG) or PajakSettings()
    year = datetime.now(city.tz).year
    last_day = calendar.monthrange(year, settings.pbb_due_month)[1]
    return date(year, settings.pbb_due_month, last_day)


def shown_object(row: dict) -> dict:
    """A tax object row ready for a template (NOP with dots and dash)."""
    return {**row, "nop_display": format_nop(row["nop"])}


@get("/", guards=[tk.require_permission(MANAGE)], name="pajak:office")
async def office(request: Request) -> Response:
    """The officers' list of the city's tax objects, by NOP."""
    rows = await TaxObject.select().order_by(TaxObject.nop).limit(OFFICE_PAGE_SIZE)
    total = await TaxObject.count()
    return await tk.render(
        request,
        "pajak/office.html",
        {"objects": [shown_object(r) for r in rows], "total": total, "shown": len(rows)},
    )


OFFICE = [office]
