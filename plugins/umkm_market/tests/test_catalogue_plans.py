"""The catalogue's filtered and sorted pages are read through an index, on SQLite and PostgreSQL.

A page of 20 at 100k products stays fast only while the database can walk an
index in the page's order and stop after 21 rows; a sort of every matching
row (SQLite's "TEMP B-TREE FOR ORDER BY", PostgreSQL's "Sort") grows with the
catalogue. (PostgreSQL's "Incremental Sort" of ties on a presorted key is
fine: it stops with the page.) PostgreSQL is told to avoid sorts and full scans where it can
(a tiny test table would otherwise be read whole), so a plan with a sort left
means no index serves that order.
"""

from __future__ import annotations

import re

import pytest
from balai_umkm_market.catalogue.search import catalogue_statement, parse_catalogue
from balai_umkm_market.tables import Product
from market_setup import MALANG_DISTRICTS
from umkm_catalogue_data import seed_catalogue

# (name, catalogue query string) of the pages without search words
PAGES = [
    ("newest", {}),
    ("category, newest", {"kategori": "sembako"}),
    ("district, newest", {"kecamatan": "Klojen"}),
    ("price range, cheapest", {"harga_min": "10000", "harga_max": "50000", "urut": "harga_naik"}),
    ("in stock, dearest", {"tersedia": "1", "urut": "harga_turun"}),
    ("best rated", {"urut": "rating"}),
    ("deep page, newest", {"halaman": "200"}),
]
FULL_SORT = re.compile(r"(^|->)\s*Sort\s+\(", re.MULTILINE)  # PostgreSQL: sort every match


async def plan(params: dict[str, str]) -> str:
    """The database's plan for the catalogue page ``params`` in Malang, as one text."""
    query, errors = parse_catalogue(params, MALANG_DISTRICTS)
    assert not errors
    db = Product._meta.db
    sql, args = catalogue_statement(query, "malang", db.engine_type)
    if db.engine_type == "sqlite":
        rows = await Product.raw("EXPLAIN QUERY PLAN " + sql, *args)
        return "\n".join(row["detail"] for row in rows)
    async with db.transaction():
        await Product.raw("SET LOCAL enable_seqscan = off")
        await Product.raw("SET LOCAL enable_sort = off")
        rows = await Product.raw("EXPLAIN " + sql, *args)
    return "\n".join(row["QUERY PLAN"] for row in rows)


@pytest.mark.parametrize(("name", "params"), PAGES, ids=[name for name, _ in PAGES])
def test_a_catalogue_page_walks_an_index_in_its_order(client, city_run, name, params):
    city_run("malang", seed_catalogue)
    text = city_run("malang", plan, params)
    assert "umkm_market_product_city_" in text, text  # one of the product's (city, ...) indexes
    assert "TEMP B-TREE" not in text, text  # SQLite: no sort of every match
    assert not FULL_SORT.search(text), text  # PostgreSQL: likewise
    assert "SCAN p\n" not in text + "\n", text  # SQLite: no full scan of the products
