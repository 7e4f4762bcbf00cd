"""Citizen account pages: register, log in, log out, my account."""

from __future__ import annotations

import time
from typing import Any

from litestar import Request, Response, get, post
from litestar.params import FromQuery
from litestar.response import Redirect

from balai.audit.log import record as audit_record
from balai.auth import codes, signins
from balai.auth.access import (
    PUBLIC,
    current_user,
    forget_user,
    require_login,
    session_key,
    sign_in_key,
)
from balai.auth.accounts import AccountForm, check_login, create_user, login_identity
from balai.auth.sessions import rotate_session
from balai.auth.settings import account_settings
from balai.i18n import current_locale
from balai.i18n import gettext as _
from balai.notifications.outbox import notify
from balai.tables import User
from balai.tenants import current_city
from balai.web.rendering import city_url, flash, render, safe_next

MAX_FIELD = 300
SECOND_FACTOR_WINDOW = 5 * 60  # seconds between the password and the second factor


def field(form: Any, name: str) -> str:
    """A form field as text, cut to :data:`MAX_FIELD` characters ('' when absent)."""
    value = form.get(name, "")
    return value[:MAX_FIELD] if isinstance(value, str) else ""


def client_ip(request: Request) -> str:
    """The client's address (for throttling keys)."""
    return request.client.host if request.client else "unknown"


def pending_second_factor_key() -> str:
    """The session entry of a login waiting for its second factor in the current city."""
    return f"second_factor:{current_city().slug}"


def log_in(request: Request, user_id: int, sign_in_id: int) -> None:
    """Attach ``user_id`` and its sign-in to a fresh session for the current city."""
    rotate_session(request)
    city = current_city()
    session = dict(request.session or {})
    session.pop(pending_second_factor_key(), None)
    session[session_key(city)] = user_id
    session[sign_in_key(city)] = sign_in_id
    request.set_session(session)
    forget_user(request)


async def complete_login(request: Request, user_id: int, login: str, method: str) -> None:
    """Record the sign-in, attach it to the session and audit it."""
    sign_in_id = await signins.start(request, user_id, method)
    log_in(request, user_id, sign_in_id)
    await audit_record(
        "core.login",
        actor_id=user_id,
        request=request,
        subject=login,
        detail={"method": method},
    )


def _login_page(request: Request, values: dict, errors: dict, status: int) -> Any:
    return render(
        request, "auth/login.html", {"values": values, "errors": errors}, status_code=status
    )


@get("/masuk", opt=PUBLIC, name="login")
async def login_page(request: Request, next: FromQuery[str] = "") -> Response:
    """The login form."""
    if await current_user(request):
        return Redirect(safe_next(request, next))
    return await render(request, "auth/login.html", {"values": {"next": next}, "errors": {}})


@post("/masuk", opt=PUBLIC, name="login-submit")
async def login_submit(request: Request) -> Response:
    """Check credentials, with throttling per address and per login name."""
    form = await request.form()
    login, password, next_url = field(form, "login"), field(form, "password"), field(form, "next")
    city = current_city()
    throttle = request.app.state.ui.throttle
    keys = [
        f"login:{city.slug}:ip:{client_ip(request)}",
        f"login:{city.slug}:id:{await login_identity(login)}",
    ]
    values = {"login": login, "next": next_url}
    for key in keys:
        if await throttle.blocked(key):
            errors = {"login": _("Too many failed attempts. Wait 15 minutes and try again.")}
            await audit_record(
                "core.login_throttled", actor_id=None, request=request, subject=login
            )
            return await _login_page(request, values, errors, 429)
    found = await check_login(login, password) if login and password else None
    if found is None or found.user_id is None:
        for key in keys:
            await throttle.hit(key)
        await audit_record("core.login_failed", actor_id=None, request=request, subject=login)
        errors = {"login": _("The login or password is wrong.")}
        if not login:
            errors = {"login": _("Enter your email or mobile number.")}
        return await _login_page(request, values, errors, 400)
    for key in keys:
        await throttle.reset(key)
    if found.suspended:
        await audit_record(
            "core.login_suspended", actor_id=found.user_id, request=request, subject=login
        )
        errors = {"login": _("This account is suspended. Ask your city administrator.")}
        return await _login_page(request, values, errors, 403)
    has_second_factor = await User.exists().where(
        (User.id == found.user_id) & User.totp_enabled_at.is_not_null()
    )
    if has_second_factor:
        rotate_session(request)
        session = dict(request.session or {})
        session[pending_second_factor_key()] = {
            "user": found.user_id,
            "login": login,
            "next": next_url,
            "at": int(time.time()),
        }
        request.set_session(session)
        return Redirect(city_url(request, "/masuk/dua-langkah"), status_code=303)
    await complete_login(request, found.user_id, login, "password")
    flash(request, _("Welcome back."), "success")
    return Redirect(safe_next(request, next_url), status_code=303)


@get("/daftar", opt=PUBLIC, name="register")
async def register_page(request: Request) -> Response:
    """The registration form."""
    return await render(request, "auth/register.html", {"values": {}, "errors": {}})


@post("/daftar", opt=PUBLIC, name="register-submit")
async def register_submit(request: Request) -> Response:
    """Create a citizen account, send a code to its contact and log it in."""
    form = await request.form()
    account = AccountForm(
        name=field(form, "name"),
        email=field(form, "email"),
        phone=field(form, "phone"),
        password=field(form, "password"),
        password_confirm=field(form, "password_confirm"),
    )
    if not await account.check():
        values = {
            "name": account.name,
            "email": field(form, "email"),
            "phone": field(form, "phone"),
        }
        return await render(
            request,
            "auth/register.html",
            {"values": values, "errors": account.errors},
            status_code=400,
        )
    login = account.email or account.phone
    async with User._meta.db.transaction():  # the account and its welcome message, or neither
        user_id = await create_user(
            name=account.name, password=account.password, email=account.email, phone=account.phone
        )
        await notify(user_id, "core.welcome", {"login": login}, locale=current_locale())
    address = account.phone or account.email  # a text reaches most residents first
    if await codes.allowed(request, user_id, codes.Purpose.VERIFY, address):
        await codes.issue(request, user_id, codes.Purpose.VERIFY, address)
    await complete_login(request, user_id, login, "register")
    flash(request, _("Your account is ready. Enter the code we sent you."), "success")
    return Redirect(city_url(request, "/akun/verifikasi"), status_code=303)


def log_out(request: Request) -> None:
    """End the login of the current city only, with what the session keeps for it.

    Entries of the city (``user:<slug>`` and others ending in ``:<slug>``)
    go. When no city's login is left the session ends and its cookie is
    deleted; otherwise the rest stays under a new session id.
    """
    suffix = f":{current_city().slug}"
    session = {k: v for k, v in (request.session or {}).items() if not k.endswith(suffix)}
    if any(key.startswith("user:") for key in session):
        rotate_session(request)
        request.set_session(session)
    else:
        request.clear_session()
    forget_user(request)


@post("/keluar", guards=[require_login], name="logout")
async def logout(request: Request) -> Response:
    """End the login of this city (another city's login in the same browser stays)."""
    user = await current_user(request)
    if user is not None:
        await signins.end(user.sign_in_id, signins.LOGGED_OUT)
    await audit_record("core.logout", actor_id=user.id if user else None, request=request)
    log_out(request)
    return Redirect(city_url(request, "/"), status_code=303)


@get("/akun/", guards=[require_login], name="account")
async def account_page(request: Request) -> Response:
    """The visitor's own account."""
    user = await current_user(request)
    access = request.app.state.ui.access
    roles = [access.roles[r].title if r in access.roles else r for r in sorted(user.roles)]
    row = (
        await User.select(User.email, User.phone, User.email_verified_at, User.phone_verified_at)
        .where(User.id == user.id)
        .first()
    )
    return await render(
        request,
        "auth/account.html",
        {
            "roles": [_(r) for r in roles],
            "contact": row,
            "second_factor_required": account_settings().second_factor_required(user.roles),
        },
    )


ROUTES = [login_page, login_submit, register_page, register_submit, logout, account_page]
