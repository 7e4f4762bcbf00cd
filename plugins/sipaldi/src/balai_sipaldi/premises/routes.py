"""The premises registry: a household's own tanks, and the officers' list.

Addresses are personal data: a household sees its own premises, DLH
officers see all of the city's (each premises opened is audited).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from balai import toolkit as tk
from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from balai_sipaldi.dated import city_today
from balai_sipaldi.permissions import MANAGE
from balai_sipaldi.premises import registry
from balai_sipaldi.premises.forms import TANK_TYPES, PremisesForm
from balai_sipaldi.premises.importer import KEY as IMPORT_KEY
from balai_sipaldi.settings import settings_of
from balai_sipaldi.tables import OPEN_VISIT, Fee, Premises, Visit, VisitStatus
from balai_sipaldi.visits import VISITS
from balai_sipaldi.volumes import format_m3

OFFICE_PAGE_SIZE = 50
MY_TANKS = "/sipaldi/tangki/"


def tank_type_labels() -> dict[str, str]:
    """Each tank type's name, as a msgid."""
    return dict(TANK_TYPES)


async def own_premises(request: Request, premises_id: int) -> dict[str, Any]:
    """The logged-in household's premises ``premises_id``; 404 for anyone else's."""
    user = await tk.current_user(request)
    row = await (
        Premises.select()
        .where((Premises.id == premises_id) & (Premises.owner_id == user.id))
        .first()
    )
    if not row:
        raise NotFoundException()
    return row


@get("/tangki/", guards=[tk.require_login], name="sipaldi:my-tanks")
async def my_tanks(request: Request) -> Response:
    """The household's registered tanks and when each is next due."""
    user = await tk.current_user(request)
    rows = await (
        Premises.select()
        .where(Premises.owner_id == user.id)
        .order_by(Premises.next_due)
        .order_by(Premises.id)
    )
    ids = [row["id"] for row in rows]
    latest: dict[int, dict] = {}
    if ids:
        visits = await (
            Visit.select()
            .where(Visit.premises_id.is_in(ids) & (Visit.status != VisitStatus.PROPOSED.value))
            .order_by(Visit.day)
        )
        for visit in visits:
            latest[visit["premises_id"]] = visit
    unpaid = await Fee.select().where((Fee.owner_id == user.id) & Fee.paid.eq(False))
    return await tk.render(
        request,
        "sipaldi/my_tanks.html",
        {
            "tanks": [{**row, "visit": latest.get(row["id"])} for row in rows],
            "unpaid": unpaid,
            "labels": VISITS.labels(),
            "types": tank_type_labels(),
            "today": city_today(),
            "m3": format_m3,
        },
    )


@get("/tangki/baru", guards=[tk.require_verified], name="sipaldi:tank-form")
async def tank_form(request: Request) -> Response:
    """The form to register a tank."""
    return await tk.render(
        request, "sipaldi/tank_form.html", {"form": PremisesForm(), "tank": None}
    )


@post("/tangki/baru", guards=[tk.require_verified], name="sipaldi:tank-register")
async def register_tank(request: Request) -> Response:
    """Register the household's tank; the form again with the reasons (400) when wrong."""
    user = await tk.current_user(request)
    form = PremisesForm(await request.form())
    if not await form.validate(owner_id=user.id):
        return await tk.render(
            request, "sipaldi/tank_form.html", {"form": form, "tank": None}, status_code=400
        )
    await registry.register(form.clean, user.id)
    tk.flash(request, tk._("Your tank is registered."), "success")
    return Redirect(tk.city_url(request, MY_TANKS), status_code=303)


@get("/tangki/{premises_id:int}/ubah", guards=[tk.require_verified], name="sipaldi:tank-edit")
async def tank_edit(request: Request, premises_id: FromPath[int]) -> Response:
    """The form to correct one of the household's tanks."""
    row = await own_premises(request, premises_id)
    form = PremisesForm(initial=registry.initial_of(row))
    return await tk.render(request, "sipaldi/tank_form.html", {"form": form, "tank": row})


@post("/tangki/{premises_id:int}/ubah", guards=[tk.require_verified], name="sipaldi:tank-save")
async def tank_save(request: Request, premises_id: FromPath[int]) -> Response:
    """Store the household's corrections; the form again with the reasons (400) when wrong."""
    row = await own_premises(request, premises_id)
    user = await tk.current_user(request)
    form = PremisesForm(await request.form())
    if not await form.validate(owner_id=user.id):
        return await tk.render(
            request, "sipaldi/tank_form.html", {"form": form, "tank": row}, status_code=400
        )
    await registry.correct(row, form.clean)
    tk.flash(request, tk._("Your tank's details are saved."), "success")
    return Redirect(tk.city_url(request, MY_TANKS), status_code=303)


@post("/tangki/{premises_id:int}/minta", guards=[tk.require_verified], name="sipaldi:tank-request")
async def request_visit(request: Request, premises_id: FromPath[int]) -> Response:
    """Ask for a visit outside the schedule: the tank is due tomorrow, and the planner takes it up.

    Refused while the tank already has a visit planned (it shows on the tank's row).
    """
    row = await own_premises(request, premises_id)
    has_visit = await Visit.exists().where(
        (Visit.premises_id == row["id"]) & Visit.status.is_in(list(OPEN_VISIT))
    )
    if has_visit:
        tk.flash(request, tk._("This tank already has a visit planned."), "error")
        return Redirect(tk.city_url(request, MY_TANKS), status_code=303)
    tomorrow = city_today() + timedelta(days=1)
    due = min(row["next_due"], tomorrow) if row["next_due"] else tomorrow
    await Premises.update({Premises.next_due: due}).where(Premises.id == row["id"])
    user = await tk.current_user(request)
    await tk.audit_record(
        "sipaldi.visit_requested",
        actor_id=user.id,
        request=request,
        subject=f"premises:{row['id']}",
    )
    tk.flash(
        request,
        tk._("Your request is received: a visit is planned within days and you will be told."),
        "success",
    )
    return Redirect(tk.city_url(request, MY_TANKS), status_code=303)


@get("/", guards=[tk.require_permission(MANAGE)], name="sipaldi:office")
async def office(
    request: Request, kelurahan: FromQuery[str] = "", overdue: FromQuery[str] = ""
) -> Response:
    """The city's premises by due day, filtered by kelurahan and to the overdue ones."""
    settings = settings_of(tk.current_city())
    names = [k.name for k in settings.kelurahan]
    kelurahan = kelurahan if kelurahan in names else ""
    today = city_today()
    listed = Premises.select()
    if kelurahan:
        listed = listed.where(Premises.kelurahan == kelurahan)
    if overdue:
        listed = listed.where(Premises.next_due < today)
    found = await tk.paginate(
        request,
        listed.order_by(Premises.next_due).order_by(Premises.id),
        per_page=OFFICE_PAGE_SIZE,
        keep={"kelurahan": kelurahan, "overdue": "1" if overdue else ""},
    )
    user = await tk.current_user(request)
    await tk.audit_record(
        "sipaldi.premises_listed",
        actor_id=user.id,
        request=request,
        subject=f"sipaldi_premises:page:{found.number}",
    )
    return await tk.render(
        request,
        "sipaldi/office.html",
        {
            "found": found,
            "kelurahan": kelurahan,
            "kelurahan_options": [{"name": n, "title": n} for n in names],
            "m3": format_m3,
            "overdue": bool(overdue),
            "today": today,
            "types": tank_type_labels(),
            "import_path": tk.import_url(IMPORT_KEY),
        },
    )


PAGES = [my_tanks, tank_form, register_tank, tank_edit, tank_save, request_visit]
OFFICE = [office]
