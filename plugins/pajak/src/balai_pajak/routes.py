"""Office pages of the ``pajak`` plugin, and this year's PBB due date (from ``pbb_rules``).

The citizens' PBB pages live in ``lookup.py``, ``lookup_links.py``, ``my_bills.py``
and ``pbb_payment.py``.
"""

from __future__ import annotations

from datetime import date, datetime

from balai import toolkit as tk
from litestar import Request, Response, get
from litestar.params import FromQuery
from litestar.response import Redirect

from balai_pajak.pbb.rules import NoRuleError, PbbRule, pbb_settings
from balai_pajak.tables import TaxObject

SLUG = "pajak"
MANAGE = "pajak.manage"
OFFICE_PAGE_SIZE = 100


def pbb_rule_this_year(city: tk.City) -> PbbRule | None:
    """The city's PBB-P2 rule for the current tax year (``None``: no rule in force)."""
    try:
        return pbb_settings(city).rule_for(datetime.now(city.tz).year)
    except NoRuleError:
        return None


def pbb_due_date(city: tk.City) -> date | None:
    """The day this year's PBB-P2 falls due in ``city``, from its rule for the year.

    ``None`` when the year has no rule, or when its rule makes bills fall due
    a number of months after they are issued (``due_months_after_issue``).
    """
    rule = pbb_rule_this_year(city)
    if rule is None or rule.due_month is None:
        return None
    year = datetime.now(city.tz).year
    return rule.due_date(year, date(year, 1, 1))


def shown_object(row: dict) -> dict:
    """A tax object row ready for a template (NOP with dots and dash)."""
    return {**row, "nop_display": tk.format_nop(row["nop"])}


@get("/", guards=[tk.require_permission(MANAGE)], name="pajak:office")
async def office(
    request: Request, nop: FromQuery[str | None] = None, q: FromQuery[str] = ""
) -> Response:
    """The officers' list of the city's tax objects, by NOP; ``?nop=`` opens one object.

    The list is paged (``?page=``); ``?q=`` keeps the objects whose address,
    village or district holds every word typed.

    A malformed NOP or another region's is a 400, an unknown one a 404, both
    with the reason above the list and the typed NOP kept.
    """
    error = None
    status_code = 200
    if nop is not None:
        try:
            digits = tk.read_nop(nop[:64], tk.current_city())
        except ValueError as exc:
            error, status_code = str(exc), 400
        else:
            if await TaxObject.exists().where(TaxObject.nop == digits):
                return Redirect(
                    tk.city_url(request, f"/kelola/pajak/objek/{digits}"), status_code=303
                )
            error = tk._("No tax object with NOP %(nop)s is registered.", nop=tk.format_nop(digits))
            status_code = 404
    q = q[:100]
    listed = TaxObject.select()
    words = tk.keyword_filter(q, [TaxObject.address, TaxObject.village, TaxObject.district])
    if words is not None:
        listed = listed.where(words)
    found = await tk.paginate(
        request, listed.order_by(TaxObject.nop), per_page=OFFICE_PAGE_SIZE, keep={"q": q}
    )
    return await tk.render(
        request,
        "pajak/office.html",
        {
            "objects": [shown_object(r) for r in found.rows],
            "found": found,
            "registered": found.total if words is None else await TaxObject.count(),
            "q": q,
            "nop": (nop or "")[:64],
            "error": error,
        },
        status_code=status_code,
    )


OFFICE = [office]
