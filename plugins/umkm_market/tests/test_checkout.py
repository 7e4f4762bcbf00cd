"""Checkout: its form and bad input, COD orders, one ledger invoice paid in the sandbox bank."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from balai.payments import ledger
from balai_umkm_market.tables import OrderItem
from umkm_order_support import (
    add_product,
    add_shop,
    add_to_cart,
    cart_quantities,
    checkout,
    events_of,
    mark_asn,
    new_user,
    orders_of,
    outbox_bodies,
    outbox_kinds,
    pay_with_sandbox_qris,
    set_stock,
    stock_of,
    today_total,
)


@pytest.fixture
def market(city_run):
    """Two shops: one delivering (Rp8.000) or pickup, one pickup only; two products."""
    owner_sri = new_user(city_run, "Sri Wahyuni")
    sri = add_shop(city_run, "Toko Sembako Bu Sri", owner_id=owner_sri, delivery_fee=8000)
    rini = add_shop(city_run, "Apel Segar Mbak Rini", offers_delivery=False)
    return {
        "sri": sri,
        "rini": rini,
        "owner_sri": owner_sri,
        "rice": add_product(city_run, sri, stock=10),
        "apple": add_product(
            city_run, rini, "Apel Manalagi", price=25000, stock=8, unit="kg", category="pertanian"
        ),
    }


def fill_cart(post_form, market):
    assert add_to_cart(post_form, market["rice"], 2).status_code == 303
    assert add_to_cart(post_form, market["apple"], 3).status_code == 303


def good_form(market, **changes):
    form = {
        f"fulfilment_{market['sri']}": "delivery",
        f"fulfilment_{market['rini']}": "pickup",
        "address": "Jl. Ijen No. 30, RT 02/RW 05, Oro-oro Dowo",
        "phone": "0812 3456 7890",
        "payment": "cod",
    }
    form.update(changes)
    return form


def test_checkout_needs_a_login_and_comes_back(client, post_form, market):
    fill_cart(post_form, market)
    response = client.get("/malang/umkm-market/checkout", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/malang/masuk")
    assert "checkout" in response.headers["location"]
    assert checkout(post_form, good_form(market)).status_code in (401, 303)


def test_an_empty_cart_goes_back_to_the_cart(client, login_as):
    login_as()
    response = client.get("/malang/umkm-market/checkout", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/malang/umkm-market/keranjang"


def test_the_form_offers_what_each_merchant_offers(client, post_form, login_as, market):
    login_as()
    fill_cart(post_form, market)
    page = client.get("/malang/umkm-market/checkout")
    assert page.status_code == 200
    assert f'name="fulfilment_{market["sri"]}" value="delivery"' in page.text
    assert f'name="fulfilment_{market["sri"]}" value="pickup"' in page.text
    assert f'name="fulfilment_{market["rini"]}" value="delivery"' not in page.text
    assert "Diantar ke alamat saya (Rp8.000)" in page.text
    assert "Rp219.000" in page.text  # 2 × 72.000 + 3 × 25.000


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"address": "  "}, "address", "Isi alamat pengantaran."),
        ({"payment": ""}, "payment", "Pilih cara pembayaran."),
        ({"payment": "barter"}, "payment", "Pilih cara pembayaran."),
        ({"phone": ""}, "phone", "Isi nomor telepon"),
        ({"phone": "telepon saya"}, "phone", "angka saja"),
        ("rini-delivery", "fulfilment", "tidak melayani pengantaran"),
        ("sri-missing", "fulfilment", "Pilih diantar atau diambil"),
    ],
)
def test_bad_checkout_input_changes_nothing(
    client, post_form, login_as, city_run, market, changes, field, message
):
    login_as()
    fill_cart(post_form, market)
    if changes == "rini-delivery":
        form = good_form(market, **{f"fulfilment_{market['rini']}": "delivery"})
    elif changes == "sri-missing":
        form = good_form(market)
        del form[f"fulfilment_{market['sri']}"]
    else:
        form = good_form(market, **changes)
    response = checkout(post_form, form)
    assert response.status_code == 400
    assert message in response.text
    assert 'aria-invalid="true"' in response.text
    assert 'class="error-summary"' in response.text
    if field not in ("address",):
        assert "Oro-oro Dowo" in response.text  # what was typed is kept
    assert orders_of(city_run) == []
    assert stock_of(city_run, market["rice"]) == 10
    assert cart_quantities(city_run) == {market["rice"]: 2, market["apple"]: 3}


def test_pickup_only_needs_no_address(client, post_form, login_as, city_run, market):
    login_as()
    fill_cart(post_form, market)
    form = good_form(market, address="", **{f"fulfilment_{market['sri']}": "pickup"})
    response = checkout(post_form, form)
    assert response.status_code == 303
    assert [o["fulfilment"] for o in orders_of(city_run)] == ["pickup", "pickup"]
    assert all(o["delivery_fee"] == 0 and o["address"] == "" for o in orders_of(city_run))


def test_a_cod_checkout_makes_one_order_per_merchant(client, post_form, login_as, city_run, market):
    buyer = login_as(name="Budi Santoso")
    mark_asn(city_run, buyer["id"], "Dinas Pendidikan")
    fill_cart(post_form, market)
    response = checkout(post_form, good_form(market))
    assert response.status_code == 303
    assert response.headers["location"] == "/malang/umkm-market/pesanan/"

    placed = orders_of(city_run, buyer["id"])
    assert len(placed) == 2
    by_merchant = {o["merchant"]: o for o in placed}
    sri, rini = by_merchant[market["sri"]], by_merchant[market["rini"]]
    assert sri["status"] == rini["status"] == "new"
    assert (sri["subtotal"], sri["delivery_fee"], sri["total"]) == (144000, 8000, 152000)
    assert (rini["subtotal"], rini["delivery_fee"], rini["total"]) == (75000, 0, 75000)
    assert sri["address"].startswith("Jl. Ijen No. 30") and rini["address"] == ""
    assert sri["payment_method"] == "cod" and sri["invoice_number"] == ""
    assert sri["checkout_ref"] == rini["checkout_ref"]
    assert sri["number"].startswith("UMK-") and sri["number"] != rini["number"]
    assert sri["buyer_is_asn"] and sri["buyer_department"] == "Dinas Pendidikan"
    assert sri["buyer_phone"] == "0812 3456 7890"
    assert events_of(city_run, sri["id"]) == ["new"]

    assert stock_of(city_run, market["rice"]) == 8
    assert stock_of(city_run, market["apple"]) == 5
    assert cart_quantities(city_run) == {}
    assert "umkm_market.order_status" in outbox_kinds(city_run, buyer["id"])
    link = f"https://malang.localhost/umkm-market/pesanan/{sri['number']}"
    assert any(
        link in body for body in outbox_bodies(city_run, buyer["id"], "umkm_market.order_status")
    )
    assert "umkm_market.new_order" in outbox_kinds(city_run, market["owner_sri"])

    assert today_total(city_run, "umkm_market.orders") == 2
    assert today_total(city_run, "umkm_market.sales") == 219000
    assert today_total(city_run, "umkm_market.asn_sales") == 219000
    assert today_total(city_run, "umkm_market.department_sales.dinas_pendidikan") == 219000
    assert today_total(city_run, "umkm_market.category_sales.pertanian") == 75000

    history = client.get("/malang/umkm-market/pesanan/")
    assert sri["number"] in history.text and rini["number"] in history.text
    assert "Apel Segar Mbak Rini" in history.text

    def items():
        return OrderItem.select(OrderItem.product_name, OrderItem.unit_price, OrderItem.quantity)

    lines = city_run("malang", items)
    assert {(r["product_name"], r["unit_price"], r["quantity"]) for r in lines} == {
        ("Beras Pandan Wangi 5 kg", 72000, 2),
        ("Apel Manalagi", 25000, 3),
    }


def test_a_cart_whose_stock_ran_out_is_sent_back(client, post_form, login_as, city_run, market):
    login_as()
    fill_cart(post_form, market)
    set_stock(city_run, market["apple"], 1)
    response = checkout(post_form, good_form(market))
    assert response.status_code == 303
    assert response.headers["location"] == "/malang/umkm-market/keranjang"
    assert "Hanya 1 kg Apel Manalagi" in client.get(response.headers["location"]).text
    assert orders_of(city_run) == []
    assert stock_of(city_run, market["rice"]) == 10


def test_a_cashless_checkout_is_one_invoice_paid_with_sandbox_qris(
    client, post_form, login_as, city_run, market
):
    buyer = login_as(name="Budi Santoso")
    fill_cart(post_form, market)
    response = checkout(post_form, good_form(market, payment="cashless"))
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith("/malang/bayar/INV-")
    invoice_number = location.rsplit("/", 1)[1]

    placed = orders_of(city_run, buyer["id"])
    assert {o["status"] for o in placed} == {"awaiting_payment"}
    assert {o["invoice_number"] for o in placed} == {invoice_number}
    assert stock_of(city_run, market["rice"]) == 8  # reserved while waiting for payment
    invoice_page = client.get(location)
    assert "Rp227.000" in invoice_page.text  # 152.000 + 75.000, one invoice
    assert placed[0]["number"] in invoice_page.text
    assert today_total(city_run, "umkm_market.orders") == 0  # not a purchase until paid

    order_page = client.get(f"/malang/umkm-market/pesanan/{placed[0]['number']}")
    assert "Menunggu pembayaran" in order_page.text
    assert f'href="/malang/bayar/{invoice_number}"' in order_page.text

    pay_with_sandbox_qris(client, post_form, invoice_number)

    paid = orders_of(city_run, buyer["id"])
    assert {o["status"] for o in paid} == {"new"}
    assert events_of(city_run, paid[0]["id"]) == ["awaiting_payment", "new"]
    assert today_total(city_run, "umkm_market.orders") == 2
    assert today_total(city_run, "umkm_market.sales") == 219000
    assert "umkm_market.new_order" in outbox_kinds(city_run, market["owner_sri"])
    page = client.get(f"/malang/umkm-market/pesanan/{paid[0]['number']}")
    assert "Dibayar melalui tagihan pembayaran kota" in page.text


def test_an_unpaid_invoice_expires_and_gives_the_stock_back(
    client, post_form, login_as, city_run, market, balai_app
):
    buyer = login_as()
    fill_cart(post_form, market)
    checkout(post_form, good_form(market, payment="cashless"))
    assert stock_of(city_run, market["apple"]) == 5

    async def expire():
        later = datetime.now(UTC) + timedelta(days=1)
        return await ledger.expire_overdue(registry=balai_app.ui.registry, now=later)

    assert len(city_run("malang", expire)) == 1
    placed = orders_of(city_run, buyer["id"])
    assert {o["status"] for o in placed} == {"cancelled"}
    assert {o["cancel_reason"] for o in placed} == {
        "The time to pay ran out."
    }  # stored as the msgid, shown translated
    assert stock_of(city_run, market["apple"]) == 8
    assert stock_of(city_run, market["rice"]) == 10
    assert today_total(city_run, "umkm_market.orders") == 0
    assert city_run("malang", expire) == []  # once only


def test_someone_elses_checkout_invoice_is_not_theirs(client, post_form, login_as, market):
    login_as()
    fill_cart(post_form, market)
    location = checkout(post_form, good_form(market, payment="cashless")).headers["location"]
    login_as()  # another citizen
    assert client.get(location).status_code == 404
