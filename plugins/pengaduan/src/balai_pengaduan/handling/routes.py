"""Officers' pages: the department queues, one report, and its steps.

A queue lists a department's open reports, urgent ones first, then the
oldest; each shows its SLA clock. On a report an officer assigns it,
moves it through the workflow with a public comment, adds an internal
note, clears photos for the public, merges a duplicate or transfers it.
Every step is audited; a step the reporter sees is sent to them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from balai import toolkit as tk
from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from balai_pengaduan.handling import sla
from balai_pengaduan.handling.forms import (
    AssignForm,
    CommentForm,
    MergeForm,
    StepForm,
    TransferForm,
)
from balai_pengaduan.handling.workflow import FLOW, NUMBERS, OPEN_STATES, SPECIAL, tell_followers
from balai_pengaduan.reports.routes import find_report, public_context
from balai_pengaduan.settings import MANAGE, city_settings
from balai_pengaduan.tables import Follower, Member, Note, Photo, Report

GUARD = [tk.require_permission(MANAGE)]


def queue_select(department: str, state: str):
    """A department's queue: urgent first, then the oldest.

    Served by the index (city, department, status, urgent, created_at).
    """
    query = Report.select(
        Report.id,
        Report.number,
        Report.category,
        Report.department,
        Report.urgent,
        Report.status,
        Report.kelurahan,
        Report.address,
        Report.created_at,
        Report.first_response_at,
        Report.response_due,
        Report.resolution_due,
        Report.assignee_id,
    )
    if department:
        query = query.where(Report.department == department)
    states = list(OPEN_STATES) if state == "open" else [state]
    query = query.where(Report.status.is_in(states))
    return (
        query.order_by(Report.urgent, ascending=False)
        .order_by(Report.created_at)
        .order_by(Report.id)
    )


async def _my_departments(user_id: int) -> list[str]:
    rows = await Member.select(Member.department).where(Member.user_id == user_id)
    return [r["department"] for r in rows]


@get("/", guards=GUARD, name="pengaduan:queue")
async def queue(
    request: Request, dinas: FromQuery[str | None] = None, status: FromQuery[str] = "open"
) -> Response:
    """The queue of a department (the officer's own by default; ``?dinas=`` for another)."""
    settings = city_settings()
    user = await tk.current_user(request)
    mine = await _my_departments(user.id)
    if dinas is None:
        department = mine[0] if mine else ""
    else:
        department = dinas if settings.department(dinas) else ""
    state = status if status == "open" or status in FLOW.states else "open"
    found = await tk.paginate(
        request,
        queue_select(department, state),
        per_page=settings.per_page,
        keep={"dinas": department, "status": state},
    )
    now = datetime.now(UTC)
    return await tk.render(
        request,
        "pengaduan/office_queue.html",
        {
            "found": found,
            "clocks": {r["id"]: sla.clock(r, now) for r in found.rows},
            "departments": settings.departments,
            "department": department,
            "mine": mine,
            "status": state,
            "names": {c.code: c.name for c in settings.categories},
            "labels": FLOW.labels(),
            "me": user.id,
        },
    )


async def _context(request: Request, row: dict[str, Any], **forms: Any) -> dict[str, Any]:
    """Everything the report page shows an officer (the reporter's contact is audited)."""
    user = await tk.current_user(request)
    context = await public_context(row)
    subject = f"pengaduan.report:{row['id']}"
    reporter = await tk.person(request, row["reporter_id"], permission=MANAGE, subject=subject)
    members = await Member.select(Member.user_id).where(Member.department == row["department"])
    ids = {m["user_id"] for m in members} | {user.id}
    if row["assignee_id"]:
        ids.add(row["assignee_id"])
    officers = await tk.people(request, sorted(ids), permission=MANAGE, subject=subject)
    notes = await Note.select().where(Note.report_id == row["id"]).order_by(Note.created_at)
    photos = await Photo.select().where(Photo.report_id == row["id"]).order_by(Photo.id)
    actor = tk.Actor.of(user)
    steps = [t for t in FLOW.available(row, actor) if t.name not in SPECIAL]
    context.update(
        {
            "reporter": reporter,
            "officers": officers,
            "notes": notes,
            "all_photos": photos,
            "steps": steps,
            "can": {t.name for t in FLOW.available(row, actor)},
            "clock": sla.clock(row),
            "departments": city_settings().departments,
            "me": user.id,
            "step_form": forms.get("step_form") or StepForm(),
            "comment_form": forms.get("comment_form") or CommentForm(),
            "merge_form": forms.get("merge_form") or MergeForm(),
            "transfer_form": forms.get("transfer_form") or TransferForm(),
        }
    )
    return context


@get("/laporan/{number:str}", guards=GUARD, name="pengaduan:office-report")
async def office_report(request: Request, number: FromPath[str]) -> Response:
    """One report for an officer: the clock, the reporter, photos, notes and the steps."""
    row = await find_report(number)
    return await tk.render(request, "pengaduan/office_report.html", await _context(request, row))


def _back(request: Request, row: dict[str, Any]) -> Redirect:
    return Redirect(
        tk.city_url(request, f"/kelola/pengaduan/laporan/{row['number']}"), status_code=303
    )


def _seen(row: dict[str, Any], data: Any) -> dict[str, Any]:
    """The row as the page showed it (a form sent after the report moved gets a 409)."""
    seen = data.get("seen", "")
    return {**row, "status": seen} if seen in FLOW.states else row


async def _refused(request: Request, row: dict[str, Any], **forms: Any) -> Response:
    context = await _context(request, row, **forms)
    return await tk.render(request, "pengaduan/office_report.html", context, status_code=400)


@post("/laporan/{number:str}/langkah", guards=GUARD, name="pengaduan:office-step")
async def office_step(request: Request, number: FromPath[str]) -> Response:
    """Start, resolve or reject, with a public comment (required to resolve or reject)."""
    row = await find_report(number)
    data = await request.form()
    form = StepForm(data)
    if await form.validate() and form.clean["step"] not in SPECIAL:
        actor = tk.Actor.of(await tk.current_user(request))
        try:
            await FLOW.move(
                _seen(row, data),
                form.clean["step"],
                actor,
                comment=form.clean["comment"],
                request=request,
            )
        except tk.MoveRefused as refused:
            form.add_error(
                "comment" if refused.reason.startswith("comment") else "step", str(refused)
            )
        else:
            tk.flash(request, tk._("The report is updated."), "success")
            return _back(request, row)
    elif not form.errors:
        form.add_error("step", tk._("Choose one of the steps offered."))
    return await _refused(request, row, step_form=form)


@post("/laporan/{number:str}/tugaskan", guards=GUARD, name="pengaduan:office-assign")
async def office_assign(request: Request, number: FromPath[str]) -> Response:
    """Assign the report to an officer of its department (or to oneself)."""
    row = await find_report(number)
    data = await request.form()
    user = await tk.current_user(request)
    assign = AssignForm(data)
    chosen = assign.clean["assignee"] if await assign.validate() else None
    members = {
        m["user_id"]
        for m in await Member.select(Member.user_id).where(Member.department == row["department"])
    }
    if chosen is None or (chosen != user.id and chosen not in members):
        form = StepForm()
        form.add_error("step", tk._("Choose an officer of this department."))
        return await _refused(request, row, step_form=form)
    try:
        await FLOW.move(
            _seen(row, data),
            "assign",
            tk.Actor.of(user),
            request=request,
            values={Report.assignee_id: chosen},
        )
    except tk.MoveRefused as refused:
        form = StepForm()
        form.add_error("step", str(refused))
        return await _refused(request, row, step_form=form)
    tk.flash(request, tk._("The report is assigned."), "success")
    return _back(request, row)


@post("/laporan/{number:str}/komentar", guards=GUARD, name="pengaduan:office-comment")
async def office_comment(request: Request, number: FromPath[str]) -> Response:
    """An internal note, or a public comment the reporter and followers are told of."""
    row = await find_report(number)
    form = CommentForm(await request.form())
    if not await form.validate():
        return await _refused(request, row, comment_form=form)
    user = await tk.current_user(request)
    now = datetime.now(UTC)
    async with Report._meta.db.transaction():
        if form.clean["visibility"] == "internal":
            await Note.insert(
                Note(
                    report_id=row["id"], author_id=user.id, body=form.clean["body"], created_at=now
                )
            )
        else:
            await FLOW.record_step(
                row["id"],
                "comment",
                row["status"],
                row["status"],
                form.clean["body"],
                actor_id=user.id,
                at=now,
            )
            changes: dict[Any, Any] = {Report.updated_at: now}
            if row["first_response_at"] is None:
                changes[Report.first_response_at] = now
            await Report.update(changes).where(Report.id == row["id"])
            if row["reporter_id"] is not None:
                await tk.notify(
                    row["reporter_id"],
                    "pengaduan.report_moved",
                    {
                        "record": dict(row),
                        "state": row["status"],
                        "state_label": FLOW.states[row["status"]],
                        "comment": form.clean["body"],
                    },
                )
            await tell_followers(row, row["status"], form.clean["body"], "pengaduan.report_moved")
        await tk.audit_record(
            f"pengaduan.report.{form.clean['visibility']}_comment",
            actor_id=user.id,
            request=request,
            subject=f"pengaduan.report:{row['id']}",
        )
    tk.flash(request, tk._("The comment is saved."), "success")
    return _back(request, row)


@post("/laporan/{number:str}/gabung", guards=GUARD, name="pengaduan:office-merge")
async def office_merge(request: Request, number: FromPath[str]) -> Response:
    """Merge a duplicate into an open report; its reporter then follows that one."""
    row = await find_report(number)
    data = await request.form()
    form = MergeForm(data)
    if await form.validate():
        target_number = NUMBERS.parse(form.clean["target"])
        target = (
            await Report.select().where(Report.number == target_number).first()
            if target_number
            else None
        )
        if target is None or target["id"] == row["id"]:
            form.add_error("target", tk._("No other report of this city has that number."))
        elif target["status"] not in OPEN_STATES:
            form.add_error("target", tk._("That report is closed: merge into an open one."))
        else:
            try:
                await FLOW.move(
                    _seen(row, data),
                    "merge",
                    tk.Actor.of(await tk.current_user(request)),
                    comment=tk._("Merged into %(number)s.", number=target["number"]),
                    request=request,
                    values={Report.merged_into: target["number"]},
                )
            except tk.MoveRefused as refused:
                form.add_error("target", str(refused))
            else:
                for who in {row["reporter_id"]} - {None, target["reporter_id"]}:
                    if not await Follower.exists().where(
                        (Follower.report_id == target["id"]) & (Follower.user_id == who)
                    ):
                        await Follower.insert(Follower(report_id=target["id"], user_id=who))
                tk.flash(request, tk._("The report is merged."), "success")
                return _back(request, row)
    return await _refused(request, row, merge_form=form)


@post("/laporan/{number:str}/alihkan", guards=GUARD, name="pengaduan:office-transfer")
async def office_transfer(request: Request, number: FromPath[str]) -> Response:
    """Transfer the report to another department's queue (it starts there as new)."""
    row = await find_report(number)
    data = await request.form()
    form = TransferForm(data)
    if await form.validate():
        if form.clean["department"] == row["department"]:
            form.add_error("department", tk._("Choose another department."))
        else:
            try:
                await FLOW.move(
                    _seen(row, data),
                    "transfer",
                    tk.Actor.of(await tk.current_user(request)),
                    comment=form.clean["comment"],
                    request=request,
                    values={Report.department: form.clean["department"], Report.assignee_id: None},
                )
            except tk.MoveRefused as refused:
                form.add_error("department", str(refused))
            else:
                tk.flash(request, tk._("The report is transferred."), "success")
                return Redirect(tk.city_url(request, "/kelola/pengaduan/"), status_code=303)
    return await _refused(request, row, transfer_form=form)


@post(
    "/laporan/{number:str}/foto/{photo_id:int}/izinkan",
    guards=GUARD,
    name="pengaduan:office-photo-clear",
)
async def office_photo_clear(
    request: Request, number: FromPath[str], photo_id: FromPath[int]
) -> Response:
    """Clear a photo for the public board (nothing personal in it): the file becomes public."""
    row = await find_report(number)
    photo = (
        await Photo.select().where((Photo.id == photo_id) & (Photo.report_id == row["id"])).first()
    )
    if photo is None:
        raise NotFoundException()
    user = await tk.current_user(request)
    async with Report._meta.db.transaction():
        await Photo.update({Photo.cleared: True}).where(Photo.id == photo_id)
        await tk.set_file_visibility(photo["file_id"], "public")
        await tk.audit_record(
            "pengaduan.photo_cleared",
            actor_id=user.id,
            request=request,
            subject=f"pengaduan.report:{row['id']}",
        )
    tk.flash(request, tk._("The photo is shown to the public."), "success")
    return _back(request, row)


OFFICE = [
    queue,
    office_report,
    office_step,
    office_assign,
    office_comment,
    office_merge,
    office_transfer,
    office_photo_clear,
]
