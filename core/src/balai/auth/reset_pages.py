"""A forgotten password: a code to the account's email or phone, then a new password.

The answer is the same whether an account uses the login or not, so the
form cannot be used to find out who has an account; codes are throttled per
account, per address and per client address (:mod:`balai.auth.codes`).
"""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.response import Redirect

from balai.audit.log import record as audit_record
from balai.auth import codes, signins
from balai.auth.access import PUBLIC, forget_user
from balai.auth.accounts import (
    find_login,
    mark_verified,
    normalise_email,
    normalise_phone,
    set_password,
)
from balai.auth.pages import field
from balai.auth.passwords import password_problem
from balai.i18n import gettext as _
from balai.tenants import current_city
from balai.web.rendering import city_url, flash, render


def _reset_key() -> str:
    return f"reset:{current_city().slug}"


@get("/lupa-sandi", opt=PUBLIC, name="forgot")
async def forgot_page(request: Request) -> Response:
    """Ask for the login whose password was forgotten."""
    return await render(request, "auth/forgot.html", {"values": {}, "errors": {}})


@post("/lupa-sandi", opt=PUBLIC, name="forgot-submit")
async def forgot_submit(request: Request) -> Response:
    """Send a code when an active account uses the login; answer the same either way."""
    form = await request.form()
    raw = field(form, "login")
    address = normalise_email(raw) or normalise_phone(raw)
    if address is None:
        errors = {"login": _("Enter your email or mobile number.")}
        return await render(
            request,
            "auth/forgot.html",
            {"values": {"login": raw}, "errors": errors},
            status_code=400,
        )
    account = await find_login(address)
    user_id = account["id"] if account and account["is_active"] else None
    if not await codes.allowed(request, user_id, codes.Purpose.RESET, address):
        await audit_record("core.reset_throttled", actor_id=None, request=request, subject=address)
        errors = {"login": codes.too_many_requests_message()}
        return await render(
            request,
            "auth/forgot.html",
            {"values": {"login": raw}, "errors": errors},
            status_code=429,
        )
    if user_id is not None:
        await codes.issue(request, user_id, codes.Purpose.RESET, address)
    await audit_record(
        "core.reset_requested",
        actor_id=None,
        request=request,
        subject=address,
        detail={"account": user_id is not None},
    )
    session = dict(request.session or {})
    session[_reset_key()] = address
    request.set_session(session)
    return Redirect(city_url(request, "/lupa-sandi/kode"), status_code=303)


async def _code_page(request: Request, errors: dict, status: int = 200) -> Response:
    address = (request.session or {}).get(_reset_key())
    if not isinstance(address, str):
        return Redirect(city_url(request, "/lupa-sandi"), status_code=303)
    return await render(
        request,
        "auth/reset.html",
        {"sent_to": codes.masked(address), "errors": errors},
        status_code=status,
    )


@get("/lupa-sandi/kode", opt=PUBLIC, name="reset")
async def reset_page(request: Request) -> Response:
    """Enter the code and a new password."""
    return await _code_page(request, {})


@post("/lupa-sandi/kode", opt=PUBLIC, name="reset-submit")
async def reset_submit(request: Request) -> Response:
    """A right code sets the new password and signs the account out everywhere."""
    address = (request.session or {}).get(_reset_key())
    if not isinstance(address, str):
        return Redirect(city_url(request, "/lupa-sandi"), status_code=303)
    form = await request.form()
    password = field(form, "password")
    problem = password_problem(password, login=address)
    if problem:
        return await _code_page(request, {"password": problem}, 400)
    if password != field(form, "password_confirm"):
        return await _code_page(request, {"password_confirm": _("The two passwords differ.")}, 400)
    account = await find_login(address)
    if account is None or not account["is_active"]:
        outcome = codes.Outcome.WRONG  # no account: the same answer as a wrong code
    else:
        checked = await codes.check(
            request, account["id"], codes.Purpose.RESET, field(form, "code")
        )
        outcome = checked.outcome
    if outcome != codes.Outcome.OK:
        await audit_record(
            "core.code_refused",
            actor_id=None,
            request=request,
            subject=address,
            detail={"purpose": codes.Purpose.RESET.value, "outcome": outcome.value},
        )
        return await _code_page(request, {"code": codes.refusal_message(outcome)}, 400)
    await set_password(account["id"], password)
    await mark_verified(account["id"], address)  # the code proved the address
    ended = await signins.end_all(account["id"], signins.PASSWORD_CHANGED)
    await audit_record(
        "core.password_reset",
        actor_id=account["id"],
        request=request,
        subject=f"user:{account['id']}",
        detail={"sessions_ended": ended},
    )
    request.clear_session()
    forget_user(request)
    flash(request, _("Your password is changed. Log in with the new password."), "success")
    return Redirect(city_url(request, "/masuk"), status_code=303)


ROUTES = [forgot_page, forgot_submit, reset_page, reset_submit]
