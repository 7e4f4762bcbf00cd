"""Dinsos's pages: the queue of welfare claims, one application, confirm or reject.

Every page needs ``e_jkn.welfare`` (Dinsos's officers), and shows only the
applications whose claimed group the rules send to Dinsos. NIKs stay masked;
asking the welfare registry about the family is recorded as a view of the
applicant's personal data. Confirming asks the registry again and keeps the
lowest decile found; rejecting needs a reason; the applicant is told either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from balai import toolkit as tk
from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect

from balai_e_jkn.enrolment.service import NUMBERS, first_state
from balai_e_jkn.identity import NIK_PURPOSE, masked_nik
from balai_e_jkn.registries.connect import dinsos_for
from balai_e_jkn.registries.types import (
    RegistryUnavailable,
    WelfareLookupRefused,
    WelfareRecord,
)
from balai_e_jkn.settings import PRIORITY_GROUPS
from balai_e_jkn.tables import Enrolment, Member, Status
from balai_e_jkn.workflow import APPLICATION, WELFARE

GUARD = [tk.require_permission(WELFARE)]
PAGE_SIZE = 50
REJECT_CODE = "welfare_not_listed"
STEPS = [
    ("welfare_confirm", tk.N_("Confirm the welfare listing")),
    ("welfare_reject", tk.N_("Reject: not confirmed by Dinsos")),
]


class WelfareStepForm(tk.Form):
    """Dinsos's decision on a claim."""

    step = tk.ChoiceField("Decision", choices=STEPS)
    comment = tk.TextField(
        "Reason or note for the applicant", max_length=300, required=False, multiline=True
    )
    seen_state = tk.TextField("State seen", max_length=20, required=False)


@dataclass(frozen=True)
class Listing:
    """One person of the family as the welfare registry answered (``record`` None: refused)."""

    name: str
    nik_masked: str
    record: WelfareRecord | None


def _checked_by_dinsos(row: dict) -> bool:
    created = row["created_at"].astimezone(tk.current_city().tz).date()
    return first_state(row["priority_group"], created) is Status.WELFARE


async def _application(number: str) -> dict:
    typed = NUMBERS.parse(number)
    row = None
    if typed is not None:
        row = await Enrolment.select().where(Enrolment.number == typed).first()
    if row is None or not _checked_by_dinsos(row):
        raise NotFoundException()
    return row


async def _listings(row: dict) -> list[Listing]:
    """Ask the registry about each person of the application.

    Raises:
        RegistryUnavailable: the registry did not answer.
    """
    city = tk.current_city()
    registry = dinsos_for(city)
    people = (
        await Member.select(Member.name, Member.nik_sealed)
        .where(Member.enrolment == row["id"])
        .order_by(Member.position)
    )
    found = []
    for person in people:
        try:
            record = await registry.lookup(
                tk.unseal(person["nik_sealed"], NIK_PURPOSE), city.region_code or ""
            )
        except WelfareLookupRefused:
            record = None
        found.append(Listing(person["name"], masked_nik(person["nik_sealed"]), record))
    return found


async def _looked_up(request: Request, row: dict, user_id: int) -> list[Listing]:
    listings = await _listings(row)
    await tk.audit_record(
        "e_jkn.welfare_lookup",
        actor_id=user_id,
        request=request,
        subject=f"enrolment:{row['number']}",
        detail={"people": len(listings)},
        personal_data_of=row["applicant_id"],
    )
    return listings


async def _page(
    request: Request, row: dict, form: tk.Form | None = None, status: int = 200
) -> Response:
    user = await tk.current_user(request)
    listings: list[Listing] = []
    unavailable = False
    if row["status"] == Status.WELFARE.value:
        try:
            listings = await _looked_up(request, row, user.id)
        except RegistryUnavailable:
            unavailable = True
    return await tk.render(
        request,
        "e_jkn/welfare_application.html",
        {
            "application": row,
            "group": PRIORITY_GROUPS.get(row["priority_group"], row["priority_group"]),
            "listings": listings,
            "unavailable": unavailable,
            "steps": APPLICATION.available(row, tk.Actor.of(user)),
            "history": await APPLICATION.history(row["id"]),
            "states": APPLICATION.labels(),
            "form": form or WelfareStepForm(initial={"seen_state": row["status"]}),
        },
        status_code=status,
    )


@get("/dinsos/antrean", guards=GUARD, name="e_jkn:welfare-queue")
async def queue(request: Request) -> Response:
    """Applications waiting for Dinsos's welfare check, oldest first."""
    rows = await (
        Enrolment.select(
            Enrolment.number,
            Enrolment.applicant_name,
            Enrolment.kecamatan,
            Enrolment.created_at,
            Enrolment.priority_group,
        )
        .where(Enrolment.status == Status.WELFARE.value, Enrolment.number.is_not_null())
        .order_by(Enrolment.created_at)
        .limit(PAGE_SIZE)
    )
    return await tk.render(
        request,
        "e_jkn/welfare_queue.html",
        {"applications": rows, "groups": PRIORITY_GROUPS},
    )


@get("/dinsos/pengajuan/{number:str}", guards=GUARD, name="e_jkn:welfare-application")
async def application(request: Request, number: FromPath[str]) -> Response:
    """One claim: the family (NIK masked), what the welfare registry says, the decision."""
    return await _page(request, await _application(number))


def _lowest_current_decile(listings: list[Listing]) -> int | None:
    deciles = [
        x.record.decile
        for x in listings
        if x.record is not None and x.record.listed and x.record.active
    ]
    return min(deciles) if deciles else None


@post("/dinsos/pengajuan/{number:str}/langkah", guards=GUARD, name="e_jkn:welfare-step")
async def step(request: Request, number: FromPath[str]) -> Response:
    """Confirm the claim (on to Dinkes) or reject it with a reason; the applicant is told."""
    row = await _application(number)
    form = WelfareStepForm(await request.form())
    if not await form.validate():
        return await _page(request, row, form, status=400)
    seen = form.clean["seen_state"]
    if seen and seen != row["status"]:
        raise tk.StateChanged(tk._("The application moved meanwhile."), row["status"])
    user = await tk.current_user(request)
    name, comment = form.clean["step"], form.clean["comment"] or ""
    values = {Enrolment.decided_at: datetime.now(UTC), Enrolment.decided_by: user.id}
    if name == "welfare_confirm" and row["status"] == Status.WELFARE.value:
        try:
            decile = _lowest_current_decile(await _looked_up(request, row, user.id))
        except RegistryUnavailable:
            form.add_error(
                "__all__",
                tk._(
                    "The welfare registry cannot be reached just now; nothing was saved."
                    " Please try again later."
                ),
            )
            return await _page(request, row, form, status=503)
        if decile is None:
            form.add_error(
                "step",
                tk._(
                    "Nobody in this family is currently listed in the welfare registry;"
                    " reject the claim with a reason instead."
                ),
            )
            return await _page(request, row, form, status=400)
        values[Enrolment.welfare_decile] = decile
    if name == "welfare_reject":
        values[Enrolment.reason] = comment
        values[Enrolment.reason_code] = REJECT_CODE
    try:
        await APPLICATION.move(
            row, name, tk.Actor.of(user), comment=comment, request=request, values=values
        )
    except tk.MoveRefused as refused:
        form.add_error("comment", str(refused))
        return await _page(request, row, form, status=400)
    tk.flash(request, tk._("Application %(number)s: done.", number=row["number"]), "success")
    return Redirect(
        tk.city_url(request, f"/kelola/e-jkn/dinsos/pengajuan/{row['number']}"), status_code=303
    )


OFFICE = [queue, application, step]
