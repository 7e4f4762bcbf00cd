"""The citizen's pages: apply for the family, follow one's applications."""

from __future__ import annotations

from datetime import datetime

from balai import toolkit as tk
from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect

from balai_e_jkn.enrolment.form import (
    PeopleForm,
    clamp_people,
    family_form,
    household_fields,
    member_blocks,
    people_count,
    settings,
)
from balai_e_jkn.enrolment.service import NUMBERS, Refused, check, people_of, places_left, write
from balai_e_jkn.identity import masked_kk, masked_nik
from balai_e_jkn.tables import Enrolment, Member
from balai_e_jkn.workflow import APPLICATION


def _today() -> datetime:
    return datetime.now(tk.current_city().tz)


async def _form_page(request: Request, form: tk.Form, count: int, status: int = 200) -> Response:
    return await tk.render(
        request,
        "e_jkn/apply.html",
        {
            "form": form,
            "count": count,
            "max_members": settings().max_members,
            "household": household_fields(form),
            "blocks": member_blocks(form, count),
            "places_left": await places_left(_today().date()),
        },
        status_code=status,
    )


@get("/daftar", guards=[tk.require_verified], name="e_jkn:apply")
async def apply_page(request: Request) -> Response:
    """The application form, with as many person blocks as asked (``?anggota=3``)."""
    count = people_count(request.query_params)
    return await _form_page(request, family_form(count)(), count)


@post("/daftar", guards=[tk.require_verified], name="e_jkn:apply-send")
async def apply_send(request: Request) -> Response:
    """Check and store an application, or draw the form again (one more person, or the errors)."""
    data = await request.form()
    shown = PeopleForm(data)
    await shown.validate()
    count = clamp_people(shown.clean.get("anggota") or 1)
    action = shown.clean.get("action")
    if action in ("add", "remove"):
        count = clamp_people(count + (1 if action == "add" else -1))
        return await _form_page(request, family_form(count)(data), count)
    user = await tk.current_user(request)
    form = family_form(count)(data)
    if not await form.validate(owner_id=user.id):
        return await _form_page(request, form, count, status=400)
    people = people_of(form.clean, count)
    try:
        await check(people, form.clean["kk"], _today().date())
        number = await write(user, form.clean, people, request)
    except Refused as refused:
        for name, message in refused.errors.items():
            form.add_error(name, message)
        return await _form_page(request, form, count, status=400)
    tk.flash(request, tk._("Your application %(number)s was sent.", number=number), "success")
    return Redirect(tk.city_url(request, f"/e-jkn/pengajuan/{number}"), status_code=303)


async def own_application(request: Request, number: str) -> dict:
    """The visitor's own application numbered ``number`` (404 for anyone else's)."""
    typed = NUMBERS.parse(number)
    user = await tk.current_user(request)
    row = None
    if typed is not None:
        row = (
            await Enrolment.select()
            .where((Enrolment.number == typed) & (Enrolment.applicant_id == user.id))
            .first()
        )
    if row is None:
        raise NotFoundException()
    return row


async def members_of(enrolment_id: int) -> list[dict]:
    """The people of an application, in order, with their NIK masked."""
    rows = await Member.select().where(Member.enrolment == enrolment_id).order_by(Member.position)
    for row in rows:
        row["nik_masked"] = masked_nik(row["nik_sealed"])
    return rows


@get("/pengajuan/{number:str}", guards=[tk.require_login], name="e_jkn:application")
async def application_page(request: Request, number: FromPath[str]) -> Response:
    """The applicant's view of one application: its state, its people, its history."""
    row = await own_application(request, number)
    return await tk.render(
        request,
        "e_jkn/application.html",
        {
            "application": row,
            "kk_masked": masked_kk(row["kk_sealed"]),
            "members": await members_of(row["id"]),
            "history": await APPLICATION.history(row["id"]),
            "states": APPLICATION.labels(),
        },
    )


@get("/saya", guards=[tk.require_login], name="e_jkn:mine")
async def my_applications(request: Request) -> Response:
    """The visitor's applications, newest first."""
    user = await tk.current_user(request)
    rows = await (
        Enrolment.select(Enrolment.number, Enrolment.status, Enrolment.created_at)
        .where(Enrolment.applicant_id == user.id)
        .order_by(Enrolment.created_at, ascending=False)
    )
    return await tk.render(
        request, "e_jkn/mine.html", {"applications": rows, "states": APPLICATION.labels()}
    )


PAGES = [apply_page, apply_send, application_page, my_applications]
