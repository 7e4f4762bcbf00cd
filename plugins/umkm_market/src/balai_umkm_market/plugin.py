"""Everything the ``umkm_market`` plugin contributes to Balai, in one place.

The city's market of local businesses (UMKM), run by Diskopindag. The
skeleton lists the city's merchants for citizens and for officers.
"""

from __future__ import annotations

from balai import toolkit as tk

from balai_umkm_market import (
    __version__,
    datasets,
    demo,
    demo_accounts,
    partner_channel,
    routes,
    widgets,
)
from balai_umkm_market.cart import checkout_routes
from balai_umkm_market.cart import routes as cart_routes
from balai_umkm_market.catalogue import pages as catalogue
from balai_umkm_market.catalogue import products_import
from balai_umkm_market.catalogue.search import products_named
from balai_umkm_market.merchants import letter
from balai_umkm_market.orders import routes as orders_routes
from balai_umkm_market.orders import service as orders
from balai_umkm_market.privacy import forget_user, market_data
from balai_umkm_market.reviews import pages as reviews_pages
from balai_umkm_market.settings import MarketSettings

SLUG = "umkm_market"
DEPARTMENT = "Diskopindag"
MANAGE = routes.MANAGE
MAX_RESULTS = 10


@tk.hookimpl
def plugin_info() -> tk.PluginInfo:
    """Who the plugin is."""
    return tk.PluginInfo(
        slug=SLUG,
        title="Local businesses",
        dimension=tk.Dimension.ECONOMY,
        version=__version__,
        description="Find and buy from the city's small local businesses (UMKM).",
        department=DEPARTMENT,
    )


@tk.hookimpl
def settings_schema() -> type[MarketSettings]:
    """What a city can set: its districts and its departments (OPD) for ASN buyers."""
    return MarketSettings


@tk.hookimpl
def piccolo_apps() -> list[str]:
    """The merchants table and its migrations."""
    return ["balai_umkm_market.piccolo_app"]


@tk.hookimpl
def register_routes() -> tk.Routes:
    """The public list of merchants and the officers' list; the catalogue and reviews."""
    return tk.Routes(
        pages=[
            *routes.PAGES,
            *catalogue.PAGES,
            *reviews_pages.PAGES,
            *cart_routes.PAGES,
            *checkout_routes.PAGES,
            *orders_routes.PAGES,
        ],
        office=[*routes.OFFICE, *reviews_pages.OFFICE, *orders_routes.OFFICE],
    )


@tk.hookimpl
def permissions() -> list[tk.Permission]:
    """Managing and verifying the city's merchants."""
    return [tk.Permission(MANAGE, "Manage and verify local businesses")]


@tk.hookimpl
def roles() -> list[tk.Role]:
    """Diskopindag's market officers."""
    return [
        tk.Role("umkm_market.officer", "Market officer", (MANAGE,), department=DEPARTMENT),
        tk.Role(
            letter.HEAD,
            "Head of the department (signs verification letters)",
            (MANAGE,),
            department=DEPARTMENT,
        ),
    ]


@tk.hookimpl
def nav_items(request) -> list[tk.NavItem]:
    """The market in the citizens' menu."""
    return [
        tk.NavItem("Local businesses", "/umkm-market/", order=10, icon="shop"),
        tk.NavItem("Local products", catalogue.CATALOGUE_PATH, order=10, icon="bag"),
        tk.NavItem("Cart", "/umkm-market/keranjang", order=11, icon="cart"),
        tk.NavItem("My business", "/umkm-market/toko-saya/", order=12, icon="briefcase"),
        tk.NavItem("Civil servants (ASN)", "/umkm-market/asn", order=13, icon="id-card"),
    ]


@tk.hookimpl
def office_nav_items(request) -> list[tk.NavItem]:
    """The merchants list, for market officers."""
    return [
        tk.NavItem("Merchants", "/kelola/umkm-market/", order=10, permission=MANAGE),
        tk.NavItem(
            "Verification queue", "/kelola/umkm-market/verifikasi", order=10, permission=MANAGE
        ),
        tk.NavItem(
            "Product reviews", reviews_pages.OFFICE_REVIEWS_PATH, order=12, permission=MANAGE
        ),
        tk.NavItem("Market orders", "/kelola/umkm-market/pesanan/", order=11, permission=MANAGE),
    ]


@tk.hookimpl
def home_tiles(request) -> list[tk.HomeTile]:
    """A tile leading to the market."""
    return [
        tk.HomeTile(
            title="Local businesses",
            text="Food, crafts and services from the city's small businesses.",
            href="/umkm-market/",
            icon="shop",
            order=10,
        )
    ]


@tk.hookimpl
async def search(request, query: str) -> list[tk.SearchResult]:
    """Public products whose name holds every word of the query (the last as a prefix).

    The catalogue's full-text index, so case and accents are ignored alike on
    SQLite and PostgreSQL (the toolkit's full-text rule, ``tk.parse_text_query``).
    """
    rows = await products_named(tk.parse_text_query(query), MAX_RESULTS)
    return [
        tk.SearchResult(
            title=row["name"],
            href=catalogue.product_path(row["id"]),
            snippet=f"{tk.rupiah(row['price'])} / {row['unit']} · {row['merchant_name']}",
            kind=tk._("Local product"),
        )
        for row in rows
    ]


@tk.hookimpl
async def seed_demo(city: tk.City) -> tk.DemoReport:
    """Merchants across the city's districts, most of them verified; a demo owner and buyer."""
    report = await demo.seed(city)
    if report.summary:  # created just now
        more = await demo_accounts.seed(city)
        report.accounts.extend(more.accounts)
        report.summary.extend(more.summary)
    return report


@tk.hookimpl
def spreadsheet_importers() -> list[tk.Importer]:
    """A merchant's products from a CSV or XLSX price list."""
    return [products_import.IMPORTER]


@tk.hookimpl
async def dashboard_widgets(request, period: tk.Period) -> list[tk.Widget]:
    """Merchants, orders, purchases, the ASN share per department, top categories, rating."""
    return await widgets.market_widgets(period)


@tk.hookimpl
def open_datasets(city: tk.City) -> list[tk.Dataset]:
    """Merchants per district and category; monthly purchases per product category."""
    return list(datasets.DATASETS)


@tk.hookimpl
async def invoice_settled(city: tk.City, invoice: tk.Invoice) -> None:
    """A checkout's invoice was paid: its orders become new (in the settlement's transaction)."""
    await orders.invoice_paid(invoice)


@tk.hookimpl
async def invoice_expired(city: tk.City, invoice: tk.Invoice) -> None:
    """A checkout's invoice lapsed unpaid: its orders are cancelled and their stock released."""
    await orders.invoice_lapsed(invoice)


@tk.hookimpl
async def invoice_refunded(city: tk.City, invoice: tk.Invoice) -> None:
    """An officer refunded a checkout's payment: its open orders are cancelled."""
    await orders.invoice_refunded(invoice)


@tk.hookimpl
def partner_catalogue(city: tk.City) -> tk.CatalogueSource:
    """Products of the merchants who publish to delivery partners; partners' orders."""
    return partner_channel.SOURCE


@tk.hookimpl
def document_types() -> list[tk.DocumentType]:
    """The merchant verification letter, signed by the head of Diskopindag."""
    return [letter.VERIFICATION_LETTER]


@tk.hookimpl
async def personal_data(city: tk.City, user_id: int) -> list[tk.PersonalData]:
    """The account's orders, reviews, ASN mark and shops."""
    return await market_data(user_id)


@tk.hookimpl
async def user_deleted(city: tk.City, user_id: int) -> None:
    """Carts, the ASN mark and review texts go; orders and shops stay without the person."""
    await forget_user(user_id)
