"""Bapenda's PBB-P2 office pages: assessment runs, objects, corrections, arrears.

The yearly assessment run, a tax object with its bills and corrections, and
the arrears by district and village. Every page needs ``pajak.manage``. A
NOP or run of another city answers 404 (the tables are city-scoped).
Officers see the taxpayer's NIK masked; every view of an object page and
every correction is written to the audit log.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from balai import toolkit as tk
from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from balai_pajak.pbb import arrears, notices
from balai_pajak.pbb.assessment_run import (
    NO_RULE,
    RunInProgress,
    resumable,
    resume_run,
    stalled,
    start_run,
)
from balai_pajak.pbb.penalty import amount_owed, rate_text
from balai_pajak.pbb.rules import NoRuleError, pbb_settings
from balai_pajak.tables import (
    AssessmentRun,
    ObjectCorrection,
    RunStatus,
    Sppt,
    TaxObject,
    Taxpayer,
)

MANAGE = "pajak.manage"
GUARD = [tk.require_permission(MANAGE)]
RUNS_SHOWN = 20
POLL_SECONDS = 2
MIN_REASON = 10


# --- helpers -----------------------------------------------------------------------


def _today():
    return datetime.now(UTC).astimezone(tk.current_city().tz).date()


def _rule_rows() -> list[dict]:
    """The city's rules for the runs page: year, citation, tariff text, NJOPTKP."""
    rows = []
    for rule in sorted(pbb_settings(tk.current_city()).rules, key=lambda r: r.valid_from):
        if rule.rate_ppm is not None:
            tariff = rate_text(rule.rate_ppm)
        else:
            parts = []
            for band in rule.bands:
                if band.up_to is None:
                    parts.append(tk._("%(rate)s above", rate=rate_text(band.rate_ppm)))
                else:
                    parts.append(
                        tk._(
                            "%(rate)s up to %(amount)s",
                            rate=rate_text(band.rate_ppm),
                            amount=tk.rupiah(band.up_to),
                        )
                    )
            tariff = "; ".join(parts)
        rows.append(
            {
                "valid_from": rule.valid_from,
                "regulation": rule.regulation,
                "tariff": tariff,
                "njoptkp": rule.njoptkp,
                "note": rule.note,
            }
        )
    return rows


def _run_view(run: dict) -> dict:
    """A run row with what the templates show: percent, finished, failure reason."""
    total = run["total"] or 0
    percent = (
        100
        if run["status"] == RunStatus.DONE.value
        else (min(100, run["done"] * 100 // total) if total else 0)
    )
    message = run["message"]
    if message == NO_RULE:
        message = tk._("No PBB-P2 rule is in force for %(year)s.", year=run["year"])
    return {
        **run,
        "percent": percent,
        "finished": run["status"] != RunStatus.RUNNING.value,
        "last_nop_display": tk.format_nop(run["last_nop"]) if run["last_nop"] else "—",
        "stalled": stalled(run, datetime.now(UTC)),
        "resumable": resumable(run, datetime.now(UTC)),
        "failure": message,
    }


async def _run_or_404(run_id: int) -> dict:
    run = await AssessmentRun.select().where(AssessmentRun.id == run_id).first()
    if run is None:
        raise NotFoundException()
    return run


async def _object_or_404(nop: str) -> dict:
    try:
        digits = tk.parse_nop(nop)
    except tk.NopError as exc:
        raise NotFoundException() from exc
    row = await TaxObject.select().where(TaxObject.nop == digits).first()
    if row is None:
        raise NotFoundException()
    return row


def mask_nik(nik: str) -> str:
    """A NIK with all but its last four digits hidden (``************1234``)."""
    return "*" * (len(nik) - 4) + nik[-4:] if len(nik) > 4 else nik


# --- the yearly assessment run -----------------------------------------------------


async def _render_runs(request: Request, year_text: str, error: str | None, status: int):
    runs = (
        await AssessmentRun.select().order_by(AssessmentRun.id, ascending=False).limit(RUNS_SHOWN)
    )
    return await tk.render(
        request,
        "pajak/pbb_runs.html",
        {
            "year": year_text,
            "error": error,
            "runs": [_run_view(r) for r in runs],
            "rules": _rule_rows(),
        },
        status_code=status,
    )


def _year_message() -> str:
    return tk._(
        "Enter a tax year between 1990 and %(last)s, for example %(year)s.",
        last=_today().year + 1,
        year=_today().year,
    )


class _TaxYearField(tk.IntegerField):
    """A tax year from 1990 to next year (next year's SPPT may be prepared ahead)."""

    def parse(self, text: str) -> int:
        """The year, written in plain digits."""
        year = super().parse(text)
        if "." in text or year > _today().year + 1:
            raise tk.FieldError(_year_message())
        return year


class YearForm(tk.Form):
    """The year of an assessment run to start."""

    year = _TaxYearField(
        "Tax year",
        min_value=1990,
        max_value=9999,
        missing=_year_message,
        invalid=_year_message,
    )


@get("/penetapan", guards=GUARD, name="pajak:assessment_runs")
async def assessment_runs(request: Request) -> Response:
    """The assessment runs of the city, and the form to start one for a year."""
    return await _render_runs(request, str(_today().year), None, 200)


@post("/penetapan", guards=GUARD, name="pajak:assessment_start")
async def assessment_start(request: Request) -> Response:
    """Start the run of the year typed; 400 with the reason when it cannot start."""
    form = YearForm(await request.form())
    if not await form.validate():
        return await _render_runs(request, form.values["year"], form.errors["year"], 400)
    year = form.clean["year"]
    user = await tk.current_user(request)
    try:
        run_id = await start_run(year, user.id if user else None)
    except NoRuleError:
        error = tk._(
            "No PBB-P2 rule is in force for %(year)s. Add the rule to the city's settings first.",
            year=year,
        )
        return await _render_runs(request, form.values["year"], error, 400)
    except RunInProgress as going:
        tk.flash(request, tk._("The assessment of %(year)s is already running.", year=year), "info")
        return Redirect(
            tk.city_url(request, f"/kelola/pajak/penetapan/{going.run_id}"), status_code=303
        )
    await tk.audit_record(
        "pajak.assessment_started",
        actor_id=user.id if user else None,
        request=request,
        subject=f"assessment_run:{run_id}",
        detail={"year": year},
    )
    tk.flash(request, tk._("The assessment of %(year)s has started.", year=year), "success")
    return Redirect(tk.city_url(request, f"/kelola/pajak/penetapan/{run_id}"), status_code=303)


@get("/penetapan/{run_id:int}", guards=GUARD, name="pajak:assessment_run")
async def assessment_run(request: Request, run_id: FromPath[int]) -> Response:
    """One run: its progress while it goes (refreshing itself), its counts when done."""
    run = _run_view(await _run_or_404(run_id))
    return await tk.render(
        request, "pajak/pbb_run.html", {"run": run, "poll_seconds": POLL_SECONDS}
    )


@get("/penetapan/{run_id:int}/progres", guards=GUARD, name="pajak:assessment_progress")
async def assessment_progress(request: Request, run_id: FromPath[int]) -> Response:
    """The progress fragment htmx polls; once finished it asks for a full reload."""
    run = _run_view(await _run_or_404(run_id))
    response = await tk.render(
        request, "pajak/_pbb_run_progress.html", {"run": run, "poll_seconds": POLL_SECONDS}
    )
    if run["finished"]:
        response.headers["HX-Refresh"] = "true"
    return response


@post("/penetapan/{run_id:int}/lanjutkan", guards=GUARD, name="pajak:assessment_resume")
async def assessment_resume(request: Request, run_id: FromPath[int]) -> Response:
    """Queue a stopped run again; it continues after the last NOP it finished."""
    run = await _run_or_404(run_id)
    if await resume_run(run_id):
        user = await tk.current_user(request)
        await tk.audit_record(
            "pajak.assessment_resumed",
            actor_id=user.id if user else None,
            request=request,
            subject=f"assessment_run:{run_id}",
            detail={"year": run["year"], "last_nop": run["last_nop"]},
        )
        tk.flash(request, tk._("The assessment continues where it stopped."), "success")
    else:
        tk.flash(request, tk._("This assessment is complete or still making progress."), "info")
    return Redirect(tk.city_url(request, f"/kelola/pajak/penetapan/{run_id}"), status_code=303)


@post("/penetapan/{run_id:int}/sppt", guards=GUARD, name="pajak:assessment_notices")
async def assessment_notices(request: Request, run_id: FromPath[int]) -> Response:
    """Queue the finished run's SPPT notices (documents for the head of Bapenda to sign)."""
    run = await _run_or_404(run_id)
    if run["status"] != RunStatus.DONE.value:
        tk.flash(request, tk._("Issue the notices once the assessment is complete."), "error")
        return Redirect(tk.city_url(request, f"/kelola/pajak/penetapan/{run_id}"), status_code=303)
    user = await tk.current_user(request)
    await tk.enqueue(notices.JOB_NAME, tk.current_city(), year=run["year"])
    await tk.audit_record(
        "pajak.notices_requested",
        actor_id=user.id if user else None,
        request=request,
        subject=f"assessment_run:{run_id}",
        detail={"year": run["year"]},
    )
    tk.flash(
        request,
        tk._("The SPPT notices of %(year)s are being issued for signature.", year=run["year"]),
        "success",
    )
    return Redirect(tk.city_url(request, f"/kelola/pajak/penetapan/{run_id}"), status_code=303)


# --- one tax object -----------------------------------------------------------------


async def _taxpayer(taxpayer_id: int | None) -> dict | None:
    if taxpayer_id is None:
        return None
    return await Taxpayer.select().where(Taxpayer.id == taxpayer_id).first()


@get("/objek/{nop:str}", guards=GUARD, name="pajak:object")
async def object_detail(request: Request, nop: FromPath[str]) -> Response:
    """A tax object: its data, taxpayer, every bill with what it owes today, corrections."""
    obj = await _object_or_404(nop)
    city = tk.current_city()
    taxpayer = await _taxpayer(obj["taxpayer"])
    bills = (
        await Sppt.select().where(Sppt.tax_object == obj["id"]).order_by(Sppt.year, ascending=False)
    )
    today = _today()
    shown_bills = [{**b, "owed": amount_owed(b, today, city)} for b in bills]
    corrections = (
        await ObjectCorrection.select()
        .where(ObjectCorrection.tax_object == obj["id"])
        .order_by(ObjectCorrection.id, ascending=False)
    )
    user = await tk.current_user(request)
    await tk.audit_record(
        "pajak.object_viewed",
        actor_id=user.id if user else None,
        request=request,
        subject=f"nop:{obj['nop']}",
    )
    return await tk.render(
        request,
        "pajak/pbb_object.html",
        {
            "obj": {**obj, "nop_display": tk.format_nop(obj["nop"])},
            "taxpayer": taxpayer,
            "nik_masked": mask_nik(taxpayer["nik"]) if taxpayer and taxpayer["nik"] else "",
            "bills": shown_bills,
            "today": today,
            "corrections": [
                {**c, "changes": json.loads(c["changes"] or "{}")} for c in corrections
            ],
        },
    )


# --- correcting a tax object --------------------------------------------------------


def _at_most(limit: int):
    return lambda: tk._("At most %(max)s characters.", max=limit)


def _whole_number(limit: int):
    return lambda: tk._("Enter a whole number from 0 to %(max)s.", max=tk.format_number(limit))


def _text(label: str, limit: int, *, required: bool = True) -> tk.TextField:
    required_message = tk.N_("This field is required.")
    return tk.TextField(
        label,
        max_length=limit,
        required=required,
        missing=required_message,
        invalid=_at_most(limit),
    )


def _count(label: str, limit: int) -> tk.IntegerField:
    message = _whole_number(limit)
    return tk.IntegerField(label, min_value=0, max_value=limit, missing=message, invalid=message)


class LandClassField(tk.Field):
    """A land or building class: at most 4 letters or digits (a dash allowed), stored upper-case."""

    empty = ""
    max_input = 4

    def __init__(self, label: str) -> None:
        super().__init__(label, required=False)

    def parse(self, text: str) -> str:
        """The class in capitals."""
        if not text.replace("-", "").isalnum():
            raise self.too_long()
        return text.upper()

    def too_long(self) -> tk.FieldError:
        """Not a class."""
        return tk.FieldError(tk._("A class has at most 4 letters or digits, for example A12."))


class RecordedNikField(tk.Field):
    """A taxpayer's NIK as the roll records it: 16 digits, or nothing when unknown.

    The roll's NIKs are not checked for their structure (``tk.NikField``):
    an old record may hold one that the registry has since corrected.
    """

    empty = ""
    inputmode = "numeric"
    max_input = 16

    def __init__(self, label: str) -> None:
        super().__init__(label, required=False)

    def parse(self, text: str) -> str:
        """The 16 digits."""
        if not (len(text) == 16 and text.isascii() and text.isdigit()):
            raise self.too_long()
        return text

    def too_long(self) -> tk.FieldError:
        """Not 16 digits."""
        return tk.FieldError(tk._("A NIK has exactly 16 digits; leave it empty when unknown."))


class ReasonField(tk.TextField):
    """Why the object is corrected: at least :data:`MIN_REASON` characters."""

    def parse(self, text: str) -> str:
        """The reason, long enough to say what it rests on."""
        if len(text) < MIN_REASON:
            raise tk.FieldError(self.missing_message())
        return super().parse(text)


def _reason_message() -> str:
    return tk._(
        "Explain the correction in at least %(min)s characters (for example the "
        "document it rests on).",
        min=MIN_REASON,
    )


class ObjectCorrectionForm(tk.Form):
    """An officer's correction of a tax object and its taxpayer, with the reason."""

    address = _text(tk.N_("Address"), 200)
    district = _text(tk.N_("District"), 60)
    village = _text(tk.N_("Village"), 60)
    land_area = _count(tk.N_("Land area (m²)"), 100_000_000)
    building_area = _count(tk.N_("Building area (m²)"), 100_000_000)
    land_class = LandClassField(tk.N_("Land NJOP class"))
    building_class = LandClassField(tk.N_("Building NJOP class"))
    land_njop_per_m2 = _count(tk.N_("Land NJOP per m² (Rp)"), 1_000_000_000)
    building_njop_per_m2 = _count(tk.N_("Building NJOP per m² (Rp)"), 1_000_000_000)
    taxpayer_name = _text(tk.N_("Name"), 200)
    taxpayer_nik = RecordedNikField(tk.N_("NIK"))
    taxpayer_address = _text(tk.N_("Taxpayer's address"), 300, required=False)
    reason = ReasonField("Reason", max_length=1000, multiline=True, missing=_reason_message)


FIELDS = tuple(name for name in ObjectCorrectionForm.fields if name != "reason")
OBJECT_FIELDS = tuple(f for f in FIELDS if not f.startswith("taxpayer_"))


def current_values(obj: dict, taxpayer: dict | None) -> dict[str, str]:
    """The correction form filled with the object's current data."""
    values = {name: str(obj[name]) for name in OBJECT_FIELDS}
    values["taxpayer_name"] = taxpayer["name"] if taxpayer else ""
    values["taxpayer_nik"] = taxpayer["nik"] if taxpayer else ""
    values["taxpayer_address"] = taxpayer["address"] if taxpayer else ""
    values["reason"] = ""
    return values


async def read_correction(form) -> tuple[dict[str, str], dict, dict[str, str]]:
    """What was typed (for re-rendering), the parsed values, and the errors by field."""
    correction = ObjectCorrectionForm(form)
    await correction.validate()
    return correction.values, correction.clean, correction.errors


async def _render_correction(request, obj, values, errors, status):
    return await tk.render(
        request,
        "pajak/pbb_correction.html",
        {
            "obj": {**obj, "nop_display": tk.format_nop(obj["nop"])},
            "values": values,
            "errors": errors,
        },
        status_code=status,
    )


@get("/objek/{nop:str}/koreksi", guards=GUARD, name="pajak:object_correction_form")
async def correction_form(request: Request, nop: FromPath[str]) -> Response:
    """The correction form, filled with the object's current data."""
    obj = await _object_or_404(nop)
    values = current_values(obj, await _taxpayer(obj["taxpayer"]))
    return await _render_correction(request, obj, values, {}, 200)


async def _taxpayer_for(current: dict | None, name: str, nik: str, address: str) -> int:
    """Which taxpayer the object belongs to after the correction.

    The same NIK as the current taxpayer's (both may be empty): the current
    taxpayer's record is corrected (a misspelt name, a new address), for all
    their objects. The NIK of another registered taxpayer: the object moves
    to them. Otherwise (a new owner): a new taxpayer. Returns the taxpayer's id.
    """
    if current is not None and (nik == current["nik"]):
        changes = {k: v for k, v in (("name", name), ("address", address)) if current[k] != v}
        if changes:
            await Taxpayer.update(changes).where(Taxpayer.id == current["id"])
        return current["id"]
    if nik:
        other = await Taxpayer.select(Taxpayer.id).where(Taxpayer.nik == nik).first()
        if other is not None:
            return other["id"]
    row = (
        await Taxpayer.insert(
            Taxpayer(name=name, nik=nik, address=address, created_at=datetime.now(UTC))
        )
    )[0]
    return row["id"]


@post("/objek/{nop:str}/koreksi", guards=GUARD, name="pajak:object_correct")
async def correct(request: Request, nop: FromPath[str]) -> Response:
    """Apply a correction with its reason: audited, and kept in the object's history."""
    obj = await _object_or_404(nop)
    taxpayer = await _taxpayer(obj["taxpayer"])
    typed, parsed, errors = await read_correction(await request.form())
    if errors:
        return await _render_correction(request, obj, typed, errors, 400)
    before = current_values(obj, taxpayer)
    changes = {
        name: [before[name], str(parsed[name])]
        for name in FIELDS
        if before[name] != str(parsed[name])
    }
    if not changes:
        errors["form"] = tk._("Nothing was changed. Correct at least one field.")
        return await _render_correction(request, obj, typed, errors, 400)
    user = await tk.current_user(request)
    now = datetime.now(UTC)
    async with TaxObject._meta.db.transaction():
        taxpayer_id = await _taxpayer_for(
            taxpayer,
            parsed["taxpayer_name"],
            parsed["taxpayer_nik"],
            parsed["taxpayer_address"],
        )
        update = {name: parsed[name] for name in OBJECT_FIELDS}
        update["taxpayer"] = taxpayer_id
        update["updated_at"] = now
        await TaxObject.update(update).where(TaxObject.id == obj["id"])
        await ObjectCorrection.insert(
            ObjectCorrection(
                tax_object=obj["id"],
                reason=parsed["reason"],
                changes=json.dumps(changes, ensure_ascii=False),
                officer_id=user.id if user else None,
                created_at=now,
            )
        )
        await tk.audit_record(
            "pajak.object_corrected",
            actor_id=user.id if user else None,
            request=request,
            subject=f"nop:{obj['nop']}",
            detail={"fields": sorted(changes), "reason": typed["reason"][:200]},
        )
    tk.flash(request, tk._("The correction is saved."), "success")
    return Redirect(tk.city_url(request, f"/kelola/pajak/objek/{obj['nop']}"), status_code=303)


# --- arrears --------------------------------------------------------------------------


@get("/tunggakan", guards=GUARD, name="pajak:arrears")
async def arrears_page(request: Request, kecamatan: FromQuery[str | None] = None) -> Response:
    """Overdue bills by district, or by village of one district (``?kecamatan=``)."""
    today = _today()
    city = tk.current_city()
    if kecamatan is not None:
        district = kecamatan.strip()[:60]
        rows = await arrears.by_area(today, city, district=district)
        if not rows:
            raise NotFoundException()
    else:
        district = None
        rows = await arrears.by_area(today, city)
    total = arrears.total_of(rows)
    return await tk.render(
        request,
        "pajak/pbb_arrears.html",
        {"rows": rows, "total": total, "district": district, "today": today},
    )


OFFICE = [
    assessment_runs,
    assessment_start,
    assessment_run,
    assessment_progress,
    assessment_resume,
    assessment_notices,
    object_detail,
    correction_form,
    correct,
    arrears_page,
]
