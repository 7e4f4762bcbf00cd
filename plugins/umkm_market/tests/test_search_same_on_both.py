"""The catalogue finds the same products, in the same order, on SQLite and PostgreSQL.

One SQLite app and (when ``BALAI_TEST_DATABASE_URL`` is set) one PostgreSQL
app get the same catalogue (``umkm_catalogue_data``); every query below goes
through the real catalogue page on each, and the product ids on the page are
compared with the expected ones (SQLite) and with each other (PostgreSQL).
"""

from __future__ import annotations

import re

import pytest
from balai.testing import DATABASE_ENV, build_app, open_client, run_in_city, write_config
from umkm_catalogue_data import product_names, seed_catalogue, seed_other_city

PRODUCT_LINK = re.compile(r'href="/malang/umkm-market/produk/(\d+)"')

# query string -> the names expected, in order
QUERIES: dict[str, list[str]] = {
    "q=beras": ["Beras Premium 5 kg"],
    "q=BERAS+premium": ["Beras Premium 5 kg"],
    "q=kopi": ["Kopi Bubuk Dampit", "Crème Brûlée Café", "Gula Aren Cair"],
    "q=kop": ["Kopi Bubuk Dampit", "Crème Brûlée Café", "Gula Aren Cair"],
    "q=gula+aren": ["Gula Aren Cair", "Kopi Bubuk Dampit"],
    "q=creme+brulee": ["Crème Brûlée Café"],
    "q=CAFÉ": ["Crème Brûlée Café"],
    "q=francaise": ["Crème Brûlée Café"],
    "q=keripik+tempe": ["Keripik-Tempe SANAN 250gr"],
    "q=tempe-keripik": ["Keripik-Tempe SANAN 250gr"],
    "q=1%2C5kg": ["Keripik-Tempe SANAN 250gr"],
    "q=250g": ["Keripik-Tempe SANAN 250gr"],
    "q=sri": ["Keripik-Tempe SANAN 250gr", "Minyak Goreng 2 Liter", "Beras Premium 5 kg"],
    "q=xyz": [],
    "q=%21%21%21": [
        "Keripik-Tempe SANAN 250gr",
        "Crème Brûlée Café",
        "Gula Aren Cair",
        "Kopi Bubuk Dampit",
        "Minyak Goreng 2 Liter",
        "Beras Premium 5 kg",
    ],
    "q=kopi&urut=harga_naik": ["Gula Aren Cair", "Crème Brûlée Café", "Kopi Bubuk Dampit"],
    "q=minyak": ["Minyak Goreng 2 Liter"],
    "q=minyak&tersedia=1": [],
    "kategori=sembako": ["Gula Aren Cair", "Minyak Goreng 2 Liter", "Beras Premium 5 kg"],
    "harga_min=20000&harga_max=40000&urut=harga_turun": [
        "Minyak Goreng 2 Liter",
        "Crème Brûlée Café",
        "Gula Aren Cair",
    ],
    "kecamatan=Lowokwaru": ["Crème Brûlée Café", "Gula Aren Cair", "Kopi Bubuk Dampit"],
    "urut=rating": [
        "Kopi Bubuk Dampit",
        "Beras Premium 5 kg",
        "Keripik-Tempe SANAN 250gr",
        "Gula Aren Cair",
        "Crème Brûlée Café",
        "Minyak Goreng 2 Liter",
    ],
    "q=kopi&kecamatan=Klojen": [],
    "q=beras+kencur": [],
}


def _ids_per_query(tmp_path_factory, databases, database_url: str) -> dict[str, list[int]]:
    folder = tmp_path_factory.mktemp("umkm-search")
    config = write_config(
        folder / "instance", {"malang": ["umkm_market"], "semarang": ["umkm_market"]}
    )
    app = build_app(config, databases, database_url=database_url, plugins=["umkm_market"])
    found = {}
    with open_client(app) as client:
        run_in_city(app, "malang", seed_catalogue)
        run_in_city(app, "semarang", seed_other_city)
        for query in QUERIES:
            page = client.get(f"/malang/umkm-market/produk/?{query}")
            assert page.status_code == 200, (query, page.text[:300])
            found[query] = [int(i) for i in PRODUCT_LINK.findall(page.text)]
    return found


@pytest.fixture(scope="module")
def sqlite_ids(tmp_path_factory, balai_test_databases) -> dict[str, list[int]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('umkm-sqlite') / 'balai.db'}"
    return _ids_per_query(tmp_path_factory, balai_test_databases, url)


@pytest.fixture(scope="module")
def postgres_ids(
    tmp_path_factory, balai_test_servers, balai_test_databases
) -> dict[str, list[int]]:
    url = balai_test_servers.postgres_url
    if not url:
        pytest.skip(f"{DATABASE_ENV} is not set (PostgreSQL tests need a server)")
    return _ids_per_query(tmp_path_factory, balai_test_databases, url)


def _names(ids: list[int]) -> list[str]:
    names = product_names()
    return [names[i - 1] for i in ids]


@pytest.mark.parametrize("query", list(QUERIES))
def test_sqlite_finds_the_expected_products(sqlite_ids, query):
    assert _names(sqlite_ids[query]) == QUERIES[query]


@pytest.mark.postgres
@pytest.mark.parametrize("query", list(QUERIES))
def test_postgresql_finds_the_same_ids_as_sqlite(sqlite_ids, postgres_ids, query):
    assert postgres_ids[query] == sqlite_ids[query]


@pytest.mark.postgres
def test_postgresql_cuts_text_into_the_same_words_as_python(postgres_url, balai_app, city_run):
    from balai.db.fulltext import FOLD_FROM, words
    from balai_umkm_market.tables import Product

    texts = [*product_names(), FOLD_FROM, FOLD_FROM.lower(), FOLD_FROM.upper()]

    async def cut():
        found = []
        for text in texts:
            rows = await Product.raw(
                "SELECT tsvector_to_array(to_tsvector('simple', umkm_market_search_words({}))) "
                "AS lexemes",
                text,
            )
            found.append(sorted(rows[0]["lexemes"]))
        return found

    for text, lexemes in zip(texts, city_run("malang", cut), strict=True):
        assert lexemes == sorted(set(words(text))), text
