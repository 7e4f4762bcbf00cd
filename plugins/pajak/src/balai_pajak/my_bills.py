"""The citizen's PBB bills: every bill of the NOPs linked to the account.

Grouped by tax object, newest year first. An unpaid bill shows what it costs
**today**, itemised as :func:`balai_pajak.penalty.amount_owed` computes it
(principal, the late penalty with its months and rate); a bill already in an
invoice awaiting payment links to that invoice instead of offering a second
one; a paid bill shows when and what was paid and links to its invoice, whose
page leads to the receipt. The page reads three statements besides the
session: the links with their objects, the bills, and the pending payments.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from balai import toolkit as tk
from litestar import Request, Response, get

from balai_pajak import penalty
from balai_pajak.lookup import bill_state
from balai_pajak.nop import format_nop
from balai_pajak.tables import BillPayment, BillPaymentStatus, NopLink, Sppt, SpptStatus

BILL_COLUMNS = (
    Sppt.id,
    Sppt.nop,
    Sppt.year,
    Sppt.tax_due,
    Sppt.due_date,
    Sppt.status,
    Sppt.paid_at,
    Sppt.paid_principal,
    Sppt.paid_penalty,
    Sppt.invoice_number,
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


async def linked_objects(user_id: int) -> list[ShownObject]:
    """The account's linked objects with their location, by NOP."""
    rows = await (
        NopLink.select(
            NopLink.nop,
            NopLink.tax_object.address.as_alias("address"),
            NopLink.tax_object.village.as_alias("village"),
            NopLink.tax_object.district.as_alias("district"),
        )
        .where(NopLink.user_id == user_id)
        .order_by(NopLink.nop)
    )
    return [
        ShownObject(
            r["nop"], format_nop(r["nop"]), r["address"] or "", r["village"] or "", r["district"]
        )
        for r in rows
    ]


async def bills_of(nops: Sequence[str]) -> list[dict[str, Any]]:
    """The bills (not cancelled) of these NOPs, by NOP, newest year first."""
    if not nops:
        return []
    return await (
        Sppt.select(*BILL_COLUMNS)
        .where(Sppt.nop.is_in(list(nops)) & (Sppt.status != SpptStatus.CANCELLED.value))
        .order_by(Sppt.nop)
        .order_by(Sppt.year, ascending=False)
    )


async def pending_invoices(bill_ids: Sequence[int]) -> dict[int, str]:
    """Bill id -> the number of the invoice awaiting payment that holds it."""
    if not bill_ids:
        return {}
    rows = await BillPayment.select(BillPayment.sppt, BillPayment.invoice_number).where(
        BillPayment.sppt.is_in(list(bill_ids))
        & (BillPayment.status == BillPaymentStatus.PENDING.value)
    )
    return {r["sppt"]: r["invoice_number"] for r in rows}


def shown_bill(
    bill: dict[str, Any], pending: dict[int, str], today: date, city: tk.City
) -> dict[str, Any]:
    """A bill with its state, what it costs today, and whether it can be paid now."""
    state = bill_state(bill["status"], bill["due_date"], today)
    owed = penalty.amount_owed(bill, today, city) if state != "paid" else None
    pending_number = pending.get(bill["id"], "")
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
    """The account's linked objects, each with its bills as the page shows them."""
    objects = await linked_objects(user_id)
    bills = await bills_of([o.nop for o in objects])
    pending = await pending_invoices([b["id"] for b in bills if b["status"] != "paid"])
    by_nop = {o.nop: o for o in objects}
    for bill in bills:
        by_nop[bill["nop"]].bills.append(shown_bill(bill, pending, today, city))
    return objects


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
    return await tk.render(
        request,
        "pajak/my_bills.html",
        {
            "objects": objects,
            "today": today,
            "selected": set(selected),
            "error": error,
            "owed_today": sum(o.owed_today for o in objects),
        },
        status_code=status_code,
    )


@get("/tagihan", guards=[tk.require_login], name="pajak:my-bills")
async def my_bills(request: Request) -> Response:
    """All bills of the NOPs linked to the account, with what each costs today."""
    return await render_bills(request)


PAGES = [my_bills]
