"""Proving an email address or phone number: after registering, and to change it."""

from __future__ import annotations

from urllib.parse import urlencode

from litestar import Request, Response, get, post
from litestar.params import FromQuery
from litestar.response import Redirect

from balai.audit.log import record as audit_record
from balai.auth import codes
from balai.auth.access import current_user, require_login
from balai.auth.accounts import mark_verified, normalise_email, normalise_phone
from balai.auth.pages import field
from balai.auth.passwords import verify_password
from balai.i18n import gettext as _
from balai.tables import OneTimeCode, User
from balai.web.rendering import city_url, flash, render, safe_next


async def _sent_to(user_id: int, purpose: codes.Purpose) -> str:
    """Where the account's latest code for ``purpose`` went ('' when none)."""
    row = await (
        OneTimeCode.select(OneTimeCode.address)
        .where((OneTimeCode.user == user_id) & (OneTimeCode.purpose == purpose.value))
        .order_by(OneTimeCode.id, ascending=False)
        .first()
    )
    return row["address"] if row else ""


async def _verify_page(request: Request, next_url: str, error: str = "", status: int = 200):
    user = await current_user(request)
    address = await _sent_to(user.id, codes.Purpose.VERIFY) or user.phone or user.email or ""
    return await render(
        request,
        "auth/verify.html",
        {
            "sent_to": codes.masked(address),
            "next": next_url,
            "errors": {"code": error} if error else {},
        },
        status_code=status,
    )


async def _refused(request: Request, user_id: int, purpose: codes.Purpose, outcome: str) -> None:
    await audit_record(
        "core.code_refused",
        actor_id=user_id,
        request=request,
        subject=f"user:{user_id}",
        detail={"purpose": purpose.value, "outcome": outcome},
    )


@get("/akun/verifikasi", guards=[require_login], name="verify")
async def verify_page(request: Request, next: FromQuery[str] = "") -> Response:
    """Enter the code sent to the account's email or phone."""
    user = await current_user(request)
    if user.verified:
        return Redirect(safe_next(request, next, "/akun/"), status_code=303)
    return await _verify_page(request, next)


@post("/akun/verifikasi", guards=[require_login], name="verify-submit")
async def verify_submit(request: Request) -> Response:
    """Check the code; a right one marks the contact it was sent to as verified."""
    user = await current_user(request)
    form = await request.form()
    next_url = field(form, "next")
    checked = await codes.check(request, user.id, codes.Purpose.VERIFY, field(form, "code"))
    if checked.outcome != codes.Outcome.OK:
        await _refused(request, user.id, codes.Purpose.VERIFY, checked.outcome.value)
        return await _verify_page(request, next_url, codes.refusal_message(checked.outcome), 400)
    await mark_verified(user.id, checked.address)
    await audit_record(
        "core.contact_verified",
        actor_id=user.id,
        request=request,
        subject=f"user:{user.id}",
        detail={"channel": "phone" if codes.is_phone(checked.address) else "email"},
    )
    flash(request, _("Thank you: your account is verified."), "success")
    return Redirect(safe_next(request, next_url, "/akun/"), status_code=303)


@post("/akun/verifikasi/kirim", guards=[require_login], name="verify-resend")
async def verify_resend(request: Request) -> Response:
    """Send a new code to the account's phone (or email)."""
    user = await current_user(request)
    form = await request.form()
    next_url = field(form, "next")
    address = user.phone or user.email or ""
    if user.verified:
        return Redirect(safe_next(request, next_url, "/akun/"), status_code=303)
    if not await codes.allowed(request, user.id, codes.Purpose.VERIFY, address):
        await _refused(request, user.id, codes.Purpose.VERIFY, "throttled")
        return await _verify_page(request, next_url, codes.too_many_requests_message(), 429)
    await codes.issue(request, user.id, codes.Purpose.VERIFY, address)
    flash(request, _("A new code is on its way to %(to)s.", to=codes.masked(address)), "success")
    return Redirect(
        city_url(request, "/akun/verifikasi")
        + (f"?{urlencode({'next': next_url})}" if next_url else ""),
        status_code=303,
    )


# --- changing the email address or phone number -----------------------------


async def _contact_page(request: Request, values: dict, errors: dict, status: int = 200):
    return await render(
        request, "auth/contact.html", {"values": values, "errors": errors}, status_code=status
    )


@get("/akun/kontak", guards=[require_login], name="contact")
async def contact_page(request: Request) -> Response:
    """The form to change the email address or phone number."""
    return await _contact_page(request, {}, {})


@post("/akun/kontak", guards=[require_login], name="contact-submit")
async def contact_submit(request: Request) -> Response:
    """Check the new address and the password, then send a code to the new address."""
    user = await current_user(request)
    form = await request.form()
    raw = field(form, "contact")
    values = {"contact": raw}
    address = normalise_email(raw) or normalise_phone(raw)
    if address is None:
        errors = {"contact": _("Enter an email address or an Indonesian mobile number.")}
        return await _contact_page(request, values, errors, 400)
    stored = await User.select(User.password_hash).where(User.id == user.id).first()
    if not verify_password(stored["password_hash"], field(form, "password")):
        await _refused(request, user.id, codes.Purpose.CONTACT, "wrong_password")
        return await _contact_page(request, values, {"password": _("The password is wrong.")}, 400)
    column = User.phone if codes.is_phone(address) else User.email
    if await User.exists().where((column == address) & (User.id != user.id)):
        errors = {"contact": _("Another account already uses this address.")}
        return await _contact_page(request, values, errors, 400)
    if not await codes.allowed(request, user.id, codes.Purpose.CONTACT, address):
        await _refused(request, user.id, codes.Purpose.CONTACT, "throttled")
        return await _contact_page(
            request, values, {"contact": codes.too_many_requests_message()}, 429
        )
    await codes.issue(request, user.id, codes.Purpose.CONTACT, address)
    return Redirect(city_url(request, "/akun/kontak/kode"), status_code=303)


async def _contact_code_page(request: Request, error: str = "", status: int = 200):
    user = await current_user(request)
    address = await _sent_to(user.id, codes.Purpose.CONTACT)
    return await render(
        request,
        "auth/contact_code.html",
        {
            "sent_to": codes.masked(address) if address else "",
            "errors": {"code": error} if error else {},
        },
        status_code=status,
    )


@get("/akun/kontak/kode", guards=[require_login], name="contact-code")
async def contact_code_page(request: Request) -> Response:
    """Enter the code sent to the new address."""
    return await _contact_code_page(request)


@post("/akun/kontak/kode", guards=[require_login], name="contact-code-submit")
async def contact_code_submit(request: Request) -> Response:
    """A right code replaces the account's email or phone with the new, verified one."""
    user = await current_user(request)
    form = await request.form()
    checked = await codes.check(request, user.id, codes.Purpose.CONTACT, field(form, "code"))
    if checked.outcome != codes.Outcome.OK:
        await _refused(request, user.id, codes.Purpose.CONTACT, checked.outcome.value)
        return await _contact_code_page(request, codes.refusal_message(checked.outcome), 400)
    column = User.phone if codes.is_phone(checked.address) else User.email
    if await User.exists().where((column == checked.address) & (User.id != user.id)):
        return await _contact_code_page(
            request, _("Another account already uses this address."), 409
        )
    await mark_verified(user.id, checked.address)
    await audit_record(
        "core.contact_changed",
        actor_id=user.id,
        request=request,
        subject=f"user:{user.id}",
        detail={"channel": "phone" if codes.is_phone(checked.address) else "email"},
    )
    flash(request, _("Your contact details are changed and verified."), "success")
    return Redirect(city_url(request, "/akun/"), status_code=303)


ROUTES = [
    verify_page,
    verify_submit,
    verify_resend,
    contact_page,
    contact_submit,
    contact_code_page,
    contact_code_submit,
]
