"""Everything the ``pengaduan`` plugin (Ngalam 112) contributes to Balai, in one place.

One channel for a city's complaints and emergencies: citizens report (signed
in, or with a mobile number confirmed by a texted code), emergencies show
the call button first and jump the queue, departments' officers work their
queues under SLA clocks, the public follows a board, and other systems speak
Open311 GeoReport v2. Each function below implements one hook of
``balai.hookspecs``; the docstrings there are the reference.
"""

from __future__ import annotations

from datetime import timedelta

from balai import toolkit as tk

from balai_pengaduan import __version__, demo, insight
from balai_pengaduan.board.routes import PAGES as BOARD_PAGES
from balai_pengaduan.handling import members, sla
from balai_pengaduan.handling.routes import OFFICE as HANDLING_OFFICE
from balai_pengaduan.handling.workflow import NUMBERS
from balai_pengaduan.open311 import api as open311_api
from balai_pengaduan.open311 import clients as open311_clients
from balai_pengaduan.reports.routes import PAGES as REPORT_PAGES
from balai_pengaduan.settings import ADMIN, MANAGE, SLUG, Settings
from balai_pengaduan.tables import Follower, Member, Note, Report


@tk.hookimpl
def plugin_info() -> tk.PluginInfo:
    """Who the plugin is (the slug equals the entry-point name)."""
    return tk.PluginInfo(
        slug=SLUG,
        title="Complaints and emergencies",
        dimension=tk.Dimension.SOCIETY,
        version=__version__,
        description="One channel for the city's complaints and emergencies, with Open311.",
        path="pengaduan",
        department="Diskominfo",
    )


@tk.hookimpl
def settings_schema() -> type[Settings]:
    """Categories, departments, kelurahan, the city's box and time limits."""
    return Settings


@tk.hookimpl
def piccolo_apps() -> list[str]:
    """The plugin's tables and migrations."""
    return ["balai_pengaduan.piccolo_app"]


@tk.hookimpl
def register_routes() -> tk.Routes:
    """Board and reporting, queues (``/kelola/pengaduan/``), Open311 (``/api/pengaduan/``)."""
    return tk.Routes(
        pages=[*BOARD_PAGES, *REPORT_PAGES],
        office=[*HANDLING_OFFICE, *members.OFFICE, *open311_clients.OFFICE],
        api=open311_api.API,
    )


@tk.hookimpl
def permissions() -> list[tk.Permission]:
    """Officers work queues; the desk also manages departments, API clients and photos."""
    return [
        tk.Permission(MANAGE, "Handle complaints in a department's queue"),
        tk.Permission(ADMIN, "Manage complaint departments, Open311 clients and photos"),
    ]


@tk.hookimpl
def roles() -> list[tk.Role]:
    """A department's officer, and the city's complaint desk (Diskominfo)."""
    return [
        tk.Role("pengaduan.officer", "Complaints officer", (MANAGE,)),
        tk.Role("pengaduan.desk", "Complaints desk", (MANAGE, ADMIN), department="Diskominfo"),
    ]


@tk.hookimpl
def nav_items(request) -> list[tk.NavItem]:
    """The entry in the citizens' menu."""
    return [tk.NavItem("Complaints and emergencies", "/pengaduan/", order=15, icon="message")]


@tk.hookimpl
def office_nav_items(request) -> list[tk.NavItem]:
    """The queue for officers; the departments' page for the desk."""
    return [
        tk.NavItem("Complaints queue", "/kelola/pengaduan/", order=15, permission=MANAGE),
        tk.NavItem("Departments' officers", "/kelola/pengaduan/dinas", order=16, permission=ADMIN),
        tk.NavItem("Open311 applications", "/kelola/pengaduan/open311", order=17, permission=ADMIN),
    ]


@tk.hookimpl
def scheduled_jobs() -> list[tk.Job]:
    """Every 15 minutes: escalate overdue reports, close resolved ones left unanswered."""
    return [tk.Job(name="pengaduan.sla", run=sla.run, every=timedelta(minutes=15))]


@tk.hookimpl
def home_tiles(request) -> list[tk.HomeTile]:
    """A tile on the city home page."""
    return [
        tk.HomeTile(
            title="Complaints and emergencies",
            text="Report a problem or an emergency, and follow it.",
            href="/pengaduan/",
            icon="message",
        )
    ]


@tk.hookimpl
async def search(request, query: str) -> list[tk.SearchResult]:
    """A report found by its number (the public page; nothing personal)."""
    number = NUMBERS.parse(query.strip()) if len(query) <= 40 else None
    if not number or not await Report.exists().where(Report.number == number):
        return []
    return [
        tk.SearchResult(
            title=number,
            href=f"/pengaduan/laporan/{number}",
            snippet="",
            kind=tk._("Complaints and emergencies"),
        )
    ]


@tk.hookimpl
async def dashboard_widgets(request, period) -> list[tk.Widget]:
    """Smart Society: open complaints, medians, SLA per department, per category."""
    return await insight.widgets(request, period)


@tk.hookimpl
def open_datasets(city: tk.City) -> list[tk.Dataset]:
    """Complaints per month, category and kelurahan."""
    return insight.datasets()


@tk.hookimpl
async def seed_demo(city: tk.City) -> tk.DemoReport:
    """Reports in every state for the city's categories (see ``demo``)."""
    return await demo.seed(city)


@tk.hookimpl
async def user_deleted(city: tk.City, user_id: int) -> None:
    """Unlink the account from its reports and follows; the reports stay (the city's record).

    Descriptions are the city's record of a public problem and stay; the
    photos are the files service's (which removes the account's uploads).
    """
    await Report.update({Report.reporter_id: None}).where(Report.reporter_id == user_id)
    await Follower.delete().where(Follower.user_id == user_id)
    await Member.delete().where(Member.user_id == user_id)
    await Note.update({Note.author_id: 0}).where(Note.author_id == user_id)
