"""The back office landing page and the city admin's officer accounts.

An administrator (``core.manage_users``) lists the officers, creates one,
changes an officer's roles, suspends and reactivates an officer and resets a
lost second factor. Every change needs a reason and is audited with who made
it; nobody changes their own account here, and only a city administrator
grants or takes away the city administrator role. Suspending ends the
officer's sign-ins at once (see :mod:`balai.auth.signins`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect

from balai.audit.log import record as audit_record
from balai.auth import signins, two_factor
from balai.auth.access import (
    CITY_ADMIN,
    CurrentUser,
    current_user,
    require_officer,
    require_permission,
)
from balai.auth.accounts import AccountForm, create_user
from balai.i18n import gettext as _
from balai.tables import RoleGrant, User
from balai.tenants import current_city
from balai.web.rendering import city_url, flash, render

MANAGE_USERS = "core.manage_users"
MAX_REASON = 300


@get("/kelola/", guards=[require_officer], name="office")
async def office_index(request: Request) -> Response:
    """The officers' landing page: the back-office sections they may open."""
    return await render(request, "office/index.html")


def _role_titles(request: Request) -> dict[str, str]:
    access = request.app.state.ui.access
    titles = {r.name: _(r.title) for r in access.roles_for(current_city())}
    titles[CITY_ADMIN] = _("City administrator")
    return titles


def _grantable(titles: dict[str, str], actor: CurrentUser | None) -> dict[str, str]:
    # Only a city administrator may make another one: a user manager must not
    # be able to grant itself every permission through a new account.
    return {
        n: t for n, t in titles.items() if n != CITY_ADMIN or (actor and CITY_ADMIN in actor.roles)
    }


async def _officer_context(request: Request) -> dict:
    grants = await RoleGrant.select(RoleGrant.user, RoleGrant.role)
    by_user: dict[int, list[str]] = {}
    for g in grants:
        by_user.setdefault(g["user"], []).append(g["role"])
    users = (
        await User.select(
            User.id, User.name, User.email, User.phone, User.is_active, User.totp_enabled_at
        )
        .where(User.id.is_in(list(by_user) or [-1]) | User.suspended_at.is_not_null())
        .where(User.deleted_at.is_null())
        .order_by(User.name)
    )
    titles = _role_titles(request)
    officers = [
        {
            "id": u["id"],
            "name": u["name"],
            "login": u["email"] or u["phone"],
            "roles": [titles.get(r, r) for r in sorted(by_user.get(u["id"], []))],
            "active": u["is_active"],
            "second_factor": u["totp_enabled_at"] is not None,
        }
        for u in users
    ]
    grantable = _grantable(titles, await current_user(request))
    roles = [{"name": n, "title": t} for n, t in sorted(grantable.items(), key=lambda kv: kv[1])]
    return {"officers": officers, "roles": roles}


@get("/kelola/pengguna", guards=[require_permission(MANAGE_USERS)], name="officers")
async def officers_page(request: Request) -> Response:
    """List officer accounts and offer the form to add one."""
    context = await _officer_context(request)
    return await render(request, "admin/users.html", {**context, "values": {}, "errors": {}})


@post("/kelola/pengguna", guards=[require_permission(MANAGE_USERS)], name="officers-create")
async def officers_create(request: Request) -> Response:
    """Create an officer account with one role."""
    form = await request.form()
    context = await _officer_context(request)
    role = str(form.get("role", ""))
    account = AccountForm(
        name=str(form.get("name", ""))[:300],
        email=str(form.get("email", ""))[:300],
        password=str(form.get("password", ""))[:300],
    )
    valid = await account.check()
    if role not in {r["name"] for r in context["roles"]}:
        account.errors["role"] = _("Choose one of the roles offered.")
        valid = False
    if not valid:
        values = {"name": account.name, "email": str(form.get("email", "")), "role": role}
        return await render(
            request,
            "admin/users.html",
            {**context, "values": values, "errors": account.errors},
            status_code=400,
        )
    creator = await current_user(request)
    async with User._meta.db.transaction():  # no officer without its audit entry
        officer_id = await create_user(
            name=account.name, email=account.email, password=account.password, roles=(role,)
        )
        await audit_record(
            "core.officer_created",
            actor_id=creator.id if creator else None,
            request=request,
            subject=f"user:{officer_id}",
            detail={"name": account.name, "email": account.email, "role": role},
        )
    flash(request, _("Officer account created."), "success")
    return Redirect(city_url(request, "/kelola/pengguna"), status_code=303)


# --- one officer -------------------------------------------------------------


async def _officer(officer_id: int) -> dict[str, Any]:
    row = (
        await User.select(
            User.id,
            User.name,
            User.email,
            User.phone,
            User.is_active,
            User.suspended_at,
            User.totp_enabled_at,
            User.last_login_at,
        )
        .where((User.id == officer_id) & User.deleted_at.is_null())
        .first()
    )
    if row is None:
        raise NotFoundException()
    grants = await RoleGrant.select(RoleGrant.role).where(RoleGrant.user == officer_id)
    row["role_names"] = sorted(g["role"] for g in grants)
    if not row["role_names"] and row["suspended_at"] is None:
        raise NotFoundException()  # a citizen's account is not managed here
    return row


async def _detail(
    request: Request,
    officer_id: int,
    errors: dict | None = None,
    status: int = 200,
    values: dict | None = None,
) -> Response:
    officer = await _officer(officer_id)
    actor = await current_user(request)
    titles = _role_titles(request)
    grantable = _grantable(titles, actor)
    return await render(
        request,
        "admin/officer.html",
        {
            "officer": officer,
            "roles": [
                {"name": n, "title": t} for n, t in sorted(grantable.items(), key=lambda kv: kv[1])
            ],
            "held": [titles.get(r, r) for r in officer["role_names"]],
            "sign_ins": await signins.history(officer_id),
            "is_self": actor is not None and actor.id == officer_id,
            "errors": errors or {},
            "values": values or {},
        },
        status_code=status,
    )


@get("/kelola/pengguna/{officer_id:int}", guards=[require_permission(MANAGE_USERS)], name="officer")
async def officer_page(request: Request, officer_id: FromPath[int]) -> Response:
    """One officer: roles, status, second factor, sign-in history, and the forms to change them."""
    return await _detail(request, officer_id)


async def _change_allowed(
    request: Request, officer_id: int, action: str
) -> tuple[CurrentUser, str, Response | None]:
    """The actor, the reason given, and a refusal when the change may not be made."""
    actor = await current_user(request)
    form = await request.form()
    reason = " ".join(str(form.get("reason", ""))[:MAX_REASON].split())
    await _officer(officer_id)  # 404 for unknown accounts and citizens
    refusal = None
    if actor.id == officer_id:
        refusal = _("You cannot change your own account here; ask another administrator.")
    elif len(reason) < 5:
        refusal = _("Give the reason for this change (at least 5 characters).")
    if refusal:
        await audit_record(
            "core.officer_change_refused",
            actor_id=actor.id,
            request=request,
            subject=f"user:{officer_id}",
            detail={
                "action": action,
                "why": "own account" if actor.id == officer_id else "no reason",
            },
        )
        status = 403 if actor.id == officer_id else 400
        return actor, reason, await _detail(request, officer_id, {"reason": refusal}, status)
    return actor, reason, None


@post(
    "/kelola/pengguna/{officer_id:int}/peran",
    guards=[require_permission(MANAGE_USERS)],
    name="officer-roles",
)
async def officer_roles(request: Request, officer_id: FromPath[int]) -> Response:
    """Replace the officer's roles with the ones ticked (only roles the actor may grant change)."""
    actor, reason, refused = await _change_allowed(request, officer_id, "roles")
    if refused:
        return refused
    form = await request.form()
    grantable = _grantable(_role_titles(request), actor)
    wanted = {str(r) for r in form.getall("role", [])}
    if not wanted <= set(grantable):
        errors = {"role": _("Choose among the roles offered.")}
        return await _detail(request, officer_id, errors, 400)
    held = set((await _officer(officer_id))["role_names"])
    kept = held - set(grantable)  # roles this actor may not touch stay as they are
    new = kept | wanted
    added, removed = sorted(new - held), sorted(held - new)
    if not added and not removed:
        flash(request, _("Nothing changed."), "info")
        return Redirect(city_url(request, f"/kelola/pengguna/{officer_id}"), status_code=303)
    now = datetime.now(UTC)
    async with User._meta.db.transaction():
        if removed:
            await RoleGrant.delete().where(
                (RoleGrant.user == officer_id) & RoleGrant.role.is_in(removed)
            )
        for role in added:
            await RoleGrant.insert(RoleGrant(user=officer_id, role=role, granted_at=now))
        await audit_record(
            "core.officer_roles_changed",
            actor_id=actor.id,
            request=request,
            subject=f"user:{officer_id}",
            detail={"added": added, "removed": removed, "reason": reason},
        )
    flash(request, _("The roles are changed."), "success")
    return Redirect(city_url(request, f"/kelola/pengguna/{officer_id}"), status_code=303)


@post(
    "/kelola/pengguna/{officer_id:int}/tangguhkan",
    guards=[require_permission(MANAGE_USERS)],
    name="officer-suspend",
)
async def officer_suspend(request: Request, officer_id: FromPath[int]) -> Response:
    """Suspend the officer: no sign-in, and every open session ends at once."""
    actor, reason, refused = await _change_allowed(request, officer_id, "suspend")
    if refused:
        return refused
    async with User._meta.db.transaction():
        await User.update({User.is_active: False, User.suspended_at: datetime.now(UTC)}).where(
            User.id == officer_id
        )
        ended = await signins.end_all(officer_id, signins.SUSPENDED)
        await audit_record(
            "core.officer_suspended",
            actor_id=actor.id,
            request=request,
            subject=f"user:{officer_id}",
            detail={"reason": reason, "sessions_ended": ended},
        )
    flash(request, _("The officer is suspended and signed out everywhere."), "success")
    return Redirect(city_url(request, f"/kelola/pengguna/{officer_id}"), status_code=303)


@post(
    "/kelola/pengguna/{officer_id:int}/aktifkan",
    guards=[require_permission(MANAGE_USERS)],
    name="officer-reactivate",
)
async def officer_reactivate(request: Request, officer_id: FromPath[int]) -> Response:
    """Let a suspended officer sign in again."""
    actor, reason, refused = await _change_allowed(request, officer_id, "reactivate")
    if refused:
        return refused
    async with User._meta.db.transaction():
        await User.update({User.is_active: True, User.suspended_at: None}).where(
            User.id == officer_id
        )
        await audit_record(
            "core.officer_reactivated",
            actor_id=actor.id,
            request=request,
            subject=f"user:{officer_id}",
            detail={"reason": reason},
        )
    flash(request, _("The officer can sign in again."), "success")
    return Redirect(city_url(request, f"/kelola/pengguna/{officer_id}"), status_code=303)


@post(
    "/kelola/pengguna/{officer_id:int}/reset-dua-langkah",
    guards=[require_permission(MANAGE_USERS)],
    name="officer-reset-second-factor",
)
async def officer_reset_second_factor(request: Request, officer_id: FromPath[int]) -> Response:
    """Remove a lost second factor; the officer enrols a new one at the next sign-in."""
    actor, reason, refused = await _change_allowed(request, officer_id, "reset_second_factor")
    if refused:
        return refused
    async with User._meta.db.transaction():
        await two_factor.disable(officer_id)
        ended = await signins.end_all(officer_id, signins.SECOND_FACTOR_RESET)
        await audit_record(
            "core.officer_second_factor_reset",
            actor_id=actor.id,
            request=request,
            subject=f"user:{officer_id}",
            detail={"reason": reason, "sessions_ended": ended},
        )
    flash(request, _("The second factor is removed; the officer sets up a new one."), "success")
    return Redirect(city_url(request, f"/kelola/pengguna/{officer_id}"), status_code=303)


ROUTES = [
    office_index,
    officers_page,
    officers_create,
    officer_page,
    officer_roles,
    officer_suspend,
    officer_reactivate,
    officer_reset_second_factor,
]
