"""Everything the ``pajak`` plugin contributes to Balai, in one place.

Local taxes run by the city's Bapenda. The skeleton offers a public lookup of
a tax object by its NOP and the officers' list of tax objects.
"""

from __future__ import annotations

from balai import toolkit as tk

from balai_pajak import (
    __version__,
    assessment_run,
    demo,
    lookup,
    lookup_links,
    my_bills,
    pbb_office,
    pbb_payment,
    routes,
)
from balai_pajak.nop import NopError, format_nop, parse_nop
from balai_pajak.settings import PajakSettings
from balai_pajak.tables import TaxObject

SLUG = "pajak"
DEPARTMENT = "Bapenda"
MANAGE = routes.MANAGE
# Words (Indonesian and English) that lead the site-wide search to this service.
SEARCH_WORDS = ("pajak", "pbb", "nop", "sppt", "bumi", "bangunan", "tax", "property")


@tk.hookimpl
def plugin_info() -> tk.PluginInfo:
    """Who the plugin is."""
    return tk.PluginInfo(
        slug=SLUG,
        title="Local taxes",
        dimension=tk.Dimension.GOVERNANCE,
        version=__version__,
        description="Look up land and building tax (PBB) objects by their NOP.",
        department=DEPARTMENT,
    )


@tk.hookimpl
def settings_schema() -> type[PajakSettings]:
    """What a city can set: the month PBB falls due."""
    return PajakSettings


@tk.hookimpl
def piccolo_apps() -> list[str]:
    """The tax objects table and its migrations."""
    return ["balai_pajak.piccolo_app"]


@tk.hookimpl
def register_routes() -> tk.Routes:
    """The public NOP lookup, linking NOPs, my bills and paying them; the officers' list."""
    pages = [*lookup.PAGES, *lookup_links.PAGES, *my_bills.PAGES, *pbb_payment.PAGES]
    return tk.Routes(pages=pages, office=[*routes.OFFICE, *pbb_office.OFFICE])


@tk.hookimpl
def permissions() -> list[tk.Permission]:
    """Managing the city's tax objects."""
    return [tk.Permission(MANAGE, "Manage tax objects and assessments")]


@tk.hookimpl
def roles() -> list[tk.Role]:
    """Bapenda's tax officers."""
    return [tk.Role("pajak.officer", "Tax officer", (MANAGE,), department=DEPARTMENT)]


@tk.hookimpl
def nav_items(request) -> list[tk.NavItem]:
    """The NOP lookup in the citizens' menu."""
    return [tk.NavItem("Property tax", "/pajak/", order=30)]


@tk.hookimpl
def office_nav_items(request) -> list[tk.NavItem]:
    """The tax objects list, for tax officers."""
    return [
        tk.NavItem("Tax objects", "/kelola/pajak/", order=30, permission=MANAGE),
        tk.NavItem("Yearly assessment", "/kelola/pajak/penetapan", order=30, permission=MANAGE),
        tk.NavItem("PBB-P2 arrears", "/kelola/pajak/tunggakan", order=30, permission=MANAGE),
    ]


@tk.hookimpl
def home_tiles(request) -> list[tk.HomeTile]:
    """A tile leading to the NOP lookup."""
    return [
        tk.HomeTile(
            title="Property tax",
            text="Check your land and building tax object by its NOP.",
            href="/pajak/",
            icon="🏠",
            order=30,
        )
    ]


@tk.hookimpl
async def search(request, query: str) -> list[tk.SearchResult]:
    """A NOP finds its tax object; tax words find the lookup page.

    Owners are not stored, so a result shows only the object's address.
    """
    try:
        digits = parse_nop(query)
    except NopError:
        words = query.lower().split()
        if any(w in SEARCH_WORDS for w in words):
            return [
                tk.SearchResult(
                    title=tk._("Property tax"),
                    href="/pajak/",
                    snippet=tk._("Check your land and building tax object by its NOP."),
                    kind=tk._("Service"),
                )
            ]
        return []
    row = (
        await TaxObject.select(
            TaxObject.nop, TaxObject.address, TaxObject.village, TaxObject.district
        )
        .where(TaxObject.nop == digits)
        .first()
    )
    if row is None:
        return []
    return [
        tk.SearchResult(
            title=format_nop(row["nop"]),
            href=f"/pajak/?nop={row['nop']}",
            snippet=f"{row['address']}, {row['village']}, {row['district']}",
            kind=tk._("Tax object"),
        )
    ]


# The ledger's hooks of each tax kind, by the prefix of the invoice's source_ref.
SETTLED = {pbb_payment.REF_PREFIX: pbb_payment.invoice_settled}
EXPIRED = {pbb_payment.REF_PREFIX: pbb_payment.invoice_expired}
REFUNDED = {pbb_payment.REF_PREFIX: pbb_payment.invoice_refunded}


async def _dispatch(handlers: dict, city: tk.City, invoice: tk.Invoice) -> None:
    """Hand a ``pajak`` invoice to the handler of its ``source_ref`` prefix."""
    if invoice.source != SLUG:
        return
    for prefix, handler in handlers.items():
        if invoice.source_ref.startswith(prefix):
            await handler(city, invoice)
            return


@tk.hookimpl
async def invoice_settled(city: tk.City, invoice: tk.Invoice) -> None:
    """A tax invoice was paid: its part marks its bills paid (in the settlement's transaction)."""
    await _dispatch(SETTLED, city, invoice)


@tk.hookimpl
async def invoice_expired(city: tk.City, invoice: tk.Invoice) -> None:
    """A tax invoice expired unpaid: its part frees its bills."""
    await _dispatch(EXPIRED, city, invoice)


@tk.hookimpl
async def invoice_refunded(city: tk.City, invoice: tk.Invoice) -> None:
    """A paid tax invoice was refunded: its part makes its bills unpaid again."""
    await _dispatch(REFUNDED, city, invoice)


@tk.hookimpl
async def seed_demo(city: tk.City) -> tk.DemoReport:
    """Tax objects across the city's districts."""
    return await demo.seed(city)


@tk.hookimpl
def scheduled_jobs() -> list[tk.Job]:
    """The yearly PBB-P2 assessment run (on demand, from the office page)."""
    return [assessment_run.job()]
