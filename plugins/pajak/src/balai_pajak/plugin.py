"""Everything the ``pajak`` plugin contributes to Balai, in one place.

Local taxes run by the city's Bapenda. The skeleton offers a public lookup of
a tax object by its NOP and the officers' list of tax objects.
"""

from __future__ import annotations

from datetime import date, time

from balai import toolkit as tk

from balai_pajak import (
    __version__,
    demo,
    routes,
)
from balai_pajak.pbb import (
    assessment_run,
    lookup,
    lookup_links,
    my_bills,
    partner_bill,
    roll_import,
)
from balai_pajak.pbb import notices as pbb_notices
from balai_pajak.pbb import office as pbb_office
from balai_pajak.pbb import payment as pbb_payment
from balai_pajak.pbb import receipts as pbb_receipts
from balai_pajak.pbjt import demo as pbjt_demo
from balai_pajak.pbjt import routes as pbjt_routes
from balai_pajak.pbjt import service as pbjt_service
from balai_pajak.retribusi import billing as retribusi_billing
from balai_pajak.retribusi import demo as retribusi_demo
from balai_pajak.retribusi import partner_bill as retribusi_partner_bill
from balai_pajak.retribusi import routes as retribusi_routes
from balai_pajak.revenue import datasets as revenue_datasets
from balai_pajak.revenue import record as revenue_record
from balai_pajak.revenue import widgets as revenue_widgets
from balai_pajak.settings import PajakSettings
from balai_pajak.tables import TaxObject

SLUG = "pajak"
DEPARTMENT = "Bapenda"
MANAGE = routes.MANAGE
# Words (Indonesian and English) that lead the site-wide search to this service.
COLLECT = retribusi_routes.COLLECT
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
    return [
        "balai_pajak.piccolo_app",
        "balai_pajak.pbjt.piccolo_app",
        "balai_pajak.retribusi.piccolo_app",
        "balai_pajak.revenue.piccolo_app",
    ]


@tk.hookimpl
def register_routes() -> tk.Routes:
    """The public NOP lookup, linking NOPs, my bills and paying them; the officers' list."""
    pages = [*lookup.PAGES, *lookup_links.PAGES, *my_bills.PAGES, *pbb_payment.PAGES]
    pages += [*pbjt_routes.PAGES, *retribusi_routes.PAGES]
    office = [*routes.OFFICE, *pbb_office.OFFICE, *pbjt_routes.OFFICE, *retribusi_routes.OFFICE]
    return tk.Routes(pages=pages, office=office)


@tk.hookimpl
def permissions() -> list[tk.Permission]:
    """Managing the city's tax objects."""
    return [
        tk.Permission(MANAGE, "Manage tax objects and assessments"),
        tk.Permission(COLLECT, "Collect market fees in cash"),
    ]


@tk.hookimpl
def roles() -> list[tk.Role]:
    """Bapenda's tax officers."""
    return [
        tk.Role("pajak.officer", "Tax officer", (MANAGE,), department=DEPARTMENT),
        tk.Role("pajak.collector", "Market fee collector", (COLLECT,), department=DEPARTMENT),
        tk.Role(
            pbb_notices.HEAD,
            "Head of the revenue agency (signs SPPT notices)",
            (MANAGE,),
            department=DEPARTMENT,
        ),
    ]


@tk.hookimpl
def nav_items(request) -> list[tk.NavItem]:
    """The NOP lookup in the citizens' menu."""
    return [tk.NavItem("Property tax", "/pajak/", order=30, icon="house")]


@tk.hookimpl
def office_nav_items(request) -> list[tk.NavItem]:
    """The tax objects list, for tax officers."""
    return [
        tk.NavItem("Tax objects", "/kelola/pajak/", order=30, permission=MANAGE),
        tk.NavItem("Yearly assessment", "/kelola/pajak/penetapan", order=30, permission=MANAGE),
        tk.NavItem("PBB-P2 arrears", "/kelola/pajak/tunggakan", order=30, permission=MANAGE),
        tk.NavItem(
            "Import tax objects", tk.import_url(roll_import.KEY), order=30, permission=MANAGE
        ),
        tk.NavItem("PBJT businesses", "/kelola/pajak/pbjt/", order=31, permission=MANAGE),
        tk.NavItem("Market fees", "/kelola/pajak/retribusi/", order=32, permission=MANAGE),
        tk.NavItem("Collect market fees", "/kelola/pajak/pungut/", order=33, permission=COLLECT),
    ]


@tk.hookimpl
def home_tiles(request) -> list[tk.HomeTile]:
    """A tile leading to the NOP lookup."""
    return [
        tk.HomeTile(
            title="Property tax",
            text="Check your land and building tax object by its NOP.",
            href="/pajak/",
            icon="house",
            order=30,
        ),
        tk.HomeTile(
            title="Business taxes",
            text="File and pay the monthly tax (PBJT) of your restaurant, hotel or parking.",
            href="/pajak/usaha",
            icon="receipt",
            order=31,
        ),
        tk.HomeTile(
            title="Market stall fees",
            text="See and pay the monthly fee of your market stall.",
            href="/pajak/retribusi",
            icon="stall",
            order=32,
        ),
    ]


@tk.hookimpl
async def search(request, query: str) -> list[tk.SearchResult]:
    """A NOP finds its tax object; tax words find the lookup page.

    Owners are not stored, so a result shows only the object's address.
    """
    try:
        digits = tk.parse_nop(query)
    except tk.NopError:
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
            title=tk.format_nop(row["nop"]),
            href=f"/pajak/?nop={row['nop']}",
            snippet=f"{row['address']}, {row['village']}, {row['district']}",
            kind=tk._("Tax object"),
        )
    ]


# The ledger's hooks of each tax kind, by the prefix of the invoice's source_ref.
SETTLED = {
    pbb_payment.REF_PREFIX: pbb_payment.invoice_settled,
    pbjt_service.PREFIX: pbjt_service.settled,
    retribusi_billing.PREFIX: retribusi_billing.settled,
}
EXPIRED = {
    pbb_payment.REF_PREFIX: pbb_payment.invoice_expired,
    pbjt_service.PREFIX: pbjt_service.expired,
    retribusi_billing.PREFIX: retribusi_billing.expired,
}
REFUNDED = {
    pbb_payment.REF_PREFIX: pbb_payment.invoice_refunded,
    pbjt_service.PREFIX: pbjt_service.refunded,
    retribusi_billing.PREFIX: retribusi_billing.refunded,
}


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
    await revenue_record.count_settled(invoice)


@tk.hookimpl
async def invoice_expired(city: tk.City, invoice: tk.Invoice) -> None:
    """A tax invoice expired unpaid: its part frees its bills."""
    await _dispatch(EXPIRED, city, invoice)


@tk.hookimpl
async def invoice_refunded(city: tk.City, invoice: tk.Invoice) -> None:
    """A paid tax invoice was refunded: its part makes its bills unpaid again."""
    await _dispatch(REFUNDED, city, invoice)
    await revenue_record.count_refunded(invoice)


@tk.hookimpl
async def payables(city: tk.City, customer_number: str, today: date) -> tk.Payable | None:
    """A PBB bill by NOP and year (penalty recomputed for ``today``), or a stall's fee by code."""
    found = await partner_bill.payable(customer_number, today)
    return found or await retribusi_partner_bill.payable(customer_number, today)


@tk.hookimpl
async def seed_demo(city: tk.City) -> tk.DemoReport:
    """Tax objects across the city's districts."""
    report = await demo.seed(city)
    await revenue_record.backfill_pbb()  # demo ledger payments skip invoice_settled
    for part in (pbjt_demo, retribusi_demo):
        more = await part.seed(city)
        report.accounts.extend(more.accounts)
        report.summary.extend(more.summary)
    return report


@tk.hookimpl
def spreadsheet_importers() -> list[tk.Importer]:
    """The tax object roll (CSV/XLSX), for tax officers."""
    return [roll_import.IMPORTER]


@tk.hookimpl
async def user_deleted(city: tk.City, user_id: int) -> None:
    """A deleted account loses its links to NOPs, businesses and stalls; tax records stay."""
    await lookup_links.forget_user(user_id)
    await pbjt_service.forget_user(user_id)
    await retribusi_billing.forget_user(user_id)


@tk.hookimpl
async def personal_data(city: tk.City, user_id: int) -> list[tk.PersonalData]:
    """The tax objects (NOPs) linked to the account; erased with it (the bills stay, by NOP)."""
    rows = await lookup_links.linked_nops(user_id)
    records = tuple(
        {tk.N_("NOP"): tk.format_nop(r["nop"]), tk.N_("Linked on"): r["created_at"].isoformat()}
        for r in rows
    )
    return [tk.PersonalData(tk.N_("Tax objects linked to your account"), records)]


@tk.hookimpl
def scheduled_jobs() -> list[tk.Job]:
    """The yearly PBB-P2 assessment run (on demand) and the monthly market-stall bills."""
    return [
        assessment_run.job(),
        pbb_notices.job(),
        pbb_receipts.job(),
        tk.Job(
            name=retribusi_billing.JOB,
            run=retribusi_billing.monthly_job,
            daily_at=time(1, 0),
            description="Make this month's market stall bills (once per stall and month).",
        ),
    ]


@tk.hookimpl
async def dashboard_widgets(request, period: tk.Period) -> list[tk.Widget]:
    """Revenue per tax type against the year's target, collection, arrears, channels."""
    return await revenue_widgets.widgets(period)


@tk.hookimpl
def open_datasets(city: tk.City) -> list[tk.Dataset]:
    """Monthly revenue per tax type, and per district (aggregated)."""
    return list(revenue_datasets.DATASETS)


@tk.hookimpl
def document_types() -> list[tk.DocumentType]:
    """The yearly SPPT notice (signed by the head of Bapenda) and the PBB-P2 payment receipt."""
    return [pbb_notices.SPPT_NOTICE, pbb_receipts.PBB_RECEIPT]
