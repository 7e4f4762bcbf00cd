"""Orders after checkout: buyer page and history, merchant moves, officer search."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

import pytest
from balai.audit.tables import AuditEntry
from umkm_order_support import (
    add_product,
    add_shop,
    add_to_cart,
    checkout,
    events_of,
    new_user,
    orders_of,
    outbox_subjects,
    pay_with_sandbox_qris,
    stock_of,
    today_total,
)

MERCHANT_ORDERS = "/malang/umkm-market/penjual/pesanan/"


class Shop:
    """A logged-in journey with two shops, a buyer and a merchant account."""

    def __init__(self, client, post_form, login_as, city_run):
        self.client, self.post_form, self.login_as, self.city_run = (
            client,
            post_form,
            login_as,
            city_run,
        )
        self.merchant = login_as(name="Sri Wahyuni")
        self.shop = add_shop(city_run, owner_id=self.merchant["id"])
        self.rice = add_product(city_run, self.shop, stock=10)
        self.other_owner = new_user(city_run, "Rini Astuti")
        self.other_shop = add_shop(city_run, "Apel Segar Mbak Rini", owner_id=self.other_owner)
        self.apple = add_product(city_run, self.other_shop, "Apel Manalagi", price=25000, unit="kg")

    def order(self, *, fulfilment="delivery", payment="cod", product=None, quantity=2) -> dict:
        """Log in as a new buyer and place one order; returns the order row (+ buyer)."""
        product = product or self.rice
        shop = self.shop if product == self.rice else self.other_shop
        self.buyer = self.login_as(name="Budi Santoso")
        assert add_to_cart(self.post_form, product, quantity).status_code == 303
        response = checkout(
            self.post_form,
            {
                f"fulfilment_{shop}": fulfilment,
                "address": "Jl. Ijen No. 30, Oro-oro Dowo",
                "phone": "081234567890",
                "payment": payment,
            },
        )
        assert response.status_code == 303, response.text
        row = orders_of(self.city_run, self.buyer["id"])[-1]
        return {**row, "buyer": self.buyer, "location": response.headers["location"]}

    def as_merchant(self) -> None:
        """Log in again as the merchant account."""
        login = self.post_form(
            "/malang/masuk",
            {"login": self.merchant["login"], "password": self.merchant["password"]},
        )
        assert login.status_code == 303

    def as_buyer(self) -> None:
        """Log in again as the last buyer."""
        login = self.post_form(
            "/malang/masuk", {"login": self.buyer["login"], "password": self.buyer["password"]}
        )
        assert login.status_code == 303

    def move(self, number: str, status: str, reason: str = "") -> object:
        """Post the merchant's step form."""
        return self.post_form(
            f"{MERCHANT_ORDERS}{number}/status", {"status": status, "reason": reason}
        )


@pytest.fixture
def shop(client, post_form, login_as, city_run):
    return Shop(client, post_form, login_as, city_run)


def status_of(city_run, order_id):
    return next(o["status"] for o in orders_of(city_run) if o["id"] == order_id)


def test_the_buyer_sees_status_and_history_and_the_page_polls(client, shop):
    order = shop.order()
    page = client.get(f"/malang/umkm-market/pesanan/{order['number']}")
    assert page.status_code == 200
    assert order["number"] in page.text
    assert "Beras Pandan Wangi 5 kg" in page.text
    assert "Rp152.000" in page.text  # 2 × 72.000 + 8.000 delivery
    assert ">Baru<" in page.text
    assert "Riwayat" in page.text
    assert "Jl. Ijen No. 30" in page.text
    poll = f'hx-get="/malang/umkm-market/pesanan/{order["number"]}/status"'
    assert poll in page.text
    assert 'hx-trigger="every 5s"' in page.text

    fragment = client.get(f"/malang/umkm-market/pesanan/{order['number']}/status")
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert 'id="order-status"' in fragment.text
    assert poll in fragment.text


def test_the_merchant_walks_a_delivery_order_to_completion(client, shop, city_run):
    order = shop.order()
    shop.as_merchant()
    listing = client.get(MERCHANT_ORDERS)
    assert listing.status_code == 200
    assert order["number"] in listing.text
    assert "Budi Santoso" in listing.text

    page = client.get(f"{MERCHANT_ORDERS}{order['number']}")
    assert "081234567890" in page.text
    assert "Konfirmasi pesanan" in page.text
    assert "tagih Rp152.000" in page.text

    for target, label in (
        ("confirmed", "Dikonfirmasi penjual"),
        ("delivering", "Sedang diantar"),
        ("completed", "Selesai"),
    ):
        moved = shop.move(order["number"], target)
        assert moved.status_code == 303
        assert label in client.get(moved.headers["location"]).text
    assert events_of(city_run, order["id"]) == ["new", "confirmed", "delivering", "completed"]
    assert stock_of(city_run, shop.rice) == 8  # sold, not given back
    subjects = outbox_subjects(city_run, order["buyer"]["id"])
    assert any("sedang diantar" in s for s in subjects)
    assert any("selesai" in s for s in subjects)

    shop.as_buyer()
    done = client.get(f"/malang/umkm-market/pesanan/{order['number']}")
    assert "hx-trigger" not in done.text  # polling stops at the end
    items = re.findall(r'href="/malang/umkm-market/ulasan/baru/(\d+)"', done.text)
    assert len(items) == 1
    fragment = client.get(f"/malang/umkm-market/pesanan/{order['number']}/status")
    assert "hx-trigger" not in fragment.text


def test_a_pickup_order_becomes_ready_for_pickup_not_delivering(client, shop, city_run):
    order = shop.order(fulfilment="pickup")
    shop.as_merchant()
    assert shop.move(order["number"], "confirmed").status_code == 303
    refused = shop.move(order["number"], "delivering")
    assert refused.status_code == 400
    assert "tidak dapat mengambil langkah Kirim untuk diantar" in refused.text
    assert shop.move(order["number"], "ready_for_pickup").status_code == 303
    assert status_of(city_run, order["id"]) == "ready_for_pickup"


@pytest.mark.parametrize("target", ["completed", "delivering", "awaiting_payment", "new", "x"])
def test_illegal_steps_are_refused_with_a_message(client, shop, city_run, target):
    order = shop.order()
    shop.as_merchant()
    refused = shop.move(order["number"], target)
    assert refused.status_code == 400
    assert 'class="error-summary"' in refused.text
    assert status_of(city_run, order["id"]) == "new"
    assert events_of(city_run, order["id"]) == ["new"]


def test_the_merchant_cancels_only_with_a_reason_and_the_stock_comes_back(client, shop, city_run):
    order = shop.order(quantity=3)
    assert stock_of(city_run, shop.rice) == 7
    shop.as_merchant()
    refused = shop.move(order["number"], "cancelled", "  ")
    assert refused.status_code == 400
    assert "Berikan alasan untuk langkah ini." in refused.text
    assert 'aria-invalid="true"' in refused.text
    assert status_of(city_run, order["id"]) == "new"

    assert shop.move(order["number"], "cancelled", "Beras sedang kosong").status_code == 303
    assert status_of(city_run, order["id"]) == "cancelled"
    assert stock_of(city_run, shop.rice) == 10
    again = shop.move(order["number"], "cancelled", "lagi")
    assert again.status_code == 400
    assert stock_of(city_run, shop.rice) == 10  # released once only

    shop.as_buyer()
    page = client.get(f"/malang/umkm-market/pesanan/{order['number']}")
    assert "Alasan: Beras sedang kosong" in page.text


def test_the_buyer_cancels_before_the_merchant_confirms(client, shop, city_run):
    order = shop.order()
    page = client.get(f"/malang/umkm-market/pesanan/{order['number']}")
    assert "/batal" in page.text
    cancelled = shop.post_form(f"/malang/umkm-market/pesanan/{order['number']}/batal", {})
    assert cancelled.status_code == 303
    assert status_of(city_run, order["id"]) == "cancelled"
    assert stock_of(city_run, shop.rice) == 10
    page = client.get(f"/malang/umkm-market/pesanan/{order['number']}")
    assert "Dibatalkan oleh pembeli." in page.text

    second = shop.order()
    shop.as_merchant()
    shop.move(second["number"], "confirmed")
    shop.as_buyer()
    assert "/batal" not in client.get(f"/malang/umkm-market/pesanan/{second['number']}").text
    refused = shop.post_form(f"/malang/umkm-market/pesanan/{second['number']}/batal", {})
    assert refused.status_code == 400
    assert status_of(city_run, second["id"]) == "confirmed"


def test_other_peoples_orders_are_not_found(client, shop, login_as):
    order = shop.order()
    number = order["number"]
    login_as()  # another citizen
    assert client.get(f"/malang/umkm-market/pesanan/{number}").status_code == 404
    assert client.get(f"/malang/umkm-market/pesanan/{number}/status").status_code == 404
    assert shop.post_form(f"/malang/umkm-market/pesanan/{number}/batal", {}).status_code == 404
    never_issued = "UMK-7KQ4-M9TX"  # well-formed, but no such order
    assert client.get(f"/malang/umkm-market/pesanan/{never_issued}").status_code == 404
    assert client.get("/malang/umkm-market/pesanan/nope").status_code == 404
    assert number not in client.get("/malang/umkm-market/pesanan/").text


def test_another_merchants_orders_are_not_found(client, shop, post_form, city_run):
    order = shop.order(product=shop.apple)  # Rini's shop
    shop.as_merchant()  # Sri
    assert order["number"] not in client.get(MERCHANT_ORDERS).text
    assert client.get(f"{MERCHANT_ORDERS}{order['number']}").status_code == 404
    assert shop.move(order["number"], "confirmed").status_code == 404
    assert status_of(city_run, order["id"]) == "new"


def test_a_citizen_without_a_shop_has_no_merchant_order_list(client, login_as):
    login_as()
    assert client.get(MERCHANT_ORDERS).status_code == 403


def test_order_pages_need_a_login(client):
    for path in ("/malang/umkm-market/pesanan/", MERCHANT_ORDERS):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/malang/masuk")


def test_the_move_form_needs_the_csrf_token(client, shop, city_run):
    order = shop.order()
    shop.as_merchant()
    response = client.post(
        f"{MERCHANT_ORDERS}{order['number']}/status", data={"status": "confirmed"}
    )
    assert response.status_code == 403
    assert status_of(city_run, order["id"]) == "new"


def test_a_paid_order_cancelled_by_the_merchant_is_marked_for_refund(
    client, shop, city_run, login_as
):
    order = shop.order(payment="cashless")
    invoice_number = order["location"].rsplit("/", 1)[1]
    pay_with_sandbox_qris(client, shop.post_form, invoice_number)
    assert status_of(city_run, order["id"]) == "new"
    shop.as_merchant()
    assert shop.move(order["number"], "cancelled", "Toko tutup").status_code == 303
    shop.as_buyer()
    page = client.get(f"/malang/umkm-market/pesanan/{order['number']}")
    assert "kantor pembayaran kota mengembalikan dananya" in page.text
    login_as("umkm_market.officer")
    office = client.get(f"/malang/kelola/umkm-market/pesanan/{order['number']}")
    assert "Perlu pengembalian dana" in office.text
    assert f'href="/malang/kelola/bayar/{invoice_number}"' in office.text


# --- officers ---------------------------------------------------------------------------


def test_officers_search_orders(client, shop, login_as, city_run):
    first = shop.order()
    second = shop.order(product=shop.apple, fulfilment="pickup")
    login_as("umkm_market.officer")
    everything = client.get("/malang/kelola/umkm-market/pesanan/")
    assert everything.status_code == 200
    assert first["number"] in everything.text and second["number"] in everything.text
    assert "2 pesanan ditemukan." in everything.text

    by_number = client.get(
        "/malang/kelola/umkm-market/pesanan/", params={"number": first["number"].lower()}
    )
    assert first["number"] in by_number.text and second["number"] not in by_number.text
    by_merchant = client.get("/malang/kelola/umkm-market/pesanan/", params={"merchant": "APEL"})
    assert second["number"] in by_merchant.text and first["number"] not in by_merchant.text
    by_status = client.get("/malang/kelola/umkm-market/pesanan/", params={"status": "cancelled"})
    assert "0 pesanan ditemukan." in by_status.text
    today = first["created_at"].astimezone(ZoneInfo("Asia/Jakarta"))
    by_date = client.get(
        "/malang/kelola/umkm-market/pesanan/",
        params={"date_from": today.date().isoformat(), "date_to": today.date().isoformat()},
    )
    assert first["number"] in by_date.text
    before = client.get("/malang/kelola/umkm-market/pesanan/", params={"date_to": "2020-01-01"})
    assert first["number"] not in before.text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "23-11-2026"}, "Isi tanggal seperti 2026-11-23."),
        (
            {"date_from": "2026-11-23", "date_to": "2026-11-01"},
            "Tanggal akhir sebelum tanggal awal.",
        ),
        ({"status": "lost"}, "Pilih salah satu status."),
    ],
)
def test_bad_search_input_is_explained(client, login_as, params, message):
    login_as("umkm_market.officer")
    response = client.get("/malang/kelola/umkm-market/pesanan/", params=params)
    assert response.status_code == 400
    assert message in response.text
    assert 'aria-invalid="true"' in response.text
    for field in ("date_from", "date_to"):
        if field in params:
            assert f'value="{params[field]}"' in response.text  # kept as typed


def test_opening_an_order_is_audited_and_citizens_are_refused(client, shop, login_as, city_run):
    order = shop.order()
    login_as()
    assert client.get("/malang/kelola/umkm-market/pesanan/").status_code == 403
    officer = login_as("umkm_market.officer")
    page = client.get(f"/malang/kelola/umkm-market/pesanan/{order['number']}")
    assert page.status_code == 200
    assert "081234567890" in page.text

    async def entries():
        return await AuditEntry.select(AuditEntry.action, AuditEntry.actor_id).where(
            AuditEntry.action == "umkm_market.order_viewed"
        )

    assert city_run("malang", entries) == [
        {"action": "umkm_market.order_viewed", "actor_id": officer["id"]}
    ]
    assert client.get("/malang/kelola/umkm-market/pesanan/UMK-AAAA-AAAA").status_code == 404


def test_a_refund_by_the_payments_office_cancels_what_is_still_open(
    client, shop, city_run, balai_app
):
    from balai.payments import ledger

    order = shop.order(payment="cashless", quantity=3)
    invoice_number = order["location"].rsplit("/", 1)[1]
    pay_with_sandbox_qris(client, shop.post_form, invoice_number)
    shop.as_merchant()
    assert shop.move(order["number"], "confirmed").status_code == 303
    assert stock_of(city_run, shop.rice) == 7
    assert today_total(city_run, "umkm_market.sales") == 216000

    async def refund() -> bool:
        invoice = await ledger.invoice_by_number(invoice_number)
        return await ledger.refund(
            invoice, officer_id=1, reason="Toko tutup", registry=balai_app.ui.registry
        )

    assert city_run("malang", refund) is True
    assert status_of(city_run, order["id"]) == "cancelled"
    assert events_of(city_run, order["id"])[-1] == "cancelled"
    assert stock_of(city_run, shop.rice) == 10
    assert today_total(city_run, "umkm_market.sales") == 0  # taken back off the day it counted
    assert today_total(city_run, "umkm_market.orders") == 0
    shop.as_buyer()
    page = client.get(f"/malang/umkm-market/pesanan/{order['number']}")
    assert "Pembayaran telah dikembalikan." in page.text
