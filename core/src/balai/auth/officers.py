"""The back office landing page and the city admin's officer accounts."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.response import Redirect

from balai.audit.log import record as audit_record
from balai.auth.access import CITY_ADMIN, current_user, require_officer, require_permission
from balai.auth.accounts import AccountForm, create_user
from balai.i18n import gettext as _
from balai.tables import RoleGrant, User
from balai.tenants import current_city
from balai.web.rendering import city_url, flash, render

MANAGE_USERS = "core.manage_users"


@get("/kelola/", guards=[require_officer], name="office")
async def office_index(request: Request) -> Response:
    """The officers' landing page: the back-office sections they may open."""
    return await render(request, "office/index.html")


async def _officer_context(request: Request) -> dict:
    access = request.app.state.ui.access
    grants = await RoleGrant.select(RoleGrant.user, RoleGrant.role)
    by_user: dict[int, list[str]] = {}
    for g in grants:
        by_user.setdefault(g["user"], []).append(g["role"])
    users = (
        await User.select(User.id, User.name, User.email, User.phone)
        .where(User.id.is_in(list(by_user) or [-1]))
        .order_by(User.name)
    )
    titles = {r.name: _(r.title) for r in access.roles_for(current_city())}
    titles[CITY_ADMIN] = _("City administrator")
    officers = [
        {
            "name": u["name"],
            "login": u["email"] or u["phone"],
            "roles": [titles.get(r, r) for r in sorted(by_user[u["id"]])],
        }
        for u in users
    ]
    # Only a city administrator may make another one: a user manager must not
    # be able to grant itself every permission through a new account.
    user = await current_user(request)
    grantable = {
        n: t for n, t in titles.items() if n != CITY_ADMIN or (user and CITY_ADMIN in user.roles)
    }
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


ROUTES = [office_index, officers_page, officers_create]
