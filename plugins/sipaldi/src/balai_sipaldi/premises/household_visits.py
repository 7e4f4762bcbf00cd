"""The household's side of a visit: see it, confirm it, move it within the window, or decline.

A visit may be moved to a day from tomorrow on, at most
``reschedule_window_days`` before or after the day it was planned for, and
only where its truck still has room (the planner's rules); otherwise the
form says why and nothing changes. Declining needs a reason.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from balai import toolkit as tk
from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect

from balai_sipaldi.dated import city_today
from balai_sipaldi.fees import instalments
from balai_sipaldi.fees.billing import PaymentRefused, start_payment
from balai_sipaldi.permissions import HOUSEHOLD
from balai_sipaldi.planning.service import PlacementError, place
from balai_sipaldi.settings import settings_of
from balai_sipaldi.tables import Fee, Instalment, Operator, Premises, Truck, Visit
from balai_sipaldi.visits import VISITS, WAITING
from balai_sipaldi.volumes import format_m3

MY_TANKS = "/sipaldi/tangki/"


class AnswerForm(tk.Form):
    """The household's answer: confirm, move to another day, or decline with a reason."""

    answer = tk.ChoiceField(
        "Your answer",
        choices=[
            ("confirm", tk.N_("I will be home: confirm")),
            ("reschedule", tk.N_("Move the visit to another day")),
            ("decline", tk.N_("Decline this visit")),
        ],
    )
    day = tk.DateField("New day", required=False, hint="Only when moving the visit.")
    reason = tk.TextField("Reason", max_length=300, required=False, hint="Needed when you decline.")


def window(planned: date) -> tuple[date, date]:
    """The first and last day the household may move a visit planned for ``planned`` to."""
    days = settings_of(tk.current_city()).reschedule_window_days
    first = max(planned - timedelta(days=days), city_today() + timedelta(days=1))
    return first, planned + timedelta(days=days)


async def own_visit(request: Request, visit_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """The visit and premises of the logged-in household; 404 for anyone else's."""
    user = await tk.current_user(request)
    visit = await Visit.select().where(Visit.id == visit_id).first()
    premises = (
        await Premises.select()
        .where((Premises.id == visit["premises_id"]) & (Premises.owner_id == user.id))
        .first()
        if visit
        else None
    )
    if not visit or not premises:
        raise NotFoundException()
    return visit, premises


async def render_visit(
    request: Request,
    visit: dict[str, Any],
    premises: dict[str, Any],
    form: AnswerForm | None = None,
    status: int = 200,
) -> Response:
    """The household's visit page."""
    truck = await Truck.select().where(Truck.id == visit["truck_id"]).first()
    operator = (
        await Operator.select().where(Operator.id == truck["operator_id"]).first()
        if truck
        else None
    )
    first, last = window(visit["day"])
    fees = await Fee.select().where(Fee.visit_id == visit["id"])
    parts = (
        await Instalment.select()
        .where(Instalment.fee_id.is_in([f["id"] for f in fees]))
        .order_by(Instalment.number)
        if fees
        else []
    )
    paid_numbers = [f["invoice_number"] for f in fees if f["paid"]]
    paid_numbers += [p["invoice_number"] for p in parts if p["paid"]]
    receipts = await tk.receipt_urls(request, [n for n in paid_numbers if n])
    fees = [
        {
            **f,
            "parts": [p for p in parts if p["fee_id"] == f["id"]],
            "offered": instalments.allowed_parts(f["amount"]),
        }
        for f in fees
    ]
    return await tk.render(
        request,
        "sipaldi/visit.html",
        {
            "visit": visit,
            "premises": premises,
            "truck": truck or {},
            "operator": operator or {},
            "answerable": visit["status"] in WAITING,
            "first": first,
            "last": last,
            "form": form or AnswerForm(),
            "labels": VISITS.labels(),
            "fees": fees,
            "receipts": receipts,
            "operator_pays": settings_of(tk.current_city()).bill_disposal_to == "operator",
            "m3": format_m3,
        },
        status_code=status,
    )


@get("/kunjungan/{visit_id:int}", guards=[tk.require_login], name="sipaldi:visit")
async def visit_page(request: Request, visit_id: FromPath[int]) -> Response:
    """One of the household's visits: when, which operator and its fee, and the answers."""
    visit, premises = await own_visit(request, visit_id)
    return await render_visit(request, visit, premises)


@post("/kunjungan/{visit_id:int}", guards=[tk.require_verified], name="sipaldi:visit-answer")
async def answer(request: Request, visit_id: FromPath[int]) -> Response:
    """Confirm, move or decline the visit; the page again with the reason (400) when refused."""
    visit, premises = await own_visit(request, visit_id)
    user = await tk.current_user(request)
    form = AnswerForm(await request.form())
    if await form.validate():
        await take_answer(request, form, visit, tk.Actor.of(user, HOUSEHOLD))
    if form.errors or not form.clean:
        return await render_visit(request, visit, premises, form, 400)
    tk.flash(request, tk._("Thank you: your answer is saved."), "success")
    return Redirect(tk.city_url(request, f"/sipaldi/kunjungan/{visit['id']}"), status_code=303)


async def take_answer(
    request: Request, form: AnswerForm, visit: dict[str, Any], actor: tk.Actor
) -> None:
    """Move the visit as the household answered, or add the reason to ``form``."""
    choice = form.clean["answer"]
    values: dict[Any, Any] = {}
    comment = ""
    if choice == "reschedule":
        day = form.clean["day"]
        first, last = window(visit["day"])
        if day is None or not first <= day <= last:
            form.add_error(
                "day",
                tk._(
                    "Choose a day from %(first)s to %(last)s.",
                    first=first.strftime("%d-%m-%Y"),
                    last=last.strftime("%d-%m-%Y"),
                ),
            )
            return
        truck = await Truck.select().where(Truck.id == visit["truck_id"]).first()
        try:
            trip, position = await place(visit, truck, day)
        except PlacementError:
            form.add_error("day", tk._("The truck is full on that day; choose another day."))
            return
        values = {
            Visit.day: day,
            Visit.trip: trip,
            Visit.position: position,
            Visit.notices_sent: "",
        }
    elif choice == "decline":
        comment = form.clean["reason"]
        if not comment:
            form.add_error("reason", tk._("Say why you decline the visit."))
            return
        values = {Visit.reason: comment}
    try:
        await VISITS.move(visit, choice, actor, comment=comment, request=request, values=values)
    except tk.MoveRefused as refused:
        form.add_error("answer", str(refused))


@post("/biaya/{fee_id:int}/bayar", guards=[tk.require_verified], name="sipaldi:fee-pay")
async def pay_fee(request: Request, fee_id: FromPath[int]) -> Response:
    """Pay one of the household's disposal fees online (the ledger's payment page)."""
    user = await tk.current_user(request)
    fee = await Fee.select().where((Fee.id == fee_id) & (Fee.owner_id == user.id)).first()
    if fee is None:
        raise NotFoundException()
    try:
        number = await start_payment(fee, user.id, user.name)
    except PaymentRefused as refused:
        tk.flash(request, str(refused), "error")
        return Redirect(tk.city_url(request, MY_TANKS), status_code=303)
    return Redirect(tk.city_url(request, f"/bayar/{number}"), status_code=303)


class InstalmentsForm(tk.Form):
    """How many monthly parts to pay a fee in."""

    parts = tk.IntegerField("Number of monthly instalments", min_value=2, max_value=12)


@post("/biaya/{fee_id:int}/cicil", guards=[tk.require_verified], name="sipaldi:fee-instalments")
async def split_fee(request: Request, fee_id: FromPath[int]) -> Response:
    """Pay one of the household's disposal fees in monthly instalments."""
    user = await tk.current_user(request)
    fee = await Fee.select().where((Fee.id == fee_id) & (Fee.owner_id == user.id)).first()
    if fee is None:
        raise NotFoundException()
    form = InstalmentsForm(await request.form())
    back = tk.city_url(request, f"/sipaldi/kunjungan/{fee['visit_id']}")
    if not await form.validate():
        tk.flash(request, next(iter(form.errors.values())), "error")
        return Redirect(back, status_code=303)
    try:
        await instalments.choose(fee, form.clean["parts"], city_today())
    except PaymentRefused as refused:
        tk.flash(request, str(refused), "error")
        return Redirect(back, status_code=303)
    tk.flash(request, tk._("The fee is split into monthly instalments."), "success")
    return Redirect(back, status_code=303)


@post("/cicilan/{instalment_id:int}/bayar", guards=[tk.require_verified], name="sipaldi:part-pay")
async def pay_part(request: Request, instalment_id: FromPath[int]) -> Response:
    """Pay one instalment of the household's disposal fee online."""
    user = await tk.current_user(request)
    part = await Instalment.select().where(Instalment.id == instalment_id).first()
    fee = (
        await Fee.select().where((Fee.id == part["fee_id"]) & (Fee.owner_id == user.id)).first()
        if part
        else None
    )
    if part is None or fee is None:
        raise NotFoundException()
    try:
        number = await instalments.start_payment(part, fee, user.id, user.name)
    except PaymentRefused as refused:
        tk.flash(request, str(refused), "error")
        return Redirect(tk.city_url(request, MY_TANKS), status_code=303)
    return Redirect(tk.city_url(request, f"/bayar/{number}"), status_code=303)


PAGES = [visit_page, answer, pay_fee, split_fee, pay_part]
