"""The merchant portal: products CRUD, photos, guards, another merchant's products."""

from __future__ import annotations

import re

import pytest
from balai_umkm_market.tables import Order, OrderItem, Product, ProductPhoto
from market_setup import add_merchant, add_product, csrf_token, jpeg_bytes, market_config

BASE = "/malang/umkm-market/toko-saya/produk/"


@pytest.fixture
def balai_config(tmp_path):
    return market_config(tmp_path)


@pytest.fixture
def merchant(login_as, city_run):
    """A logged-in owner of a verified merchant: {"user", "merchant_id"}."""
    user = login_as(name="Sri Wahyuni")
    merchant_id = city_run("malang", add_merchant("Keripik Sanan", owner_user_id=user["id"]))
    return {"user": user, "merchant_id": merchant_id}


def products(city_run, city="malang"):
    async def read():
        return await Product.select().order_by(Product.id)

    return city_run(city, read)


def photos(city_run, product_id):
    async def read():
        return await ProductPhoto.select().where(ProductPhoto.product == product_id)

    return city_run("malang", read)


def product_form(**changes):
    form = {
        "name": "Keripik Tempe Original 250 g",
        "category": "makanan",
        "price": "Rp15.000",
        "unit": "pack",
        "stock": "40",
        "description": "Renyah, tanpa pengawet.",
        "is_active": "1",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def test_portal_needs_login(client):
    response = client.get(BASE, follow_redirects=False)
    assert response.status_code == 303
    assert "/malang/masuk" in response.headers["location"]


@pytest.mark.parametrize("status", ["pending", "rejected", "suspended", None])
def test_only_the_owner_of_a_verified_merchant_gets_in(client, login_as, city_run, status):
    user = login_as()
    if status:
        city_run("malang", add_merchant(owner_user_id=user["id"], status=status))
    assert client.get(BASE).status_code == 403
    assert client.get(BASE + "baru").status_code == 403


def test_add_a_product(client, merchant, post_form, city_run):
    assert client.get(BASE + "baru").status_code == 200
    response = post_form(BASE + "baru", product_form())
    assert response.status_code == 303
    [row] = products(city_run)
    assert row["merchant"] == merchant["merchant_id"]
    assert row["price"] == 15_000
    assert row["stock"] == 40
    assert row["unit"] == "pack"
    assert row["is_active"] is True
    page = client.get(BASE)
    assert "Keripik Tempe Original 250 g" in page.text
    assert "Rp15.000" in page.text


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Masukkan nama produk."),
        ({"price": "0"}, "price", "Masukkan jumlah dari Rp1 sampai Rp1.000.000.000."),
        ({"price": "lima belas ribu"}, "price", "Masukkan rupiah bulat"),
        ({"stock": "-3"}, "stock", "Masukkan angka dari 0 sampai 1.000.000."),
        ({"unit": "ton"}, "unit", "Pilih satuan"),
        ({"category": "senjata"}, "category", "Pilih kategori"),
        ({"name": "x" * 121}, "name", "Nama paling banyak 120 karakter."),
    ],
)
def test_bad_product_input(client, merchant, post_form, city_run, changes, field, message):
    response = post_form(BASE + "baru", product_form(**changes))
    assert response.status_code == 400
    assert message in response.text
    assert f'id="f-{field}"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert "Renyah, tanpa pengawet." in response.text  # what was typed is kept
    assert products(city_run) == []


def test_after_an_error_the_typed_product_is_shown_again(client, merchant, post_form, city_run):
    typed = product_form(price="15 ribu", name="Kopi <Dampit>", unit="kg", is_active=None)
    response = post_form(BASE + "baru", typed)
    assert response.status_code == 400
    page = response.text
    assert 'value="15 ribu"' in page and 'value="Kopi &lt;Dampit&gt;"' in page
    assert '<option value="kg" selected' in page and 'value="40"' in page
    assert re.search(r'name="is_active"(?![^>]*checked)[^>]*>', page)  # unticked kept
    again = post_form(BASE + "baru", product_form(stock="x"))
    assert re.search(r'name="is_active"[^>]*checked', again.text)
    assert products(city_run) == []


def test_edit_and_deactivate(client, merchant, post_form, city_run):
    product_id = city_run("malang", add_product(merchant["merchant_id"]))
    page = client.get(f"{BASE}{product_id}")
    assert page.status_code == 200
    assert 'value="Beras Premium 5 kg"' in page.text
    form = product_form(name="Beras Premium 5 kg", price="75000", is_active=None)
    assert post_form(f"{BASE}{product_id}", form).status_code == 303
    [row] = products(city_run)
    assert row["price"] == 75_000
    assert row["is_active"] is False
    bad = post_form(f"{BASE}{product_id}", product_form(price="abc"))
    assert bad.status_code == 400
    assert products(city_run)[0]["price"] == 75_000


def test_another_merchants_product_is_not_found(client, merchant, post_form, city_run):
    other_merchant = city_run("malang", add_merchant("Toko Lain"))
    theirs = city_run("malang", add_product(other_merchant, name="Gula Pasir 1 kg"))
    semarang_merchant = city_run("semarang", add_merchant("Lumpia"))
    semarang_product = city_run("semarang", add_product(semarang_merchant, name="Lumpia Isi 10"))
    for product_id in (theirs, semarang_product):
        assert client.get(f"{BASE}{product_id}").status_code == 404
        assert post_form(f"{BASE}{product_id}", product_form()).status_code == 404
        assert post_form(f"{BASE}{product_id}/hapus", {}).status_code == 404
    assert "Gula Pasir" not in client.get(BASE).text
    assert [p["name"] for p in products(city_run)] == ["Gula Pasir 1 kg"]
    assert [p["name"] for p in products(city_run, "semarang")] == ["Lumpia Isi 10"]


def test_delete_a_product_never_ordered(client, merchant, post_form, city_run):
    product_id = city_run("malang", add_product(merchant["merchant_id"]))
    assert post_form(f"{BASE}{product_id}/hapus", {}).status_code == 303
    assert products(city_run) == []


def test_an_ordered_product_is_taken_off_sale_not_deleted(client, merchant, post_form, city_run):
    product_id = city_run("malang", add_product(merchant["merchant_id"]))

    async def order_it():
        order = Order(number="UMKM-TEST-1", merchant=merchant["merchant_id"], subtotal=72_000)
        await order.save()
        await OrderItem.insert(
            OrderItem(order=order.id, product=product_id, product_name="Beras", quantity=1)
        )

    city_run("malang", order_it)
    response = post_form(f"{BASE}{product_id}/hapus", {}, follow_redirects=True)
    assert "dinonaktifkan, bukan dihapus" in response.text
    [row] = products(city_run)
    assert row["is_active"] is False


def upload(client, url, form, files):
    token = csrf_token(client, url)
    return client.post(
        url, data={**form, "_csrf_token": token}, files=files, follow_redirects=False
    )


def test_photos_are_added_shown_and_removed(client, merchant, city_run, post_form):
    files = [
        ("photos", ("a.jpg", jpeg_bytes(), "image/jpeg")),
        ("photos", ("b.jpg", jpeg_bytes((20, 20)), "image/jpeg")),
    ]
    assert upload(client, BASE + "baru", product_form(), files).status_code == 303
    [row] = products(city_run)
    stored = photos(city_run, row["id"])
    assert len(stored) == 2
    assert row["photo"] == sorted(stored, key=lambda p: p["position"])[0]["file_key"]
    page = client.get(f"{BASE}{row['id']}")
    assert page.text.count('class="product-thumb"') == 2
    first = min(stored, key=lambda p: p["position"])
    assert post_form(f"{BASE}{row['id']}/foto/{first['id']}/hapus", {}).status_code == 303
    [rest] = photos(city_run, row["id"])
    assert products(city_run)[0]["photo"] == rest["file_key"]
    assert post_form(f"{BASE}{row['id']}/foto/{first['id']}/hapus", {}).status_code == 404


def test_a_bad_photo_leaves_no_product(client, merchant, city_run):
    files = [("photos", ("a.jpg", b"not an image", "image/jpeg"))]
    response = upload(client, BASE + "baru", product_form(), files)
    assert response.status_code == 400
    assert 'id="f-photos-error"' in response.text
    assert products(city_run) == []


def test_at_most_five_photos(client, merchant, city_run):
    product_id = city_run("malang", add_product(merchant["merchant_id"]))
    files = [("photos", (f"{i}.jpg", jpeg_bytes(), "image/jpeg")) for i in range(6)]
    response = upload(client, f"{BASE}{product_id}", product_form(), files)
    assert response.status_code == 400
    assert "paling banyak memiliki 5 foto" in response.text
    assert photos(city_run, product_id) == []
