"""Pages of the ``pajak`` plugin: the public NOP lookup and the officers' list."""

from __future__ import annotations

import calendar
from datetime import date, datetime

from balai import toolkit as tk
from litestar import Request, Response, get
from litestar.params import FromQuery

from balai_pajak.nop import NopError, format_nop, parse_nop, region_of
from balai_pajak.settings import PajakSettings
from balai_pajak.tables import TaxObject

SLUG = "pajak"
MANAGE = "pajak.manage"
OFFICE_PAGE_SIZE = 100


def nop_error_message(error: NopError) -> str:
    """Explain, in the visitor's language, why what they typed is not a NOP."""
    if error.reason == "empty":
        return tk._("Enter the tax object number (NOP) printed on your SPPT.")
    if error.reason == "characters":
        return tk._("A NOP contains only digits, dots and a dash.")
    return tk._("A NOP has exactly 18 digits, for example 35.73.010.001.001-0001.0.")


def pbb_due_date(city: tk.City) -> date:
    """The last day of the month in which this year's PBB-P2 falls due in ``city``."""
    settings = city.settings_for(SLUG) or PajakSettings()
    year = datetime.now(city.tz).year
    last_day = calendar.monthrange(year, settings.pbb_due_month)[1]
    return date(year, settings.pbb_due_month, last_day)


def shown_object(row: dict) -> dict:
    """A tax object row ready for a template (NOP with dots and dash)."""
    return {**row, "nop_display": format_nop(row["nop"])}


@get("/", opt=tk.PUBLIC, name="pajak:lookup")
async def lookup(request: Request, nop: FromQuery[str | None] = None) -> Response:
    """Look up a tax object by its NOP (``?nop=``); without one, show the form."""
    city = tk.current_city()
    context: dict = {
        "due_date": pbb_due_date(city),
        "nop": nop or "",
        "error": None,
        "result": None,
    }
    if nop is None:
        return await tk.render(request, "pajak/index.html", context)
    try:
        digits = parse_nop(nop)
    except NopError as exc:
        context["error"] = nop_error_message(exc)
        return await tk.render(request, "pajak/index.html", context, status_code=400)
    context["nop"] = format_nop(digits)
    if city.region_code and region_of(digits) != city.region_code:
        context["error"] = tk._(
            "This NOP belongs to region %(region)s, not to %(city)s (%(code)s).",
            region=region_of(digits),
            city=city.name,
            code=city.region_code,
        )
        return await tk.render(request, "pajak/index.html", context, status_code=400)
    row = await TaxObject.select().where(TaxObject.nop == digits).first()
    if row is None:
        context["not_found"] = True
        return await tk.render(request, "pajak/index.html", context, status_code=404)
    context["result"] = shown_object(row)
    return await tk.render(request, "pajak/index.html", context)


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


PAGES = [lookup]
OFFICE = [office]
