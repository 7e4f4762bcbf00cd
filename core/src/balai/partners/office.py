"""Officer pages at ``/kelola/mitra/``: partners, their settings and secrets, their payments.

A client secret is shown once, on the page that answers its creation or
rotation (not cached); afterwards only its last four characters are shown.
Every change is audited.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect

from balai.auth.access import current_user, require_permission
from balai.i18n import N_
from balai.i18n import gettext as _
from balai.partners import manage, perms, reconcile
from balai.partners.tables import Partner, PartnerPayment, PartnerReconDiff, PartnerReconRun
from balai.partners.types import PartnerService
from balai.tenants import current_city
from balai.web.lists import paginate
from balai.web.rendering import city_url, flash, render

PER_PAGE = 20
log = logging.getLogger("balai.partners.office")

MAX_FEE_TEXT = 14
SERVICE_TITLES = {
    PartnerService.BILLS: N_("Bill payments"),
    PartnerService.TICKETS: N_("Tickets"),
    PartnerService.CATALOGUE: N_("Catalogue feed"),
}
FEE_MESSAGE = N_("Enter the fee per paid bill in whole rupiah (0 or more).")
FIELD_MESSAGES = {
    "name": N_("Give the partner's name (at most 120 characters)."),
    "services": N_("Choose at least one service."),
    "public_key": N_(
        "Paste the partner's public key in PEM form: RSA of 2048 bits or more, or ECDSA P-256."
    ),
    "ip_allow": N_("One address or network per line (e.g. 203.0.113.0/24), at most 50."),
    "fee_flat": FEE_MESSAGE,
}


async def _audit(request: Request, action: str, partner_id: int, detail: dict) -> None:
    from balai.audit.log import record

    user = await current_user(request)
    await record(
        action,
        actor_id=user.id if user else None,
        request=request,
        subject=f"partner:{partner_id}",
        detail=detail,
    )


def _services() -> list[dict[str, str]]:
    return [{"name": s.value, "title": _(SERVICE_TITLES[s])} for s in PartnerService]


async def _settings_from(request: Request) -> tuple[manage.PartnerSettings | None, dict, dict]:
    form = await request.form()
    values = {
        "name": str(form.get("name", "")),
        "services": [str(v) for v in form.getall("services", [])],
        "public_key": str(form.get("public_key", "")),
        "ip_allow": str(form.get("ip_allow", "")),
        "fee_flat": str(form.get("fee_flat", "0")).strip() or "0",
    }
    fee_text = values["fee_flat"].replace(".", "")
    if not (fee_text.isascii() and fee_text.isdigit()) or len(fee_text) > MAX_FEE_TEXT:
        return None, values, {"fee_flat": _(FEE_MESSAGE)}
    settings = manage.PartnerSettings(
        name=values["name"],
        services=tuple(values["services"]),
        public_key=values["public_key"],
        ip_allow=values["ip_allow"],
        fee_flat=int(fee_text),
    )
    try:
        return manage.check(settings), values, {}
    except manage.PartnerError as exc:
        log.warning("partner settings refused: %s: %s", exc.field, exc)
        return None, values, {exc.field: _(FIELD_MESSAGES[exc.field])}


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "private, no-store"
    return response


async def _partner(partner_id: int) -> dict[str, Any]:
    row = await manage.partner_by_id(partner_id)
    if row is None:
        raise NotFoundException()
    return row


@get("/", guards=[require_permission(perms.VIEW)], name="partners-office-list")
async def partners_list(request: Request) -> Response:
    """The city's partners, a page at a time (``?page=``)."""
    found = await paginate(
        request, Partner.select().order_by(Partner.name, Partner.id), per_page=PER_PAGE
    )
    return await render(
        request, "partners/office_list.html", {"found": found, "titles": dict(_titles())}
    )


def _titles() -> list[tuple[str, str]]:
    return [(s["name"], s["title"]) for s in _services()]


@get("/baru", guards=[require_permission(perms.MANAGE)], name="partners-office-new")
async def new_form(request: Request) -> Response:
    """The form adding a partner."""
    return await render(
        request,
        "partners/office_form.html",
        {"values": {"services": ["bills"], "fee_flat": "0"}, "services": _services()},
    )


@post("/baru", guards=[require_permission(perms.MANAGE)], name="partners-office-create")
async def create(request: Request) -> Response:
    """Add a partner and show its client id and secret once."""
    settings, values, errors = await _settings_from(request)
    if settings is None:
        return await render(
            request,
            "partners/office_form.html",
            {"values": values, "services": _services(), "errors": errors},
            status_code=400,
        )
    partner_id, secret = await manage.create_partner(
        settings, instance_secret=request.app.state.ui.config.secret_key
    )
    partner = await _partner(partner_id)
    await _audit(
        request,
        "partners.created",
        partner_id,
        {"client_id": partner["client_id"], "services": partner["services"]},
    )
    return _no_store(
        await render(request, "partners/office_secret.html", {"partner": partner, "secret": secret})
    )


@get("/{partner_id:int}", guards=[require_permission(perms.VIEW)], name="partners-office-detail")
async def detail(request: Request, partner_id: FromPath[int]) -> Response:
    """A partner's settings and its latest payments."""
    partner = await _partner(partner_id)
    return await render(request, "partners/office_detail.html", await _detail(partner))


async def _detail(partner: dict[str, Any], **extra: Any) -> dict[str, Any]:
    payments = (
        await PartnerPayment.select()
        .where(PartnerPayment.partner_id == partner["id"])
        .order_by(PartnerPayment.id, ascending=False)
        .limit(50)
    )
    values = {
        **partner,
        "services": partner["services"].split(","),
        "fee_flat": str(partner["fee_flat"]),
    }
    return {
        "partner": partner,
        "payments": payments,
        "services": _services(),
        "values": values,
        "errors": {},
        **extra,
    }


@post("/{partner_id:int}", guards=[require_permission(perms.MANAGE)], name="partners-office-edit")
async def edit(request: Request, partner_id: FromPath[int]) -> Response:
    """Change a partner's name, services, key, allow-list and fee."""
    partner = await _partner(partner_id)
    settings, values, errors = await _settings_from(request)
    if settings is None:
        context = await _detail(partner, errors=errors)
        context["values"] = values
        return await render(request, "partners/office_detail.html", context, status_code=400)
    await manage.update_partner(partner_id, settings)
    await _audit(
        request,
        "partners.changed",
        partner_id,
        {"services": ",".join(settings.services), "fee_flat": settings.fee_flat},
    )
    flash(request, _("The partner's settings are saved."), "success")
    return Redirect(city_url(request, f"/kelola/mitra/{partner_id}"), status_code=303)


@post(
    "/{partner_id:int}/rahasia",
    guards=[require_permission(perms.MANAGE)],
    name="partners-office-rotate",
)
async def rotate(request: Request, partner_id: FromPath[int]) -> Response:
    """Issue a new client secret (the old one and every token stop working); shown once."""
    partner = await _partner(partner_id)
    secret = await manage.rotate_secret(
        partner_id, instance_secret=request.app.state.ui.config.secret_key
    )
    await _audit(request, "partners.secret_rotated", partner_id, {})
    partner = await _partner(partner_id)
    return _no_store(
        await render(request, "partners/office_secret.html", {"partner": partner, "secret": secret})
    )


@post(
    "/{partner_id:int}/status",
    guards=[require_permission(perms.MANAGE)],
    name="partners-office-status",
)
async def status(request: Request, partner_id: FromPath[int]) -> Response:
    """Suspend (its tokens withdrawn) or resume a partner."""
    partner = await _partner(partner_id)
    active = not partner["active"]
    await manage.set_active(partner_id, active)
    await _audit(request, "partners.resumed" if active else "partners.suspended", partner_id, {})
    flash(
        request,
        _("The partner may use its services again.") if active else _("The partner is suspended."),
        "success",
    )
    return Redirect(city_url(request, f"/kelola/mitra/{partner_id}"), status_code=303)


MAX_FILE = 4_000_000


async def _recon_context(partner: dict[str, Any], **extra: Any) -> dict[str, Any]:
    runs = (
        await PartnerReconRun.select()
        .where(PartnerReconRun.partner_id == partner["id"])
        .order_by(PartnerReconRun.id, ascending=False)
        .limit(30)
    )
    diffs = (
        await PartnerReconDiff.select()
        .where(PartnerReconDiff.run_id.is_in([r["id"] for r in runs] or [0]))
        .order_by(PartnerReconDiff.id, ascending=False)
        .limit(300)
    )
    return {
        "partner": partner,
        "runs": runs,
        "diffs": diffs,
        "default_day": _today().isoformat(),
        "errors": {},
        "values": {},
        **extra,
    }


def _today() -> date:
    return datetime.now(current_city().tz).date()


@get(
    "/{partner_id:int}/rekonsiliasi",
    guards=[require_permission(perms.VIEW)],
    name="partners-office-recon",
)
async def reconciliation(request: Request, partner_id: FromPath[int]) -> Response:
    """The partner's reconciliation runs and the mismatches they found."""
    partner = await _partner(partner_id)
    return await render(request, "partners/office_recon.html", await _recon_context(partner))


@get(
    "/{partner_id:int}/berkas/{day:str}",
    guards=[require_permission(perms.VIEW)],
    name="partners-office-recon-file",
)
async def our_file(request: Request, partner_id: FromPath[int], day: FromPath[str]) -> Response:
    """Our file of a business day as CSV (what the partner should have too)."""
    partner = await _partner(partner_id)
    try:
        when = date.fromisoformat(day[:10])
    except ValueError as exc:
        raise NotFoundException() from exc
    lines = await reconcile.our_lines(partner["id"], when)
    name = f"rekon-{partner['client_id']}-{when.isoformat()}.csv"
    return Response(
        reconcile.as_csv(lines),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@post(
    "/{partner_id:int}/rekonsiliasi",
    guards=[require_permission(perms.RECONCILE)],
    name="partners-office-recon-run",
)
async def run_reconciliation(request: Request, partner_id: FromPath[int]) -> Response:
    """Compare the partner's file of a day (pasted CSV) with ours; audited."""
    partner = await _partner(partner_id)
    form = await request.form()
    raw_day = str(form.get("day", "")).strip()[:20]
    text = str(form.get("file", ""))
    errors: dict[str, str] = {}
    try:
        day = date.fromisoformat(raw_day)
    except ValueError:
        day = None
    if day is None or day > _today():
        errors["day"] = _("Enter a past date or today as YYYY-MM-DD.")
    lines: list[reconcile.Line] = []
    if len(text) > MAX_FILE:
        errors["file"] = _("The file is too large (at most 4 MB).")
    else:
        try:
            lines = reconcile.read_csv(text)
        except reconcile.ReconFileError as exc:
            errors["file"] = _("The partner's file cannot be read: %(reason)s.", reason=str(exc))
    if errors or day is None:
        log.warning("partner reconciliation refused: %s", sorted(errors))
        context = await _recon_context(
            partner, errors=errors, values={"day": raw_day, "file": text[:MAX_FILE]}
        )
        return await render(request, "partners/office_recon.html", context, status_code=400)
    _run_id, matched, differences = await reconcile.run(partner["id"], day, lines, source="upload")
    await _audit(
        request,
        "partners.reconciled",
        partner["id"],
        {"day": day.isoformat(), "matched": matched, "differences": len(differences)},
    )
    flash(
        request,
        _(
            "Reconciled %(day)s: %(matched)s matched, %(diffs)s difference(s).",
            day=day.isoformat(),
            matched=matched,
            diffs=len(differences),
        ),
        "success" if not differences else "warning",
    )
    return Redirect(
        city_url(request, f"/kelola/mitra/{partner['id']}/rekonsiliasi"), status_code=303
    )


ROUTES = [
    partners_list,
    new_form,
    create,
    detail,
    edit,
    rotate,
    status,
    reconciliation,
    our_file,
    run_reconciliation,
]
