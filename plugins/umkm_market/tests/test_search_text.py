"""The word rule of the catalogue search, and parsing the catalogue's query string."""

from __future__ import annotations

import importlib
import sqlite3

import pytest
from balai_umkm_market.search import MAX_PAGE, CatalogueQuery, catalogue_statement, parse_catalogue
from balai_umkm_market.search_text import (
    FOLD_FROM,
    FOLD_TO,
    MAX_WORDS,
    TextQuery,
    fold,
    parse_text_query,
    words,
)

MIGRATION = importlib.import_module(
    "balai_umkm_market.migrations.umkm_market_2026_11_23t02_30_00_000000"
)
SAMPLES = [
    "Keripik-Tempe SANAN 250gr",
    "Crème Brûlée Café à la française",
    "Minyak goreng 1,5 L (pouch) — 100% sawit",
    "ŁÓDŹ naïve Øre straße",
    "e-mail: toko@contoh.id https://toko.id/path",
    "snake_case_name v1.2.3 0x1F 1e5",
    "Kopi   Dampit\tTlogomas\nBubuk",
    "ĞİŞ Việt Nam Hà Nội",
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Keripik-Tempe SANAN 250gr", ["keripik", "tempe", "sanan", "250gr"]),
        ("Crème Brûlée", ["creme", "brulee"]),
        ("1,5 kg", ["1", "5", "kg"]),
        ("snake_case", ["snake", "case"]),
        ("Øre straße", ["øre", "straße"]),
        ("İstanbul", ["istanbul"]),
        ("!!! ... ---", []),
    ],
)
def test_words_are_folded_lower_case_runs_of_letters_and_digits(text, expected):
    assert words(text) == expected


def test_fold_table_maps_letters_one_to_one():
    assert len(FOLD_FROM) == len(FOLD_TO) == len(set(FOLD_FROM))
    assert fold("ÀÉÎÕÜÇÑ") == "aeiouc" + "n"


def test_the_migration_holds_the_same_fold_table():
    assert MIGRATION.FOLD_FROM == FOLD_FROM
    assert MIGRATION.FOLD_TO == FOLD_TO


def test_fts5_folds_every_letter_of_the_table_the_same_way():
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(a, tokenize = 'unicode61 remove_diacritics 2')")
    db.executemany(
        "INSERT INTO t (rowid, a) VALUES (?, ?)",
        [(n, f"x{letter}x") for n, letter in enumerate(FOLD_FROM, start=1)],
    )
    for n, base in enumerate(FOLD_TO, start=1):
        found = db.execute("SELECT rowid FROM t WHERE t MATCH ?", (f'"x{base}x"',)).fetchall()
        assert (n,) in found, (FOLD_FROM[n - 1], base)


@pytest.mark.parametrize("text", SAMPLES)
def test_fts5_finds_every_python_word_of_a_sample(text):
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(a, tokenize = 'unicode61 remove_diacritics 2')")
    db.execute("INSERT INTO t (rowid, a) VALUES (1, ?)", (text,))
    for word in words(text):
        assert db.execute("SELECT rowid FROM t WHERE t MATCH ?", (f'"{word}"',)).fetchall() == [
            (1,)
        ], word


def test_text_query_for_both_databases():
    query = parse_text_query("Gula  AREN, kop")
    assert query.words == ("gula", "aren", "kop")
    assert query.fts5() == '"gula" AND "aren" AND "kop"*'
    assert query.fts5("name") == 'name : "gula" AND name : "aren" AND name : "kop"*'
    assert query.tsquery() == "gula & aren & kop:*"
    assert query.tsquery("A") == "gula:A & aren:A & kop:*A"


def test_text_query_limits_and_empty_queries():
    many = parse_text_query(" ".join(f"w{n}" for n in range(20)))
    assert len(many.words) == MAX_WORDS
    assert parse_text_query("x" * 100).words == ("x" * 40,)
    assert not parse_text_query('"*:&|!() -- ')
    assert not TextQuery()


def test_operators_in_the_query_are_just_separators():
    query = parse_text_query('beras" OR "gula* & !kopi:A')
    assert query.words == ("beras", "or", "gula", "kopi", "a")


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
