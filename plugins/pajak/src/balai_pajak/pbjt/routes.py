"""PBJT pages: businesses file and pay monthly returns; officers register and watch them.

Citizen pages under ``/pajak/usaha/``, office pages under ``/kelola/pajak/pbjt/``.
"""

from __future__ import annotations

from balai import toolkit as tk
from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from balai_pajak import forms, linkcode
from balai_pajak.months import Month, local_today
from balai_pajak.pbb.penalty import rate_text
from balai_pajak.pbjt import rules, service
from balai_pajak.pbjt.tables import Business, ReturnStatus, TaxReturn

MANAGE = "pajak.manage"


def kind_options() -> list[dict]:
    """The kinds of business PBJT covers, for a select."""
    titles = {
        "restaurant": tk._("Restaurant"),
        "hotel": tk._("Hotel"),
        "parking": tk._("Parking"),
        "entertainment": tk._("Entertainment"),
    }
    return [{"name": k, "title": titles[k]} for k in rules.KINDS]


def kind_title(kind: str) -> str:
    """The translated name of a kind of business."""
    return {o["name"]: o["title"] for o in kind_options()}.get(kind, kind)


def status_title(row: dict, today) -> tuple[str, str]:
    """A return's status as a (label, badge tone) pair."""
    status = row["status"]
    if status == ReturnStatus.PAID.value:
        return tk._("Paid"), "success"
    if status == ReturnStatus.NIL.value:
        return tk._("Nothing to pay"), "neutral"
    if status == ReturnStatus.REPLACED.value:
        return tk._("Replaced by a correction"), "neutral"
    if today > row["payment_deadline"]:
        return tk._("Overdue"), "danger"
    return tk._("Unpaid"), "warning"


def shown_return(row: dict, today) -> dict:
    """A return row ready for a template: month label, status, flags, amount owed today."""
    label, tone = status_title(row, today)
    shown = {
        **row,
        "month_label": forms.month_label(Month(row["year"], row["month"])),
        "status_label": label,
        "status_tone": tone,
        "late_payment": service.is_payment_late(row, today),
        "rate_label": rate_text(row["rate_ppm"]),
        "owed": None,
    }
    if row["status"] == ReturnStatus.UNPAID.value:
        shown["owed"] = service.owed_on(row, today)
    return shown


async def returns_of(business_id: int) -> list[dict]:
    """Every return of a business, newest month first, the latest filing of a month first."""
    return await (
        TaxReturn.select()
        .where(TaxReturn.business == business_id)
        .order_by(TaxReturn.year, ascending=False)
        .order_by(TaxReturn.month, ascending=False)
        .order_by(TaxReturn.id, ascending=False)
    )


# --- citizen pages -------------------------------------------------------------


async def _owned(request: Request, business_id: int) -> tuple[dict, tk.CurrentUser]:
    user = await tk.current_user(request)
    row = (
        await Business.select()
        .where((Business.id == business_id) & (Business.owner_id == user.id))  # type: ignore[union-attr]
        .first()
    )
    if row is None:
        raise NotFoundException()
    return row, user  # type: ignore[return-value]


async def _mine_context(request: Request, user) -> dict:
    rows = await Business.select().where(Business.owner_id == user.id).order_by(Business.name)
    return {
        "businesses": [{**b, "kind_title": kind_title(b["kind"])} for b in rows],
        "errors": {},
        "values": {},
    }


@get("/usaha", guards=[tk.require_login], name="pajak:pbjt-mine")
async def my_businesses(request: Request) -> Response:
    """The citizen's businesses, and the form to link one with its code."""
    user = await tk.current_user(request)
    return await tk.render(request, "pajak/pbjt/mine.html", await _mine_context(request, user))


@post("/usaha/tautkan", guards=[tk.require_login], name="pajak:pbjt-link")
async def link_business(request: Request) -> Response:
    """Link a business to the account with its NPWPD and the code an officer gave."""
    user = await tk.current_user(request)
    form = forms.BusinessLinkForm(await request.form())
    row = None
    if await form.validate():
        row = await Business.select().where(Business.npwpd == form.clean["npwpd"]).first()
        if row is None or not linkcode.matches(row["link_code"], form.clean["code"]):
            form.add_error("code", tk._(forms.BUSINESS_UNKNOWN))
    if form.errors or row is None:
        context = await _mine_context(request, user)
        context.update(errors=form.errors, values={"npwpd": form.values["npwpd"]})
        return await tk.render(request, "pajak/pbjt/mine.html", context, status_code=400)
    await Business.update({Business.owner_id: user.id, Business.link_code: ""}).where(  # type: ignore[union-attr]
        Business.id == row["id"]
    )
    await tk.audit_record(
        "pajak.pbjt_business_linked",
        actor_id=user.id,  # type: ignore[union-attr]
        request=request,
        subject=f"pbjt_business:{row['id']}",
        detail={"npwpd": row["npwpd"]},
    )
    tk.flash(request, tk._("%(name)s is linked to your account.", name=row["name"]), "success")
    return Redirect(tk.city_url(request, f"/pajak/usaha/{row['id']}"), status_code=303)


def _fileable_months(business: dict, today) -> list[dict]:
    """The last twelve ended months the business may file for, newest first."""
    months = []
    month = Month.of(today).previous()
    start = Month.of(business["started_on"])
    while month >= start and len(months) < 12:
        months.append({"name": str(month), "title": forms.month_label(month)})
        month = month.previous()
    return months


async def _business_context(business: dict) -> dict:
    city = tk.current_city()
    today = local_today(city.tz)
    rows = await returns_of(business["id"])
    return {
        "business": {**business, "kind_title": kind_title(business["kind"])},
        "returns": [shown_return(r, today) for r in rows],
        "months": _fileable_months(business, today),
        "errors": {},
        "values": {},
    }


@get("/usaha/{business_id:int}", guards=[tk.require_login], name="pajak:pbjt-business")
async def business_page(request: Request, business_id: FromPath[int]) -> Response:
    """One business: its returns with what is owed today, and the form to file a return."""
    business, _user = await _owned(request, business_id)
    return await tk.render(request, "pajak/pbjt/business.html", await _business_context(business))


@post("/usaha/{business_id:int}/lapor", guards=[tk.require_verified], name="pajak:pbjt-file")
async def file_return(request: Request, business_id: FromPath[int]) -> Response:
    """File the return of an ended month: turnover in, tax at the city's rate out."""
    business, user = await _owned(request, business_id)
    form = forms.ReturnForm(await request.form())
    if await form.validate():
        month = form.clean["month"]
        try:
            filed = await service.file_return(business, month, form.clean["turnover"], user.id)  # type: ignore[union-attr]
        except service.FilingError as exc:
            form.add_error(exc.field, exc.message)
    if form.errors:
        context = await _business_context(business)
        context.update(errors=form.errors, values=form.values)
        return await tk.render(request, "pajak/pbjt/business.html", context, status_code=400)
    message = tk._("The return for %(month)s is filed.", month=forms.month_label(month))
    if filed["late_filing"]:
        message += " " + tk._("It was filed after the deadline, so a late filing fine applies.")
    tk.flash(request, message, "success")
    return Redirect(tk.city_url(request, f"/pajak/usaha/{business['id']}"), status_code=303)


async def _own_return(business: dict, return_id: int) -> dict:
    row = (
        await TaxReturn.select()
        .where((TaxReturn.id == return_id) & (TaxReturn.business == business["id"]))
        .first()
    )
    if row is None:
        raise NotFoundException()
    return row


@post(
    "/usaha/{business_id:int}/spt/{return_id:int}/bayar",
    guards=[tk.require_verified],
    name="pajak:pbjt-pay",
)
async def pay_return(
    request: Request, business_id: FromPath[int], return_id: FromPath[int]
) -> Response:
    """Pay a return online: an invoice for what is owed today, then the payment page."""
    business, user = await _owned(request, business_id)
    tax_return = await _own_return(business, return_id)
    try:
        link = await service.start_payment(business, tax_return, user)
    except service.FilingError as exc:
        tk.flash(request, exc.message, "error")
        return Redirect(tk.city_url(request, f"/pajak/usaha/{business['id']}"), status_code=303)
    return Redirect(tk.city_url(request, f"/bayar/{link.invoice_number}"), status_code=303)


async def _correction_context(business: dict, tax_return: dict) -> dict:
    today = local_today(tk.current_city().tz)
    return {
        "business": business,
        "tax_return": shown_return(tax_return, today),
        "errors": {},
        "values": {"turnover": str(tax_return["turnover"])},
    }


@get(
    "/usaha/{business_id:int}/spt/{return_id:int}/pembetulan",
    guards=[tk.require_login],
    name="pajak:pbjt-correction-form",
)
async def correction_form(
    request: Request, business_id: FromPath[int], return_id: FromPath[int]
) -> Response:
    """The form to correct a filed, unpaid return (*pembetulan*)."""
    business, _user = await _owned(request, business_id)
    tax_return = await _own_return(business, return_id)
    return await tk.render(
        request, "pajak/pbjt/correction.html", await _correction_context(business, tax_return)
    )


@post(
    "/usaha/{business_id:int}/spt/{return_id:int}/pembetulan",
    guards=[tk.require_verified],
    name="pajak:pbjt-correct",
)
async def correct_return(
    request: Request, business_id: FromPath[int], return_id: FromPath[int]
) -> Response:
    """Replace a return with a corrected one, with a reason (audited)."""
    business, user = await _owned(request, business_id)
    tax_return = await _own_return(business, return_id)
    form = forms.CorrectionForm(await request.form())
    if await form.validate():
        turnover, reason = form.clean["turnover"], form.clean["reason"]
        try:
            await service.replace_return(business, tax_return, turnover, reason, user.id, request)
        except service.FilingError as exc:
            form.add_error(exc.field, exc.message)
    if form.errors:
        context = await _correction_context(business, tax_return)
        context.update(errors=form.errors, values=form.values)
        return await tk.render(request, "pajak/pbjt/correction.html", context, status_code=400)
    tk.flash(request, tk._("The correction is filed and replaces the earlier return."), "success")
    return Redirect(tk.city_url(request, f"/pajak/usaha/{business['id']}"), status_code=303)


# --- office pages --------------------------------------------------------------


async def _office_context(request: Request, month_text: str) -> tuple[dict, bool]:
    today = local_today(tk.current_city().tz)
    month = forms.month(month_text) if month_text else Month.of(today).previous()
    bad = month is None or month >= Month.of(today)
    if bad:
        month = Month.of(today).previous()
    businesses = await Business.select().order_by(Business.name)
    missing = await service.non_filers(month)  # type: ignore[arg-type]
    context = {
        "businesses": [{**b, "kind_title": kind_title(b["kind"])} for b in businesses],
        "month": str(month),
        "month_label": forms.month_label(month),  # type: ignore[arg-type]
        "non_filers": [{**b, "kind_title": kind_title(b["kind"])} for b in missing],
        "errors": {"month": tk._("Choose a month that has ended.")} if bad else {},
        "rules": [
            {
                "rule": rule,
                "rates": " · ".join(
                    f"{o['title']} {rate_text(getattr(rule, o['name'] + '_ppm'))}"
                    for o in kind_options()
                ),
            }
            for rule in sorted(
                service.settings_of(tk.current_city()).rules, key=lambda r: r.effective_from
            )
        ],
    }
    return context, bad


@get("/pbjt/", guards=[tk.require_permission(MANAGE)], name="pajak:pbjt-office")
async def office(request: Request, bulan: FromQuery[str] = "") -> Response:
    """Registered businesses and who has not filed for a month (``?bulan=2026-10``)."""
    context, bad = await _office_context(request, bulan[:10])
    return await tk.render(
        request, "pajak/pbjt/office.html", context, status_code=400 if bad else 200
    )


def _register_context(values: dict, errors: dict) -> dict:
    return {"kinds": kind_options(), "values": values, "errors": errors}


@get("/pbjt/baru", guards=[tk.require_permission(MANAGE)], name="pajak:pbjt-register-form")
async def register_form(request: Request) -> Response:
    """The form to register a business for PBJT."""
    return await tk.render(request, "pajak/pbjt/register.html", _register_context({}, {}))


@post("/pbjt/baru", guards=[tk.require_permission(MANAGE)], name="pajak:pbjt-register")
async def register(request: Request) -> Response:
    """Register a business; it gets a link code for its owner (audited)."""
    form = forms.BusinessForm(await request.form())
    await form.validate()
    values, clean = form.values, form.clean
    if "npwpd" in clean and await Business.exists().where(Business.npwpd == clean["npwpd"]):
        form.add_error("npwpd", tk._("A business with this NPWPD is already registered."))
    started = clean.get("started_on")
    if started is not None and started > Month.of(local_today(tk.current_city().tz)):
        form.add_error("started_on", tk._("The start month cannot be in the future."))
    if form.errors:
        return await tk.render(
            request,
            "pajak/pbjt/register.html",
            _register_context(values, form.errors),
            status_code=400,
        )
    user = await tk.current_user(request)
    row = Business(
        name=clean["name"],
        npwpd=clean["npwpd"],
        kind=clean["kind"],
        address=clean["address"],
        district=clean["district"],
        started_on=started.first_day,
        link_code=linkcode.new_code(),
        created_by=user.id,  # type: ignore[union-attr]
        created_at=service.now_utc(),
    )
    await row.save()
    await tk.audit_record(
        "pajak.pbjt_business_registered",
        actor_id=user.id,  # type: ignore[union-attr]
        request=request,
        subject=f"pbjt_business:{row.id}",
        detail={"npwpd": clean["npwpd"], "kind": clean["kind"]},
    )
    tk.flash(request, tk._("The business is registered."), "success")
    return Redirect(tk.city_url(request, f"/kelola/pajak/pbjt/{row.id}"), status_code=303)


async def _office_business(business_id: int) -> dict:
    row = await Business.select().where(Business.id == business_id).first()
    if row is None:
        raise NotFoundException()
    return row


@get(
    "/pbjt/{business_id:int}",
    guards=[tk.require_permission(MANAGE)],
    name="pajak:pbjt-office-business",
)
async def office_business(request: Request, business_id: FromPath[int]) -> Response:
    """A business's registration, its owner's name and contact, and its returns (audited).

    Showing the owner is a view of their personal data (``tk.person``).
    """
    business = await _office_business(business_id)
    user = await tk.current_user(request)
    await tk.audit_record(
        "pajak.pbjt_business_viewed",
        actor_id=user.id,  # type: ignore[union-attr]
        request=request,
        subject=f"pbjt_business:{business_id}",
    )
    return await _office_business_page(request, business)


async def _office_business_page(
    request: Request, business: dict, *, login: str = "", error: str = ""
) -> Response:
    owner = await tk.person(
        request, business["owner_id"], permission=MANAGE, subject=f"pbjt_business:{business['id']}"
    )
    context = await _business_context(business)
    context.update(owner=owner, login=login, errors={"login": error} if error else {})
    return await tk.render(
        request,
        "pajak/pbjt/office_business.html",
        context,
        status_code=400 if error else 200,
    )


@post(
    "/pbjt/{business_id:int}/pemilik",
    guards=[tk.require_permission(MANAGE)],
    name="pajak:pbjt-link-owner",
)
async def link_owner(request: Request, business_id: FromPath[int]) -> Response:
    """Link a business to its owner's account, found by the e-mail or phone they log in with.

    The look-up is an audited view of that person's data; the link itself is
    audited too. Linking replaces the link code (the owner needs none).
    """
    business = await _office_business(business_id)
    form = forms.OwnerLoginForm(await request.form())
    login = form.values["login"]
    subject = f"pbjt_business:{business_id}"
    found = None
    if await form.validate():
        found = await tk.look_up_account(request, login, permission=MANAGE, subject=subject)
        if found is None:
            form.add_error("login", tk._(forms.OWNER_UNKNOWN))
    if found is None:
        error = form.errors["login"]
        return await _office_business_page(request, business, login=login, error=error)
    user = await tk.current_user(request)
    await Business.update({Business.owner_id: found.id, Business.link_code: ""}).where(
        Business.id == business_id
    )
    await tk.audit_record(
        "pajak.pbjt_owner_linked",
        actor_id=user.id,  # type: ignore[union-attr]
        request=request,
        subject=subject,
        detail={"previous_owner": business["owner_id"], "owner": found.id},
    )
    tk.flash(
        request, tk._("The business is linked to %(name)s's account.", name=found.name), "success"
    )
    return Redirect(tk.city_url(request, f"/kelola/pajak/pbjt/{business_id}"), status_code=303)


@post(
    "/pbjt/{business_id:int}/kode",
    guards=[tk.require_permission(MANAGE)],
    name="pajak:pbjt-new-code",
)
async def new_link_code(request: Request, business_id: FromPath[int]) -> Response:
    """Give a business a new link code (e.g. a new owner), unlinking the old account; audited."""
    business = await _office_business(business_id)
    user = await tk.current_user(request)
    await Business.update({Business.link_code: linkcode.new_code(), Business.owner_id: None}).where(
        Business.id == business_id
    )
    await tk.audit_record(
        "pajak.pbjt_link_code_renewed",
        actor_id=user.id,  # type: ignore[union-attr]
        request=request,
        subject=f"pbjt_business:{business_id}",
        detail={"previous_owner": business["owner_id"]},
    )
    tk.flash(
        request, tk._("A new link code is ready; the previous owner's link was removed."), "success"
    )
    return Redirect(tk.city_url(request, f"/kelola/pajak/pbjt/{business_id}"), status_code=303)


PAGES = [
    my_businesses,
    link_business,
    business_page,
    file_return,
    pay_return,
    correction_form,
    correct_return,
]
OFFICE = [office, register_form, register, office_business, link_owner, new_link_code]
