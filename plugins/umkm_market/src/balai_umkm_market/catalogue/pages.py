"""The public catalogue: search and filter products, and each product's page.

``/umkm-market/produk/`` is a GET form (works without JavaScript); with htmx
the form fetches only the results region (``_catalogue_results.html``) as the
visitor changes a filter, and the address bar follows. Product pages are at
``/umkm-market/produk/<id>``: only active products of verified merchants of
the current city exist there, anything else is a 404.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from balai import toolkit as tk
from litestar import Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from balai_umkm_market.catalogue.search import (
    MAX_PAGE,
    ProductPage,
    find_products,
    parse_catalogue,
    public_districts,
    sort_labels,
)
from balai_umkm_market.labels import product_categories
from balai_umkm_market.settings import settings_of
from balai_umkm_market.tables import MerchantStatus, Product, ProductPhoto, Review

PUBLIC_PATH = "/umkm-market"
CATALOGUE_PATH = f"{PUBLIC_PATH}/produk/"
CART_ADD_PATH = f"{PUBLIC_PATH}/keranjang/tambah"
REVIEWS_SHOWN = 20
PRODUCT_SQL = (
    "SELECT p.id, p.name, p.description, p.category, p.price, p.unit, p.stock, p.is_active, "
    "p.photo, p.rating_sum, p.rating_count, m.id AS merchant_id, m.name AS merchant_name, "
    "m.district AS merchant_district, m.status AS merchant_status, "
    "m.rating_sum AS merchant_rating_sum, m.rating_count AS merchant_rating_count "
    "FROM umkm_market_product p JOIN umkm_market_merchant m ON m.id = p.merchant "
    "WHERE p.city = {} AND p.id = {}"
)
PHOTOS_SQL = (
    "SELECT file_key FROM umkm_market_product_photo WHERE city = {} AND product = {} "
    "ORDER BY position, id"
)
REVIEWS_SQL = (
    "SELECT id, buyer_name, rating, text, reply, replied_at, created_at "
    "FROM umkm_market_review WHERE city = {} AND product = {} AND NOT is_hidden "
    "ORDER BY created_at DESC, id DESC LIMIT {}"
)
FIELDS = ("q", "kategori", "kecamatan", "harga_min", "harga_max", "tersedia", "urut", "halaman")


def product_path(product_id: int) -> str:
    """A product's page, inside the city (for ``url()`` / ``tk.city_url``)."""
    return f"{CATALOGUE_PATH}{product_id}"


def rating_text(rating_sum: int, rating_count: int) -> str:
    """The average rating with one decimal in the visitor's notation (``4,5``), '' if none."""
    if not rating_count:
        return ""
    tenths = round(rating_sum * 10 / rating_count)
    separator = tk.pgettext("decimal separator", ".")
    return f"{tenths // 10}{separator}{tenths % 10}"


def public_name(name: str) -> str:
    """How a reviewer is shown: the first name and the initial of the last (``Sri W.``)."""
    parts = name.split()
    if len(parts) < 2:
        return name
    return f"{parts[0]} {parts[-1][0]}."


def is_htmx(request: Request) -> bool:
    """Whether htmx sent the request (it then gets only the part it swaps)."""
    return request.headers.get("hx-request") == "true"


@get("/produk/", opt=tk.PUBLIC, name="umkm_market:catalogue")
async def catalogue(request: Request) -> Response:
    """Search and filter the city's products (``?q=&kategori=&…``, see :mod:`.search`).

    Bad filters answer 400 with the form kept and a message per field; a page
    past the last result answers 404 with a link back to the first page. The
    results region alone (for htmx) always answers 200, since htmx does not
    swap error responses; the messages are in it.
    """
    districts = list(settings_of(tk.current_city()).districts) or await public_districts()
    params = {name: request.query_params.get(name) or "" for name in FIELDS}
    query, errors = parse_catalogue(params, districts)
    found: ProductPage | None = None
    status = 200
    if errors:
        status = 400
    else:
        found = await find_products(query)
        if not found.rows and query.page > 1:
            errors = {
                "halaman": tk._(
                    "There is no page %(page)s for this search: the results end earlier.",
                    page=query.page,
                )
            }
            status = 404
    base = tk.city_url(request, CATALOGUE_PATH)

    def page_url(number: int) -> str:
        query_string = urlencode(query.params(halaman=number))
        return f"{base}?{query_string}" if query_string else base

    context: dict[str, Any] = {
        "query": query,
        "form": params,
        "errors": errors,
        "found": found,
        "page_url": page_url,
        "categories": product_categories(),
        "district_options": [(d, d) for d in districts],
        "sorts": sort_labels(),
        "max_page": MAX_PAGE,
        "rating_text": rating_text,
        "product_path": product_path,
        "thumb_url": lambda key: tk.file_url(key, thumb=320, request=request),
    }
    if is_htmx(request):
        return await tk.render(request, "umkm_market/_catalogue_results.html", context)
    return await tk.render(request, "umkm_market/catalogue.html", context, status_code=status)


async def public_product(product_id: int) -> dict[str, Any]:
    """The product with its merchant, when citizens may see it; else a 404."""
    rows = await Product.raw(PRODUCT_SQL, tk.current_city().slug, product_id)
    if (
        not rows
        or not rows[0]["is_active"]
        or rows[0]["merchant_status"] != MerchantStatus.VERIFIED.value
    ):
        raise NotFoundException()
    return rows[0]


@get("/produk/{product_id:int}", opt=tk.PUBLIC, name="umkm_market:product-page")
async def product_page(request: Request, product_id: FromPath[int]) -> Response:
    """A product: photos, price, stock, merchant, rating, visible reviews, add to cart.

    Three hand-written statements (the page is the market's busiest): the
    product with its merchant, its photos, its newest visible reviews.
    """
    product = await public_product(product_id)
    city = tk.current_city().slug
    photos = await ProductPhoto.raw(PHOTOS_SQL, city, product_id)
    keys = [p["file_key"] for p in photos if p["file_key"]]
    if product["photo"] and product["photo"] not in keys:
        keys.insert(0, product["photo"])
    reviews = await Review.raw(REVIEWS_SQL, city, product_id, REVIEWS_SHOWN)
    return await tk.render(
        request,
        "umkm_market/product.html",
        {
            "product": product,
            "photos": [
                {
                    "full": tk.file_url(key, request=request),
                    "shown": tk.file_url(key, thumb=960, request=request),
                }
                for key in keys
            ],
            "reviews": reviews,
            "public_name": public_name,
            "category": product_categories().get(product["category"], product["category"]),
            "rating": rating_text(product["rating_sum"], product["rating_count"]),
            "merchant_rating": rating_text(
                product["merchant_rating_sum"], product["merchant_rating_count"]
            ),
            "cart_add_url": tk.city_url(request, CART_ADD_PATH),
            "catalogue_url": tk.city_url(request, CATALOGUE_PATH),
        },
    )


PAGES = [catalogue, product_page]
