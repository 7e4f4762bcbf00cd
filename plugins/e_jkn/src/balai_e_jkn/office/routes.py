"""The officers' pages: the queue, one application, its documents, a NIK reveal, a decision.

Every page needs ``e_jkn.manage``. NIKs are shown masked; revealing them
needs a reason and is recorded as a view of the applicant's personal data,
which the applicant sees on "who viewed my data". Documents are served
through this plugin (the files service alone would not let Dinkes see them),
each view recorded the same way.
"""

from __future__ import annotations

from datetime import UTC, datetime

from balai import toolkit as tk
from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from balai_e_jkn.enrolment.service import NUMBERS
from balai_e_jkn.identity import KK_PURPOSE, NIK_PURPOSE, masked_kk, masked_nik
from balai_e_jkn.insights import REASONS
from balai_e_jkn.settings import EnrolmentSettings
from balai_e_jkn.tables import Enrolment, Member, Status
from balai_e_jkn.workflow import APPLICATION, MANAGE

SLUG = "e_jkn"
PAGE_SIZE = 50
GUARD = [tk.require_permission(MANAGE)]
DOCUMENTS = {"ktp": "ktp_file", "kk": "kk_file"}
MAX_TEXT = 300
# Reasons Dinkes's officers do not give: BPJS's refusals and Dinsos's.
SYSTEM_REASONS = ("bpjs_refused", "welfare_not_listed")


class RevealForm(tk.Form):
    """Why the officer needs the full NIK (recorded)."""

    reason = tk.TextField(
        "Why you need the full NIK", min_length=10, max_length=MAX_TEXT, multiline=True
    )


def _reasons() -> list[tuple[str, str]]:
    return [(code, label) for code, label in REASONS.items() if code not in SYSTEM_REASONS]


class DecisionForm(tk.Form):
    """Dinkes's decision: verify, or reject with a reason code and a note."""

    step = tk.ChoiceField(
        "Decision", choices=[("verify", tk.N_("Verify")), ("reject", tk.N_("Reject"))]
    )
    reason_code = tk.ChoiceField("Reason, if you reject", choices=_reasons, required=False)
    comment = tk.TextField(
        "Reason or note for the applicant", max_length=MAX_TEXT, required=False, multiline=True
    )
    seen_state = tk.TextField("State seen", max_length=20, required=False)

    def check(self) -> None:
        """A rejection names its reason."""
        if self.clean.get("step") == "reject" and not self.clean.get("reason_code"):
            self.add_error("reason_code", tk._("Choose the reason for rejecting."))


async def _application(number: str) -> dict:
    typed = NUMBERS.parse(number)
    row = None
    if typed is not None:
        row = await Enrolment.select().where(Enrolment.number == typed).first()
    if row is None:
        raise NotFoundException()
    return row


async def _members(enrolment_id: int, *, reveal: bool) -> list[dict]:
    rows = await Member.select().where(Member.enrolment == enrolment_id).order_by(Member.position)
    for row in rows:
        row["nik_shown"] = (
            tk.unseal(row["nik_sealed"], NIK_PURPOSE) if reveal else masked_nik(row["nik_sealed"])
        )
    return rows


async def _detail(
    request: Request, row: dict, *, reveal: bool = False, errors: dict | None = None, status=200
) -> Response:
    user = await tk.current_user(request)
    actor = tk.Actor.of(user)
    settings = tk.current_city().settings_for(SLUG) or EnrolmentSettings()
    rules = settings.rules_on(row["created_at"].astimezone(tk.current_city().tz).date())
    return await tk.render(
        request,
        "e_jkn/office_application.html",
        {
            "application": row,
            "kk_shown": tk.unseal(row["kk_sealed"], KK_PURPOSE)
            if reveal
            else masked_kk(row["kk_sealed"]),
            "members": await _members(row["id"], reveal=reveal),
            "revealed": reveal,
            "steps": APPLICATION.available(row, actor),
            "history": await APPLICATION.history(row["id"]),
            "states": APPLICATION.labels(),
            "rules": rules,
            "reasons": [(code, tk._(label)) for code, label in _reasons()],
            "errors": errors or {},
        },
        status_code=status,
    )


@get("/antrean", guards=GUARD, name="e_jkn:queue")
async def queue(request: Request, status: FromQuery[str] = Status.SUBMITTED.value) -> Response:
    """Applications in one state (default: waiting for a check), oldest first."""
    if status not in APPLICATION.states:
        status = Status.SUBMITTED.value
    rows = await (
        Enrolment.select(
            Enrolment.number,
            Enrolment.applicant_name,
            Enrolment.kecamatan,
            Enrolment.created_at,
            Enrolment.status,
        )
        .where(Enrolment.status == status, Enrolment.number.is_not_null())
        .order_by(Enrolment.created_at)
        .limit(PAGE_SIZE)
    )
    return await tk.render(
        request,
        "e_jkn/office_queue.html",
        {"applications": rows, "status": status, "states": APPLICATION.labels()},
    )


@get("/pengajuan/{number:str}", guards=GUARD, name="e_jkn:office-application")
async def application(request: Request, number: FromPath[str]) -> Response:
    """One application: people (NIK masked), documents, history, the steps the officer may take."""
    return await _detail(request, await _application(number))


@post("/pengajuan/{number:str}/nik", guards=GUARD, name="e_jkn:office-reveal")
async def reveal(request: Request, number: FromPath[str]) -> Response:
    """Show the full NIKs and KK number, for a reason that is recorded."""
    row = await _application(number)
    form = RevealForm(await request.form())
    if not await form.validate():
        return await _detail(request, row, errors=form.errors, status=400)
    reason = form.clean["reason"]
    user = await tk.current_user(request)
    await tk.audit_record(
        "e_jkn.nik_revealed",
        actor_id=user.id,
        request=request,
        subject=f"enrolment:{row['number']}",
        detail={"reason": reason},
        personal_data_of=row["applicant_id"],
    )
    return await _detail(request, row, reveal=True)


async def _document(request: Request, number: str, which: str) -> Response:
    row = await _application(number)
    token = row[DOCUMENTS[which]]
    if not token:
        raise NotFoundException()
    return await tk.serve_file(request, token, reason=f"e_jkn {row['number']} {which}")


@get("/pengajuan/{number:str}/dokumen/ktp", guards=GUARD, name="e_jkn:office-ktp")
async def ktp_photo(request: Request, number: FromPath[str]) -> Response:
    """The photo of the applicant's KTP."""
    return await _document(request, number, "ktp")


@get("/pengajuan/{number:str}/dokumen/kk", guards=GUARD, name="e_jkn:office-kk")
async def kk_photo(request: Request, number: FromPath[str]) -> Response:
    """The photo of the family card."""
    return await _document(request, number, "kk")


@post("/pengajuan/{number:str}/langkah", guards=GUARD, name="e_jkn:office-step")
async def step(request: Request, number: FromPath[str]) -> Response:
    """Verify or reject (with a reason); the applicant is told."""
    row = await _application(number)
    form = DecisionForm(await request.form())
    if not await form.validate():
        return await _detail(request, row, errors=form.errors, status=400)
    name, comment = form.clean["step"], form.clean["comment"] or ""
    user = await tk.current_user(request)
    values = {Enrolment.decided_at: datetime.now(UTC), Enrolment.decided_by: user.id}
    if name == "reject":
        values[Enrolment.reason] = comment
        values[Enrolment.reason_code] = form.clean["reason_code"]
    seen = form.clean["seen_state"]
    if seen and seen != row["status"]:
        raise tk.StateChanged(tk._("The application moved meanwhile."), row["status"])
    try:
        await APPLICATION.move(
            row, name, tk.Actor.of(user), comment=comment, request=request, values=values
        )
    except tk.MoveRefused as refused:
        return await _detail(request, row, errors={"comment": str(refused)}, status=400)
    tk.flash(request, tk._("Application %(number)s: done.", number=row["number"]), "success")
    return Redirect(
        tk.city_url(request, f"/kelola/e-jkn/pengajuan/{row['number']}"), status_code=303
    )


OFFICE = [queue, application, reveal, ktp_photo, kk_photo, step]
