"""The treatment plant's gate: each truck's delivery, and the day's reconciliation.

A delivery names the visits it carries (done, not yet delivered, of that
truck) and the volume the plant measured (more than zero, at most the
truck's capacity). A delivery for visits already delivered, of another
truck or not done is refused with the reason and nothing is written. The
disposal fees are billed in the same transaction (:mod:`balai_sipaldi.fees.billing`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from balai import toolkit as tk
from litestar import Request, Response, get, post
from litestar.params import FromQuery
from litestar.response import Redirect

from balai_sipaldi.dated import city_today
from balai_sipaldi.fees.billing import bill_delivery
from balai_sipaldi.permissions import PLANT
from balai_sipaldi.plant.reconcile import truck_days
from balai_sipaldi.plant.report import issue_reports
from balai_sipaldi.settings import settings_of
from balai_sipaldi.tables import Delivery, Premises, Truck, Visit, VisitStatus
from balai_sipaldi.transactions import write_transaction
from balai_sipaldi.volumes import CubicMetreField, format_m3

GUARD = [tk.require_permission(PLANT)]
GATE = "/kelola/sipaldi/iplt/"
RECONCILE_DAYS = 7
METRIC_DELIVERED = "sipaldi.delivered_litres"


class DeliveryForm(tk.Form):
    """What the plant measured from one truck."""

    volume = CubicMetreField(tk.N_("Volume delivered (m³)"), min_litres=1, max_litres=100_000)


async def waiting_visits(truck_id: int) -> list[dict[str, Any]]:
    """The truck's done visits not yet delivered, in route order, with their kelurahan."""
    visits = await (
        Visit.select()
        .where(
            (Visit.truck_id == truck_id)
            & (Visit.status == VisitStatus.DONE.value)
            & Visit.delivery_id.is_null()
        )
        .order_by(Visit.day)
        .order_by(Visit.trip)
        .order_by(Visit.position)
    )
    ids = [v["premises_id"] for v in visits]
    places = {
        p["id"]: p["kelurahan"]
        for p in (
            await Premises.select(Premises.id, Premises.kelurahan).where(Premises.id.is_in(ids))
            if ids
            else []
        )
    }
    return [{**v, "kelurahan": places.get(v["premises_id"], "")} for v in visits]


async def render_gate(
    request: Request,
    truck: dict[str, Any] | None,
    form: DeliveryForm | None = None,
    chosen: list[int] | None = None,
    status: int = 200,
) -> Response:
    """The gate page: the trucks, and for the chosen one its loads to deliver."""
    trucks = await Truck.select().where(Truck.active.eq(True)).order_by(Truck.plate)
    today = city_today()
    settings = settings_of(tk.current_city())
    days = await truck_days(
        today - timedelta(days=RECONCILE_DAYS - 1), today, settings.gap_tolerance_percent
    )
    return await tk.render(
        request,
        "sipaldi/gate.html",
        {
            "trucks": trucks,
            "truck": truck,
            "waiting": await waiting_visits(truck["id"]) if truck else [],
            "chosen": chosen or [],
            "form": form or DeliveryForm(),
            "days": list(reversed(days)),
            "tolerance": settings.gap_tolerance_percent,
            "m3": format_m3,
        },
        status_code=status,
    )


async def truck_or_none(truck_id: int | None) -> dict[str, Any] | None:
    """The city's truck ``truck_id`` (``None`` when absent or not the city's)."""
    if truck_id is None:
        return None
    return await Truck.select().where(Truck.id == truck_id).first()


@get("/iplt/", guards=GUARD, name="sipaldi:gate")
async def gate(request: Request, truck: FromQuery[int | None] = None) -> Response:
    """Log a delivery: choose the truck, tick the visits it carries, enter the volume."""
    return await render_gate(request, await truck_or_none(truck))


@post("/iplt/", guards=GUARD, name="sipaldi:gate-log")
async def log_delivery(request: Request) -> Response:
    """Log a truck's delivery and bill its disposal fees; refused (400) with nothing written."""
    data = await request.form()
    truck = await truck_or_none(tk.plain_int(data.get("truck")))
    chosen = [n for n in map(tk.plain_int, data.getall("visit", [])) if n is not None]
    form = DeliveryForm(data)
    valid = await form.validate()
    if truck is None:
        form.add_error("__all__", tk._("Choose the truck that delivers."))
        return await render_gate(request, None, form, chosen, 400)
    if valid and form.clean["volume"] > truck["capacity_litres"]:
        form.add_error(
            "volume",
            tk._(
                "More than this truck carries (%(m3)s m³).", m3=format_m3(truck["capacity_litres"])
            ),
        )
    if not chosen:
        form.add_error("__all__", tk._("Tick the visits this load carries."))
    if form.errors or not valid:
        return await render_gate(request, truck, form, chosen, 400)
    user = await tk.current_user(request)
    async with write_transaction(Delivery):
        visits = await (
            Visit.select()
            .where(Visit.id.is_in(chosen))
            .order_by(Visit.day)
            .order_by(Visit.trip)
            .order_by(Visit.position)
        )
        problem = delivery_problem(visits, chosen, truck)
        if problem is None:
            now = datetime.now(UTC)
            day = now.astimezone(tk.current_city().tz).date()
            rows = await Delivery.insert(
                Delivery(
                    truck_id=truck["id"],
                    day=day,
                    arrived_at=now,
                    volume_litres=form.clean["volume"],
                    collected_litres=sum(v["volume_litres"] or 0 for v in visits),
                    logged_by=user.id,
                )
            ).returning(Delivery.id)
            delivery_id = rows[0]["id"]
            delivery = {
                "truck_id": truck["id"],
                "day": day,
                "volume_litres": form.clean["volume"],
            }
            await Visit.update({Visit.delivery_id: delivery_id}).where(Visit.id.is_in(chosen))
            await bill_delivery(delivery_id, day, truck["id"], form.clean["volume"], visits)
            await tk.bump_metric(METRIC_DELIVERED, form.clean["volume"], day=day)
    if problem is not None:
        form.add_error("__all__", problem)
        return await render_gate(request, truck, form, chosen, 400)
    await tk.audit_record(
        "sipaldi.delivery_logged",
        actor_id=user.id,
        request=request,
        subject=f"delivery:{delivery_id}",
        detail={"truck": truck["plate"], "litres": form.clean["volume"], "visits": len(visits)},
    )
    await issue_reports(visits, delivery, actor_id=user.id, request=request)
    tk.flash(request, tk._("The delivery is logged."), "success")
    return Redirect(tk.city_url(request, GATE), status_code=303)


def delivery_problem(
    visits: list[dict[str, Any]], chosen: list[int], truck: dict[str, Any]
) -> str | None:
    """Why these visits cannot be one delivery of ``truck`` (``None`` when they can)."""
    if len(visits) != len(set(chosen)):
        return tk._("A visit ticked is not one of the city's.")
    for visit in visits:
        if visit["truck_id"] != truck["id"]:
            return tk._("A visit ticked was made by another truck.")
        if visit["status"] != VisitStatus.DONE.value:
            return tk._("A visit ticked is not done yet.")
        if visit["delivery_id"] is not None:
            return tk._("A visit ticked is already delivered; nothing was logged.")
    return None


OFFICE = [gate, log_delivery]
