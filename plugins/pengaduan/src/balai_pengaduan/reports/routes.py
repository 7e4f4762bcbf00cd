"""Citizens' pages: choose a category (emergencies first), confirm a number, report, follow.

Every page works without JavaScript: the category is a link, the place is a
kelurahan or an address (a map point when the map fills the two coordinate
fields), and nearby open reports of the same category are offered before
a new one is stored.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from balai import toolkit as tk
from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from balai_pengaduan.handling.workflow import FLOW, NUMBERS, REPORTER
from balai_pengaduan.reports import reporter, service
from balai_pengaduan.reports.forms import CodeForm, PhoneForm, ReporterStepForm, ReportForm
from balai_pengaduan.settings import city_settings
from balai_pengaduan.tables import Follower, Photo, Report

REPORT_PATH = "/pengaduan/lapor"


def _chosen(kategori: str | None) -> Any:
    return city_settings().category(kategori or "") if kategori else None


async def _form_page(request: Request, form: ReportForm, category: Any, **extra: Any) -> dict:
    settings = city_settings()
    return {
        "form": form,
        "category": category,
        "emergency_number": settings.emergency_number,
        "duplicates": [],
        "bounds": settings.bounds.corners() if settings.bounds else None,
        **extra,
    }


@get("/lapor", opt=tk.PUBLIC, name="pengaduan:report-start")
async def report_start(request: Request, kategori: FromQuery[str | None] = None) -> Response:
    """Step 1: the categories (emergencies first, with the call button); then the form."""
    settings = city_settings()
    category = _chosen(kategori)
    if category is None:
        ordered = sorted(settings.categories, key=lambda c: (not c.emergency, c.name))
        return await tk.render(
            request,
            "pengaduan/report_categories.html",
            {"categories": ordered, "emergency_number": settings.emergency_number},
        )
    if await reporter.reporter_id(request) is None:
        target = tk.city_url(request, f"{REPORT_PATH}?kategori={category.code}")
        return await tk.render(
            request,
            "pengaduan/report_who.html",
            {
                "category": category,
                "emergency_number": settings.emergency_number,
                "next": target,
                "form": PhoneForm(),
            },
        )
    form = ReportForm(initial={"category": category.code})
    return await tk.render(
        request, "pengaduan/report_form.html", await _form_page(request, form, category)
    )


@post("/lapor", opt=tk.PUBLIC, name="pengaduan:report-send")
async def report_send(request: Request) -> Response:
    """Store the report (a number at once), or show the form again with the reasons (400).

    Open reports of the same category nearby are shown first; the visitor
    follows one of them or says theirs is another problem (``baru=1``).
    """
    who = await reporter.reporter_id(request)
    if who is None:
        raise tk_forbidden()
    form = ReportForm(await request.form())
    valid = await form.validate(owner_id=who)
    category = city_settings().category(form.clean.get("category") or "")
    if not valid or category is None:
        context = await _form_page(request, form, category)
        return await tk.render(request, "pengaduan/report_form.html", context, status_code=400)
    clean = form.clean
    if not clean["baru"]:
        duplicates = await service.nearby(
            category.code, clean["latitude"], clean["longitude"], clean["kelurahan"] or ""
        )
        if duplicates:
            context = await _form_page(request, form, category, duplicates=duplicates)
            return await tk.render(request, "pengaduan/report_form.html", context)
    row = await service.create(
        service.NewReport(
            category=category,
            description=clean["description"],
            kelurahan=clean["kelurahan"] or "",
            address=clean["address"],
            latitude=clean["latitude"],
            longitude=clean["longitude"],
            reporter_id=who,
            photo_ids=form.photos(),
        )
    )
    tk.flash(request, tk._("Report %(number)s is received.", number=row["number"]), "success")
    return Redirect(tk.city_url(request, f"/pengaduan/laporan/{row['number']}"), status_code=303)


def tk_forbidden() -> Exception:
    """The refusal of a report from a visitor who neither signed in nor confirmed a number."""
    return PermissionDeniedException(tk._("Confirm your mobile number before reporting."))


# --- confirming a number ----------------------------------------------------------------


@post("/lapor/nomor", opt=tk.PUBLIC, name="pengaduan:phone-send")
async def phone_send(request: Request) -> Response:
    """Text a code to the number typed (throttled by the core), then ask for it."""
    data = await request.form()
    form = PhoneForm(data)
    next_url = tk.safe_next(request, data.get("next"), "/pengaduan/lapor")
    settings = city_settings()
    context = {
        "form": form,
        "next": next_url,
        "category": None,
        "emergency_number": settings.emergency_number,
    }
    if not await form.validate():
        return await tk.render(request, "pengaduan/report_who.html", context, status_code=400)
    if not await tk.send_phone_code(request, form.clean["phone"], name=form.clean["name"]):
        form.add_error("phone", tk._("No code can be sent to this number now. Try again later."))
        return await tk.render(request, "pengaduan/report_who.html", context, status_code=429)
    request.set_session(
        {**(request.session or {}), reporter.pending_phone_key(): form.clean["phone"]}
    )
    # A new session renews the CSRF token: the code form is drawn by its own GET.
    target = tk.city_url(request, "/pengaduan/lapor/kode") + "?" + urlencode({"next": next_url})
    return Redirect(target, status_code=303)


@get("/lapor/kode", opt={**tk.PUBLIC, "private": True}, name="pengaduan:phone-code")
async def phone_code(request: Request, next: FromQuery[str] = "") -> Response:
    """The form for the code texted to the number this browser gave (else back to the start)."""
    phone = (request.session or {}).get(reporter.pending_phone_key())
    if not isinstance(phone, str) or not phone:
        return Redirect(tk.city_url(request, REPORT_PATH), status_code=303)
    next_url = tk.safe_next(request, next, REPORT_PATH)
    return await tk.render(
        request,
        "pengaduan/report_code.html",
        {"form": CodeForm(), "next": next_url, "phone": phone},
    )


@post("/lapor/kode", opt=tk.PUBLIC, name="pengaduan:phone-confirm")
async def phone_confirm(request: Request) -> Response:
    """Check the code; a right one lets this browser report as the number's holder."""
    data = await request.form()
    form = CodeForm(data)
    next_url = tk.safe_next(request, data.get("next"), "/pengaduan/lapor")
    phone = (request.session or {}).get(reporter.pending_phone_key())
    context = {"form": form, "next": next_url, "phone": phone or ""}
    if not isinstance(phone, str) or not phone:
        form.add_error("code", tk._("No code has been sent yet. Ask for one."))
        return await tk.render(request, "pengaduan/report_code.html", context, status_code=400)
    if not await form.validate():
        return await tk.render(request, "pengaduan/report_code.html", context, status_code=400)
    confirmed = await tk.confirm_phone_code(request, phone, form.clean["code"])
    if not confirmed.ok:
        form.add_error("code", confirmed.problem)
        return await tk.render(request, "pengaduan/report_code.html", context, status_code=400)
    reporter.remember(request, confirmed.user_id)
    tk.flash(request, tk._("Your number is confirmed."), "success")
    return Redirect(next_url, status_code=303)


# --- one report ----------------------------------------------------------------------------


async def find_report(number: str) -> dict[str, Any]:
    """The city's report ``number`` (typed any way ``NUMBERS`` reads); 404 otherwise."""
    parsed = NUMBERS.parse(number)
    row = await Report.select().where(Report.number == parsed).first() if parsed else None
    if not row:
        raise NotFoundException()
    return row


async def public_context(row: dict[str, Any]) -> dict[str, Any]:
    """What anyone may see of a report: no reporter, cleared photos only, public steps."""
    settings = city_settings()
    photos = await Photo.select(Photo.file_id).where(
        (Photo.report_id == row["id"]) & (Photo.cleared == True)  # noqa: E712
    )
    history = [step for step in await FLOW.history(row["id"]) if step["transition"] != "internal"]
    category = settings.category(row["category"])
    department = settings.department(row["department"])
    return {
        "report": row,
        "category_name": category.name if category else row["category"],
        "department_name": department.name if department else row["department"],
        "photos": [p["file_id"] for p in photos],
        "history": history,
        "labels": FLOW.labels(),
    }


@get("/laporan/{number:str}", opt=tk.PUBLIC, name="pengaduan:report")
async def report_page(request: Request, number: FromPath[str]) -> Response:
    """A report as the public sees it; its reporter also gets confirm / reopen."""
    row = await find_report(number)
    context = await public_context(row)
    who = await reporter.reporter_id(request)
    steps = []
    if who is not None and who == row["reporter_id"]:
        actor = tk.Actor(who, frozenset(), frozenset({REPORTER}))
        steps = [t for t in FLOW.available(row, actor) if within_window(row)]
    context.update(
        {
            "steps": steps,
            "is_reporter": who == row["reporter_id"] and who is not None,
            "following": False,
            "who": who,
        }
    )
    if who is not None and not context["is_reporter"]:
        context["following"] = await Follower.exists().where(
            (Follower.report_id == row["id"]) & (Follower.user_id == who)
        )
    return await tk.render(request, "pengaduan/report.html", context)


def within_window(row: dict[str, Any]) -> bool:
    """Whether a resolved report may still be confirmed or reopened by its reporter."""
    resolved = row.get("resolved_at")
    if resolved is None:
        return True
    if resolved.tzinfo is None:
        resolved = resolved.replace(tzinfo=UTC)
    return datetime.now(UTC) <= resolved + timedelta(days=city_settings().confirm_days)


@post("/laporan/{number:str}/langkah", opt=tk.PUBLIC, name="pengaduan:report-step")
async def report_step(request: Request, number: FromPath[str]) -> Response:
    """The reporter confirms the fix or reopens the report (with a reason)."""
    row = await find_report(number)
    who = await reporter.reporter_id(request)
    if who is None or who != row["reporter_id"]:
        raise tk_forbidden()
    form = ReporterStepForm(await request.form())
    valid = await form.validate()
    seen = form.clean.get("seen") or ""
    record = {**row, "status": seen} if seen in FLOW.states else row
    actor = tk.Actor(who, frozenset(), frozenset({REPORTER}))
    error = ""
    if not within_window(row):
        error = tk._("The time to confirm or reopen this report has passed.")
    elif not valid:
        error = next(iter(form.errors.values()))
    else:
        try:
            await FLOW.move(
                record, form.clean["step"], actor, comment=form.clean["comment"], request=request
            )
        except tk.MoveRefused as refused:
            error = str(refused)
    if error:
        context = await public_context(row)
        context.update(
            {
                "steps": FLOW.available(row, actor),
                "is_reporter": True,
                "following": False,
                "who": who,
                "error": error,
            }
        )
        return await tk.render(request, "pengaduan/report.html", context, status_code=400)
    tk.flash(request, tk._("Thank you. The report is updated."), "success")
    return Redirect(tk.city_url(request, f"/pengaduan/laporan/{row['number']}"), status_code=303)


@post("/laporan/{number:str}/ikuti", opt=tk.PUBLIC, name="pengaduan:report-follow")
async def report_follow(request: Request, number: FromPath[str]) -> Response:
    """Follow a report instead of making a duplicate: its public steps reach you too."""
    row = await find_report(number)
    who = await reporter.reporter_id(request)
    if who is None:
        raise tk_forbidden()
    if who != row["reporter_id"] and not await Follower.exists().where(
        (Follower.report_id == row["id"]) & (Follower.user_id == who)
    ):
        await Follower.insert(Follower(report_id=row["id"], user_id=who))
    tk.flash(request, tk._("You follow report %(number)s.", number=row["number"]), "success")
    return Redirect(tk.city_url(request, f"/pengaduan/laporan/{row['number']}"), status_code=303)


@get("/saya", opt={**tk.PUBLIC, "private": True}, name="pengaduan:mine")
async def my_reports(request: Request) -> Response:
    """The reports of this visitor (signed in, or a confirmed number), newest first."""
    who = await reporter.reporter_id(request)
    if who is None:
        return Redirect(tk.city_url(request, "/pengaduan/lapor"), status_code=303)
    found = await tk.paginate(
        request,
        Report.select(Report.number, Report.category, Report.status, Report.created_at)
        .where(Report.reporter_id == who)
        .order_by(Report.created_at, ascending=False),
        per_page=city_settings().per_page,
    )
    names = {c.code: c.name for c in city_settings().categories}
    return await tk.render(
        request, "pengaduan/mine.html", {"found": found, "names": names, "labels": FLOW.labels()}
    )


PAGES = [
    report_start,
    report_send,
    phone_send,
    phone_code,
    phone_confirm,
    report_page,
    report_step,
    report_follow,
    my_reports,
]
