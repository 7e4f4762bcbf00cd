"""Pages of the ``umkm_market`` plugin: the public list of merchants, shop pages, the office."""

from __future__ import annotations

from balai import toolkit as tk
from litestar import Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from balai_umkm_market import asn
from balai_umkm_market.catalogue import products_admin
from balai_umkm_market.catalogue.pages import product_path
from balai_umkm_market.labels import merchant_categories as category_labels
from balai_umkm_market.merchants import application as merchants
from balai_umkm_market.merchants import office as merchants_office
from balai_umkm_market.merchants import partner_feed
from balai_umkm_market.settings import MANAGE, SLUG
from balai_umkm_market.tables import Merchant, MerchantStatus, Product

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
        {"merchants": rows, "categories": category_labels(), "shop_path": shop_path},
    )


def shop_path(merchant_id: int) -> str:
    """A shop's public page, inside the city."""
    return f"/umkm-market/toko/{merchant_id}"


@get("/toko/{merchant_id:int}", opt=tk.PUBLIC, name="umkm_market:shop")
async def shop(request: Request, merchant_id: FromPath[int]) -> Response:
    """A verified shop: what it sells, where, how it hands over, and its products on sale.

    A shop that is not (or no longer) verified answers 404, as an unknown one.
    """
    merchant = await (
        Merchant.select(
            Merchant.id,
            Merchant.name,
            Merchant.district,
            Merchant.category,
            Merchant.description,
            Merchant.offers_delivery,
            Merchant.offers_pickup,
            Merchant.delivery_fee,
        )
        .where(Merchant.id == merchant_id, Merchant.status == MerchantStatus.VERIFIED.value)
        .first()
    )
    if merchant is None:
        raise NotFoundException()
    products = await (
        Product.select(
            Product.id, Product.name, Product.category, Product.price, Product.unit, Product.photo
        )
        .where(Product.merchant == merchant_id, Product.is_active.eq(True))
        .order_by(Product.name)
        .limit(PAGE_SIZE)
    )
    return await tk.render(
        request,
        "umkm_market/shop.html",
        {
            "merchant": merchant,
            "products": products,
            "categories": category_labels(),
            "product_path": product_path,
            "thumb_url": lambda key: tk.file_url(key, thumb=320, request=request),
        },
    )


PAGES = [index, shop, *merchants.PAGES, *partner_feed.PAGES, *products_admin.PAGES, *asn.PAGES]
OFFICE = [*merchants_office.OFFICE]

__all__ = [
    "MANAGE",
    "OFFICE",
    "PAGES",
    "SLUG",
    "category_labels",
    "public_merchants",
    "shop_path",
]
