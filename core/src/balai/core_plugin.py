"""The core's own features, registered as the plugin ``core`` through the same hooks."""

from __future__ import annotations

from balai import __version__
from balai.auth import (
    account_pages,
    data_pages,
    officers,
    pages,
    reset_pages,
    two_factor_pages,
    verify_pages,
)
from balai.auth.settings import AccountSettings
from balai.hookimpl import hookimpl
from balai.i18n import N_
from balai.tables import RoleGrant, User
from balai.types import Dimension, NavItem, Permission, PersonalData, PluginInfo, Role, Routes
from balai.web import pages as web_pages
from balai.workflow.tables import WorkflowStep


@hookimpl
def plugin_info() -> PluginInfo:
    """The core."""
    return PluginInfo(
        slug="core",
        title="Balai",
        dimension=Dimension.GOVERNANCE,
        version=__version__,
        description="Accounts, cities, navigation and the back office.",
    )


@hookimpl
def settings_schema() -> type:
    """``[cities.<slug>.settings.core]``: second factor and code texts (see AccountSettings)."""
    return AccountSettings


@hookimpl
def piccolo_apps():
    """Accounts, sessions, throttling, the workflow history."""
    return ["balai.piccolo_app"]


@hookimpl
async def user_deleted(city, user_id):
    """Workflow steps the account took stay in the records' history, without the link to it."""
    await WorkflowStep.update({WorkflowStep.actor_id: None}).where(WorkflowStep.actor_id == user_id)


@hookimpl
async def personal_data(city, user_id):
    """The account itself: name, contacts, when it was made and last used, its roles."""
    row = await User.select().where(User.id == user_id).first()
    if row is None:
        return []
    roles = await RoleGrant.select(RoleGrant.role).where(RoleGrant.user == user_id)
    record = {
        N_("Name"): row["name"],
        N_("Email"): row["email"] or "",
        N_("Phone"): row["phone"] or "",
        N_("Account made"): row["created_at"].isoformat(),
        N_("Last sign-in"): row["last_login_at"].isoformat() if row["last_login_at"] else "",
        N_("Roles"): ", ".join(r["role"] for r in roles),
    }
    kept = N_(
        "The account row stays, named only by its number, so that records the city must keep"
        " (invoices, tax records, the audit log) point at one account that names nobody."
    )
    return [PersonalData(N_("Your account"), (record,), kept=kept)]


@hookimpl
def register_routes() -> Routes:
    """Home, search, language, accounts and the officer pages."""
    return Routes(
        pages=[
            *web_pages.ROUTES,
            *pages.ROUTES,
            *verify_pages.ROUTES,
            *reset_pages.ROUTES,
            *account_pages.ROUTES,
            *data_pages.ROUTES,
            *two_factor_pages.ROUTES,
            *officers.ROUTES,
        ]
    )


@hookimpl
def permissions():
    """Permissions of the core."""
    return [Permission(officers.MANAGE_USERS, "Create officer accounts and grant roles")]


@hookimpl
def roles():
    """The city administrator role is built in; the core adds a user manager."""
    return [
        Role(
            "core.user_manager",
            "User manager",
            (officers.MANAGE_USERS,),
            department="Diskominfo",
        )
    ]


@hookimpl
def office_nav_items(request):
    """Officer accounts, for those who may manage them."""
    return [NavItem("Officer accounts", "/kelola/pengguna", 900, officers.MANAGE_USERS)]
