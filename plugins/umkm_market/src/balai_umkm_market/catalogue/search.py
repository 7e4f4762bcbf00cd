"""The catalogue's query: what the visitor asked for, checked, and the SQL that answers it.

:func:`parse_catalogue` turns the catalogue form's fields (a GET query
string) into a :class:`CatalogueQuery` or a list of messages, one per bad
field. :func:`find_products` runs it as one raw statement on either database:
the full-text part uses FTS5 on SQLite and the ``tsvector`` table on
PostgreSQL (``tk.parse_text_query`` cuts the words, by the toolkit's full-text rule),
everything else is plain SQL that both databases read alike, so the same
query gives the same products in the same order on both.

Only active products of verified merchants are ever found, and only the
current city's (the statement names the city itself: raw SQL is not scoped).

Sort orders:

* ``relevan`` (only with search words, and then the default): products whose
  *name* holds every word first, then the rest; within each group the newest
  (highest id) first. This is the same on both databases, unlike BM25 and
  ``ts_rank``, which do not agree, and it is cheap: the index hands out
  matches in id order, so a page of a word that a hundred thousand products
  hold reads about twenty of them (see :func:`find_products`).
* ``harga_naik`` / ``harga_turun``: price up or down (then id).
* ``rating``: the average rating (in thousandths, integer arithmetic on both
  databases), then the number of ratings, then the newest.
* ``terbaru`` (the default without search words): newest first.

Pages are numbered and fetched with ``LIMIT``/``OFFSET``, one row more than a
page to know whether a next page exists (no count: counting every match
would cost in proportion to the catalogue). At most :data:`MAX_PAGE` pages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from balai import toolkit as tk

from balai_umkm_market.tables import MerchantStatus, Product, ProductCategory

PAGE_SIZE = 20
MAX_PAGE = 250
MAX_QUERY_LENGTH = 200
MAX_PRICE = 1_000_000_000
SORTS = ("relevan", "terbaru", "harga_naik", "harga_turun", "rating")
_PRICE_NOISE = re.compile(r"[\s.]|^rp", re.IGNORECASE)

ROW_COLUMNS = (
    "p.id, p.name, p.price, p.unit, p.stock, p.photo, p.rating_sum, p.rating_count, "
    "p.category, m.name AS merchant_name, m.district"
)
RATING_ORDER = (
    "CASE WHEN p.rating_count > 0 THEN p.rating_sum * 1000 / p.rating_count ELSE 0 END DESC, "
    "p.rating_count DESC, p.id DESC"
)
ORDERS = {
    "terbaru": "p.created_at DESC, p.id DESC",
    "harga_naik": "p.price ASC, p.id ASC",
    "harga_turun": "p.price DESC, p.id DESC",
    "rating": RATING_ORDER,
}


def sort_labels() -> dict[str, str]:
    """Each sort order's name in the visitor's language."""
    return {
        "relevan": tk._("Best match"),
        "terbaru": tk._("Newest"),
        "harga_naik": tk._("Price: low to high"),
        "harga_turun": tk._("Price: high to low"),
        "rating": tk._("Best rated"),
    }


@dataclass(frozen=True)
class CatalogueQuery:
    """A checked catalogue request. ``text`` is the search words (maybe none)."""

    q: str = ""
    text: tk.TextQuery = field(default_factory=tk.TextQuery)
    category: str = ""
    district: str = ""
    price_min: int | None = None
    price_max: int | None = None
    in_stock: bool = False
    sort: str = "terbaru"
    page: int = 1

    def params(self, **changes: Any) -> dict[str, str]:
        """The query string of this request (with ``changes``), without empty fields."""
        values = {
            "q": self.q,
            "kategori": self.category,
            "kecamatan": self.district,
            "harga_min": "" if self.price_min is None else str(self.price_min),
            "harga_max": "" if self.price_max is None else str(self.price_max),
            "tersedia": "1" if self.in_stock else "",
            "urut": self.sort,
            "halaman": str(self.page),
        }
        values.update({k: str(v) for k, v in changes.items()})
        if values["halaman"] == "1":
            values["halaman"] = ""
        if values["urut"] == default_sort(self.text):
            values["urut"] = ""
        return {k: v for k, v in values.items() if v}


def default_sort(text: tk.TextQuery) -> str:
    """Best match when searching, newest otherwise."""
    return "relevan" if text else "terbaru"


def _price(raw: str) -> int | None:
    """Whole rupiah from what a visitor types (``25000``, ``25.000``, ``Rp 25.000``)."""
    cleaned = _PRICE_NOISE.sub("", raw.strip())
    if not cleaned:
        return None
    if not cleaned.isascii() or not cleaned.isdigit():
        raise ValueError(raw)
    value = int(cleaned)
    if value > MAX_PRICE:
        raise ValueError(raw)
    return value


def parse_catalogue(
    params: Mapping[str, str], districts: Sequence[str]
) -> tuple[CatalogueQuery, dict[str, str]]:
    """The catalogue request in ``params``, and a message per bad field.

    With errors, the returned query keeps what could be read (for the form)
    and must not be run.

    Args:
        params: The query string (``q``, ``kategori``, ``kecamatan``,
            ``harga_min``, ``harga_max``, ``tersedia``, ``urut``, ``halaman``).
        districts: The districts a visitor may choose.
    """
    errors: dict[str, str] = {}
    q = " ".join((params.get("q") or "").split())[:MAX_QUERY_LENGTH]
    text = tk.parse_text_query(q)
    category = (params.get("kategori") or "").strip()
    if category and category not in {c.value for c in ProductCategory}:
        errors["kategori"] = tk._("Choose a category from the list.")
    district = (params.get("kecamatan") or "").strip()
    if district and district not in districts:
        errors["kecamatan"] = tk._("Choose a district from the list.")
    prices: dict[str, int | None] = {}
    for name in ("harga_min", "harga_max"):
        try:
            prices[name] = _price(params.get(name) or "")
        except ValueError:
            prices[name] = None
            errors[name] = tk._("Enter a price in whole rupiah, for example 25000.")
    low, high = prices["harga_min"], prices["harga_max"]
    if low is not None and high is not None and low > high:
        errors["harga_max"] = tk._("The highest price must not be below the lowest price.")
    sort = (params.get("urut") or "").strip() or default_sort(text)
    if sort not in SORTS:
        errors["urut"] = tk._("Choose a sort order from the list.")
        sort = default_sort(text)
    elif sort == "relevan" and not text:
        sort = "terbaru"  # nothing to match against: the same as no choice
    page = 1
    raw_page = (params.get("halaman") or "").strip()
    if raw_page:
        if raw_page.isascii() and raw_page.isdigit() and 1 <= int(raw_page) <= MAX_PAGE:
            page = int(raw_page)
        else:
            errors["halaman"] = tk._("The page must be a number from 1 to %(last)s.", last=MAX_PAGE)
    query = CatalogueQuery(
        q=q,
        text=text,
        category=category if "kategori" not in errors else "",
        district=district if "kecamatan" not in errors else "",
        price_min=low,
        price_max=high,
        in_stock=(params.get("tersedia") or "") == "1",
        sort=sort,
        page=page,
    )
    return query, errors


# Which products a statement reads: every search word anywhere ("all"), every
# word in the name ("name", the first tier of the best-match order), or the
# rest ("rest": all but not name, the second tier).
TIERS = ("all", "name", "rest")


def _match(query: CatalogueQuery, sqlite: bool, tier: str) -> tuple[str, str, list]:
    """The search index join, its condition and arguments for ``tier``."""
    text = query.text
    if sqlite:
        join = "umkm_market_product_fts f JOIN umkm_market_product p ON p.id = f.rowid"
        words = {
            "all": text.fts5(),
            "name": text.fts5("name"),
            "rest": f"({text.fts5()}) NOT ({text.fts5('name')})",
        }[tier]
        return join, "f.umkm_market_product_fts MATCH {}", [words]
    join = "umkm_market_product_search s JOIN umkm_market_product p ON p.id = s.product_id"
    if tier == "rest":
        condition = (
            "s.document @@ to_tsquery('simple', {}) AND NOT s.document @@ to_tsquery('simple', {})"
        )
        return join, condition, [text.tsquery(), text.tsquery("A")]
    weight = "A" if tier == "name" else ""
    return join, "s.document @@ to_tsquery('simple', {})", [text.tsquery(weight)]


def catalogue_statement(
    query: CatalogueQuery,
    city: str,
    engine_type: str,
    *,
    tier: str = "all",
    limit: int = PAGE_SIZE + 1,
    offset: int | None = None,
    count: bool = False,
) -> tuple[str, list]:
    """A raw statement (Piccolo ``{}`` placeholders) and its arguments.

    Args:
        query: The checked request.
        city: The current city's slug (raw SQL is not scoped).
        engine_type: ``sqlite`` or ``postgres``.
        tier: With search words, which matches to read (:data:`TIERS`).
        limit: Rows to read (one more than a page tells whether another follows).
        offset: Rows to skip (default: the request's page).
        count: Count the matches instead of reading them.
    """
    sqlite = engine_type == "sqlite"
    source = "umkm_market_product p"
    where = ["p.city = {}", "p.is_active", "m.status = {}"]
    args: list[Any] = []
    if query.text:
        source, condition, words = _match(query, sqlite, tier)
        where.append(condition)
        args += words
    args = [city, MerchantStatus.VERIFIED.value, *args]
    for condition, value, wanted in (
        ("p.category = {}", query.category, bool(query.category)),
        ("m.district = {}", query.district, bool(query.district)),
        ("p.price >= {}", query.price_min, query.price_min is not None),
        ("p.price <= {}", query.price_max, query.price_max is not None),
    ):
        if wanted:
            where.append(condition)
            args.append(value)
    if query.in_stock:
        where.append("p.stock > 0")
    # Only constant fragments are joined here; every value is a parameter.
    body = (
        f"FROM {source} JOIN umkm_market_merchant m ON m.id = p.merchant "
        f"WHERE {' AND '.join(where)}"
    )
    if count:
        return f"SELECT COUNT(*) AS n {body}", args
    if query.sort == "relevan" and query.text:
        # Newest first within a tier; on SQLite by the index's own rowid, which
        # FTS5 hands out in that order, so a page stops after its rows.
        order = "f.rowid DESC" if sqlite else "p.id DESC"
    else:
        order = ORDERS.get(query.sort, ORDERS["terbaru"])
    skip = (query.page - 1) * PAGE_SIZE if offset is None else offset
    sql = f"SELECT {ROW_COLUMNS} {body} ORDER BY {order} LIMIT {{}} OFFSET {{}}"
    return sql, [*args, limit, skip]


@dataclass(frozen=True)
class ProductPage:
    """One page of the catalogue: its rows and whether another page follows."""

    rows: list[dict]
    has_next: bool


async def find_products(query: CatalogueQuery) -> ProductPage:
    """The page of products ``query`` asks for, in the current city.

    Best match reads the name tier first and the rest only when the page is
    not full, so a page of a common word costs the same in any catalogue size
    (a page past the name matches also counts them, once, to know where the
    rest begins).
    """
    city = tk.current_city().slug
    engine = Product._meta.db.engine_type
    if not (query.sort == "relevan" and query.text):
        sql, args = catalogue_statement(query, city, engine)
        rows = await Product.raw(sql, *args)
        return ProductPage(rows[:PAGE_SIZE], len(rows) > PAGE_SIZE)
    sql, args = catalogue_statement(query, city, engine, tier="name")
    rows = await Product.raw(sql, *args)
    if len(rows) <= PAGE_SIZE:
        offset = (query.page - 1) * PAGE_SIZE
        if rows:
            rest_offset = 0
        else:
            sql, args = catalogue_statement(query, city, engine, tier="name", count=True)
            rest_offset = offset - (await Product.raw(sql, *args))[0]["n"]
        sql, args = catalogue_statement(
            query,
            city,
            engine,
            tier="rest",
            limit=PAGE_SIZE + 1 - len(rows),
            offset=rest_offset,
        )
        rows += await Product.raw(sql, *args)
    return ProductPage(rows[:PAGE_SIZE], len(rows) > PAGE_SIZE)


async def products_named(text: tk.TextQuery, limit: int) -> list[dict]:
    """Public products whose name holds every word of ``text``, newest first."""
    if not text:
        return []
    query = CatalogueQuery(q=" ".join(text.words), text=text, sort="relevan")
    sql, args = catalogue_statement(
        query, tk.current_city().slug, Product._meta.db.engine_type, tier="name", limit=limit
    )
    return await Product.raw(sql, *args)


async def public_districts() -> list[str]:
    """The districts where the city has verified merchants, by name.

    The district filter's choices when the city's settings list no districts.
    """
    rows = await Product.raw(
        "SELECT DISTINCT district FROM umkm_market_merchant "
        "WHERE city = {} AND status = {} AND district <> '' ORDER BY district",
        tk.current_city().slug,
        MerchantStatus.VERIFIED.value,
    )
    return [r["district"] for r in rows]
