"""Helpers of the cart, checkout and order tests (this module holds no tests)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from balai import toolkit as tk
from balai.auth.accounts import create_user
from balai.dashboard.metrics import metric_total
from balai.dashboard.period import Period
from balai.notifications.tables import OutboxMessage
from balai_umkm_market.orders.states import ORDERS
from balai_umkm_market.tables import (
    AsnProfile,
    CartItem,
    Merchant,
    MerchantStatus,
    Order,
    Product,
)

NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


def add_shop(
    city_run: Any,
    name: str = "Toko Sembako Bu Sri",
    *,
    city: str = "malang",
    owner_id: int | None = None,
    status: MerchantStatus = MerchantStatus.VERIFIED,
    delivery_fee: int = 8000,
    offers_delivery: bool = True,
    offers_pickup: bool = True,
) -> int:
    """A merchant in ``city``; returns its id."""

    async def insert() -> int:
        row = Merchant(
            name=name,
            owner_name="Sri Wahyuni",
            owner_user_id=owner_id,
            nib="1234567890123",
            phone="081234567890",
            address="Jl. Kawi No. 5, Klojen",
            district="Klojen",
            status=status.value,
            delivery_fee=delivery_fee,
            offers_delivery=offers_delivery,
            offers_pickup=offers_pickup,
            created_at=NOW,
        )
        await row.save()
        return row.id

    return city_run(city, insert)


def add_product(
    city_run: Any,
    merchant_id: int,
    name: str = "Beras Pandan Wangi 5 kg",
    *,
    city: str = "malang",
    price: int = 72000,
    stock: int = 10,
    unit: str = "karung",
    category: str = "sembako",
    active: bool = True,
) -> int:
    """A product of ``merchant_id``; returns its id."""

    async def insert() -> int:
        row = Product(
            merchant=merchant_id,
            name=name,
            description="Beras pulen dari petani Malang.",
            category=category,
            price=price,
            unit=unit,
            stock=stock,
            is_active=active,
            created_at=NOW,
            updated_at=NOW,
        )
        await row.save()
        return row.id

    return city_run(city, insert)


def new_user(city_run: Any, name: str = "Budi Santoso", city: str = "malang") -> int:
    """An account created directly (not logged in); returns its id."""
    counter = new_user.__dict__.setdefault("n", [0])
    counter[0] += 1
    email = f"pembeli{counter[0]}@contoh.id"
    return city_run(
        city, lambda: create_user(name=name, password="rahasia-123456", email=email, verified=True)
    )


def mark_asn(city_run: Any, user_id: int, department: str = "Dinas Pendidikan") -> None:
    """Mark the account as a civil servant (ASN) of ``department``."""

    async def insert() -> None:
        await AsnProfile.insert(
            AsnProfile(
                user_id=user_id, nip="198503302010011002", department=department, created_at=NOW
            )
        )

    city_run("malang", insert)


def stock_of(city_run: Any, product_id: int, city: str = "malang") -> int:
    """The product's available stock as stored."""

    async def read() -> int:
        row = await Product.select(Product.stock).where(Product.id == product_id).first()
        return row["stock"]

    return city_run(city, read)


def set_stock(city_run: Any, product_id: int, value: int) -> None:
    """Change a product's stock behind the buyer's back."""

    async def write() -> None:
        await Product.update({Product.stock: value}).where(Product.id == product_id)

    city_run("malang", write)


def orders_of(city_run: Any, buyer_id: int | None = None) -> list[dict[str, Any]]:
    """Orders (of ``buyer_id``, or all), oldest first."""

    async def read() -> list[dict[str, Any]]:
        query = Order.select().order_by(Order.id)
        if buyer_id is not None:
            query = query.where(Order.buyer_id == buyer_id)
        return await query

    return city_run("malang", read)


def events_of(city_run: Any, order_id: int) -> list[str]:
    """The statuses in an order's history, in order."""

    async def read() -> list[str]:
        return [step["to_state"] for step in await ORDERS.history(order_id)]

    return city_run("malang", read)


def cart_quantities(city_run: Any) -> dict[int, int]:
    """Every cart item of Malang: product id → quantity (summed over carts)."""

    async def read() -> dict[int, int]:
        found: dict[int, int] = {}
        for row in await CartItem.select(CartItem.product, CartItem.quantity):
            found[row["product"]] = found.get(row["product"], 0) + row["quantity"]
        return found

    return city_run("malang", read)


def outbox_bodies(city_run: Any, user_id: int, kind: str) -> list[str]:
    """The bodies of the ``kind`` notifications queued for ``user_id``."""

    async def read() -> list[str]:
        rows = await OutboxMessage.select(OutboxMessage.body).where(
            (OutboxMessage.user_id == user_id) & (OutboxMessage.kind == kind)
        )
        return [row["body"] for row in rows]

    return city_run("malang", read)


def outbox_kinds(city_run: Any, user_id: int) -> list[str]:
    """The notification kinds queued for ``user_id``."""

    async def read() -> list[str]:
        rows = await OutboxMessage.select(OutboxMessage.kind).where(
            OutboxMessage.user_id == user_id
        )
        return [row["kind"] for row in rows]

    return city_run("malang", read)


def outbox_subjects(city_run: Any, user_id: int) -> list[str]:
    """The subjects of the notifications queued for ``user_id``."""

    async def read() -> list[str]:
        rows = await OutboxMessage.select(OutboxMessage.subject).where(
            OutboxMessage.user_id == user_id
        )
        return [row["subject"] for row in rows]

    return city_run("malang", read)


def add_to_cart(post_form: Any, product_id: int, quantity: Any = 1) -> Any:
    """Post the product page's add-to-cart form."""
    return post_form(
        "/malang/umkm-market/keranjang/tambah", {"product_id": product_id, "quantity": quantity}
    )


def checkout(post_form: Any, data: dict[str, Any]) -> Any:
    """Post the checkout form."""
    return post_form("/malang/umkm-market/checkout", data)


_SANDBOX = re.compile(r'href="([^"]*sandbox-bank/[^"]+)"')


def pay_with_sandbox_qris(client: Any, post_form: Any, invoice_number: str) -> None:
    """Choose QRIS on the invoice page and let the sandbox bank pay it."""
    started = post_form(f"/malang/bayar/{invoice_number}/mulai", {"method": "qris"})
    assert started.status_code == 303, started.text
    page = client.get(started.headers["location"])
    found = _SANDBOX.search(page.text)
    assert found, "no sandbox bank link on the invoice page"
    paid = post_form(f"{found.group(1)}/pay", {})
    assert paid.status_code == 303


def today_total(city_run: Any, metric: str) -> int:
    """A dashboard metric's value for today in Malang."""

    async def read() -> int:
        day = datetime.now(UTC).astimezone(tk.current_city().tz).date()
        return await metric_total(metric, Period(day, day))

    return city_run("malang", read)
