"""Everything the ``wisata_heritage`` plugin contributes to Balai, in one place.

The city's heritage sites, run by Disporapar. Each feature keeps its code
in its own folder (``sites/``, ``events/``, ``walks/``; the ticket half in
``tickets/``); this file only wires them to the hooks.
"""

from __future__ import annotations

from balai import toolkit as tk

from balai_wisata_heritage import __version__, demo
from balai_wisata_heritage import search as heritage_search
from balai_wisata_heritage.events import office as event_office
from balai_wisata_heritage.events import public as event_pages
from balai_wisata_heritage.figures import content as content_figures
from balai_wisata_heritage.settings import HeritageSettings
from balai_wisata_heritage.sites import office as site_office
from balai_wisata_heritage.sites import public as site_pages
from balai_wisata_heritage.tickets import demo as ticket_demo
from balai_wisata_heritage.tickets import figures as ticket_figures
from balai_wisata_heritage.tickets import gate_pages, partner_sales, settlement
from balai_wisata_heritage.tickets import office as ticket_office
from balai_wisata_heritage.tickets import pages as ticket_pages
from balai_wisata_heritage.tickets import privacy as ticket_privacy
from balai_wisata_heritage.walks import office as walk_office
from balai_wisata_heritage.walks import public as walk_pages

SLUG = "wisata_heritage"
DEPARTMENT = "Disporapar"
MANAGE = site_office.MANAGE


@tk.hookimpl
def plugin_info() -> tk.PluginInfo:
    """Who the plugin is."""
    return tk.PluginInfo(
        slug=SLUG,
        title="Heritage sites",
        dimension=tk.Dimension.BRANDING,
        version=__version__,
        description="The city's heritage sites, their stories and opening hours.",
        department=DEPARTMENT,
    )


@tk.hookimpl
def settings_schema() -> type[HeritageSettings]:
    """What a city can set: the usual opening hours."""
    return HeritageSettings


@tk.hookimpl
def piccolo_apps() -> list[str]:
    """The sites table and its migrations."""
    return ["balai_wisata_heritage.piccolo_app"]


@tk.hookimpl
def register_routes() -> tk.Routes:
    """Sites (list, page), events (calendar, page, iCalendar feed), tickets, the officers' pages."""
    return tk.Routes(
        pages=[*site_pages.ROUTES, *event_pages.ROUTES, *walk_pages.ROUTES, *ticket_pages.PAGES],
        office=[
            *site_office.ROUTES,
            *event_office.ROUTES,
            *walk_office.ROUTES,
            *gate_pages.OFFICE,
            *ticket_office.OFFICE,
        ],
    )


@tk.hookimpl
def permissions() -> list[tk.Permission]:
    """Managing the city's heritage sites."""
    return [
        tk.Permission(MANAGE, "Manage heritage sites and their events"),
        tk.Permission(gate_pages.GATE, "Check heritage tickets at the gate"),
        tk.Permission(ticket_office.COUNTER, "Sell heritage tickets at the counter"),
    ]


@tk.hookimpl
def roles() -> list[tk.Role]:
    """Disporapar's heritage officers."""
    return [
        tk.Role(
            "wisata_heritage.officer",
            "Heritage officer",
            (MANAGE, gate_pages.GATE, ticket_office.COUNTER),
            department=DEPARTMENT,
        ),
        tk.Role(
            "wisata_heritage.gate_officer",
            "Heritage gate officer",
            (gate_pages.GATE, ticket_office.COUNTER),
            department=DEPARTMENT,
        ),
    ]


@tk.hookimpl
def nav_items(request) -> list[tk.NavItem]:
    """The heritage sites in the citizens' menu."""
    return [tk.NavItem("Heritage sites", "/wisata-heritage/", order=40, icon="landmark")]


@tk.hookimpl
def office_nav_items(request) -> list[tk.NavItem]:
    """The sites list, for heritage officers."""
    return [
        tk.NavItem("Heritage sites", "/kelola/wisata-heritage/", order=40, permission=MANAGE),
        tk.NavItem(
            "Ticket gate", "/kelola/wisata-heritage/gerbang", order=41, permission=gate_pages.GATE
        ),
        tk.NavItem(
            "Ticket products",
            "/kelola/wisata-heritage/tiket/",
            order=42,
            permission=ticket_office.COUNTER,
        ),
    ]


@tk.hookimpl
def home_tiles(request) -> list[tk.HomeTile]:
    """A tile leading to the heritage sites."""
    return [
        tk.HomeTile(
            title="Heritage sites",
            text="Visit the city's historic buildings, kampungs and museums.",
            href="/wisata-heritage/",
            icon="landmark",
            order=40,
        )
    ]


@tk.hookimpl
async def search(request, query: str) -> list[tk.SearchResult]:
    """Published sites, coming events and walks holding every word of the query (any case)."""
    return await heritage_search.find(query)


@tk.hookimpl
async def seed_demo(city: tk.City) -> tk.DemoReport:
    """The city's best-known heritage sites, then ticket products with sales and admissions."""
    report = await demo.seed(city)
    tickets = await ticket_demo.seed(city)
    report.summary.extend(tickets.summary)
    report.accounts.extend(tickets.accounts)
    return report


@tk.hookimpl
async def dashboard_widgets(request, period: tk.Period) -> list[tk.Widget]:
    """Smart Branding: the content's figures, then the tickets'.

    Sites, events by start, the most viewed walks; tickets sold and revenue
    against target, visitors admitted, slot occupancy, visitors per site.
    """
    return [*await content_figures.widgets(period), *await ticket_figures.widgets(period)]


@tk.hookimpl
def open_datasets(city: tk.City) -> list[tk.Dataset]:
    """Heritage events per month and kind; visitors per site and month (counts only)."""
    return [*content_figures.DATASETS, ticket_figures.VISITS_PER_SITE]


@tk.hookimpl
async def invoice_settled(city: tk.City, invoice: tk.Invoice) -> None:
    """A ticket order's invoice was paid: its tickets become valid (in the settlement)."""
    await settlement.invoice_paid(invoice)


@tk.hookimpl
async def invoice_expired(city: tk.City, invoice: tk.Invoice) -> None:
    """A ticket order's invoice lapsed: its tickets are void and its places for sale again."""
    await settlement.invoice_lapsed(invoice)


@tk.hookimpl
async def invoice_refunded(city: tk.City, invoice: tk.Invoice) -> None:
    """A ticket order's invoice was refunded: its unused tickets no longer pass the gate."""
    await settlement.invoice_refunded(invoice)


@tk.hookimpl
def partner_tickets(city: tk.City) -> tk.TicketSeller:
    """Heritage tickets, sold by partners from each slot's partner quota."""
    return partner_sales.SELLER


@tk.hookimpl
async def personal_data(city: tk.City, user_id: int) -> list[tk.PersonalData]:
    """The account's heritage ticket orders and their tickets."""
    return await ticket_privacy.ticket_data(user_id)
