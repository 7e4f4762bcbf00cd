"""The citizen's PBB bills: every bill of the NOPs linked to the account.

Grouped by tax object, newest year first. An unpaid bill shows what it costs
**today**, itemised as :func:`balai_pajak.pbb.penalty.amount_owed` computes it
(principal, the late penalty with its months and rate); a bill already in an
invoice awaiting payment links to that invoice instead of offering a second
one; a paid bill shows when and what was paid and links to its receipt
(``tk.receipt_urls``, with the invoice's token: the account owns the NOP).
Besides the session and the user, the page reads one statement (the links
with their objects, their bills and the pending payments, joined) and, when
bills are paid, the ledger's receipts of them (two more).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from balai import toolkit as tk
from litestar import Request, Response, get

from balai_pajak.pbb import penalty
from balai_pajak.pbb.lookup import as_day, as_moment, bill_state
from balai_pajak.tables import NopLink

# The account's links with their objects, every bill of those NOPs (cancelled ones left
# out) and the pending payment holding each (at most one: a partial unique index), in
# one statement. Raw SQL with the city filter written out: Piccolo's query builder
# costs several times the statement itself here (bench/README.md, pajak).
BILLS_PAGE_SQL = (
    "SELECT l.nop, o.address, o.village, o.district, "
    "s.id, s.year, s.tax_due, s.due_date, s.status, s.paid_at, s.paid_principal, "
    "s.paid_penalty, s.invoice_number, p.invoice_number AS pending_invoice "
    "FROM pajak_nop_link l "
    "LEFT JOIN pajak_tax_object o ON o.id = l.tax_object "
    "LEFT JOIN pajak_sppt s ON s.city = l.city AND s.nop = l.nop AND s.status != 'cancelled' "
    "LEFT JOIN pajak_bill_payment p ON p.sppt = s.id AND p.status = 'pending' "
    "WHERE l.city = {} AND l.user_id = {} ORDER BY l.nop, s.year DESC"
)
BILL_KEYS = (
    "id",
    "year",
    "tax_due",
    "status",
    "paid_principal",
    "paid_penalty",
    "invoice_number",
)


@dataclass
class ShownObject:
    """One linked tax object and its bills, as the page shows them."""

    nop: str
    nop_display: str
    address: str
    village: str
    district: str
    bills: list[dict[str, Any]] = field(default_factory=list)

    @property
    def owed_today(self) -> int:
        """What the unpaid bills of this object that can be paid now cost today."""
        return sum(b["owed"].total for b in self.bills if b["payable"])


def shown_bill(row: dict[str, Any], today: date, city: tk.City) -> dict[str, Any]:
    """A bill row with its state, what it costs today, and whether it can be paid now."""
    bill = {key: row[key] for key in BILL_KEYS}
    bill["nop"] = row["nop"]
    bill["due_date"] = as_day(row["due_date"])
    bill["paid_at"] = as_moment(row["paid_at"])
    state = bill_state(bill["status"], bill["due_date"], today)
    owed = penalty.amount_owed(bill, today, city) if state != "paid" else None
    pending_number = row["pending_invoice"] or ""
    return {
        **bill,
        "state": state,
        "owed": owed,
        "pending_invoice": pending_number,
        "payable": state != "paid" and not pending_number,
        "paid_total": bill["paid_principal"] + bill["paid_penalty"],
        "rate": penalty.rate_text(owed.rate_ppm_per_month) if owed and owed.penalty else "",
    }


async def bills_page_objects(user_id: int, today: date, city: tk.City) -> list[ShownObject]:
    """The account's linked objects by NOP, each with its bills as the page shows them."""
    objects: dict[str, ShownObject] = {}
    for row in await NopLink.raw(BILLS_PAGE_SQL, city.slug, user_id):
        nop = row["nop"]
        shown = objects.get(nop)
        if shown is None:
            shown = objects[nop] = ShownObject(
                nop,
                tk.format_nop(nop),
                row["address"] or "",
                row["village"] or "",
                row["district"] or "",
            )
        if row["id"] is not None:
            shown.bills.append(shown_bill(row, today, city))
    return list(objects.values())


async def render_bills(
    request: Request,
    *,
    selected: Sequence[int] = (),
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    """The bills page (also re-rendered with an error by the payment form)."""
    city = tk.current_city()
    user = await tk.current_user(request)
    assert user is not None
    today = datetime.now(city.tz).date()
    objects = await bills_page_objects(user.id, today, city)
    paid = [b["invoice_number"] for o in objects for b in o.bills if b["state"] == "paid"]
    # The account proved it owns these NOPs, so it may open the receipts of their bills
    # whoever paid them (with the invoice's token; without it only the payer could).
    receipts = await tk.receipt_urls(request, paid, with_token=True)
    return await tk.render(
        request,
        "pajak/my_bills.html",
        {
            "objects": objects,
            "today": today,
            "selected": set(selected),
            "error": error,
            "owed_today": sum(o.owed_today for o in objects),
            "receipts": receipts,
        },
        status_code=status_code,
    )


@get("/tagihan", guards=[tk.require_login], name="pajak:my-bills")
async def my_bills(request: Request) -> Response:
    """All bills of the NOPs linked to the account, with what each costs today."""
    return await render_bills(request)


PAGES = [my_bills]
