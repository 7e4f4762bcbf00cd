"""Pages of the ``umkm_market`` plugin: the public list of merchants and the officers' list."""

from __future__ import annotations

from balai import toolkit as tk
from litestar import Request, Response, get

from balai_umkm_market import asn, merchants, merchants_office, products_admin
from balai_umkm_market.labels import merchant_categories as category_labels
from balai_umkm_market.settings import MANAGE, SLUG
from balai_umkm_market.tables import Merchant, MerchantStatus

PAGE_SIZE = 100


def public_merchants() -> object:
    """The query of merchants citizens may see in the current city, by name."""
    query = Merchant.select(
        Merchant.id, Merchant.name, Merchant.district, Merchant.category, Merchant.status
    ).order_by(Merchant.name)
    return query.where(Merchant.status == MerchantStatus.VERIFIED.value)


@get("/", opt=tk.PUBLIC, name="umkm_market:index")
async def index(request: Request) -> Response:
    """The city's local businesses, by name."""
    rows = await public_merchants().limit(PAGE_SIZE)
    return await tk.render(
        request,
        "umkm_market/index.html",
        {"merchants": rows, "categories": category_labels()},
    )


PAGES = [index, *merchants.PAGES, *products_admin.PAGES, *asn.PAGES]
OFFICE = [*merchants_office.OFFICE]

__all__ = ["MANAGE", "OFFICE", "PAGES", "SLUG", "category_labels", "public_merchants"]
