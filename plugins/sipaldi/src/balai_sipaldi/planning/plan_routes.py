"""Officers' plan pages: a day's proposed and published visits per truck, adjusted and published."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from balai import toolkit as tk
from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from balai_sipaldi.dated import city_today
from balai_sipaldi.permissions import MANAGE
from balai_sipaldi.planning.service import PlacementError, move_visit
from balai_sipaldi.tables import Operator, Premises, Truck, Visit, VisitStatus
from balai_sipaldi.visits import VISITS
from balai_sipaldi.volumes import format_m3

GUARD = [tk.require_permission(MANAGE)]
PLAN = "/kelola/sipaldi/rencana/"
JOB = "sipaldi.plan"


async def move_form_class() -> type[tk.Form]:
    """The move form, offering the city's active trucks by plate."""
    trucks = await (
        Truck.select(Truck.id, Truck.plate).where(Truck.active.eq(True)).order_by(Truck.plate)
    )
    pairs = [(str(t["id"]), t["plate"]) for t in trucks]

    class MoveForm(tk.Form):
        """Move a visit to another truck or day."""

        truck = tk.ChoiceField("Truck", choices=pairs, translate=False)
        day = tk.DateField("Day", min_value=city_today)

    return MoveForm


class DayForm(tk.Form):
    """A day of the plan."""

    day = tk.DateField("Day", min_value=city_today)


def day_of(raw: str) -> date:
    """The day asked for in the query string (today when absent or malformed)."""
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return city_today()


async def day_context(day: date) -> dict[str, Any]:
    """The visits of ``day`` grouped by truck, with their premises."""
    trucks = await Truck.select().order_by(Truck.plate)
    operators = {o["id"]: o for o in await Operator.select(Operator.id, Operator.name)}
    visits = await (
        Visit.select()
        .where(Visit.day == day)
        .order_by(Visit.truck_id)
        .order_by(Visit.trip)
        .order_by(Visit.position)
    )
    premises_ids = [v["premises_id"] for v in visits]
    premises = {
        p["id"]: p
        for p in (
            await Premises.select(Premises.id, Premises.address, Premises.kelurahan).where(
                Premises.id.is_in(premises_ids)
            )
            if premises_ids
            else []
        )
    }
    by_truck: dict[int, list[dict[str, Any]]] = {}
    for visit in visits:
        by_truck.setdefault(visit["truck_id"], []).append(
            {**visit, "premises": premises.get(visit["premises_id"], {})}
        )
    return {
        "day": day,
        "previous": day - timedelta(days=1),
        "next": day + timedelta(days=1),
        "trucks": [
            {
                **t,
                "operator": operators.get(t["operator_id"], {}).get("name", ""),
                "visits": by_truck[t["id"]],
            }
            for t in trucks
            if t["id"] in by_truck
        ],
        "proposed": sum(1 for v in visits if v["status"] == VisitStatus.PROPOSED.value),
        "labels": VISITS.labels(),
        "m3": format_m3,
        "day_form": DayForm(initial={"day": day}),
    }


@get("/rencana/", guards=GUARD, name="sipaldi:plan")
async def plan_day(request: Request, day: FromQuery[str] = "") -> Response:
    """One day of the plan, per truck and trip."""
    return await tk.render(request, "sipaldi/plan.html", await day_context(day_of(day)))


@post("/rencana/usulkan", guards=GUARD, name="sipaldi:plan-propose")
async def propose_now(request: Request) -> Response:
    """Ask the planner to run now (the nightly job, at once)."""
    await tk.enqueue(JOB, tk.current_city())
    tk.flash(request, tk._("The planner is running; the proposals appear in a moment."), "success")
    return Redirect(tk.city_url(request, PLAN), status_code=303)


@post("/rencana/terbitkan", guards=GUARD, name="sipaldi:plan-publish")
async def publish(request: Request) -> Response:
    """Publish every proposed visit of a day: the households can see and answer them."""
    form = DayForm(await request.form())
    if not await form.validate():
        tk.flash(request, form.errors.get("day", ""), "error")
        return Redirect(tk.city_url(request, PLAN), status_code=303)
    day = form.clean["day"]
    user = await tk.current_user(request)
    actor = tk.Actor.of(user)
    proposed = await Visit.select().where(
        (Visit.day == day) & (Visit.status == VisitStatus.PROPOSED.value)
    )
    for visit in proposed:
        await VISITS.move(visit, "publish", actor, request=request)
    tk.flash(
        request,
        tk.ngettext("%(num)s visit is published.", "%(num)s visits are published.", len(proposed)),
        "success",
    )
    return Redirect(tk.city_url(request, f"{PLAN}?day={day.isoformat()}"), status_code=303)


async def visit_row(visit_id: int) -> dict[str, Any]:
    """The city's visit ``visit_id``; 404 when there is none."""
    visit = await Visit.select().where(Visit.id == visit_id).first()
    if not visit:
        raise NotFoundException()
    return visit


async def render_visit(
    request: Request, visit: dict[str, Any], form: tk.Form | None = None, status: int = 200
) -> Response:
    """A visit of the plan with the form to move it (blank, or refused with its reasons)."""
    premises = await Premises.select().where(Premises.id == visit["premises_id"]).first()
    truck = await Truck.select().where(Truck.id == visit["truck_id"]).first()
    initial = {"truck": str(visit["truck_id"]), "day": visit["day"]}
    return await tk.render(
        request,
        "sipaldi/plan_visit.html",
        {
            "visit": visit,
            "premises": premises or {},
            "truck": truck or {},
            "labels": VISITS.labels(),
            "m3": format_m3,
            "movable": visit["status"] == VisitStatus.PROPOSED.value,
            "form": form or (await move_form_class())(initial=initial),
        },
        status_code=status,
    )


@get("/rencana/kunjungan/{visit_id:int}", guards=GUARD, name="sipaldi:plan-visit")
async def plan_visit(request: Request, visit_id: FromPath[int]) -> Response:
    """One visit of the plan: where it is, and (while proposed) the form to move or drop it."""
    return await render_visit(request, await visit_row(visit_id))


@post("/rencana/kunjungan/{visit_id:int}/pindah", guards=GUARD, name="sipaldi:plan-move")
async def move(request: Request, visit_id: FromPath[int]) -> Response:
    """Move a proposed visit to another truck or day, within that truck's capacity and trips."""
    visit = await visit_row(visit_id)
    form = (await move_form_class())(await request.form())
    if await form.validate():
        if visit["status"] != VisitStatus.PROPOSED.value:
            form.add_error("day", tk._("Only a proposed visit can be moved here."))
        else:
            truck = await Truck.select().where(Truck.id == int(form.clean["truck"])).first()
            try:
                await move_visit(visit, truck, form.clean["day"])
            except PlacementError as refused:
                form.add_error("truck", str(refused))
    if form.errors or not form.clean:
        return await render_visit(request, visit, form, 400)
    tk.flash(request, tk._("The visit is moved."), "success")
    day = form.clean["day"].isoformat()
    return Redirect(tk.city_url(request, f"{PLAN}?day={day}"), status_code=303)


@post("/rencana/kunjungan/{visit_id:int}/hapus", guards=GUARD, name="sipaldi:plan-drop")
async def drop(request: Request, visit_id: FromPath[int]) -> Response:
    """Take a proposed visit out of the plan (the premises is planned again next night)."""
    visit = await visit_row(visit_id)
    user = await tk.current_user(request)
    try:
        await VISITS.move(visit, "drop", tk.Actor.of(user), request=request)
    except tk.MoveRefused as refused:
        form = (await move_form_class())(
            initial={"truck": str(visit["truck_id"]), "day": visit["day"]}
        )
        form.add_error("__all__", str(refused))
        return await render_visit(request, visit, form, 400)
    tk.flash(request, tk._("The visit is taken out of the plan."), "success")
    return Redirect(tk.city_url(request, f"{PLAN}?day={visit['day'].isoformat()}"), status_code=303)


OFFICE = [plan_day, propose_now, publish, plan_visit, move, drop]
