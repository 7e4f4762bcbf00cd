"""Parsing the catalogue's query string, and the migration's copy of the fold table."""

from __future__ import annotations

import importlib

import pytest
from balai.db.fulltext import FOLD_FROM, FOLD_TO
from balai_umkm_market.catalogue.search import (
    MAX_PAGE,
    CatalogueQuery,
    catalogue_statement,
    parse_catalogue,
)

MIGRATION = importlib.import_module(
    "balai_umkm_market.migrations.umkm_market_2026_11_23t02_30_00_000000"
)


def test_the_migration_holds_the_same_fold_table():
    assert MIGRATION.FOLD_FROM == FOLD_FROM
    assert MIGRATION.FOLD_TO == FOLD_TO


def parse(**params):
    return parse_catalogue(params, ["Klojen", "Sukun"])


def test_catalogue_defaults():
    query, errors = parse()
    assert errors == {}
    assert query == CatalogueQuery()
    assert query.sort == "terbaru"
    searching, _ = parse(q="  beras   premium ")
    assert searching.q == "beras premium"
    assert searching.sort == "relevan"


def test_catalogue_filters_are_read():
    query, errors = parse(
        q="kopi",
        kategori="minuman",
        kecamatan="Sukun",
        harga_min="Rp 10.000",
        harga_max="50000",
        tersedia="1",
        urut="harga_turun",
        halaman="3",
    )
    assert errors == {}
    assert (query.category, query.district, query.price_min, query.price_max) == (
        "minuman",
        "Sukun",
        10000,
        50000,
    )
    assert query.in_stock and query.sort == "harga_turun" and query.page == 3
    assert query.params(halaman=4) == {
        "q": "kopi",
        "kategori": "minuman",
        "kecamatan": "Sukun",
        "harga_min": "10000",
        "harga_max": "50000",
        "tersedia": "1",
        "urut": "harga_turun",
        "halaman": "4",
    }


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"harga_min": "sepuluh"}, "harga_min"),
        ({"harga_min": "-1"}, "harga_min"),
        ({"harga_max": "1.5e6"}, "harga_max"),
        ({"harga_max": "٣٠٠"}, "harga_max"),  # Arabic-Indic digits are not rupiah
        ({"harga_max": "9" * 20}, "harga_max"),
        ({"harga_min": "5", "harga_max": "4"}, "harga_max"),
        ({"urut": "random"}, "urut"),
        ({"kategori": "narkoba"}, "kategori"),
        ({"kecamatan": "Klojen'; DROP TABLE"}, "kecamatan"),
        ({"halaman": "0"}, "halaman"),
        ({"halaman": "-1"}, "halaman"),
        ({"halaman": "1.5"}, "halaman"),
        ({"halaman": str(MAX_PAGE + 1)}, "halaman"),
    ],
)
def test_bad_catalogue_fields_get_a_message_each(params, field):
    _, errors = parse(**params)
    assert list(errors) == [field]
    assert errors[field]


def test_relevance_without_words_is_newest():
    query, errors = parse(urut="relevan", q="!!!")
    assert errors == {}
    assert query.sort == "terbaru"
    assert query.params() == {"q": "!!!"}


@pytest.mark.parametrize("engine", ["sqlite", "postgres"])
def test_the_statement_names_the_city_and_only_verified_active_products(engine):
    query, _ = parse(q="kopi", kecamatan="Klojen", harga_min="1", tersedia="1")
    sql, args = catalogue_statement(query, "malang", engine)
    assert "p.city = {}" in sql and args[0] == "malang"
    assert "p.is_active" in sql and "m.status = {}" in sql and args[1] == "verified"
    assert "p.stock > 0" in sql
    assert sql.count("{}") == len(args)
    assert "kopi" not in sql  # words are parameters, never SQL text
