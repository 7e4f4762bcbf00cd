"""The mayor's dashboard as a built-in plugin (slug ``dashboard``, pages at ``/dasbor/``)."""

from __future__ import annotations

from datetime import timedelta

from balai import __version__
from balai.dashboard import core_widgets, routes
from balai.dashboard.period import Period
from balai.hookimpl import hookimpl
from balai.jobs.types import Job
from balai.types import Dimension, NavItem, Permission, PluginInfo, Role, Routes

SLUG = "dashboard"


@hookimpl
def plugin_info() -> PluginInfo:
    """The dashboard."""
    return PluginInfo(
        slug=SLUG,
        title="City dashboard",
        dimension=Dimension.GOVERNANCE,
        version=__version__,
        description="Figures of every service for the mayor and department heads.",
        path="dasbor",
    )


@hookimpl
def piccolo_apps():
    """The daily aggregates."""
    return ["balai.dashboard.piccolo_app"]


@hookimpl
def register_routes() -> Routes:
    """The dashboard page, its widget cards and CSV exports."""
    return Routes(pages=routes.PAGES)


@hookimpl
def permissions():
    """Viewing the dashboard."""
    return [Permission(routes.VIEW, "View the city dashboard")]


@hookimpl
def roles():
    """The mayor and the heads of departments."""
    return [Role("dashboard.viewer", "Mayor and department heads", (routes.VIEW,))]


@hookimpl
def office_nav_items(request):
    """The dashboard, for those who may see it."""
    return [NavItem("City dashboard", "/dasbor/", 50, routes.VIEW)]


@hookimpl
def scheduled_jobs():
    """Keep the core's daily aggregates current."""
    return [
        Job(
            name="dashboard.refresh_core",
            run=core_widgets.refresh_accounts,
            every=timedelta(minutes=5),
            description="Update the daily count of registered accounts for the dashboard.",
        )
    ]


@hookimpl
async def dashboard_widgets(request, period: Period):
    """The core's own figures: registered accounts."""
    return await core_widgets.account_widgets(period)
