"""The operator's office: its deliveries at the plant and the disposal fees billed to it.

When the city bills the disposal fee to the operator (``bill_disposal_to =
"operator"``), each delivery at the plant is one fee and one ledger invoice
(the plant's gate log is the unit the firm can check against its own trip
sheets); the month's page is the firm's periodic statement: every delivery
of the month with its fee, what is paid and what is still open. A fee is
paid online at once, or split into monthly instalments as households may.

Only office accounts linked to the firm (:mod:`balai_sipaldi.firm.staff`)
see its pages; another firm's fee is not found (404).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from balai import toolkit as tk
from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from balai_sipaldi.dated import city_today
from balai_sipaldi.fees import instalments
from balai_sipaldi.fees.billing import PaymentRefused, start_payment
from balai_sipaldi.firm.staff import link_of
from balai_sipaldi.permissions import FIRM
from balai_sipaldi.premises.household_visits import InstalmentsForm
from balai_sipaldi.premises.schedule import add_months
from balai_sipaldi.settings import settings_of
from balai_sipaldi.tables import Delivery, Fee, Instalment, Operator, Truck
from balai_sipaldi.volumes import format_m3

GUARD = [tk.require_permission(FIRM)]
FIRM_PAGE = "/kelola/sipaldi/firma/"
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


async def firm_of(request: Request) -> dict[str, Any] | None:
    """The operator the logged-in office account works for (``None``: not linked)."""
    staff = await link_of(request)
    if staff is None:
        return None
    return await Operator.select().where(Operator.id == staff["operator_id"]).first()


def month_of(text: str) -> date | None:
    """The first day of ``YYYY-MM`` (``None`` when it is not such a month)."""
    found = _MONTH.match(text)
    if not found or not 2000 <= int(found[1]) <= 2100 or not 1 <= int(found[2]) <= 12:
        return None
    return date(int(found[1]), int(found[2]), 1)


async def statement(operator_id: int, first: date) -> list[dict[str, Any]]:
    """The firm's fees of the month starting ``first``, with their delivery and instalments."""
    deliveries = {
        d["id"]: d
        for d in await Delivery.select().where(
            (Delivery.day >= first) & (Delivery.day < add_months(first, 1))
        )
    }
    if not deliveries:
        return []
    fees = await (
        Fee.select()
        .where((Fee.operator_id == operator_id) & Fee.delivery_id.is_in(list(deliveries)))
        .order_by(Fee.id)
    )
    parts = (
        await Instalment.select()
        .where(Instalment.fee_id.is_in([f["id"] for f in fees]))
        .order_by(Instalment.number)
        if fees
        else []
    )
    plates = {t["id"]: t["plate"] for t in await Truck.select(Truck.id, Truck.plate)}
    return [
        {
            **f,
            "delivery": deliveries[f["delivery_id"]],
            "plate": plates.get(deliveries[f["delivery_id"]]["truck_id"], ""),
            "parts": [p for p in parts if p["fee_id"] == f["id"]],
            "offered": instalments.allowed_parts(f["amount"]),
        }
        for f in fees
    ]


@get("/firma/", guards=GUARD, name="sipaldi:firm")
async def firm_page(request: Request, bulan: FromQuery[str] = "") -> Response:
    """The month's statement of the firm: deliveries, fees, what is paid and what is open."""
    operator = await firm_of(request)
    first = month_of(bulan) if bulan else city_today().replace(day=1)
    if operator is None or first is None:
        return await tk.render(
            request,
            "sipaldi/firm.html",
            {"operator": operator, "bad_month": first is None},
            status_code=403 if operator is None else 400,
        )
    fees = await statement(operator["id"], first)
    numbers = [f["invoice_number"] for f in fees if f["paid"]]
    numbers += [p["invoice_number"] for f in fees for p in f["parts"] if p["paid"]]
    return await tk.render(
        request,
        "sipaldi/firm.html",
        {
            "operator": operator,
            "bad_month": False,
            "month": first,
            "previous": add_months(first, -1).strftime("%Y-%m"),
            "next": add_months(first, 1).strftime("%Y-%m"),
            "fees": fees,
            "billed": sum(f["amount"] for f in fees),
            "open": sum(f["amount"] for f in fees if not f["paid"]),
            "billed_here": settings_of(tk.current_city()).bill_disposal_to == "operator",
            "receipts": await tk.receipt_urls(request, numbers, with_token=True),
            "m3": format_m3,
        },
    )


async def firm_fee(request: Request, fee_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The firm and one of its fees; 404 for another firm's (or an unlinked account)."""
    operator = await firm_of(request)
    fee = (
        await Fee.select().where((Fee.id == fee_id) & (Fee.operator_id == operator["id"])).first()
        if operator
        else None
    )
    if operator is None or fee is None:
        raise NotFoundException()
    return operator, fee


async def to_invoice(request: Request, number: str) -> Redirect:
    """The ledger's payment page of ``number``, openable by every office account of the firm."""
    invoice = await tk.invoice_by_number(number)
    return Redirect(
        tk.city_url(request, f"/bayar/{number}?t={invoice.access_token}"), status_code=303
    )


def back(request: Request) -> Redirect:
    """The firm's statement."""
    return Redirect(tk.city_url(request, FIRM_PAGE), status_code=303)


@post("/firma/biaya/{fee_id:int}/bayar", guards=GUARD, name="sipaldi:firm-fee-pay")
async def pay_fee(request: Request, fee_id: FromPath[int]) -> Response:
    """Pay one of the firm's disposal fees at once (VA, QRIS or e-wallet on the ledger's page)."""
    operator, fee = await firm_fee(request, fee_id)
    user = await tk.current_user(request)
    try:
        number = await start_payment(fee, user.id, operator["name"])
    except PaymentRefused as refused:
        tk.flash(request, str(refused), "error")
        return back(request)
    return await to_invoice(request, number)


@post("/firma/biaya/{fee_id:int}/cicil", guards=GUARD, name="sipaldi:firm-fee-instalments")
async def split_fee(request: Request, fee_id: FromPath[int]) -> Response:
    """Pay one of the firm's disposal fees in monthly instalments."""
    _operator, fee = await firm_fee(request, fee_id)
    form = InstalmentsForm(await request.form())
    if not await form.validate():
        tk.flash(request, next(iter(form.errors.values())), "error")
        return back(request)
    try:
        await instalments.choose(fee, form.clean["parts"], city_today())
    except PaymentRefused as refused:
        tk.flash(request, str(refused), "error")
        return back(request)
    tk.flash(request, tk._("The fee is split into monthly instalments."), "success")
    return back(request)


@post("/firma/cicilan/{instalment_id:int}/bayar", guards=GUARD, name="sipaldi:firm-part-pay")
async def pay_part(request: Request, instalment_id: FromPath[int]) -> Response:
    """Pay one instalment of one of the firm's disposal fees."""
    part = await Instalment.select().where(Instalment.id == instalment_id).first()
    if part is None:
        raise NotFoundException()
    operator, fee = await firm_fee(request, part["fee_id"])
    user = await tk.current_user(request)
    try:
        number = await instalments.start_payment(part, fee, user.id, operator["name"])
    except PaymentRefused as refused:
        tk.flash(request, str(refused), "error")
        return back(request)
    return await to_invoice(request, number)


OFFICE = [firm_page, pay_fee, split_fee, pay_part]
