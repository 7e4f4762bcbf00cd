"""Officers' pages for operators: the licensed firms, their trucks, areas and service fee."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from balai import toolkit as tk
from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect

from balai_sipaldi.firm import staff
from balai_sipaldi.permissions import MANAGE
from balai_sipaldi.planning.operator_forms import (
    AreaForm,
    OperatorForm,
    ServiceFeeForm,
    StaffForm,
    TruckForm,
    kelurahan_of_area,
)
from balai_sipaldi.tables import Operator, ServiceArea, Staff, Truck
from balai_sipaldi.volumes import format_m3

GUARD = [tk.require_permission(MANAGE)]
LIST = "/kelola/sipaldi/operator/"


async def operator_row(operator_id: int) -> dict[str, Any]:
    """The city's operator ``operator_id``; 404 when there is none."""
    row = await Operator.select().where(Operator.id == operator_id).first()
    if not row:
        raise NotFoundException()
    return row


async def render_list(request: Request, form: OperatorForm, status: int = 200) -> Response:
    """The operators' list with ``form`` (blank, or refused with its reasons)."""
    operators = await Operator.select().order_by(Operator.name)
    trucks = await Truck.select(Truck.operator_id).where(Truck.active.eq(True))
    counts: dict[int, int] = {}
    for truck in trucks:
        counts[truck["operator_id"]] = counts.get(truck["operator_id"], 0) + 1
    return await tk.render(
        request,
        "sipaldi/operators.html",
        {"operators": operators, "truck_counts": counts, "form": form},
        status_code=status,
    )


@get("/operator/", guards=GUARD, name="sipaldi:operators")
async def operators(request: Request) -> Response:
    """The licensed operators and the form to add one."""
    return await render_list(request, OperatorForm())


@post("/operator/", guards=GUARD, name="sipaldi:operator-add")
async def add_operator(request: Request) -> Response:
    """Add an operator; the list again with the reasons (400) when wrong."""
    form = OperatorForm(await request.form())
    if await form.validate():
        taken = await Operator.exists().where(
            Operator.licence_number == form.clean["licence_number"]
        )
        if taken:
            form.add_error("licence_number", tk._("An operator with this licence is registered."))
    if form.errors or not form.clean:
        return await render_list(request, form, 400)
    clean = {**form.clean, "phone": form.clean["phone"] or ""}
    rows = await Operator.insert(Operator(created_at=datetime.now(UTC), **clean)).returning(
        Operator.id
    )
    user = await tk.current_user(request)
    await tk.audit_record(
        "sipaldi.operator_added",
        actor_id=user.id,
        request=request,
        subject=f"operator:{rows[0]['id']}",
    )
    tk.flash(request, tk._("The operator is registered."), "success")
    return Redirect(tk.city_url(request, f"{LIST}{rows[0]['id']}"), status_code=303)


async def render_operator(
    request: Request, operator: dict[str, Any], status: int = 200, **forms: tk.Form
) -> Response:
    """One operator's page with its forms (blank, or the refused one in ``forms``)."""
    trucks = await Truck.select().where(Truck.operator_id == operator["id"]).order_by(Truck.plate)
    areas = await (
        ServiceArea.select()
        .where(ServiceArea.operator_id == operator["id"])
        .order_by(ServiceArea.kecamatan)
        .order_by(ServiceArea.kelurahan)
    )
    links = await Staff.select().where(Staff.operator_id == operator["id"]).order_by(Staff.id)
    people = await tk.people(
        request,
        [s["user_id"] for s in links],
        permission=MANAGE,
        subject=f"operator:{operator['id']}",
    )
    plates = {t["id"]: t["plate"] for t in trucks}
    accounts = [
        {"person": people[s["user_id"]], "plate": plates.get(s["truck_id"], "")}
        for s in links
        if s["user_id"] in people
    ]
    return await tk.render(
        request,
        "sipaldi/operator.html",
        {
            "operator": operator,
            "trucks": trucks,
            "areas": areas,
            "accounts": accounts,
            "m3": format_m3,
            "truck_form": forms.get("truck_form") or TruckForm(),
            "area_form": forms.get("area_form") or AreaForm(),
            "fee_form": forms.get("fee_form")
            or ServiceFeeForm(initial={"service_fee": operator["service_fee"]}),
            "staff_form": forms.get("staff_form") or StaffForm(),
        },
        status_code=status,
    )


@get("/operator/{operator_id:int}", guards=GUARD, name="sipaldi:operator")
async def operator_page(request: Request, operator_id: FromPath[int]) -> Response:
    """One operator: its trucks, service areas and fee, with the forms to change them."""
    return await render_operator(request, await operator_row(operator_id))


@post("/operator/{operator_id:int}/truk", guards=GUARD, name="sipaldi:truck-add")
async def add_truck(request: Request, operator_id: FromPath[int]) -> Response:
    """Add a truck to the operator; the page again with the reasons (400) when wrong."""
    operator = await operator_row(operator_id)
    form = TruckForm(await request.form())
    if await form.validate() and await Truck.exists().where(Truck.plate == form.clean["plate"]):
        form.add_error("plate", tk._("A truck with this plate is registered."))
    if form.errors or not form.clean:
        return await render_operator(request, operator, 400, truck_form=form)
    await Truck.insert(Truck(operator_id=operator["id"], **form.clean))
    tk.flash(request, tk._("The truck is registered."), "success")
    return Redirect(tk.city_url(request, f"{LIST}{operator['id']}"), status_code=303)


@post("/operator/{operator_id:int}/wilayah", guards=GUARD, name="sipaldi:area-add")
async def add_area(request: Request, operator_id: FromPath[int]) -> Response:
    """Add a kelurahan, or every kelurahan of a kecamatan, to the operator's service areas."""
    operator = await operator_row(operator_id)
    form = AreaForm(await request.form())
    if not await form.validate():
        return await render_operator(request, operator, 400, area_form=form)
    served = {
        row["kelurahan"]
        for row in await ServiceArea.select(ServiceArea.kelurahan).where(
            ServiceArea.operator_id == operator["id"]
        )
    }
    new = [
        ServiceArea(operator_id=operator["id"], kelurahan=name, kecamatan=kecamatan)
        for name, kecamatan in kelurahan_of_area(form.clean["area"])
        if name not in served
    ]
    if new:
        await ServiceArea.insert(*new)
    tk.flash(request, tk._("The service area is saved."), "success")
    return Redirect(tk.city_url(request, f"{LIST}{operator['id']}"), status_code=303)


@post("/operator/{operator_id:int}/tarif", guards=GUARD, name="sipaldi:fee-set")
async def set_fee(request: Request, operator_id: FromPath[int]) -> Response:
    """Publish the operator's service fee (shown on the bookings from now on)."""
    operator = await operator_row(operator_id)
    form = ServiceFeeForm(await request.form())
    if not await form.validate():
        return await render_operator(request, operator, 400, fee_form=form)
    await Operator.update({Operator.service_fee: form.clean["service_fee"]}).where(
        Operator.id == operator["id"]
    )
    user = await tk.current_user(request)
    await tk.audit_record(
        "sipaldi.service_fee_set",
        actor_id=user.id,
        request=request,
        subject=f"operator:{operator['id']}",
        detail={"from": operator["service_fee"], "to": form.clean["service_fee"]},
    )
    tk.flash(request, tk._("The service fee is published."), "success")
    return Redirect(tk.city_url(request, f"{LIST}{operator['id']}"), status_code=303)


@post("/operator/{operator_id:int}/akun", guards=GUARD, name="sipaldi:staff-link")
async def link_staff(request: Request, operator_id: FromPath[int]) -> Response:
    """Link an account to the operator's office, or to one of its trucks as its crew."""
    operator = await operator_row(operator_id)
    form = StaffForm(await request.form())
    person = truck = None
    if await form.validate():
        subject = f"operator:{operator['id']}"
        person = await tk.look_up_account(
            request, form.clean["login"], permission=MANAGE, subject=subject
        )
        if person is None:
            form.add_error("login", tk._("No account of this city logs in with this."))
        if form.clean["plate"]:
            truck = await (
                Truck.select(Truck.id)
                .where((Truck.plate == form.clean["plate"]) & (Truck.operator_id == operator["id"]))
                .first()
            )
            if truck is None:
                form.add_error("plate", tk._("This operator has no truck with this plate."))
    if form.errors or not form.clean or person is None:
        return await render_operator(request, operator, 400, staff_form=form)
    await staff.link(person.id, operator["id"], truck["id"] if truck else None)
    user = await tk.current_user(request)
    await tk.audit_record(
        "sipaldi.staff_linked",
        actor_id=user.id,
        request=request,
        subject=f"operator:{operator['id']}",
        detail={"user_id": person.id, "truck_id": truck["id"] if truck else None},
    )
    tk.flash(request, tk._("The account is linked to the operator."), "success")
    return Redirect(tk.city_url(request, f"{LIST}{operator['id']}"), status_code=303)


OFFICE = [operators, add_operator, operator_page, add_truck, add_area, set_fee, link_staff]
