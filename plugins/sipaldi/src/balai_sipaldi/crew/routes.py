"""The crew's phone pages (no JavaScript needed): the day's route and each visit's outcome.

A crew records a visit done with the volume pumped (never zero, negative or
above the truck's capacity) and a photo of the emptied tank, or the household
not home or refusing; a failed visit is planned again at once (see
:mod:`balai_sipaldi.crew.outcomes`).

A crew account sees only the route of the truck DLH linked it to
(:mod:`balai_sipaldi.firm.staff`); another truck's visit is not found (404),
and an account not linked to a truck is told to ask for the link.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from balai import toolkit as tk
from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from balai_sipaldi.dated import city_today
from balai_sipaldi.firm.staff import link_of
from balai_sipaldi.permissions import CREW
from balai_sipaldi.tables import Premises, Truck, Visit, VisitStatus
from balai_sipaldi.visits import VISITS, WAITING
from balai_sipaldi.volumes import CubicMetreField, format_m3

GUARD = [tk.require_permission(CREW)]
ROUTE = "/kelola/sipaldi/kru/"
SHOWN = (*WAITING, VisitStatus.DONE.value, VisitStatus.NOT_HOME.value, VisitStatus.REFUSED.value)


class DoneForm(tk.Form):
    """The visit done: what was pumped, and a photo of the emptied tank."""

    volume = CubicMetreField(tk.N_("Volume pumped (m³)"), min_litres=1, max_litres=100_000)
    photo = tk.FileField("Photo of the emptied tank", kind="image", visibility="officer")


class FailedForm(tk.Form):
    """The visit failed: nobody home, or the household refused."""

    outcome = tk.ChoiceField(
        "What happened",
        choices=[("not_home", tk.N_("Not home")), ("refused", tk.N_("Refused"))],
    )
    note = tk.TextField("Note", max_length=300, required=False)


async def own_truck(request: Request) -> dict[str, Any] | None:
    """The truck the logged-in crew account is linked to (``None``: none)."""
    staff = await link_of(request)
    if staff is None or staff["truck_id"] is None:
        return None
    return await Truck.select().where(Truck.id == staff["truck_id"]).first()


@get("/kru/", guards=GUARD, name="sipaldi:crew")
async def crew_day(request: Request, day: FromQuery[str] = "") -> Response:
    """The crew's truck's route for the day (today by default)."""
    try:
        shown_day = date.fromisoformat(day) if day else city_today()
    except ValueError:
        shown_day = city_today()
    truck = await own_truck(request)
    stops: list[dict[str, Any]] = []
    if truck:
        visits = await (
            Visit.select()
            .where((Visit.truck_id == truck["id"]) & (Visit.day == shown_day))
            .where(Visit.status.is_in(list(SHOWN)))
            .order_by(Visit.trip)
            .order_by(Visit.position)
        )
        ids = [v["premises_id"] for v in visits]
        premises = {
            p["id"]: p
            for p in (await Premises.select().where(Premises.id.is_in(ids)) if ids else [])
        }
        stops = [{**v, "premises": premises.get(v["premises_id"], {})} for v in visits]
    return await tk.render(
        request,
        "sipaldi/crew_day.html",
        {
            "truck": truck,
            "day": shown_day,
            "stops": stops,
            "labels": VISITS.labels(),
            "m3": format_m3,
        },
    )


async def crew_visit_row(
    request: Request, visit_id: int
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The visit, its premises and its truck; 404 unless it is a visit of the crew's truck."""
    truck = await own_truck(request)
    visit = (
        await Visit.select().where((Visit.id == visit_id) & (Visit.truck_id == truck["id"])).first()
        if truck
        else None
    )
    if not visit:
        raise NotFoundException()
    premises = await Premises.select().where(Premises.id == visit["premises_id"]).first()
    return visit, premises or {}, truck


async def render_visit(
    request: Request,
    visit_id: int,
    done_form: tk.Form | None = None,
    failed_form: tk.Form | None = None,
    status: int = 200,
) -> Response:
    """One stop of the route with its two forms."""
    visit, premises, truck = await crew_visit_row(request, visit_id)
    return await tk.render(
        request,
        "sipaldi/crew_visit.html",
        {
            "visit": visit,
            "premises": premises,
            "truck": truck,
            "open": visit["status"] in WAITING,
            "labels": VISITS.labels(),
            "m3": format_m3,
            "done_form": done_form or DoneForm(),
            "failed_form": failed_form or FailedForm(),
        },
        status_code=status,
    )


@get("/kru/kunjungan/{visit_id:int}", guards=GUARD, name="sipaldi:crew-visit")
async def crew_visit(request: Request, visit_id: FromPath[int]) -> Response:
    """One stop: the address, the tank, and the forms to record what happened."""
    return await render_visit(request, visit_id)


def back_to_route(request: Request, visit: dict[str, Any]) -> Redirect:
    """The truck's route of the visit's day."""
    path = f"{ROUTE}?day={visit['day'].isoformat()}"
    return Redirect(tk.city_url(request, path), status_code=303)


@post("/kru/kunjungan/{visit_id:int}/selesai", guards=GUARD, name="sipaldi:crew-done")
async def mark_done(request: Request, visit_id: FromPath[int]) -> Response:
    """Record the visit done; refused (400, nothing written) for a volume the truck cannot hold."""
    visit, _premises, truck = await crew_visit_row(request, visit_id)
    user = await tk.current_user(request)
    form = DoneForm(await request.form())
    valid = await form.validate(owner_id=user.id)
    if valid and form.clean["volume"] > truck["capacity_litres"]:
        form.add_error(
            "volume",
            tk._(
                "More than this truck carries (%(m3)s m³).", m3=format_m3(truck["capacity_litres"])
            ),
        )
    if form.errors or not valid:
        return await render_visit(request, visit_id, done_form=form, status=400)
    try:
        await VISITS.move(
            visit,
            "done",
            tk.Actor.of(user),
            request=request,
            values={
                Visit.volume_litres: form.clean["volume"],
                Visit.photo: tk.file_url(form.clean["photo"]),
                Visit.done_at: datetime.now(UTC),
            },
        )
    except tk.MoveRefused as refused:
        form.add_error("__all__", str(refused))
        return await render_visit(request, visit_id, done_form=form, status=400)
    tk.flash(request, tk._("The visit is recorded as done."), "success")
    return back_to_route(request, visit)


@post("/kru/kunjungan/{visit_id:int}/gagal", guards=GUARD, name="sipaldi:crew-failed")
async def mark_failed(request: Request, visit_id: FromPath[int]) -> Response:
    """Record nobody home or a refusal; the premises is planned again at once."""
    visit, _premises, _truck = await crew_visit_row(request, visit_id)
    user = await tk.current_user(request)
    form = FailedForm(await request.form())
    if await form.validate():
        try:
            await VISITS.move(
                visit,
                form.clean["outcome"],
                tk.Actor.of(user),
                comment=form.clean["note"],
                request=request,
                values={Visit.reason: form.clean["note"], Visit.done_at: datetime.now(UTC)},
            )
        except tk.MoveRefused as refused:
            form.add_error("outcome", str(refused))
    if form.errors or not form.clean:
        return await render_visit(request, visit_id, failed_form=form, status=400)
    tk.flash(request, tk._("Recorded; the visit is planned again."), "success")
    return back_to_route(request, visit)


OFFICE = [crew_day, crew_visit, mark_done, mark_failed]
