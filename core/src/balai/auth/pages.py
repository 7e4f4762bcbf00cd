"""Citizen account pages: register, log in, log out, my account."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.params import FromQuery
from litestar.response import Redirect

from balai.audit.log import record as audit_record
from balai.auth.access import PUBLIC, current_user, forget_user, require_login, session_key
from balai.auth.accounts import AccountForm, authenticate, create_user, login_identity
from balai.auth.sessions import rotate_session
from balai.i18n import current_locale
from balai.i18n import gettext as _
from balai.notifications.outbox import notify
from balai.tables import User
from balai.tenants import current_city
from balai.web.rendering import city_url, flash, render, safe_next

MAX_FIELD = 300


def _field(form: Any, name: str) -> str:
    value = form.get(name, "")
    return value[:MAX_FIELD] if isinstance(value, str) else ""


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def log_in(request: Request, user_id: int) -> None:
    """Attach ``user_id`` to a fresh session for the current city."""
    rotate_session(request)
    session = dict(request.session or {})
    session[session_key(current_city())] = user_id
    request.set_session(session)
    forget_user(request)


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
    login, password, next_url = (
        _field(form, "login"),
        _field(form, "password"),
        _field(form, "next"),
    )
    city = current_city()
    throttle = request.app.state.ui.throttle
    keys = [
        f"login:{city.slug}:ip:{_client_ip(request)}",
        f"login:{city.slug}:id:{await login_identity(login)}",
    ]
    values = {"login": login, "next": next_url}
    for key in keys:
        if await throttle.blocked(key):
            errors = {"login": _("Too many failed attempts. Wait 15 minutes and try again.")}
            await audit_record(
                "core.login_throttled", actor_id=None, request=request, subject=login
            )
            return await render(
                request, "auth/login.html", {"values": values, "errors": errors}, status_code=429
            )
    user_id = await authenticate(login, password) if login and password else None
    if user_id is None:
        for key in keys:
            await throttle.hit(key)
        await audit_record("core.login_failed", actor_id=None, request=request, subject=login)
        errors = {"login": _("The login or password is wrong.")}
        if not login:
            errors = {"login": _("Enter your email or mobile number.")}
        return await render(
            request, "auth/login.html", {"values": values, "errors": errors}, status_code=400
        )
    for key in keys:
        await throttle.reset(key)
    log_in(request, user_id)
    await audit_record("core.login", actor_id=user_id, request=request, subject=login)
    flash(request, _("Welcome back."), "success")
    return Redirect(safe_next(request, next_url), status_code=303)


@get("/daftar", opt=PUBLIC, name="register")
async def register_page(request: Request) -> Response:
    """The registration form."""
    return await render(request, "auth/register.html", {"values": {}, "errors": {}})


@post("/daftar", opt=PUBLIC, name="register-submit")
async def register_submit(request: Request) -> Response:
    """Create a citizen account and log it in."""
    form = await request.form()
    account = AccountForm(
        name=_field(form, "name"),
        email=_field(form, "email"),
        phone=_field(form, "phone"),
        password=_field(form, "password"),
        password_confirm=_field(form, "password_confirm"),
    )
    if not await account.check():
        values = {
            "name": account.name,
            "email": _field(form, "email"),
            "phone": _field(form, "phone"),
        }
        return await render(
            request,
            "auth/register.html",
            {"values": values, "errors": account.errors},
            status_code=400,
        )
    async with User._meta.db.transaction():  # the account and its welcome message, or neither
        user_id = await create_user(
            name=account.name, password=account.password, email=account.email, phone=account.phone
        )
        login = account.email or account.phone
        await notify(user_id, "core.welcome", {"login": login}, locale=current_locale())
    log_in(request, user_id)
    flash(request, _("Your account is ready."), "success")
    return Redirect(city_url(request, "/akun/"), status_code=303)


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
    await audit_record("core.logout", actor_id=user.id if user else None, request=request)
    log_out(request)
    return Redirect(city_url(request, "/"), status_code=303)


@get("/akun/", guards=[require_login], name="account")
async def account_page(request: Request) -> Response:
    """The visitor's own account."""
    user = await current_user(request)
    access = request.app.state.ui.access
    roles = [access.roles[r].title if r in access.roles else r for r in sorted(user.roles)]
    return await render(request, "auth/account.html", {"roles": [_(r) for r in roles]})


ROUTES = [login_page, login_submit, register_page, register_submit, logout, account_page]
