"""Who is asking, and what they may do: current user, permissions, guards.

Every route declares its access explicitly: a guard from this module, or
``opt=PUBLIC``. :func:`unguarded_routes` finds routes that do neither, and
the application refuses to start with one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, NotFoundException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from balai.auth.sessions import FixedStatement
from balai.auth.settings import account_settings
from balai.i18n import gettext as _
from balai.plugins import BUILTIN_SLUGS
from balai.tables import User
from balai.tenants import City, current_city_or_none
from balai.types import Permission, Role
from balai.web.flash import flash
from balai.web.numbers import refuse_bent_numbers

PUBLIC: dict[str, Any] = {"public": True}
CITY_ADMIN = "city_admin"
_USER_KEY = "balai.user"
SUSPENDED = "suspended"
SIGNED_OUT = "signed_out"


def session_key(city: City) -> str:
    """The session entry holding the logged-in user id for ``city``."""
    return f"user:{city.slug}"


def sign_in_key(city: City) -> str:
    """The session entry holding the sign-in (device) id for ``city``."""
    return f"signin:{city.slug}"


class VerificationRequired(PermissionDeniedException):
    """The account must verify its email or phone before this action."""


class SecondFactorRequired(PermissionDeniedException):
    """The city requires this officer to enrol a second factor first."""


@dataclass(frozen=True)
class CurrentUser:
    """The logged-in account, with the roles and permissions it holds here."""

    id: int
    name: str
    email: str | None
    phone: str | None
    roles: frozenset[str]
    permissions: frozenset[str]
    verified: bool = True
    sign_in_id: int = 0
    second_factor: bool = False
    second_factor_missing: bool = False

    @property
    def display_name(self) -> str:
        """The name to show."""
        return self.name

    @property
    def login(self) -> str:
        """The email, or the phone when there is no email."""
        return self.email or self.phone or ""

    @property
    def is_officer(self) -> bool:
        """Whether the user holds any role (and so may open ``/kelola/``)."""
        return bool(self.roles)

    def can(self, permission: str) -> bool:
        """Whether the user holds ``permission`` in this city."""
        return permission in self.permissions


class AccessRules:
    """Permissions and roles declared by the core and the plugins."""

    def __init__(self, permissions: Iterable[Permission], roles: Iterable[Role]) -> None:
        self.permissions: dict[str, Permission] = {}
        for perm in permissions:
            if perm.name in self.permissions:
                raise ValueError(f"Permission {perm.name!r} is declared twice")
            self.permissions[perm.name] = perm
        self.roles: dict[str, Role] = {}
        for role in roles:
            unknown = [p for p in role.permissions if p not in self.permissions]
            if unknown:
                raise ValueError(f"Role {role.name!r} grants undeclared permissions {unknown}")
            self.roles[role.name] = role

    def permissions_of(self, role_names: Iterable[str], city: City) -> frozenset[str]:
        """The permissions granted by ``role_names`` in ``city``."""
        granted: set[str] = set()
        for name in role_names:
            if name == CITY_ADMIN:
                return frozenset(
                    p for p in self.permissions if _plugin_of(p) in (*city.plugins, *BUILTIN_SLUGS)
                )
            role = self.roles.get(name)
            if role is not None:  # roles of removed plugins are skipped, not fatal
                granted.update(role.permissions)
        return frozenset(granted)

    def roles_for(self, city: City) -> list[Role]:
        """Roles that make sense in ``city`` (core's and its enabled plugins')."""
        return [
            r for r in self.roles.values() if _plugin_of(r.name) in (*city.plugins, *BUILTIN_SLUGS)
        ]


def _plugin_of(name: str) -> str:
    return name.split(".", 1)[0] if "." in name else "core"


async def current_user(connection: ASGIConnection[Any, Any, Any, Any]) -> CurrentUser | None:
    """The logged-in user of this request's city, loaded once per request.

    A session whose account was suspended, or whose sign-in was ended (the
    holder signed out elsewhere, the password was reset), is refused at once:
    it is emptied, the visitor is told why, and the attempt is audited.
    """
    scope = connection.scope
    if _USER_KEY in scope:
        return scope[_USER_KEY]  # type: ignore[literal-required]
    user: CurrentUser | None = None
    city = current_city_or_none()
    if city is not None and "session" in scope:
        session = connection.session or {}
        user_id = session.get(session_key(city))
        if isinstance(user_id, int):
            sign_in = session.get(sign_in_key(city))
            user, refusal = await load_user(
                connection.app.state.ui.access,
                city,
                user_id,
                sign_in if isinstance(sign_in, int) else 0,
            )
            if user is None:
                await _refuse_session(connection, city, user_id, refusal)
    scope[_USER_KEY] = user  # type: ignore[literal-required]
    return user


async def _refuse_session(
    connection: ASGIConnection[Any, Any, Any, Any], city: City, user_id: int, refusal: str
) -> None:
    """End a session that no longer stands, say why, and audit the attempt."""
    session = dict(connection.session or {})
    session.pop(session_key(city), None)
    session.pop(sign_in_key(city), None)
    connection.set_session(session)
    if refusal == SUSPENDED:
        flash(connection, _("Your account is suspended. Ask your city administrator."), "error")
    elif refusal == SIGNED_OUT:
        flash(connection, _("You were signed out on this device. Please log in again."), "info")
    record = connection.app.state.ui.audit_record  # the audit log's, set by create_app
    if record is None:
        return
    await record(
        "core.session_refused",
        actor_id=user_id,
        request=connection,
        subject=f"user:{user_id}",
        detail={"reason": refusal or "unknown", "path": connection.url.path[:200]},
    )


# One statement on every logged-in page: the account, its roles and this sign-in together.
_USER_WITH_ROLES = FixedStatement(
    "SELECT u.id, u.name, u.email, u.phone, u.is_active, g.role, "
    "u.email_verified_at, u.phone_verified_at, u.totp_enabled_at, s.id AS sign_in, "
    "s.ended_at, u.deleted_at FROM balai_user u "
    'LEFT JOIN balai_role_grant g ON g."user" = u.id AND g.city = u.city '
    'LEFT JOIN balai_sign_in s ON s.id = {} AND s."user" = u.id AND s.city = u.city '
    "WHERE u.city = {} AND u.id = {}"
)


async def load_user(
    access: AccessRules, city: City, user_id: int, sign_in_id: int
) -> tuple[CurrentUser | None, str]:
    """An active user of ``city`` with their roles, signed in as ``sign_in_id``.

    Returns:
        The user, or ``None`` and why: ``suspended``, ``signed_out`` (the
        sign-in was ended or is unknown) or ``missing``.
    """
    rows = await _USER_WITH_ROLES.fetch(User, sign_in_id, city.slug, user_id)
    if not rows:
        return None, "missing"
    row = rows[0]
    if row["deleted_at"] is not None:
        return None, "deleted"
    if not row["is_active"]:
        return None, SUSPENDED
    if row["sign_in"] is None or row["ended_at"] is not None:
        return None, SIGNED_OUT
    roles = frozenset(r["role"] for r in rows if r["role"])
    second_factor = row["totp_enabled_at"] is not None
    return (
        CurrentUser(
            id=row["id"],
            name=row["name"],
            email=row["email"],
            phone=row["phone"],
            roles=roles,
            permissions=access.permissions_of(roles, city),
            verified=row["email_verified_at"] is not None or row["phone_verified_at"] is not None,
            sign_in_id=row["sign_in"],
            second_factor=second_factor,
            second_factor_missing=not second_factor
            and account_settings().second_factor_required(roles),
        ),
        "",
    )


def forget_user(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    """Drop the cached user of this request (after login or logout)."""
    connection.scope.pop(_USER_KEY, None)  # type: ignore[misc]


# --- guards ------------------------------------------------------------------


async def require_login(
    connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
) -> None:
    """Guard: the visitor must be logged in to this city."""
    if await current_user(connection) is None:
        raise NotAuthorizedException("login required")


async def require_verified(
    connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
) -> None:
    """Guard: the visitor must be logged in with a verified email or phone.

    For the actions that commit a citizen (paying, enrolling, reporting,
    ordering). A page asked for with GET sends an unverified visitor to the
    verification page and back; any other request is refused with 403.
    """
    user = await current_user(connection)
    if user is None:
        raise NotAuthorizedException("login required")
    if not user.verified:
        raise VerificationRequired("verify your email or phone first")


def _second_factor_in_place(user: CurrentUser) -> None:
    if user.second_factor_missing:
        raise SecondFactorRequired("the city requires a second factor for this account")


async def require_officer(
    connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
) -> None:
    """Guard: the visitor must hold at least one role in this city.

    Where the city makes a second factor mandatory for the visitor's roles,
    it must be enrolled first.
    """
    user = await current_user(connection)
    if user is None:
        raise NotAuthorizedException("login required")
    if not user.is_officer:
        raise PermissionDeniedException("officers only")
    _second_factor_in_place(user)


def require_permission(permission: str) -> Any:
    """Guard factory: the visitor must hold ``permission`` in this city."""

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        user = await current_user(connection)
        if user is None:
            raise NotAuthorizedException("login required")
        if not user.can(permission):
            raise PermissionDeniedException(f"needs {permission}")
        _second_factor_in_place(user)

    guard.permission = permission  # type: ignore[attr-defined]
    guard.__name__ = f"require_permission[{permission}]"
    return guard


async def city_guard(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """App-wide guard: a plugin's routes exist only where a city enabled it.

    Routes that work without a city carry ``opt={"cityless": True}``. It also
    refuses integer path and query parameters that are not plain ASCII digits
    within a database integer (:func:`balai.web.numbers.refuse_bent_numbers`),
    so no handler sees ``2**63``, ``-1`` or ``"١"`` as an id.
    """
    opts = handler.opt
    city = current_city_or_none()
    if city is None:
        if not opts.get("cityless"):
            raise NotFoundException()
        refuse_bent_numbers(connection.scope, handler)
        return
    plugin = opts.get("plugin")
    if plugin and not city.enables(plugin):
        raise NotFoundException()
    refuse_bent_numbers(connection.scope, handler)


def unguarded_routes(app: Any, app_guards: Iterable[Any]) -> list[str]:
    """Paths of handlers with neither their own guard nor ``opt=PUBLIC``.

    Office routes (``opt["office"]``) need a permission guard of their own.
    """
    skip = set(app_guards)
    bad: list[str] = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if getattr(handler.fn, "__name__", "") == "options_handler":
                continue  # litestar's automatic CORS preflight answer
            opts = handler.opt
            own = [g for g in handler.resolve_guards() if g not in skip]
            if opts.get("office"):
                if not any(getattr(g, "permission", None) for g in own):
                    bad.append(f"{route.path} (office route without require_permission)")
            elif not own and not opts.get("public"):
                bad.append(route.path)
    return sorted(set(bad))


def undeclared_permissions(app: Any, access: AccessRules) -> list[str]:
    """Permissions named by guards but declared by no plugin."""
    names = set()
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            for guard in handler.resolve_guards():
                perm = getattr(guard, "permission", None)
                if perm and perm not in access.permissions:
                    names.add(perm)
    return sorted(names)
