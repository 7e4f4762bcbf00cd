"""The market pages' twin: the catalogue and a product page, hand-written SQL, same templates.

``GET /malang/umkm-market/produk/?q=…&halaman=…`` and
``GET /malang/umkm-market/produk/<id>`` answer like the ``umkm_market``
plugin's pages for what the bench asks (search words and a page number, or
none): the session and user statements of the home twin
(:mod:`bench.twin_db`), then the page's own statements written by hand for
SQLite:

* catalogue: FTS5 ``MATCH`` of the products named by every word, joined to
  the product and its merchant, newest first; when that does not fill the
  page, the other matches after them (the plugin's best-match order); or,
  without words, newest first;
* product: the product joined to its merchant, its photos, its visible
  reviews (three statements).

The results go through ``umkm_market/catalogue.html`` and
``umkm_market/product.html`` with the same context as the plugin builds.
The plugin's label functions (category and sort names) and its rating
notation are shared, since they are what the template shows; the district
list is read from the city's settings once at start-up. Run by uvicorn as a
factory (``bench.umkm_twin:build``) with the environment of
:mod:`bench.serve_balai`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from litestar import Litestar, Request, Response, get
from litestar.params import FromPath

from bench.counting import BenchProbe, QueryLog
from bench.instance import CITY
from bench.twin_app import (
    PageRequest,
    PageURL,
    Twin,
    TwinUser,
    page_path,
    plugin_visitor,
)

CATALOGUE = f"/{CITY}/umkm-market/produk/"
PAGE_SIZE = 20
COLUMNS = (
    "p.id, p.name, p.price, p.unit, p.stock, p.photo, p.rating_sum, p.rating_count, "
    "p.category, m.name, m.district"
)
ROW_KEYS = (
    "id",
    "name",
    "price",
    "unit",
    "stock",
    "photo",
    "rating_sum",
    "rating_count",
    "category",
    "merchant_name",
    "district",
)
SEARCH_SQL = (
    f"SELECT {COLUMNS} FROM umkm_market_product_fts f "
    "JOIN umkm_market_product p ON p.id = f.rowid "
    "JOIN umkm_market_merchant m ON m.id = p.merchant "
    "WHERE f.umkm_market_product_fts MATCH ? AND p.city = ? AND p.is_active "
    "AND m.status = 'verified' ORDER BY f.rowid DESC LIMIT ? OFFSET ?"
)
COUNT_SQL = (
    "SELECT COUNT(*) FROM umkm_market_product_fts f "
    "JOIN umkm_market_product p ON p.id = f.rowid "
    "JOIN umkm_market_merchant m ON m.id = p.merchant "
    "WHERE f.umkm_market_product_fts MATCH ? AND p.city = ? AND p.is_active "
    "AND m.status = 'verified'"
)
BROWSE_SQL = (
    f"SELECT {COLUMNS} FROM umkm_market_product p "
    "JOIN umkm_market_merchant m ON m.id = p.merchant "
    "WHERE p.city = ? AND p.is_active AND m.status = 'verified' "
    "ORDER BY p.created_at DESC, p.id DESC LIMIT ? OFFSET ?"
)
PRODUCT_SQL = (
    "SELECT p.id, p.name, p.description, p.category, p.price, p.unit, p.stock, p.is_active, "
    "p.photo, p.rating_sum, p.rating_count, m.id, m.name, m.district, m.status, "
    "m.rating_sum, m.rating_count FROM umkm_market_product p "
    "JOIN umkm_market_merchant m ON m.id = p.merchant WHERE p.city = ? AND p.id = ?"
)
PRODUCT_KEYS = (
    "id",
    "name",
    "description",
    "category",
    "price",
    "unit",
    "stock",
    "is_active",
    "photo",
    "rating_sum",
    "rating_count",
    "merchant_id",
    "merchant_name",
    "merchant_district",
    "merchant_status",
    "merchant_rating_sum",
    "merchant_rating_count",
)
PHOTOS_SQL = (
    "SELECT file_key FROM umkm_market_product_photo WHERE city = ? AND product = ? "
    "ORDER BY position, id"
)
REVIEWS_SQL = (
    "SELECT id, buyer_name, rating, text, reply, replied_at, created_at "
    "FROM umkm_market_review WHERE city = ? AND product = ? AND NOT is_hidden "
    "ORDER BY created_at DESC, id DESC LIMIT 20"
)
REVIEW_KEYS = ("id", "buyer_name", "rating", "text", "reply", "replied_at", "created_at")
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class TwinQuery:
    """What the catalogue template reads of the request."""

    q: str = ""
    category: str = ""
    district: str = ""
    price_min: int | None = None
    price_max: int | None = None
    in_stock: bool = False
    sort: str = "terbaru"
    page: int = 1


@dataclass
class TwinPage:
    """The rows of one catalogue page and whether another follows."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    has_next: bool = False


def _when(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _public_name(name: str) -> str:
    parts = name.split()
    return name if len(parts) < 2 else f"{parts[0]} {parts[-1][0]}."


def build() -> BenchProbe:
    """The market twin for uvicorn, with the query probe in front."""
    log = QueryLog()
    twin = Twin(log)
    state: dict[str, Any] = {}

    async def start() -> None:
        await twin.start()
        from balai.config import load_config
        from balai.web.app import create_app

        from bench.serve_balai import plugin_list

        app = create_app(
            load_config(os.environ["BENCH_CONFIG"]),
            plugins=plugin_list(os.environ.get("BENCH_PLUGINS")),
        )
        state["catalogs"] = app.ui.catalogs
        settings = twin.facts.city.settings_for("umkm_market")
        state["districts"] = [(d, d) for d in settings.districts]

    async def visitor(request: Request) -> tuple[str, str | None, TwinUser | None, list]:
        """The CSRF token, the CSRF cookie, the logged-in user and the flashes."""
        token, csrf_cookie, user, flashes, _row = await plugin_visitor(
            twin, state["catalogs"], request
        )
        return token, csrf_cookie, user, flashes

    def rating_text(rating_sum: int, rating_count: int) -> str:
        from balai.i18n import pgettext

        if not rating_count:
            return ""
        tenths = round(rating_sum * 10 / rating_count)
        return f"{tenths // 10}{pgettext('decimal separator', '.')}{tenths % 10}"

    @get(CATALOGUE)
    async def catalogue(request: Request) -> Response:
        from balai.i18n import gettext
        from balai_umkm_market.labels import product_categories

        token, csrf_cookie, user, flashes = await visitor(request)
        q = " ".join((request.query_params.get("q") or "").split())[:200]
        raw_page = request.query_params.get("halaman") or ""
        page = int(raw_page) if raw_page.isdigit() and 1 <= int(raw_page) <= 250 else 1
        words = _WORD.findall(q.lower())[:8]
        offset = (page - 1) * PAGE_SIZE
        if words:
            # the words' products named by them first, then the rest; newest first in each
            terms = [f'"{w}"' for w in words]
            terms[-1] += "*"
            every = " AND ".join(terms)
            named = " AND ".join(f"name : {t}" for t in terms)
            rows = await twin.db.fetch(SEARCH_SQL, named, CITY, PAGE_SIZE + 1, offset)
            if len(rows) <= PAGE_SIZE:
                rest_offset = 0
                if not rows:
                    (count,) = (await twin.db.fetch(COUNT_SQL, named, CITY))[0]
                    rest_offset = offset - count
                rows = list(rows) + list(
                    await twin.db.fetch(
                        SEARCH_SQL,
                        f"({every}) NOT ({named})",
                        CITY,
                        PAGE_SIZE + 1 - len(rows),
                        rest_offset,
                    )
                )
        else:
            rows = await twin.db.fetch(BROWSE_SQL, CITY, PAGE_SIZE + 1, offset)
        sort = "relevan" if words else "terbaru"
        query = TwinQuery(q=q, sort=sort, page=page)
        found = TwinPage([dict(zip(ROW_KEYS, r, strict=True)) for r in rows[:PAGE_SIZE]])
        found.has_next = len(rows) > PAGE_SIZE
        base = CATALOGUE

        def page_url(number: int) -> str:
            params = {"q": q, "halaman": "" if number == 1 else str(number)}
            query_string = urlencode({k: v for k, v in params.items() if v})
            return f"{base}?{query_string}" if query_string else base

        context = twin.context(page_path(request), token, user, flashes)
        context.pop("tiles", None)
        # base.html compares nav links with the platform's page_path, which is
        # litestar's url.path: no trailing slash
        context["request"] = PageRequest(PageURL(request.url.path))
        context["page_path"] = request.url.path
        form = dict.fromkeys(
            ("q", "kategori", "kecamatan", "harga_min", "harga_max", "tersedia", "urut", "halaman"),
            "",
        )
        form.update({k: request.query_params.get(k) or "" for k in ("q", "halaman")})
        context.update(
            {
                "query": query,
                "form": form,
                "errors": {},
                "found": found,
                "page_url": page_url,
                "categories": product_categories(),
                "district_options": state["districts"],
                "sorts": {
                    "relevan": gettext("Best match"),
                    "terbaru": gettext("Newest"),
                    "harga_naik": gettext("Price: low to high"),
                    "harga_turun": gettext("Price: high to low"),
                    "rating": gettext("Best rated"),
                },
                "max_page": 250,
                "rating_text": rating_text,
                "product_path": lambda product_id: f"/umkm-market/produk/{product_id}",
                "thumb_url": lambda key: f"/{CITY}/berkas/{key}/thumb/320",
            }
        )
        body = twin.facts.env.get_template("umkm_market/catalogue.html").render(context)
        return twin.respond(body, csrf_cookie, token)

    @get(CATALOGUE + "{product_id:int}")
    async def product(request: Request, product_id: FromPath[int]) -> Response:
        from balai_umkm_market.labels import product_categories

        token, csrf_cookie, user, flashes = await visitor(request)
        rows = await twin.db.fetch(PRODUCT_SQL, CITY, product_id)
        if not rows:
            return Response("not found", status_code=404)
        item = dict(zip(PRODUCT_KEYS, rows[0], strict=True))
        if not item["is_active"] or item["merchant_status"] != "verified":
            return Response("not found", status_code=404)
        photos = await twin.db.fetch(PHOTOS_SQL, CITY, product_id)
        keys = [p[0] for p in photos if p[0]]
        if item["photo"] and item["photo"] not in keys:
            keys.insert(0, item["photo"])
        reviews = [
            {
                **dict(zip(REVIEW_KEYS, r, strict=True)),
                "replied_at": _when(r[5]),
                "created_at": _when(r[6]),
            }
            for r in await twin.db.fetch(REVIEWS_SQL, CITY, product_id)
        ]
        context = twin.context(page_path(request), token, user, flashes)
        context.pop("tiles", None)
        # base.html compares nav links with the platform's page_path, which is
        # litestar's url.path: no trailing slash
        context["request"] = PageRequest(PageURL(request.url.path))
        context["page_path"] = request.url.path
        context.update(
            {
                "product": item,
                "photos": [
                    {"full": f"/{CITY}/berkas/{k}", "shown": f"/{CITY}/berkas/{k}/thumb/960"}
                    for k in keys
                ],
                "reviews": reviews,
                "public_name": _public_name,
                "category": product_categories().get(item["category"], item["category"]),
                "rating": rating_text(item["rating_sum"], item["rating_count"]),
                "merchant_rating": rating_text(
                    item["merchant_rating_sum"], item["merchant_rating_count"]
                ),
                "cart_add_url": f"/{CITY}/umkm-market/keranjang/tambah",
                "catalogue_url": CATALOGUE,
            }
        )
        body = twin.facts.env.get_template("umkm_market/product.html").render(context)
        return twin.respond(body, csrf_cookie, token)

    app = Litestar(
        route_handlers=[catalogue, product],
        on_startup=[start],
        on_shutdown=[twin.stop],
        debug=False,
    )
    return BenchProbe(app, log)
