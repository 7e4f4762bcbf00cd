"""The merchant's product import through the core's spreadsheet import service."""

from __future__ import annotations

import io
import re

import pytest
from balai.imports.tables import ImportRun
from balai.testing import run_queued_jobs
from balai_umkm_market.catalogue.product_rules import ProductRowError, check_product
from balai_umkm_market.tables import Product
from market_setup import add_merchant, add_product, market_config
from openpyxl import Workbook

IMPORT = "/malang/impor/umkm_market.products/"
_CSRF = re.compile(r'name="_csrf_token"\s+value="([^"]+)"')

PRICE_LIST = (
    b"nama;kategori;harga;satuan;stok;deskripsi;aktif\n"
    b"Beras Premium 5 kg;sembako;Rp72.000;pack;30;Beras pulen;ya\n"  # line 2: ok (updates)
    b"Minyak Goreng 1 L;sembako;18500;liter;12;;\n"  # line 3: ok (new)
    b"Telur Ayam;sembako;dua puluh ribu;kg;5;;\n"  # line 4: bad price
    b"Gula Pasir 1 kg;gula;16000;ton;-1;;mungkin\n"  # line 5: four bad cells
    b";sembako;1000;pcs;1;;\n"  # line 6: name missing (required)
)


@pytest.fixture
def balai_config(tmp_path):
    return market_config(tmp_path)


@pytest.fixture
def merchant(login_as, city_run):
    user = login_as(name="Bu Sri")
    merchant_id = city_run("malang", add_merchant("Toko Sembako Sri", owner_user_id=user["id"]))
    return {"user": user, "merchant_id": merchant_id}


def upload(client, name, data):
    page = client.get(IMPORT)
    assert page.status_code == 200, page.text
    token = _CSRF.search(page.text).group(1)
    return client.post(
        IMPORT,
        data={"_csrf_token": token},
        files={"file": (name, data, "application/octet-stream")},
        follow_redirects=False,
    )


def products(city_run, city="malang"):
    async def read():
        return await Product.select().order_by(Product.id)

    return city_run(city, read)


async def test_rows_are_checked_like_the_form():
    assert await check_product(
        {
            "name": " Kopi  Dampit ",
            "category": "MINUMAN",
            "price": "45.000",
            "unit": "Pack",
            "stock": "3",
            "is_active": "Tidak",
        }
    ) == {
        "name": "Kopi Dampit",
        "description": "",
        "category": "minuman",
        "unit": "pack",
        "price": 45_000,
        "stock": 3,
        "is_active": False,
    }
    with pytest.raises(ProductRowError) as caught:
        await check_product({"name": "", "category": "x", "price": "0", "unit": "x", "stock": "x"})
    assert set(caught.value.errors) == {"name", "category", "price", "unit", "stock"}


def test_the_products_page_links_the_import(client, merchant):
    assert (
        'href="/malang/impor/umkm_market.products/"'
        in client.get("/malang/umkm-market/toko-saya/produk/").text
    )


def test_import_creates_updates_and_reports_bad_rows(client, merchant, city_run, balai_app):
    existing = city_run(
        "malang", add_product(merchant["merchant_id"], "Beras Premium 5 kg", 70_000)
    )
    response = upload(client, "harga.csv", PRICE_LIST)
    assert response.status_code == 303
    run_url = response.headers["location"]
    assert products(city_run)[0]["price"] == 70_000  # nothing applied in the request
    results = run_queued_jobs(balai_app)
    assert [r.status for r in results] == ["ok"]
    rows = {p["name"]: p for p in products(city_run)}
    assert set(rows) == {"Beras Premium 5 kg", "Minyak Goreng 1 L"}
    assert rows["Beras Premium 5 kg"]["id"] == existing
    assert rows["Beras Premium 5 kg"]["price"] == 72_000
    assert rows["Beras Premium 5 kg"]["stock"] == 30
    assert rows["Minyak Goreng 1 L"]["merchant"] == merchant["merchant_id"]
    assert rows["Minyak Goreng 1 L"]["unit"] == "liter"
    page = client.get(run_url)
    assert page.status_code == 200
    assert "harga" in page.text
    assert "Masukkan rupiah bulat" in page.text
    assert "Pilih satuan" in page.text
    assert "Tulis ya atau tidak." in page.text

    async def the_run():
        return await ImportRun.select().first()

    run = city_run("malang", the_run)
    assert (run["ok"], run["failed"]) == (2, 3)
    # the same file again changes nothing more
    upload(client, "harga.csv", PRICE_LIST)
    run_queued_jobs(balai_app)
    assert len(products(city_run)) == 2


def test_xlsx_price_list(client, merchant, city_run, balai_app):
    book = Workbook()
    book.active.append(["Nama", "Kategori", "Harga", "Satuan", "Stok"])
    book.active.append(["Bakpao Telo isi 10", "makanan", 25000, "pack", 15])
    out = io.BytesIO()
    book.save(out)
    assert upload(client, "harga.xlsx", out.getvalue()).status_code == 303
    run_queued_jobs(balai_app)
    [row] = products(city_run)
    assert (row["name"], row["price"], row["stock"]) == ("Bakpao Telo isi 10", 25_000, 15)


@pytest.mark.parametrize("status", ["pending", "suspended", None])
def test_only_a_verified_merchants_owner_may_import(client, login_as, city_run, status):
    user = login_as()
    if status:
        city_run("malang", add_merchant(owner_user_id=user["id"], status=status))
    assert client.get(IMPORT).status_code == 403


def test_rows_land_in_the_uploaders_shop_only(client, merchant, login_as, city_run, balai_app):
    upload(client, "harga.csv", PRICE_LIST)
    client.get(IMPORT)  # shows (and so clears) the flash about the upload
    assert "harga.csv" in client.get(IMPORT).text  # the uploader's own run is listed
    other = login_as(name="Pak Handoyo")
    other_shop = city_run("malang", add_merchant("Topeng Malangan", owner_user_id=other["id"]))
    assert "harga.csv" not in client.get(IMPORT).text  # another shop's runs are not listed
    run_queued_jobs(balai_app)
    assert {p["merchant"] for p in products(city_run)} == {merchant["merchant_id"]}
    assert other_shop not in {p["merchant"] for p in products(city_run)}


def test_a_merchant_suspended_before_the_rows_run_gets_nothing(
    client, merchant, city_run, balai_app
):
    from balai_umkm_market.tables import Merchant

    upload(client, "harga.csv", PRICE_LIST)

    async def suspend():
        await Merchant.update({Merchant.status: "suspended"}).where(
            Merchant.id == merchant["merchant_id"]
        )

    city_run("malang", suspend)
    run_queued_jobs(balai_app)
    assert products(city_run) == []
