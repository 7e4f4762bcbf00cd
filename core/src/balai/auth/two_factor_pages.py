"""Two-step sign-in pages: enrolling an authenticator app, and the second step of logging in."""

from __future__ import annotations

import time

from litestar import Request, Response, get, post
from litestar.params import FromQuery
from litestar.response import Redirect

from balai.audit.log import record as audit_record
from balai.auth import two_factor
from balai.auth.access import PUBLIC, current_user, require_login
from balai.auth.pages import (
    SECOND_FACTOR_WINDOW,
    complete_login,
    field,
    pending_second_factor_key,
)
from balai.auth.passwords import verify_password
from balai.auth.settings import account_settings
from balai.i18n import gettext as _
from balai.tables import User
from balai.tenants import current_city
from balai.web.rendering import city_url, flash, render, safe_next

MAX_TRIES = (5, 15 * 60)  # wrong second steps per account per 15 minutes


def _pending_key() -> str:
    return f"totp_pending:{current_city().slug}"


async def _enrol_page(request: Request, next_url: str, error: str = "", status: int = 200):
    user = await current_user(request)
    session = dict(request.session or {})
    secret = session.get(_pending_key())
    if not isinstance(secret, str):
        secret = two_factor.new_secret()
        session[_pending_key()] = secret
        request.set_session(session)
    return await render(
        request,
        "auth/two_factor.html",
        {
            "enabled": False,
            "qr_svg": two_factor.qr_code(secret, user.login),
            "uri": two_factor.provisioning_uri(secret, user.login),
            "key": two_factor.spaced(secret),
            "next": next_url,
            "errors": {"code": error} if error else {},
            "required": account_settings().second_factor_required(user.roles),
        },
        status_code=status,
    )


@get("/akun/dua-langkah", guards=[require_login], name="two-factor")
async def two_factor_page(request: Request, next: FromQuery[str] = "") -> Response:
    """Enrol an authenticator app, or see that it is enrolled."""
    user = await current_user(request)
    if not user.second_factor:
        return await _enrol_page(request, next)
    return await render(
        request,
        "auth/two_factor.html",
        {
            "enabled": True,
            "left": await two_factor.recovery_codes_left(user.id),
            "required": account_settings().second_factor_required(user.roles),
            "errors": {},
        },
    )


@post("/akun/dua-langkah", guards=[require_login], name="two-factor-enrol")
async def two_factor_enrol(request: Request) -> Response:
    """Confirm the app with one of its codes; the recovery codes are shown once."""
    user = await current_user(request)
    form = await request.form()
    next_url = field(form, "next")
    secret = (request.session or {}).get(_pending_key())
    if user.second_factor:
        return Redirect(city_url(request, "/akun/dua-langkah"), status_code=303)
    step = (
        two_factor.matching_step(secret, field(form, "code"), 0)
        if isinstance(secret, str)
        else None
    )
    if step is None:
        return await _enrol_page(
            request,
            next_url,
            _("The code is wrong. Check the time on your phone and try again."),
            400,
        )
    secret_key = request.app.state.ui.config.secret_key
    recovery = await two_factor.enable(user.id, secret, step, secret_key)
    session = dict(request.session or {})
    session.pop(_pending_key(), None)
    request.set_session(session)
    await audit_record(
        "core.second_factor_enrolled", actor_id=user.id, request=request, subject=f"user:{user.id}"
    )
    return await render(
        request,
        "auth/recovery_codes.html",
        {"codes": recovery, "next": safe_next(request, next_url, "/akun/")},
    )


@post("/akun/dua-langkah/matikan", guards=[require_login], name="two-factor-disable")
async def two_factor_disable(request: Request) -> Response:
    """Turn two-step sign-in off with the password, unless the city requires it."""
    user = await current_user(request)
    form = await request.form()
    row = await User.select(User.password_hash).where(User.id == user.id).first()
    required = account_settings().second_factor_required(user.roles)
    if required or not verify_password(row["password_hash"], field(form, "password")):
        await audit_record(
            "core.second_factor_disable_refused",
            actor_id=user.id,
            request=request,
            subject=f"user:{user.id}",
            detail={"required": required},
        )
        message = (
            _("The city requires two-step sign-in for your role.")
            if required
            else _("The password is wrong.")
        )
        return await render(
            request,
            "auth/two_factor.html",
            {
                "enabled": True,
                "left": await two_factor.recovery_codes_left(user.id),
                "required": required,
                "errors": {"password": message},
            },
            status_code=400,
        )
    await two_factor.disable(user.id)
    await audit_record(
        "core.second_factor_disabled", actor_id=user.id, request=request, subject=f"user:{user.id}"
    )
    flash(request, _("Two-step sign-in is off."), "success")
    return Redirect(city_url(request, "/akun/"), status_code=303)


def _pending(request: Request) -> dict | None:
    pending = (request.session or {}).get(pending_second_factor_key())
    if not isinstance(pending, dict) or not isinstance(pending.get("user"), int):
        return None
    if time.time() - int(pending.get("at", 0)) > SECOND_FACTOR_WINDOW:
        return None
    return pending


@get("/masuk/dua-langkah", opt=PUBLIC, name="login-second-step")
async def second_step_page(request: Request) -> Response:
    """The second step of logging in: a code from the app, or a recovery code."""
    if _pending(request) is None:
        return Redirect(city_url(request, "/masuk"), status_code=303)
    return await render(request, "auth/second_step.html", {"errors": {}})


@post("/masuk/dua-langkah", opt=PUBLIC, name="login-second-step-submit")
async def second_step_submit(request: Request) -> Response:
    """Check the code; a right one completes the login begun with the password."""
    pending = _pending(request)
    if pending is None:
        flash(request, _("The sign-in took too long. Log in again."), "error")
        return Redirect(city_url(request, "/masuk"), status_code=303)
    user_id = pending["user"]
    throttle = request.app.state.ui.throttle.limited(*MAX_TRIES)
    key = f"second-step:{current_city().slug}:{user_id}"
    if await throttle.blocked(key):
        await audit_record(
            "core.second_factor_throttled",
            actor_id=user_id,
            request=request,
            subject=f"user:{user_id}",
        )
        errors = {"code": _("Too many failed attempts. Wait 15 minutes and try again.")}
        return await render(request, "auth/second_step.html", {"errors": errors}, status_code=429)
    code = field(await request.form(), "code")
    method = "totp"
    accepted = await two_factor.check_code(user_id, code)
    if not accepted:
        method = "recovery"
        secret_key = request.app.state.ui.config.secret_key
        accepted = await two_factor.use_recovery_code(user_id, code, secret_key)
    if not accepted:
        await throttle.hit(key)
        await audit_record(
            "core.second_factor_failed",
            actor_id=user_id,
            request=request,
            subject=f"user:{user_id}",
        )
        errors = {"code": _("The code is wrong or was already used.")}
        return await render(request, "auth/second_step.html", {"errors": errors}, status_code=400)
    await throttle.reset(key)
    await complete_login(request, user_id, pending.get("login", ""), f"password+{method}")
    if method == "recovery":
        left = await two_factor.recovery_codes_left(user_id)
        flash(
            request,
            _(
                "You used a recovery code; %(left)s are left. Set up your app again soon.",
                left=left,
            ),
            "info",
        )
    else:
        flash(request, _("Welcome back."), "success")
    return Redirect(safe_next(request, pending.get("next", "")), status_code=303)


ROUTES = [
    two_factor_page,
    two_factor_enrol,
    two_factor_disable,
    second_step_page,
    second_step_submit,
]
