"""The audit log as a built-in plugin (slug ``audit``)."""

from __future__ import annotations

from datetime import time

from balai import __version__
from balai.audit import erasure, routes
from balai.audit.chain import verify_job
from balai.auth.access import current_user
from balai.hookimpl import hookimpl
from balai.jobs.types import Job
from balai.types import Dimension, NavItem, Permission, PluginInfo, Role, Routes


@hookimpl
def plugin_info() -> PluginInfo:
    """The audit log."""
    return PluginInfo(
        slug="audit",
        title="Audit log",
        dimension=Dimension.GOVERNANCE,
        version=__version__,
        description="Who did what, when and from where; who viewed personal data.",
        path="audit",
    )


@hookimpl
def piccolo_apps():
    """The audit entries."""
    return ["balai.audit.piccolo_app"]


@hookimpl
def register_routes() -> Routes:
    """The citizen's page and the officers' search."""
    return Routes(pages=[*routes.PAGES, *erasure.PAGES], office=[*routes.OFFICE, *erasure.OFFICE])


@hookimpl
def permissions():
    """Reading the audit log; reviewing erasure requests."""
    return [
        Permission(routes.VIEW, "Search the audit log"),
        Permission(erasure.REVIEW, "Review citizens' requests to erase their data"),
    ]


@hookimpl
def roles():
    """Auditors read the log."""
    return [
        Role("audit.auditor", "Auditor", (routes.VIEW,), department="Inspektorat"),
        Role(
            "audit.privacy_officer",
            "Data protection officer",
            (erasure.REVIEW,),
            department="Diskominfo",
        ),
    ]


@hookimpl
def office_nav_items(request):
    """The audit log, for those who may read it."""
    return [
        NavItem("Audit log", "/kelola/audit/", 950, routes.VIEW),
        NavItem("Erasure requests", "/kelola/audit/penghapusan", 951, erasure.REVIEW),
    ]


@hookimpl
async def nav_items(request):
    """A logged-in visitor can see who viewed their data."""
    if await current_user(request) is None:
        return []
    return [NavItem("Who viewed my data", "/audit/data-saya", 920, icon="eye")]


@hookimpl
def scheduled_jobs():
    """Check every city's chain once a night; a break shows as a failed run."""
    return [
        Job(
            name="audit.verify",
            run=verify_job,
            daily_at=time(3, 0),
            description="Check the audit log's hash chain and report the first broken entry.",
        )
    ]
