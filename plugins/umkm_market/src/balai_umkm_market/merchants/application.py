"""A citizen applies to sell (``/daftar-toko``) and follows the application (``/toko-saya/``).

Once Diskopindag has verified the business, ``/toko-saya/`` is the merchant's
own dashboard (sales per day, top products, rating) and leads to the products.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from balai import toolkit as tk
from litestar import Request, Response, get, post
from litestar.exceptions import PermissionDeniedException
from litestar.response import Redirect

from balai_umkm_market.labels import (
    STATUS_TONES,
    merchant_categories,
    merchant_statuses,
    options,
)
from balai_umkm_market.merchants import dashboard as merchant_dashboard
from balai_umkm_market.merchants.form import (
    EDITABLE,
    MerchantForm,
    blank_form,
    edit_form,
    stored_form,
)
from balai_umkm_market.settings import settings_of
from balai_umkm_market.tables import Merchant, MerchantStatus

OPEN_STATUSES = (
    MerchantStatus.PENDING.value,
    MerchantStatus.VERIFIED.value,
    MerchantStatus.SUSPENDED.value,
)


async def owned_merchant(user_id: int) -> dict[str, Any] | None:
    """The user's current business in this city: the latest one not rejected, else the latest."""
    rows = (
        await Merchant.select()
        .where(Merchant.owner_user_id == user_id)
        .order_by(Merchant.id, ascending=False)
    )
    for row in rows:
        if row["status"] in OPEN_STATUSES:
            return row
    return rows[0] if rows else None


async def verified_merchant(request: Request) -> dict[str, Any]:
    """The visitor's verified merchant, or 403 (no business, or not verified)."""
    user = await tk.current_user(request)
    merchant = await owned_merchant(user.id)
    if merchant is None or merchant["status"] != MerchantStatus.VERIFIED.value:
        raise PermissionDeniedException(
            tk._("Only the owner of a verified business can manage products.")
        )
    return merchant


def is_chosen_file(upload: Any) -> bool:
    """Whether a form value is a file the visitor chose (not text, not an empty file input)."""
    return (
        upload is not None and not isinstance(upload, str) and bool(getattr(upload, "filename", ""))
    )


def uploaded(form: Any, name: str) -> Any | None:
    """The file sent in field ``name``, or ``None`` when none was chosen."""
    upload = form.get(name)
    return upload if is_chosen_file(upload) else None


def _form_context(form: MerchantForm) -> dict[str, Any]:
    return {
        "form": form,
        "values": form.values,
        "errors": form.errors,
        "categories": options(merchant_categories()),
        "districts": [(d, d) for d in settings_of(tk.current_city()).districts],
    }


@get("/daftar-toko", guards=[tk.require_verified], name="umkm_market:apply")
async def apply_page(request: Request) -> Response:
    """The application form, or the applicant's page when an application is open."""
    user = await tk.current_user(request)
    current = await owned_merchant(user.id)
    if current and current["status"] in OPEN_STATUSES:
        return Redirect(tk.city_url(request, "/umkm-market/toko-saya/"), status_code=303)
    form = blank_form(owner_name=user.name)
    context = {**_form_context(form), "rejected": current}
    return await tk.render(request, "umkm_market/apply.html", context)


@post("/daftar-toko", guards=[tk.require_verified], name="umkm_market:apply-submit")
async def apply_submit(request: Request) -> Response:
    """Record an application; bad input re-shows the form (400) with the values kept."""
    user = await tk.current_user(request)
    current = await owned_merchant(user.id)
    if current and current["status"] in OPEN_STATUSES:
        tk.flash(request, tk._("You already have a business in the market."), "info")
        return Redirect(tk.city_url(request, "/umkm-market/toko-saya/"), status_code=303)
    data = await request.form()
    form = MerchantForm(data)
    photo_key = ""
    if await form.validate():
        upload = uploaded(data, "photo")
        if upload is not None:
            try:
                stored = await tk.save_upload(
                    upload, kind=tk.FileKind.IMAGE, owner_id=user.id, visibility="public"
                )
                photo_key = stored.id
            except tk.UploadRejected as exc:
                form.add_error("photo", exc.message)
    if form.errors:
        context = {**_form_context(form), "rejected": current}
        return await tk.render(request, "umkm_market/apply.html", context, status_code=400)
    now = datetime.now(UTC)
    merchant = Merchant(
        **form.clean,
        owner_user_id=user.id,
        status=MerchantStatus.PENDING.value,
        photo=photo_key,
        created_at=now,
    )
    await merchant.save()
    tk.flash(
        request,
        tk._("Thank you. Diskopindag will check your application and let you know."),
        "success",
    )
    return Redirect(tk.city_url(request, "/umkm-market/toko-saya/"), status_code=303)


@get("/toko-saya/", guards=[tk.require_login], name="umkm_market:my-shop")
async def my_shop(request: Request) -> Response:
    """Where the application stands; for a verified business, its dashboard."""
    user = await tk.current_user(request)
    merchant = await owned_merchant(user.id)
    context: dict[str, Any] = {
        "merchant": merchant,
        "statuses": merchant_statuses(),
        "tones": STATUS_TONES,
        "categories": merchant_categories(),
        "dashboard": None,
    }
    if merchant and merchant["status"] == MerchantStatus.VERIFIED.value:
        context["dashboard"] = await merchant_dashboard.figures(merchant)
    return await tk.render(request, "umkm_market/my_shop.html", context)


async def _edit_page(
    request: Request, merchant: dict[str, Any], form: MerchantForm, status_code: int = 200
) -> Response:
    return await tk.render(
        request,
        "umkm_market/merchant_edit.html",
        {"merchant": merchant, "form": form, "values": form.values, "errors": form.errors},
        status_code=status_code,
    )


@get("/toko-saya/ubah", guards=[tk.require_login], name="umkm_market:my-shop-edit")
async def edit_page(request: Request) -> Response:
    """The details a verified merchant may change: contact, address, delivery, photo."""
    merchant = await verified_merchant(request)
    return await _edit_page(request, merchant, stored_form(merchant))


@post("/toko-saya/ubah", guards=[tk.require_login], name="umkm_market:my-shop-save")
async def edit_save(request: Request) -> Response:
    """Save the merchant's own details; bad input re-shows the form (400), nothing changed."""
    merchant = await verified_merchant(request)
    user = await tk.current_user(request)
    data = await request.form()
    form = edit_form(merchant, data)
    changes: dict[str, Any] = {}
    if await form.validate():
        changes = {name: form.clean[name] for name in EDITABLE}
        upload = uploaded(data, "photo")
        if upload is not None:
            try:
                stored = await tk.save_upload(
                    upload, kind=tk.FileKind.IMAGE, owner_id=user.id, visibility="public"
                )
                changes["photo"] = stored.id
            except tk.UploadRejected as exc:
                form.add_error("photo", exc.message)
    if form.errors:
        return await _edit_page(request, merchant, form, status_code=400)
    await Merchant.update(changes).where(Merchant.id == merchant["id"])
    tk.flash(request, tk._("Your business details are saved."), "success")
    return Redirect(tk.city_url(request, "/umkm-market/toko-saya/"), status_code=303)


PAGES = [apply_page, apply_submit, my_shop, edit_page, edit_save]
