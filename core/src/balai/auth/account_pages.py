"""The holder's own account: password, signed-in devices, deleting the account."""

from __future__ import annotations

from datetime import UTC, datetime

from litestar import Request, Response, get, post
from litestar.response import Redirect

from balai.audit.log import record as audit_record
from balai.auth import signins
from balai.auth.access import current_user, forget_user, require_login
from balai.auth.accounts import set_password
from balai.auth.pages import field
from balai.auth.passwords import password_problem, verify_password
from balai.i18n import gettext as _
from balai.tables import OneTimeCode, RecoveryCode, RoleGrant, SignIn, User
from balai.tenants import current_city
from balai.web.rendering import city_url, flash, render

UNUSABLE_HASH = "!deleted"  # not an Argon2 hash: no password ever matches it


async def _password_right(user_id: int, password: str) -> bool:
    row = await User.select(User.password_hash).where(User.id == user_id).first()
    return bool(row) and verify_password(row["password_hash"], password)


async def _password_page(request: Request, errors: dict, status: int = 200) -> Response:
    return await render(request, "auth/password.html", {"errors": errors}, status_code=status)


@get("/akun/sandi", guards=[require_login], name="password")
async def password_page(request: Request) -> Response:
    """The form to change the password."""
    return await _password_page(request, {})


@post("/akun/sandi", guards=[require_login], name="password-submit")
async def password_submit(request: Request) -> Response:
    """Change the password (the current one is required); other devices are signed out."""
    user = await current_user(request)
    form = await request.form()
    new = field(form, "password")
    if not await _password_right(user.id, field(form, "current_password")):
        await audit_record(
            "core.password_change_refused",
            actor_id=user.id,
            request=request,
            subject=f"user:{user.id}",
        )
        return await _password_page(request, {"current_password": _("The password is wrong.")}, 400)
    problem = password_problem(new, name=user.name, login=user.login)
    if problem:
        return await _password_page(request, {"password": problem}, 400)
    if new != field(form, "password_confirm"):
        return await _password_page(
            request, {"password_confirm": _("The two passwords differ.")}, 400
        )
    await set_password(user.id, new)
    ended = await signins.end_all(user.id, signins.PASSWORD_CHANGED, keep=user.sign_in_id)
    await audit_record(
        "core.password_changed",
        actor_id=user.id,
        request=request,
        subject=f"user:{user.id}",
        detail={"sessions_ended": ended},
    )
    flash(request, _("Your password is changed. Your other devices are signed out."), "success")
    return Redirect(city_url(request, "/akun/"), status_code=303)


@get("/akun/perangkat", guards=[require_login], name="devices")
async def devices_page(request: Request) -> Response:
    """Sign-in history: where and on what the account signed in, and which are still open."""
    user = await current_user(request)
    rows = await signins.history(user.id)
    return await render(
        request, "auth/devices.html", {"sign_ins": rows, "current": user.sign_in_id}
    )


@post("/akun/perangkat/keluar-lain", guards=[require_login], name="devices-sign-out")
async def devices_sign_out(request: Request) -> Response:
    """End every sign-in of the account except this one."""
    user = await current_user(request)
    ended = await signins.end_all(user.id, signins.SIGNED_OUT_ELSEWHERE, keep=user.sign_in_id)
    await audit_record(
        "core.signed_out_elsewhere",
        actor_id=user.id,
        request=request,
        subject=f"user:{user.id}",
        detail={"sessions_ended": ended},
    )
    flash(request, _("Your other devices are signed out."), "success")
    return Redirect(city_url(request, "/akun/perangkat"), status_code=303)


@get("/akun/hapus", guards=[require_login], name="delete-account")
async def delete_page(request: Request) -> Response:
    """What deleting the account removes and keeps, and the form to confirm it."""
    return await render(request, "auth/delete.html", {"errors": {}})


@post("/akun/hapus", guards=[require_login], name="delete-account-submit")
async def delete_submit(request: Request) -> Response:
    """Delete the account: plugins answer ``user_deleted``, then the account is pseudonymised."""
    user = await current_user(request)
    form = await request.form()
    errors: dict[str, str] = {}
    if user.is_officer:
        errors["confirm"] = _(
            "An officer account is closed by the city administrator, not deleted by its holder."
        )
    elif field(form, "confirm") != "1":
        errors["confirm"] = _("Tick the box to confirm that you want to delete the account.")
    elif not await _password_right(user.id, field(form, "password")):
        errors["password"] = _("The password is wrong.")
    if errors:
        return await render(request, "auth/delete.html", {"errors": errors}, status_code=400)
    await delete_account(request, user.id)
    request.clear_session()
    forget_user(request)
    flash(request, _("Your account is deleted."), "success")
    return Redirect(city_url(request, "/"), status_code=303)


async def delete_account(request: Request, user_id: int) -> None:
    """Erase an account of the current city, keeping only what the law requires.

    Plugins first remove or pseudonymise what they hold (the ``user_deleted``
    hook); then the account row loses its name, contacts, password and second
    factor, and its codes, sign-ins and roles are removed. The row itself
    stays, named only by its number, so that records the city must keep
    (invoices, payments, tax returns, the audit log) still point at one
    account without saying whose it was. All in one transaction.
    """
    city = current_city()
    async with User._meta.db.transaction():
        await request.app.state.ui.registry.gather(city, "user_deleted", city=city, user_id=user_id)
        await User.update(
            {
                User.name: f"#{user_id}",
                User.email: None,
                User.phone: None,
                User.password_hash: UNUSABLE_HASH,
                User.is_active: False,
                User.email_verified_at: None,
                User.phone_verified_at: None,
                User.totp_secret: "",
                User.totp_enabled_at: None,
                User.deleted_at: datetime.now(UTC),
            }
        ).where(User.id == user_id)
        for table in (OneTimeCode, RecoveryCode, SignIn, RoleGrant):
            await table.delete().where(table.user == user_id)
        await audit_record(
            "core.account_deleted", actor_id=user_id, request=request, subject=f"user:{user_id}"
        )


ROUTES = [
    password_page,
    password_submit,
    devices_page,
    devices_sign_out,
    delete_page,
    delete_submit,
]
