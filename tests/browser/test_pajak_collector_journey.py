"""A market collector takes a stall's fee in cash on a phone: log in → market → stall → receipt.

Runs in headless Chromium against a real server (see ``conftest.py``), once
with JavaScript and once without. The city has one market with three stalls,
this month's bills and a collector account; the collector opens the
collectors' page, picks the market, finds stall A-02 by its number, checks the
holder and amount, confirms the cash and reads the receipt number out; the
bill is then gone from the market's list and its page shows it paid.
Screenshots are kept in ``test-artifacts/browser/``.
"""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.browser

EMAIL = "juru.pungut@contoh.id"
PASSWORD = "pasar-oro-oro-dowo-2026"
STALLS = (
    ("A-01", "Bu Sri Wahyuni", 45_000),
    ("A-02", "Pak Slamet", 75_000),
    ("A-03", "Bu Endang", 60_000),
)


@pytest.fixture
def market(live_server: str, journey_config: Any, balai_database_url: str) -> dict[str, Any]:
    """The market, its stalls and bills, and the collector's account, written by a second app."""
    from balai.auth.accounts import create_user
    from balai.tenants import city_scope
    from balai.web.app import create_app
    from balai_pajak.months import Month
    from balai_pajak.retribusi.billing import generate_bills
    from balai_pajak.retribusi.tables import Market, Stall

    app = create_app(replace(journey_config, database_url=balai_database_url))

    async def seed() -> dict[str, Any]:
        await app.ui.database.open()
        try:
            with city_scope(app.ui.config.cities["malang"]):
                row = Market(
                    name="Pasar Oro-Oro Dowo", district="Klojen", created_at=datetime.now(UTC)
                )
                await row.save()
                for number, holder, fee in STALLS:
                    await Stall(
                        market=row.id,
                        number=number,
                        size_m2=6,
                        holder_name=holder,
                        monthly_fee=fee,
                        created_at=datetime.now(UTC),
                    ).save()
                await generate_bills(Month.of(datetime.now(ZoneInfo("Asia/Jakarta")).date()))
                await create_user(
                    name="Juru Pungut", password=PASSWORD, email=EMAIL, roles=("pajak.collector",)
                )
                return {"id": row.id}
        finally:
            await app.ui.database.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, seed()).result()


@pytest.mark.parametrize("phone_page", [True, False], ids=["js", "no-js"], indirect=True)
def test_a_collector_takes_cash_and_gives_the_receipt_number(
    market: dict[str, Any],
    phone_page: Any,
    live_server: str,
    artifacts_dir: Path,
    request: pytest.FixtureRequest,
) -> None:
    from playwright.sync_api import expect

    page = phone_page
    prefix = request.node.callspec.id
    main = page.get_by_role("main")

    def shot(name: str) -> None:
        page.screenshot(
            path=str(artifacts_dir / f"pajak-collector-{prefix}-{name}.png"), full_page=True
        )

    # 1. Log in; the collectors' page lists the markets.
    page.goto(f"{live_server}/malang/masuk?next=/malang/kelola/pajak/pungut/")
    login = main.locator('form[action$="/malang/masuk"]')
    login.locator('input[name="login"]').fill(EMAIL)
    login.locator('input[name="password"]').fill(PASSWORD)
    login.locator('button[type="submit"]').click()
    expect(page).to_have_url(re.compile(r"/malang/kelola/pajak/pungut/$"))
    main.get_by_role("link", name="Pasar Oro-Oro Dowo").click()
    shot("01-market")

    # 2. Find stall A-02 by its number.
    expect(main.locator(".result")).to_have_count(3)
    search = main.locator('form[role="search"]')
    search.locator('input[name="kios"]').fill("A-02")
    search.locator('button[type="submit"]').click()
    expect(main.locator(".result")).to_have_count(1)
    expect(main.locator(".result")).to_contain_text("Pak Slamet")
    main.locator(".result a").click()

    # 3. Check holder and amount, confirm the cash.
    expect(main).to_contain_text("Pak Slamet")
    expect(main).to_contain_text("Rp75.000")
    shot("02-bill")
    bill_url = page.url
    main.get_by_role(
        "button", name=re.compile("Tunai diterima|Pembayaran tunai diterima|Rp75.000")
    ).click()

    # 4. The receipt number to read out; the stall is no longer in the list.
    expect(page).to_have_url(re.compile(r"/malang/kelola/pajak/pungut/kuitansi/\d+$"))
    expect(main).to_contain_text(re.compile(r"RTB-\d{4}-\d{7}"))
    expect(main).to_contain_text("Rp75.000")
    shot("03-receipt")
    main.get_by_role("link", name="Kios berikutnya").click()
    expect(main.locator(".result")).to_have_count(2)
    expect(main).not_to_contain_text("Pak Slamet")

    # 5. The bill's page now shows it paid, without the button.
    page.goto(bill_url)
    expect(main).to_contain_text("Lunas")
    expect(main.locator('button[type="submit"]')).to_have_count(0)
    assert not page.balai_errors
