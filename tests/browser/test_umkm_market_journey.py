"""Buying from a local business on a phone: search, cart, login, sandbox QRIS, order, review.

Runs in headless Chromium against a real server (see ``conftest.py``), with
JavaScript (the order page then updates itself) and without it (every step
is a plain link or form). The market is seeded before the server starts: a
verified shop whose owner has an account, its products, and a buyer's
account. Elements are found by form action, field name and link target;
the wording is checked where it is what the user reads. Screenshots of the
key steps are kept in ``test-artifacts/browser/``.
"""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from balai import toolkit as tk
from balai.auth.accounts import create_user
from balai.db.engines import close_engine
from balai.testing import TestDatabases
from balai_umkm_market.tables import Merchant, MerchantStatus, Product
from journey import Journey

pytestmark = pytest.mark.browser

PASSWORD = "belanja-lokal-2026"
BUYER = ("Siti Rahayu", "siti.rahayu@contoh.id")
SELLER = ("Sri Wahyuni", "sri.wahyuni@contoh.id")
SHOP = "Toko Sembako Bu Sri"
RICE = "Beras Pandan Wangi 5 kg"


async def seed_market() -> None:
    """The shop, its owner's and a buyer's accounts, and two products (in Malang's scope)."""
    now = datetime.now(UTC)
    await create_user(name=BUYER[0], email=BUYER[1], password=PASSWORD, verified=True)
    owner = await create_user(name=SELLER[0], email=SELLER[1], password=PASSWORD, verified=True)
    shop = Merchant(
        name=SHOP,
        owner_name=SELLER[0],
        owner_user_id=owner,
        nib="9120001234567",
        phone="081234567890",
        address="Jl. Kawi No. 5, Klojen",
        district="Klojen",
        status=MerchantStatus.VERIFIED.value,
        delivery_fee=8000,
        offers_delivery=True,
        offers_pickup=True,
        created_at=now,
    )
    await shop.save()
    for name, price, unit in ((RICE, 72000, "karung"), ("Minyak Goreng 2 liter", 38000, "botol")):
        await Product.insert(
            Product(
                merchant=shop.id,
                name=name,
                description="Dari petani dan pabrik lokal Malang.",
                category="sembako",
                price=price,
                unit=unit,
                stock=10,
                is_active=True,
                created_at=now,
                updated_at=now,
            )
        )


class SeedingDatabases:
    """The session's test databases, seeding the market once a database is prepared."""

    def __init__(self, databases: TestDatabases, city: tk.City) -> None:
        self.databases = databases
        self.city = city

    def prepare(self, database: Any) -> None:
        """Migrate and empty the database as usual, then seed it on a loop of its own."""
        self.databases.prepare(database)

        async def seed() -> None:
            try:
                with tk.city_scope(self.city):
                    await seed_market()
            finally:
                await close_engine(database.engine)

        asyncio.run(seed())


@pytest.fixture
def balai_test_databases(balai_test_databases: TestDatabases, journey_config: Any) -> Any:
    """The live server's database, with the market seeded before it starts."""
    return SeedingDatabases(balai_test_databases, journey_config.cities["malang"])


class Shopper(Journey):
    """The market's steps: logging in on the page the shopper is on."""

    def log_in(self, email: str) -> None:
        """Fill the login form the page is on."""
        form = self.page.locator('main form[action$="/malang/masuk"]')
        form.locator('input[name="login"]').fill(email)
        form.locator('input[name="password"]').fill(PASSWORD)
        self.submit(form)

    def log_out(self) -> None:
        """Log out with the header's form."""
        self.page.get_by_role("banner").locator(
            'form[action$="/keluar"] button[type="submit"]'
        ).click()
        self.url_is("/malang/")

    def merchant_step(self, status: str) -> None:
        """Press the merchant's button that moves the order to ``status``."""
        form = self.main.locator(f'form:has(input[name="status"][value="{status}"])')
        self.submit(form)


@pytest.mark.parametrize("phone_page", [True, False], ids=["js", "no-js"], indirect=True)
def test_search_cart_checkout_pay_deliver_review(
    phone_page: Any, live_server: str, artifacts_dir: Path, request: pytest.FixtureRequest
) -> None:
    shopper = Shopper(phone_page, live_server, artifacts_dir, f"umkm-{request.node.callspec.id}")
    page, expect, main = shopper.page, shopper.expect, shopper.main

    # Search the catalogue and open the product.
    page.goto(f"{live_server}/malang/umkm-market/produk/")
    search = main.locator('form[role="search"]')
    search.locator('input[name="q"]').fill("beras")
    shopper.submit(search)
    expect(main).to_contain_text(RICE)
    expect(main).not_to_contain_text("Minyak Goreng")
    shopper.shot("search")
    main.get_by_role("link", name=RICE).first.click()
    expect(page.locator("h1")).to_contain_text(RICE)

    # Add two sacks to the cart, anonymously.
    cart_form = main.locator('form[action$="/umkm-market/keranjang/tambah"]')
    cart_form.locator('input[name="quantity"]').fill("2")
    shopper.shot("product")
    shopper.submit(cart_form)
    shopper.url_is("/malang/umkm-market/keranjang")
    expect(main).to_contain_text(SHOP)
    expect(main).to_contain_text("Rp144.000")
    shopper.shot("cart")

    # Checking out asks for a login, then comes back with the same cart.
    main.locator('a[href="/malang/umkm-market/checkout"]').click()
    shopper.url_is("/malang/masuk")
    shopper.log_in(BUYER[1])
    shopper.url_is("/malang/umkm-market/checkout")
    expect(main).to_contain_text(RICE)

    # Delivery to an address, paid cashless: one invoice.
    form = main.locator('form[action$="/umkm-market/checkout"]')
    form.locator('input[value="delivery"]').check()
    form.locator('textarea[name="address"]').fill("Jl. Ijen No. 30, RT 02/RW 05, Oro-oro Dowo")
    form.locator('input[name="phone"]').fill("0812 3456 7890")
    form.locator('input[name="payment"][value="cashless"]').check()
    shopper.shot("checkout")
    shopper.submit(form)
    expect(page).to_have_url(re.compile(r"/malang/bayar/INV-[A-Z0-9-]+$"))
    expect(main).to_contain_text("Rp152.000")  # 2 × 72.000 + 8.000 delivery
    invoice_url = page.url
    # Without scripts the page says how to see the bank's answer (a reload link); with
    # them, htmx has already asked for the status and the page updates by itself.
    status = main.locator("#invoice-status")
    if request.node.callspec.id == "no-js":
        reload = status.locator("a.payment-reload")
        expect(reload).to_have_attribute("href", invoice_url.removeprefix(live_server))
        expect(status).not_to_contain_text("diperbarui otomatis")
    else:
        expect(status).to_contain_text("diperbarui otomatis")
    shopper.shot("invoice")

    # Pay with QRIS and play the bank's part in the sandbox.
    pay_form = main.locator('form[action$="/mulai"]')
    expect(pay_form).to_contain_text("Tunai saat barang diterima")  # goods: cash on delivery
    expect(pay_form).not_to_contain_text("di loket")
    pay_form.locator('input[name="method"][value="qris"]').check()
    shopper.submit(pay_form)
    expect(main.locator("svg").first).to_be_visible()
    shopper.shot("qris")
    main.locator('a[href*="/sandbox-bank/"]').click()
    shopper.submit(page.locator('main form[action$="/pay"]'))
    page.goto(invoice_url)
    expect(main.locator("#invoice-status")).to_contain_text("Lunas")

    # The order is paid and new; the buyer's history lists it.
    page.goto(f"{live_server}/malang/umkm-market/pesanan/")
    order_link = main.locator('a[href^="/malang/umkm-market/pesanan/UMK-"]').first
    number = order_link.inner_text().strip()
    order_link.click()
    status = main.locator("#order-status")
    expect(status).to_contain_text("Baru")
    expect(status).to_contain_text("Dibayar melalui tagihan pembayaran kota")
    shopper.shot("order-paid")
    shopper.log_out()

    # The seller confirms, delivers and completes the order.
    page.goto(f"{live_server}/malang/masuk")
    shopper.log_in(SELLER[1])
    page.goto(f"{live_server}/malang/umkm-market/penjual/pesanan/")
    expect(main).to_contain_text(BUYER[0])
    main.locator(f'a[href="/malang/umkm-market/penjual/pesanan/{number}"]').click()
    expect(main).to_contain_text("Jl. Ijen No. 30")
    for step, label in (
        ("confirmed", "Dikonfirmasi penjual"),
        ("delivering", "Sedang diantar"),
        ("completed", "Selesai"),
    ):
        shopper.merchant_step(step)
        expect(main.locator("#order-status")).to_contain_text(label)
    shopper.shot("merchant-completed")
    shopper.log_out()

    # The buyer sees the completed order and reviews the rice.
    page.goto(f"{live_server}/malang/masuk")
    shopper.log_in(BUYER[1])
    page.goto(f"{live_server}/malang/umkm-market/pesanan/{number}")
    expect(main.locator("#order-status")).to_contain_text("Selesai")
    expect(main.locator("#order-status")).not_to_have_attribute("hx-trigger", re.compile("."))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], "the order page scrolls sideways on a phone"
    main.locator('a[href*="/umkm-market/ulasan/baru/"]').click()
    review = main.locator('form[action*="/umkm-market/ulasan/baru/"]')
    review.locator('input[name="rating"][value="5"]').check()
    review.locator('textarea[name="text"]').fill("Berasnya pulen, diantar tepat waktu.")
    shopper.shot("review")
    shopper.submit(review)
    expect(page.locator(".flash-region")).to_be_visible()
    expect(page.get_by_text("Berasnya pulen, diantar tepat waktu.")).to_be_visible()
    final = shopper.shot("reviewed")
    assert final.stat().st_size > 0

    assert page.balai_errors == [], "the browser reported errors:\n" + "\n".join(page.balai_errors)
