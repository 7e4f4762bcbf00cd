"""Everything the ``sipaldi`` plugin contributes to Balai, in one place.

SIPALDI (*Sistem Pengelolaan Air Limbah Domestik*): the city's domestic
wastewater services, run by DLH: scheduled desludging (LLTT). Households
register their septic tanks (``premises/``); the city plans visits of the
licensed operators' trucks (``planning/``), crews pump (``crew/``), the
treatment plant logs deliveries (``plant/``) and the disposal fee is billed
through the ledger (``fees/``).
"""

from __future__ import annotations

from datetime import time

from balai import toolkit as tk

from balai_sipaldi import __version__, demo, mayor, routes
from balai_sipaldi.crew import routes as crew_routes
from balai_sipaldi.fees import billing, instalments
from balai_sipaldi.firm import routes as firm_routes
from balai_sipaldi.firm import staff
from balai_sipaldi.permissions import CREW, FIRM, MANAGE, PLANT
from balai_sipaldi.planning import operator_routes, plan_routes
from balai_sipaldi.planning.notices import send_notices
from balai_sipaldi.planning.service import run_planner
from balai_sipaldi.plant import gate, report
from balai_sipaldi.premises import household_visits
from balai_sipaldi.premises import importer as premises_importer
from balai_sipaldi.premises import registry as premises_registry
from balai_sipaldi.premises import routes as premises_routes
from balai_sipaldi.settings import SipaldiSettings

SLUG = "sipaldi"
DEPARTMENT = "DLH"
# Words (Indonesian and English) that lead the site-wide search to this service.
# Bookings hold home addresses and are never searched.
SEARCH_WORDS = frozenset(
    {
        "sipaldi",
        "tinja",
        "septik",
        "septic",
        "sedot",
        "wc",
        "lumpur",
        "iplt",
        "limbah",
        "desludging",
        "wastewater",
        "sewage",
    }
)


@tk.hookimpl
def plugin_info() -> tk.PluginInfo:
    """Who the plugin is."""
    return tk.PluginInfo(
        slug=SLUG,
        title="Septic tank desludging",
        dimension=tk.Dimension.ENVIRONMENT,
        version=__version__,
        description="Register your septic tank; the city schedules its emptying.",
        department=DEPARTMENT,
    )


@tk.hookimpl
def settings_schema() -> type[SipaldiSettings]:
    """What a city can set: kelurahan, schedule and tariff rules, notices, tolerances."""
    return SipaldiSettings


@tk.hookimpl
def piccolo_apps() -> list[str]:
    """The premises, planning, field and plant tables and their migrations."""
    return ["balai_sipaldi.piccolo_app"]


@tk.hookimpl
def register_routes() -> tk.Routes:
    """The household's pages; the office, operator, crew and gate pages."""
    return tk.Routes(
        pages=[*routes.PAGES, *premises_routes.PAGES, *household_visits.PAGES],
        office=[
            *premises_routes.OFFICE,
            *operator_routes.OFFICE,
            *plan_routes.OFFICE,
            *crew_routes.OFFICE,
            *gate.OFFICE,
            *firm_routes.OFFICE,
        ],
    )


@tk.hookimpl
def permissions() -> list[tk.Permission]:
    """Scheduling the city's desludging trucks."""
    return [
        tk.Permission(MANAGE, "Manage the desludging registry and schedule"),
        tk.Permission(CREW, "Record desludging visits in the field"),
        tk.Permission(PLANT, "Log deliveries at the treatment plant"),
        tk.Permission(FIRM, "See and pay an operator's disposal fees"),
    ]


@tk.hookimpl
def roles() -> list[tk.Role]:
    """DLH's wastewater officers, and the operators' office and crew accounts."""
    return [
        tk.Role("sipaldi.officer", "Wastewater officer", (MANAGE,), department=DEPARTMENT),
        tk.Role("sipaldi.crew", "Desludging crew", (CREW,), department=DEPARTMENT),
        tk.Role("sipaldi.plant", "Treatment plant gate officer", (PLANT,), department=DEPARTMENT),
        tk.Role(
            report.HEAD,
            "Head of the environment department (signs desludging reports)",
            (MANAGE,),
            department=DEPARTMENT,
        ),
        tk.Role("sipaldi.operator", "Desludging operator's office", (FIRM,), department=DEPARTMENT),
    ]


@tk.hookimpl
def nav_items(request) -> list[tk.NavItem]:
    """Desludging in the citizens' menu."""
    return [tk.NavItem("Septic tank desludging", "/sipaldi/", order=60, icon="truck")]


@tk.hookimpl
def office_nav_items(request) -> list[tk.NavItem]:
    """Registry, operators and plan for officers; the route for crews; the gate; the firm's fees."""
    return [
        tk.NavItem("Premises registry", "/kelola/sipaldi/", order=60, permission=MANAGE),
        tk.NavItem("Operators", operator_routes.LIST, order=61, permission=MANAGE),
        tk.NavItem("Desludging plan", plan_routes.PLAN, order=62, permission=MANAGE),
        tk.NavItem("Today's route", crew_routes.ROUTE, order=63, permission=CREW),
        tk.NavItem("Treatment plant gate", gate.GATE, order=64, permission=PLANT),
        tk.NavItem("Disposal fees of the firm", firm_routes.FIRM_PAGE, order=65, permission=FIRM),
    ]


@tk.hookimpl
def home_tiles(request) -> list[tk.HomeTile]:
    """A tile leading to desludging."""
    return [
        tk.HomeTile(
            title="Septic tank desludging",
            text="Register your septic tank; the city schedules its emptying.",
            href="/sipaldi/",
            icon="truck",
            order=60,
        )
    ]


@tk.hookimpl
def search(request, query: str) -> list[tk.SearchResult]:
    """Wastewater words find the service page; premises are never searched."""
    if not SEARCH_WORDS.intersection(query.lower().split()):
        return []
    return [
        tk.SearchResult(
            title=tk._("Septic tank desludging"),
            href="/sipaldi/",
            snippet=tk._("Register your septic tank; the city schedules its emptying."),
            kind=tk._("Service"),
        )
    ]


@tk.hookimpl
def scheduled_jobs() -> list[tk.Job]:
    """The nightly planner, and the morning notices to households ahead of their visits."""
    return [
        tk.Job(
            name=plan_routes.JOB,
            run=run_planner,
            daily_at=time(1, 30),
            description="Propose desludging visits per truck for the premises due",
        ),
        tk.Job(
            name="sipaldi.notify",
            run=send_notices,
            daily_at=time(7, 0),
            description="Tell households ahead of their desludging visits",
        ),
    ]


@tk.hookimpl
def document_types() -> list[tk.DocumentType]:
    """The desludging report of a delivered visit, signed by the head of DLH."""
    return [report.DESLUDGING_REPORT]


@tk.hookimpl
def spreadsheet_importers() -> list[tk.Importer]:
    """The premises registry import, for officers."""
    return [premises_importer.IMPORTER]


@tk.hookimpl
async def seed_demo(city: tk.City) -> tk.DemoReport:
    """Malang's registered premises (made-up addresses)."""
    return await demo.seed(city)


@tk.hookimpl
async def dashboard_widgets(request, period: tk.Period) -> list[tk.Widget]:
    """Smart Environment: tanks emptied on schedule, overdue, m³ treated, plant use, gap flags."""
    return await mayor.widgets(period)


@tk.hookimpl
def open_datasets(city: tk.City) -> list[tk.Dataset]:
    """Premises served (and late) and m³ per kecamatan and month; overdue per kecamatan."""
    return list(mayor.DATASETS)


@tk.hookimpl
async def invoice_settled(city: tk.City, invoice: tk.Invoice) -> None:
    """A disposal fee's (or instalment's) invoice is paid: marked paid, in the settlement."""
    if invoice.source != billing.SOURCE:
        return
    if invoice.source_ref.startswith(billing.REF_PREFIX):
        await billing.settled(invoice)
    elif invoice.source_ref.startswith(instalments.REF_PREFIX):
        await instalments.settled(invoice)


@tk.hookimpl
async def invoice_expired(city: tk.City, invoice: tk.Invoice) -> None:
    """A disposal fee's (or instalment's) invoice expired: it can be paid with a new one."""
    if invoice.source != billing.SOURCE:
        return
    if invoice.source_ref.startswith(billing.REF_PREFIX):
        await billing.expired(invoice)
    elif invoice.source_ref.startswith(instalments.REF_PREFIX):
        await instalments.expired(invoice)


@tk.hookimpl
async def user_deleted(city: tk.City, user_id: int) -> None:
    """A deleted account's premises stay on the schedule (the tank is still there), unowned.

    Its link to an operator (office or crew) goes.
    """
    await premises_registry.release_owner(user_id)
    await staff.unlink(user_id)
