"""The market in a citizen's copy of their data, and what erasing the account leaves."""

from __future__ import annotations

from balai_umkm_market.tables import Order
from umkm_order_support import NOW, add_shop


def add_order(city_run, buyer_id: int, shop_id: int) -> None:
    async def insert():
        await Order.insert(
            Order(
                number="UMK-TEST-1",
                checkout_ref="c1",
                buyer_id=buyer_id,
                buyer_name="Siti Rahayu",
                buyer_phone="081234567890",
                merchant=shop_id,
                address="Jl. Ijen No. 30",
                total=152_000,
                invoice_number="",
                cancel_reason="",
                buyer_department="",
                created_at=NOW,
                updated_at=NOW,
            )
        )

    city_run("malang", insert)


def test_orders_and_shops_are_in_the_copy_and_kept(client, login_as, city_run):
    buyer = login_as(name="Siti Rahayu")
    shop = add_shop(city_run, owner_id=buyer["id"])
    add_order(city_run, buyer["id"], shop)
    sections = {s["source"]: s for s in client.get("/malang/akun/data.json").json()["sections"]}
    orders = sections["Pesanan pasar UMKM"]
    assert orders["records"][0]["Alamat"] == "Jl. Ijen No. 30" and orders["kept_on_erasure"]
    assert sections["Toko yang Anda kelola"]["records"][0]["NIB"] == "1234567890123"


def test_erasing_the_account_removes_the_buyer_from_orders(client, login_as, city_run, balai_app):
    buyer = login_as(name="Siti Rahayu")
    shop = add_shop(city_run, owner_id=buyer["id"])
    add_order(city_run, buyer["id"], shop)
    city = balai_app.ui.config.cities["malang"]
    city_run(
        "malang",
        lambda: balai_app.ui.registry.gather(city, "user_deleted", city=city, user_id=buyer["id"]),
    )
    [order] = city_run(
        "malang",
        lambda: Order.select(Order.buyer_name, Order.buyer_phone, Order.address, Order.total),
    )
    assert order == {
        "buyer_name": f"#{buyer['id']}",
        "buyer_phone": "",
        "address": "",
        "total": 152_000,
    }
