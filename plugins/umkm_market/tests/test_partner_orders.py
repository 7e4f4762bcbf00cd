"""Delivery partners' orders enter the market's order flow (channel ``partner``).

Placed over the signed partner API: stock reserved all-or-nothing, one
order per partner reference, in the merchant's queue marked as a partner
order, moved by the market's workflow; the partner reads its status and
may cancel until the merchant accepts. Every bad request is refused with a
SNAP-style code and writes nothing. Concurrent orders never oversell (run
on SQLite and, with ``BALAI_TEST_DATABASE_URL``, PostgreSQL).
"""

from __future__ import annotations

import asyncio

import pytest
from balai import toolkit as tk
from balai.partners import partner_side
from balai_umkm_market import partner_channel
from balai_umkm_market.tables import Order, OrderItem, PartnerOrderLink, Product
from umkm_partner_support import (
    add_partner,
    add_product,
    add_shop,
    code,
    order_body,
    post,
    token,
)

ORDER = partner_side.ORDER_PATH
STATUS = partner_side.ORDER_STATUS_PATH
CANCEL = partner_side.ORDER_CANCEL_PATH


@pytest.fixture
def balai_cities():
    return {"malang": ["umkm_market"], "semarang": ["umkm_market"]}


@pytest.fixture
def partner(balai_app, city_run, client):
    keys = add_partner(balai_app, city_run)
    return keys, token(client, keys)


def _stock(city_run, product: int, city: str = "malang") -> int:
    async def read() -> int:
        return (await Product.select(Product.stock).where(Product.id == product).first())["stock"]

    return city_run(city, read)


def _written(city_run, city: str = "malang") -> tuple[int, int, int]:
    async def read() -> tuple[int, int, int]:
        return await Order.count(), await OrderItem.count(), await PartnerOrderLink.count()

    return city_run(city, read)


def test_an_order_reserves_stock_once_and_reaches_the_merchants_queue_marked_partner(
    client, city_run, partner, login_as
):
    keys, access = partner
    owner = login_as(name="Sri Wahyuni")
    shop = add_shop(city_run, owner_id=owner["id"])
    pecel = add_product(city_run, shop, "Nasi Pecel", price=15_000, stock=10)
    rawon = add_product(city_run, shop, "Rawon", price=25_000, stock=3)
    body = order_body(
        f"umkm_market:{shop}",
        [(f"umkm_market:{pecel}", 2, 15_000), (f"umkm_market:{rawon}", 1, 25_000)],
    )
    answer = post(client, keys, access, ORDER, body)
    assert answer.status_code == 200, answer.text
    assert code(answer) == "2006200"
    order = answer.json()["order"]
    assert order["status"] == "new" and order["accepted"] is False
    assert order["totalAmount"] == 55_000 and order["partnerReferenceNo"] == "ORD-1"
    again = post(client, keys, access, ORDER, body)  # a retry: the same order, no more stock
    assert again.status_code == 200 and again.json()["order"]["orderNo"] == order["orderNo"]
    assert _stock(city_run, pecel) == 8 and _stock(city_run, rawon) == 2
    assert _written(city_run) == (1, 2, 1)
    queue = client.get("/malang/umkm-market/penjual/pesanan/")
    assert order["orderNo"] in queue.text
    assert "Delivery partner" in queue.text or "Mitra pengantaran" in queue.text
    detail = client.get(f"/malang/umkm-market/penjual/pesanan/{order['orderNo']}")
    assert detail.status_code == 200 and "Budi Santoso" in detail.text

    async def channel() -> dict:
        return await Order.select(Order.channel, Order.payment_method, Order.invoice_number).first()

    assert city_run("malang", channel) == {
        "channel": "partner",
        "payment_method": "partner",
        "invoice_number": "",  # the partner settles: no ledger invoice to anyone
    }
    login_as("umkm_market.officer")  # the market office's list names the channel too
    office = client.get("/malang/kelola/umkm-market/pesanan/")
    assert order["orderNo"] in office.text and "Mitra pengantaran" in office.text


def test_bad_orders_are_refused_with_a_snap_code_and_nothing_written(client, city_run, partner):
    keys, access = partner
    shop = add_shop(city_run)
    quiet = add_shop(city_run, "Toko Tidak Ikut", publishes=False)
    pecel = add_product(city_run, shop, price=15_000, stock=2)
    hidden_shop_product = add_product(city_run, quiet, "Kopi", price=9_000)
    semarang_shop = add_shop(city_run, "Lunpia", city="semarang")
    semarang_product = add_product(city_run, semarang_shop, "Lunpia", city="semarang")
    m, p = f"umkm_market:{shop}", f"umkm_market:{pecel}"
    cases = {
        "4046212": order_body(m, [("umkm_market:999999", 1, 15_000)]),
        "4046208": order_body(
            f"umkm_market:{quiet}", [(f"umkm_market:{hidden_shop_product}", 1, 9_000)]
        ),
        "4096201": order_body(m, [(p, 3, 15_000)]),  # 2 left
        "4006201": order_body(m, [(p, 0, 15_000)]),
    }
    cases["4046208 (another city's merchant)"] = order_body(
        f"umkm_market:{semarang_shop}", [(f"umkm_market:{semarang_product}", 1, 15_000)]
    )
    for expected, body in cases.items():
        answer = post(client, keys, access, ORDER, {**body, "partnerReferenceNo": "BAD-1"})
        assert code(answer) == expected.split()[0], (expected, answer.text)
    too_many = order_body(m, [(p, 100, 15_000)])
    assert code(post(client, keys, access, ORDER, too_many)) == "4006201"
    twice = order_body(m, [(p, 1, 15_000), (p, 1, 15_000)])
    assert code(post(client, keys, access, ORDER, twice)) == "4006201"
    no_phone = order_body(m, [(p, 1, 15_000)])
    no_phone["customer"] = {"name": "Budi", "address": "Jl. Ijen 9"}
    assert code(post(client, keys, access, ORDER, no_phone)) == "4006202"
    repriced = post(client, keys, access, ORDER, order_body(m, [(p, 1, 14_000)]))
    assert repriced.status_code == 409 and code(repriced) == "4096202"
    assert repriced.json()["currentPrice"] == 15_000 and repriced.json()["productId"] == p
    assert _written(city_run) == (0, 0, 0) and _stock(city_run, pecel) == 2
    assert _written(city_run, "semarang") == (0, 0, 0)
    placed = post(client, keys, access, ORDER, order_body(m, [(p, 1, 15_000)], "R-9"))
    assert placed.status_code == 200
    other = post(client, keys, access, ORDER, order_body(m, [(p, 2, 15_000)], "R-9"))
    assert code(other) == "4096204"  # the reference names another order
    assert _stock(city_run, pecel) == 1


def test_the_partner_reads_and_cancels_until_the_merchant_accepts(
    client, city_run, partner, login_as, post_form
):
    keys, access = partner
    owner = login_as(name="Sri Wahyuni")
    shop = add_shop(city_run, owner_id=owner["id"])
    pecel = add_product(city_run, shop, price=15_000, stock=5)
    m, p = f"umkm_market:{shop}", f"umkm_market:{pecel}"
    assert (
        post(client, keys, access, ORDER, order_body(m, [(p, 2, 15_000)], "A-1")).status_code == 200
    )
    first = post(client, keys, access, STATUS, {"partnerReferenceNo": "A-1"})
    assert first.status_code == 200 and first.json()["order"]["status"] == "new"
    cancelled = post(client, keys, access, CANCEL, {"partnerReferenceNo": "A-1"})
    assert cancelled.status_code == 200 and cancelled.json()["order"]["status"] == "cancelled"
    assert _stock(city_run, pecel) == 5
    placed = post(client, keys, access, ORDER, order_body(m, [(p, 1, 15_000)], "A-2")).json()
    number = placed["order"]["orderNo"]
    accepted = post_form(
        f"/malang/umkm-market/penjual/pesanan/{number}/status",
        {"status": "confirmed", "reason": ""},
    )
    assert accepted.status_code == 303
    state = post(client, keys, access, STATUS, {"partnerReferenceNo": "A-2"}).json()["order"]
    assert state["status"] == "confirmed" and state["accepted"] is True
    late = post(client, keys, access, CANCEL, {"partnerReferenceNo": "A-2"})
    assert late.status_code == 409 and code(late) == "4096403"
    assert _stock(city_run, pecel) == 4
    ready = post_form(
        f"/malang/umkm-market/penjual/pesanan/{number}/status",
        {"status": "ready_for_pickup", "reason": ""},
    )
    assert ready.status_code == 303  # the partner's courier collects at the shop
    unknown = post(client, keys, access, STATUS, {"partnerReferenceNo": "NOPE"})
    assert unknown.status_code == 404 and code(unknown) == "4046301"


def test_another_partners_reference_is_not_found(balai_app, client, city_run, partner):
    keys, access = partner
    shop = add_shop(city_run)
    p = add_product(city_run, shop, price=15_000)
    body = order_body(f"umkm_market:{shop}", [(f"umkm_market:{p}", 1, 15_000)], "MINE-1")
    assert post(client, keys, access, ORDER, body).status_code == 200
    rival = add_partner(balai_app, city_run)
    rival_access = token(client, rival)
    assert (
        post(client, rival, rival_access, STATUS, {"partnerReferenceNo": "MINE-1"}).status_code
        == 404
    )
    assert (
        post(client, rival, rival_access, CANCEL, {"partnerReferenceNo": "MINE-1"}).status_code
        == 404
    )


def test_concurrent_partner_orders_never_sell_more_than_the_stock(balai_app, city_run):
    shop = add_shop(city_run)
    product = add_product(city_run, shop, price=15_000, stock=5)

    def order(n: int) -> tk.PartnerOrder:
        return tk.PartnerOrder(
            partner_id=1,
            partner_name="Antar Cepat",
            reference=f"RACE-{n}",
            merchant_ref=shop,
            lines=(tk.PartnerOrderLine(product, 1, 15_000),),
            customer_name="Budi",
            customer_phone="081234567890",
            address="Jl. Ijen 9",
        )

    async def race() -> list[object]:
        attempts = [partner_channel.place_order(order(n)) for n in range(12)]
        attempts += [partner_channel.place_order(order(0)) for _ in range(3)]  # duplicates
        return await asyncio.gather(*attempts, return_exceptions=True)

    results = city_run("malang", race)
    placed = {r.reference for r in results if isinstance(r, tk.PartnerOrderState)}
    refused = [r for r in results if isinstance(r, tk.PartnerOrderRefused)]
    unexpected = [
        r for r in results if not isinstance(r, tk.PartnerOrderState | tk.PartnerOrderRefused)
    ]
    assert not unexpected, unexpected
    assert len(placed) == 5 and all(r.reason == "out_of_stock" for r in refused)
    assert _stock(city_run, product) == 0
    assert _written(city_run) == (5, 5, 5)
