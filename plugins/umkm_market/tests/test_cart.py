"""The cart: adding, changing, removing, stock checks, and the anonymous cart following a login."""

from __future__ import annotations

import pytest
from balai_umkm_market.tables import MerchantStatus
from umkm_order_support import add_product, add_shop, add_to_cart, cart_quantities, set_stock


@pytest.fixture
def rice(city_run):
    shop = add_shop(city_run)
    return add_product(city_run, shop, stock=5)


def test_an_anonymous_visitor_fills_a_cart(client, post_form, city_run, rice):
    empty = client.get("/malang/umkm-market/keranjang")
    assert empty.status_code == 200
    assert "Keranjang Anda kosong" in empty.text

    added = add_to_cart(post_form, rice, 2)
    assert added.status_code == 303
    assert added.headers["location"] == "/malang/umkm-market/keranjang"
    page = client.get("/malang/umkm-market/keranjang")
    assert "Beras Pandan Wangi 5 kg" in page.text
    assert "Toko Sembako Bu Sri" in page.text
    assert "Rp144.000" in page.text  # 2 × Rp72.000
    assert 'value="2"' in page.text
    assert "ditambahkan ke keranjang" in page.text  # the flash
    assert cart_quantities(city_run) == {rice: 2}

    add_to_cart(post_form, rice, 1)
    assert cart_quantities(city_run) == {rice: 3}


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("0", "minimal 1"),
        ("-3", "minimal 1"),
        ("dua", "bilangan bulat"),
        ("", "bilangan bulat"),
        ("6", "Hanya 5 karung"),
        ("100000", "paling banyak 999"),
    ],
)
def test_bad_quantities_are_refused_with_the_form_again(
    client, post_form, city_run, rice, quantity, message
):
    refused = add_to_cart(post_form, rice, quantity)
    assert refused.status_code == 400
    assert message in refused.text
    assert 'aria-invalid="true"' in refused.text
    assert f'name="product_id" value="{rice}"' in refused.text
    if quantity:
        assert f'value="{quantity}"' in refused.text
    assert cart_quantities(city_run) == {}


def test_the_cart_never_holds_more_than_the_stock(client, post_form, city_run, rice):
    assert add_to_cart(post_form, rice, 4).status_code == 303
    refused = add_to_cart(post_form, rice, 2)
    assert refused.status_code == 400
    assert "4 sudah ada di keranjang Anda" in refused.text
    assert cart_quantities(city_run) == {rice: 4}


def test_products_not_for_sale_cannot_be_added(client, post_form, city_run):
    pending = add_shop(city_run, "Kopi Belum Verifikasi", status=MerchantStatus.PENDING)
    unverified = add_product(city_run, pending, "Kopi Dampit")
    verified = add_shop(city_run, "Toko Aktif")
    inactive = add_product(city_run, verified, "Gula Pasir 1 kg", active=False)
    other_city = add_product(
        city_run, add_shop(city_run, "Toko Semarang", city="semarang"), city="semarang"
    )
    for product_id in (unverified, inactive, other_city, 999999, "abc"):
        assert add_to_cart(post_form, product_id, 1).status_code == 404
        assert (
            client.get(f"/malang/umkm-market/keranjang/tambah?product_id={product_id}").status_code
            == 404
        )
    assert cart_quantities(city_run) == {}


def test_the_add_form_page_works_on_its_own(client, rice):
    page = client.get(f"/malang/umkm-market/keranjang/tambah?product_id={rice}")
    assert page.status_code == 200
    assert "Beras Pandan Wangi 5 kg" in page.text
    assert "5 tersedia" in page.text
    assert 'action="/malang/umkm-market/keranjang/tambah"' in page.text


def test_changing_and_removing_items(client, post_form, city_run, rice):
    add_to_cart(post_form, rice, 1)
    item_id = _only_item_id(city_run)
    changed = post_form("/malang/umkm-market/keranjang/ubah", {"item_id": item_id, "quantity": 5})
    assert changed.status_code == 303
    assert cart_quantities(city_run) == {rice: 5}

    too_many = post_form("/malang/umkm-market/keranjang/ubah", {"item_id": item_id, "quantity": 9})
    assert too_many.status_code == 400
    assert "Hanya 5 karung" in too_many.text
    assert 'value="9"' in too_many.text
    assert 'aria-invalid="true"' in too_many.text
    zero = post_form("/malang/umkm-market/keranjang/ubah", {"item_id": item_id, "quantity": 0})
    assert zero.status_code == 400
    assert cart_quantities(city_run) == {rice: 5}

    removed = post_form("/malang/umkm-market/keranjang/hapus", {"item_id": item_id})
    assert removed.status_code == 303
    assert cart_quantities(city_run) == {}


def test_another_visitors_cart_items_are_not_found(client, post_form, city_run, rice, login_as):
    add_to_cart(post_form, rice, 1)
    item_id = _only_item_id(city_run)
    client.cookies.clear()  # another browser
    for path, data in (
        ("/malang/umkm-market/keranjang/ubah", {"item_id": item_id, "quantity": 2}),
        ("/malang/umkm-market/keranjang/hapus", {"item_id": item_id}),
        ("/malang/umkm-market/keranjang/hapus", {"item_id": "x"}),
    ):
        assert post_form(path, data).status_code == 404
    login_as()
    assert post_form("/malang/umkm-market/keranjang/hapus", {"item_id": item_id}).status_code == 404
    assert cart_quantities(city_run) == {rice: 1}


def test_forms_without_the_csrf_token_are_refused(client, city_run, rice):
    client.get("/malang/umkm-market/keranjang")
    response = client.post(
        "/malang/umkm-market/keranjang/tambah", data={"product_id": rice, "quantity": 1}
    )
    assert response.status_code == 403
    assert cart_quantities(city_run) == {}


def test_the_anonymous_cart_is_merged_into_the_account_at_login(
    client, post_form, city_run, login_as
):
    shop = add_shop(city_run)
    rice = add_product(city_run, shop, stock=20)
    oil = add_product(city_run, shop, "Minyak Goreng 2 liter", price=38000, unit="botol")
    account = login_as(name="Siti Rahayu")
    add_to_cart(post_form, rice, 2)  # the account's own cart
    assert post_form("/malang/keluar", {}).status_code == 303
    client.cookies.clear()

    add_to_cart(post_form, rice, 3)  # anonymous, in a fresh browser
    add_to_cart(post_form, oil, 1)
    assert "Minyak Goreng" in client.get("/malang/umkm-market/keranjang").text

    login = post_form("/malang/masuk", {"login": account["login"], "password": account["password"]})
    assert login.status_code == 303
    page = client.get("/malang/umkm-market/keranjang")
    assert "Minyak Goreng" in page.text
    assert 'value="5"' in page.text  # 2 in the account's cart + 3 added anonymously
    assert cart_quantities(city_run) == {rice: 5, oil: 1}  # one cart left, nothing doubled


def test_the_cart_shows_problems_when_stock_ran_low(client, post_form, city_run, rice):
    add_to_cart(post_form, rice, 4)
    set_stock(city_run, rice, 2)
    page = client.get("/malang/umkm-market/keranjang")
    assert "Hanya 2 karung" in page.text
    assert 'href="/malang/umkm-market/checkout"' not in page.text


def test_the_cart_is_absent_where_the_market_is_not_enabled(client):
    assert client.get("/semarang/umkm-market/keranjang").status_code == 404


def _only_item_id(city_run) -> int:
    from balai_umkm_market.tables import CartItem

    async def read() -> int:
        rows = await CartItem.select(CartItem.id)
        assert len(rows) == 1
        return rows[0]["id"]

    return city_run("malang", read)
