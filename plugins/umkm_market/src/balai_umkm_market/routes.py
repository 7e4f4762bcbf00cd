"""Pages of the ``umkm_market`` plugin: the public list of merchants and the officers' list."""

from __future__ import annotations

from balai import toolkit as tk
from litestar import Request, Response, get

from balai_umkm_market.settings import MarketSettings
from balai_umkm_market.tables import Category, Merchant, MerchantStatus

SLUG = "umkm_market"
MANAGE = "umkm_market.manage"
PAGE_SIZE = 100


def category_labels() -> dict[str, str]:
    """Each category's name in the visitor's language."""
    return {
        Category.FOOD.value: tk._("Food and drink"),
        Category.CRAFT.value: tk._("Crafts"),
        Category.FASHION.value: tk._("Fashion"),
        Category.FARM.value: tk._("Farm produce"),
        Category.SERVICES.value: tk._("Repairs and other services"),
    }


def settings_of(city: tk.City) -> MarketSettings:
    """The city's market settings (defaults when it set none)."""
    return city.settings_for(SLUG) or MarketSettings()


def public_merchants() -> object:
    """The query of merchants citizens may see in the current city, by name."""
    query = Merchant.select(
        Merchant.id, Merchant.name, Merchant.district, Merchant.category, Merchant.status
    ).order_by(Merchant.name)
    if settings_of(tk.current_city()).verified_only:
        return query.where(Merchant.status == MerchantStatus.VERIFIED.value)
    return query.where(
        Merchant.status.is_in([MerchantStatus.VERIFIED.value, MerchantStatus.PENDING.value])
    )


@get("/", opt=tk.PUBLIC, name="umkm_market:index")
async def index(request: Request) -> Response:
    """The city's local businesses, by name."""
    rows = await public_merchants().limit(PAGE_SIZE)
    return await tk.render(
        request,
        "umkm_market/index.html",
        {"merchants": rows, "categories": category_labels()},
    )


@get("/", guards=[tk.require_permission(MANAGE)], name="umkm_market:office")
async def office(request: Request) -> Response:
    """The officers' list of every merchant of the city, newest first."""
    rows = await Merchant.select().order_by(Merchant.created_at, ascending=False).limit(PAGE_SIZE)
    unverified = await Merchant.count().where(Merchant.status == MerchantStatus.PENDING.value)
    return await tk.render(
        request,
        "umkm_market/office.html",
        {"merchants": rows, "categories": category_labels(), "unverified": unverified},
    )


PAGES = [index]
OFFICE = [office]
