"""Heritage tickets on a phone: find a product, buy two tickets, pay by sandbox QRIS, open the
ticket page, and at the gate: admitted once, refused on the second scan.

Runs in headless Chromium at 360 px against a real server, with JavaScript
(the gate page loads its camera and offline script) and without it (every
step is a plain link or form). A site with a product whose slot opens in ten
minutes, a visitor's and a gate officer's accounts are seeded before the
server starts. Screenshots of the key steps are kept in
``test-artifacts/browser/``.
"""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from balai import toolkit as tk
from balai.auth.accounts import create_user
from balai.db.engines import close_engine
from balai.testing import TestDatabases
from balai_wisata_heritage.sites.tables import Site
from balai_wisata_heritage.tickets import setup
from balai_wisata_heritage.tickets.rules import Category, Channel
from journey import Journey

pytestmark = pytest.mark.browser

PASSWORD = "tiket-heritage-2026"
VISITOR = ("Dewi Lestari", "dewi.lestari@contoh.id")
OFFICER = ("Pak Gerbang", "gerbang@contoh.id")
PRODUCT = "Tiket masuk Museum Mpu Purwa"


async def seed_tickets() -> None:
    """The site, its product with one slot soon, the visitor and the gate officer."""
    await create_user(name=VISITOR[0], email=VISITOR[1], password=PASSWORD, verified=True)
    await create_user(
        name=OFFICER[0],
        email=OFFICER[1],
        password=PASSWORD,
        verified=True,
        roles=("wisata_heritage.gate_officer",),
    )
    site = Site(name="Museum Mpu Purwa", description="Arca dan prasasti.", district="Lowokwaru")
    await site.save()
    product = await setup.add_product(
        PRODUCT,
        site_id=site.id,
        prices={Category.ADULT: 5000, Category.CHILD: 3000},
        price_note="Harga contoh, belum diverifikasi.",
    )
    starts = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(minutes=10)
    await setup.add_slot(
        product, starts, starts + timedelta(hours=2), {Channel.ONLINE: 20, Channel.COUNTER: 5}
    )


class SeedingDatabases:
    """The session's test databases, seeding the tickets once a database is prepared."""

    def __init__(self, databases: TestDatabases, city: tk.City) -> None:
        self.databases = databases
        self.city = city

    def prepare(self, database: Any) -> None:
        """Migrate and empty the database as usual, then seed it on a loop of its own."""
        self.databases.prepare(database)

        async def seed() -> None:
            try:
                with tk.city_scope(self.city):
                    await seed_tickets()
            finally:
                await close_engine(database.engine)

        asyncio.run(seed())


@pytest.fixture
def balai_test_databases(balai_test_databases: TestDatabases, journey_config: Any) -> Any:
    """The live server's database, with the tickets seeded before it starts."""
    return SeedingDatabases(balai_test_databases, journey_config.cities["malang"])


class Visitor(Journey):
    """The tickets' steps."""

    def log_in(self, email: str) -> None:
        """Open the login page and log in."""
        self.page.goto(f"{self.base_url}/malang/masuk")
        form = self.page.locator('main form[action$="/malang/masuk"]')
        form.locator('input[name="login"]').fill(email)
        form.locator('input[name="password"]').fill(PASSWORD)
        self.submit(form)

    def log_out(self) -> None:
        """Log out with the header's form."""
        self.header.locator('form[action$="/keluar"] button[type="submit"]').click()
        self.url_is("/malang/")

    def fits_the_phone(self, what: str) -> None:
        """The page does not scroll sideways at 360 px."""
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= self.page.viewport_size["width"], f"{what} scrolls sideways on a phone"

    def scan(self, code: str) -> None:
        """Type a ticket code into the gate form and check it."""
        form = self.main.locator("form#gate-form")
        form.locator('input[name="kode"]').fill(code)
        self.submit(form)


@pytest.mark.parametrize("phone_page", [True, False], ids=["js", "no-js"], indirect=True)
def test_buy_two_tickets_pay_by_qris_and_pass_the_gate_once(
    phone_page: Any, live_server: str, artifacts_dir: Path, request: pytest.FixtureRequest
) -> None:
    visitor = Visitor(phone_page, live_server, artifacts_dir, f"tickets-{request.node.callspec.id}")
    page, expect, main = visitor.page, visitor.expect, visitor.main

    # Find the product among the city's tickets.
    visitor.log_in(VISITOR[1])
    page.goto(f"{live_server}/malang/wisata-heritage/tiket/")
    main.get_by_role("link", name=PRODUCT).click()
    expect(page.locator("h1")).to_contain_text(PRODUCT)
    expect(main).to_contain_text("20 tempat tersisa")
    visitor.fits_the_phone("the product page")
    visitor.shot("product")

    # Two adult tickets for the slot: one invoice.
    form = main.locator('form[action$="/beli"]')
    form.locator('input[name="slot"]').first.check()
    form.locator('input[name="qty_adult"]').fill("2")
    visitor.submit(form)
    expect(page).to_have_url(re.compile(r"/malang/bayar/INV-[A-Z0-9-]+$"))
    expect(main).to_contain_text("Rp10.000")
    visitor.shot("invoice")

    # Pay with QRIS in the sandbox bank.
    pay_form = main.locator('form[action$="/mulai"]')
    pay_form.locator('input[name="method"][value="qris"]').check()
    visitor.submit(pay_form)
    main.locator('a[href*="/sandbox-bank/"]').click()
    visitor.submit(page.locator('main form[action$="/pay"]'))

    # The tickets are under "My tickets"; the ticket page shows both QR codes.
    page.goto(f"{live_server}/malang/wisata-heritage/tiket/saya")
    main.locator('a[href*="/wisata-heritage/tiket/pesanan/WHO-"]').first.click()
    expect(main.locator("svg.qr-code")).to_have_count(2)
    codes = [c.strip() for c in main.locator(".ticket-code").all_inner_texts()]
    assert len(codes) == 2 and all(c.startswith("WHT-") for c in codes)
    visitor.fits_the_phone("the ticket page")
    visitor.shot("tickets")
    visitor.log_out()

    # At the gate: the first scan admits, the second is refused with when and where.
    visitor.log_in(OFFICER[1])
    page.goto(f"{live_server}/malang/kelola/wisata-heritage/gerbang")
    visitor.scan(codes[0])
    expect(main.locator(".gate-answer.gate-admitted")).to_contain_text("BOLEH MASUK")
    visitor.fits_the_phone("the gate's answer")
    visitor.shot("admitted")
    visitor.scan(codes[0])
    refused = main.locator(".gate-answer.gate-refused")
    expect(refused).to_contain_text("DITOLAK")
    expect(refused).to_contain_text("Sudah dipakai pukul")
    visitor.shot("refused")

    assert page.balai_errors == [], "the browser reported errors:\n" + "\n".join(page.balai_errors)
