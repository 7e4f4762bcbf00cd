"""The public NOP lookup: what anyone may learn about a tax object from its NOP.

Anyone who holds a NOP can pay its PBB-P2 at a bank, a minimarket or with
QRIS, and the payment channels show the amount due by NOP and year. So the
public page shows what those channels show, and the object's location, and
nothing about the person:

* shown: the NOP, the object's location (street as registered for the
  object, village, district), its land and building area, and for each year
  with an SPPT the tax due (principal), the due date and whether it is paid;
* never shown: the taxpayer's name, NIK and own address, the NJOP values and
  classes (the property's assessed value is the taxpayer's tax data), who
  paid, and the penalty detail (shown itemised to the linked owner on "My
  bills").

A NOP of another region (its first four digits are not the city's region
code) and a malformed NOP are refused with a 400 and the reason.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from balai import toolkit as tk
from litestar import Request, Response, get
from litestar.params import FromQuery

from balai_pajak.routes import pbb_due_date, pbb_rule_this_year, shown_object
from balai_pajak.tables import TaxObject

# The object and its yearly bills in one statement: nothing about the taxpayer is read.
# Raw SQL (with the city filter written out) because Piccolo's query builder costs
# several times the statement itself on this page (bench/README.md, pajak).
PUBLIC_RECORD_SQL = (
    "SELECT o.id, o.nop, o.address, o.village, o.district, o.land_area, o.building_area, "
    "s.year, s.tax_due, s.due_date, s.status "
    "FROM pajak_tax_object o "
    "LEFT JOIN pajak_sppt s ON s.city = o.city AND s.nop = o.nop AND s.status != 'cancelled' "
    "WHERE o.city = {} AND o.nop = {} ORDER BY s.year DESC LIMIT {}"
)
MAX_YEARS_SHOWN = 10


def bill_state(status: str, due_date: date, today: date) -> str:
    """``paid``, ``overdue`` (unpaid after its due date) or ``unpaid``."""
    if status == "paid":
        return "paid"
    return "overdue" if due_date < today else "unpaid"


def as_day(value: Any) -> date:
    """A date column as read by raw SQL (SQLite gives ``YYYY-MM-DD`` text)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def as_moment(value: Any) -> datetime | None:
    """A timestamp column as read by raw SQL (SQLite gives ISO text)."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


async def public_record(digits: str, today: date) -> dict[str, Any] | None:
    """The public facts of the current city's tax object ``digits``, or ``None``.

    One statement: the object with its bills, newest year first (cancelled
    SPPTs left out).
    """
    city = tk.current_city()
    rows = await TaxObject.raw(PUBLIC_RECORD_SQL, city.slug, digits, MAX_YEARS_SHOWN)
    if not rows:
        return None
    first = rows[0]
    bills = []
    for row in rows:
        if row["year"] is None:
            continue
        due = as_day(row["due_date"])
        bills.append(
            {
                "year": row["year"],
                "tax_due": row["tax_due"],
                "due_date": due,
                "status": row["status"],
                "state": bill_state(row["status"], due, today),
            }
        )
    obj = {k: first[k] for k in ("id", "nop", "address", "village", "district")}
    obj.update(land_area=first["land_area"], building_area=first["building_area"])
    return {**shown_object(obj), "bills": bills}


@get("/", opt=tk.PUBLIC, name="pajak:lookup")
async def lookup(request: Request, nop: FromQuery[str | None] = None) -> Response:
    """Look up a tax object by its NOP (``?nop=``); without one, show the form."""
    city = tk.current_city()
    context: dict[str, Any] = {
        "due_date": pbb_due_date(city),
        "due_months": getattr(pbb_rule_this_year(city), "due_months_after_issue", None),
        "nop": nop or "",
        "error": None,
        "result": None,
        "not_found": False,
    }
    if nop is None:
        return await tk.render(request, "pajak/index.html", context)
    try:
        digits = tk.read_nop(nop, city)
    except ValueError as exc:
        context["error"] = str(exc)
        return await tk.render(request, "pajak/index.html", context, status_code=400)
    context["nop"] = tk.format_nop(digits)
    result = await public_record(digits, datetime.now(city.tz).date())
    if result is None:
        context["not_found"] = True
        return await tk.render(request, "pajak/index.html", context, status_code=404)
    context["result"] = result
    return await tk.render(request, "pajak/index.html", context)


PAGES = [lookup]
