"""A taxpayer pays two years of PBB-P2 on a phone: look up → log in → link → pay → receipt.

Runs in headless Chromium against a real server (see ``conftest.py``), once
with JavaScript and once without. The city has one tax object with four
yearly bills (one paid, three not) and a citizen account; the taxpayer looks
the NOP up publicly, logs in from there, links the NOP with the name and NJOP
printed on the SPPT, picks the 2024 and 2025 bills on "My bills", pays the
one invoice by virtual account with the sandbox bank, opens the receipt and
checks it on the public verification page its QR code leads to. Elements are
found by landmark, form action, field name or link target; the words the
taxpayer reads are checked where they are the point. Screenshots of each step
are kept in ``test-artifacts/browser/``.
"""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from balai.testing import write_config
from journey import Journey

pytestmark = pytest.mark.browser

NOP = "357301000100100010"
NOP_SHOWN = "35.73.010.001.001-0001.0"
TAXPAYER = "H. MOCH. SUBAGIO"
NJOP_TYPED = "152.400.000"
EMAIL = "subagio@contoh.id"
PASSWORD = "rawon-nguling-2026"
PENALTIES = [
    {
        "valid_from": 2014,
        "regulation": "UU 28/2009",
        "rate_ppm_per_month": 20_000,
        "cap_months": 24,
    },
    {
        "valid_from": 2024,
        "regulation": "UU 1/2022 (HKPD)",
        "rate_ppm_per_month": 10_000,
        "cap_months": 24,
    },
]
# year, principal, days until due (negative: past), status, NJOP printed on the SPPT.
BILLS = (
    (2019, 200_000, -1, "unpaid", 90_000_000),
    (2023, 250_000, -400, "paid", 120_000_000),
    (2024, 300_000, -1, "unpaid", 140_000_000),
    (2025, 500_000, 30, "unpaid", 152_400_000),
)
# 2024: one month late at 1 %; 2025 not yet due.
PAID_TOGETHER = "Rp803.000"


@pytest.fixture
def journey_config(tmp_path: Path, balai_cities: dict[str, list[str]]) -> Any:
    """The journey's cities with their themes; Malang with its region code and penalties."""
    return write_config(
        tmp_path / "instance",
        balai_cities,
        city_options={
            "malang": {
                "theme": "malang",
                "region_code": "35.73",
                "settings": {"pajak": {"pbb": {"penalties": PENALTIES}}},
            },
            "semarang": {"theme": "semarang"},
        },
    )


@pytest.fixture
def taxpayer(live_server: str, journey_config: Any, balai_database_url: str) -> dict[str, Any]:
    """The tax object, its bills and the citizen's account, written by a second app.

    The served app keeps its own connections on the server's event loop; this
    one opens the same database on a loop of its own and closes it again.
    """
    from balai.auth.accounts import create_user
    from balai.tenants import city_scope
    from balai.web.app import create_app
    from balai_pajak.tables import Sppt, TaxObject

    app = create_app(replace(journey_config, database_url=balai_database_url))
    today = datetime.now(ZoneInfo("Asia/Jakarta")).date()

    async def seed() -> dict[str, Any]:
        await app.ui.database.open()
        try:
            with city_scope(app.ui.config.cities["malang"]):
                obj = TaxObject(
                    nop=NOP,
                    address="Jl. Ki Ageng Gribig No. 45",
                    district="Kedungkandang",
                    village="Kotalama",
                    land_area=180,
                    building_area=96,
                    updated_at=datetime.now(UTC),
                )
                await obj.save()
                ids = {}
                for year, tax_due, due_in, status, njop in BILLS:
                    bill = Sppt(
                        tax_object=obj.id,
                        nop=NOP,
                        year=year,
                        taxpayer_name=TAXPAYER,
                        njop_total=njop,
                        tax_due=tax_due,
                        due_date=today + timedelta(days=due_in),
                        status=status,
                        created_at=datetime.now(UTC),
                    )
                    await bill.save()
                    ids[year] = bill.id
                await create_user(
                    name="Moch Subagio", password=PASSWORD, email=EMAIL, verified=True
                )
                return ids
        finally:
            await app.ui.database.close()

    # In a thread of its own: Playwright's sync API may already run a loop in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return {"bills": pool.submit(asyncio.run, seed()).result()}


@pytest.mark.parametrize("phone_page", [True, False], ids=["js", "no-js"], indirect=True)
def test_look_up_link_pay_two_years_and_verify_the_receipt(
    taxpayer: dict[str, Any],
    phone_page: Any,
    live_server: str,
    artifacts_dir: Path,
    request: pytest.FixtureRequest,
) -> None:
    journey = Journey(phone_page, live_server, artifacts_dir, f"pajak-{request.node.callspec.id}")
    page, expect, main = journey.page, journey.expect, journey.main
    bills = taxpayer["bills"]

    # 1. Anyone looks the NOP up: location, areas and the years' status, no taxpayer.
    page.goto(f"{live_server}/malang/pajak/")
    lookup = main.locator('form[action="/malang/pajak/"]')
    lookup.locator('input[name="nop"]').fill(NOP_SHOWN)
    journey.submit(lookup)
    journey.url_is("/malang/pajak/")
    result = main.locator("section.pajak-result")
    expect(result).to_contain_text(NOP_SHOWN)
    expect(result).to_contain_text("Jl. Ki Ageng Gribig No. 45")
    expect(result).to_contain_text("Kotalama")
    years = result.locator("table tbody tr")
    expect(years).to_have_count(4)
    expect(years.first).to_contain_text("2025")
    expect(years.first).to_contain_text("Rp500.000")
    expect(years.nth(1)).to_contain_text("Lewat jatuh tempo")
    expect(years.nth(2)).to_contain_text("Lunas")
    expect(result).not_to_contain_text("SUBAGIO")
    journey.shot("lookup")

    # 2. Linking needs an account: the lookup's button leads to the login and back.
    result.locator('a[href^="/malang/masuk?next="]').click()
    journey.url_is("/malang/masuk")
    login = main.locator('form[action$="/malang/masuk"]')
    login.locator('input[name="login"]').fill(EMAIL)
    login.locator('input[name="password"]').fill(PASSWORD)
    journey.submit(login)
    journey.url_is("/malang/pajak/tautkan")

    # 3. Link the NOP with the name and NJOP printed on the SPPT (NOP already filled in).
    form = main.locator('form[action="/malang/pajak/tautkan"]')
    expect(form.locator('input[name="nop"]')).to_have_value(NOP)
    form.locator('input[name="name"]').fill("Moch Subagio")  # not as printed: refused
    form.locator('input[name="njop"]').fill(NJOP_TYPED)
    journey.submit(form)
    expect(main.locator(".error-summary")).to_contain_text("tidak cocok dengan SPPT tahun 2025")
    expect(form.locator('input[name="njop"]')).to_have_value(NJOP_TYPED)
    journey.shot("link-refused")
    form.locator('input[name="name"]').fill("h. moch. subagio")
    journey.submit(form)

    # 4. My bills: every year, what each costs today, itemised.
    journey.url_is("/malang/pajak/tagihan")
    expect(page.locator(".flash")).to_contain_text(f"NOP {NOP_SHOWN} sudah ditautkan")
    table = main.locator("ul.pajak-bills")
    row_2024 = table.locator("li", has=page.locator(f'input[value="{bills[2024]}"]'))
    expect(row_2024).to_contain_text("Rp3.000")
    expect(row_2024).to_contain_text("1 bulan × 1%")
    expect(row_2024).to_contain_text("Rp303.000")
    expect(table.locator(f'input[value="{bills[2023]}"]')).to_have_count(0)  # already paid
    journey.shot("my-bills")

    # 5. Choose 2024 and 2025 and pay them in one invoice.
    pay_form = main.locator('form[action="/malang/pajak/tagihan/bayar"]')
    pay_form.locator(f'input[name="bill"][value="{bills[2024]}"]').check()
    pay_form.locator(f'input[name="bill"][value="{bills[2025]}"]').check()
    journey.submit(pay_form)
    expect(page).to_have_url(re.compile(r"/malang/bayar/INV-[0-9A-Z-]+$"))
    number = page.url.rsplit("/", 1)[1]
    expect(main).to_contain_text(PAID_TOGETHER)
    expect(main).to_contain_text(f"PBB-P2 2024, NOP {NOP_SHOWN}: denda keterlambatan")
    expect(main).to_contain_text(f"PBB-P2 2025, NOP {NOP_SHOWN}: pokok")
    journey.shot("invoice")

    # 6. Pay by virtual account; the sandbox bank plays the bank.
    start = main.locator('form[action$="/mulai"]')
    start.locator('input[name="method"][value="va"]').check()
    journey.submit(start)
    expect(main.locator(".payment-code")).to_have_text(re.compile(r"^8808\d+$"))
    journey.shot("virtual-account")
    main.locator('a[href*="/sandbox-bank/"]').click()
    expect(main).to_contain_text(PAID_TOGETHER)
    main.locator('form[action$="/pay"] button[type="submit"]').click()

    # 7. Back on the invoice: paid, with the receipt listing the NOP and the years.
    page.goto(f"{live_server}/malang/bayar/{number}")
    receipt_link = main.locator('a[href*="/bayar/kuitansi/"]')
    expect(receipt_link).to_be_visible()
    receipt_link.click()
    expect(page).to_have_url(re.compile(r"/malang/bayar/kuitansi/PAY-[0-9A-Z-]+"))
    receipt = main.locator("article.receipt")
    expect(receipt).to_contain_text(f"PBB-P2 2024, NOP {NOP_SHOWN}: pokok")
    expect(receipt).to_contain_text(f"PBB-P2 2025, NOP {NOP_SHOWN}: pokok")
    expect(receipt).to_contain_text(PAID_TOGETHER)
    expect(receipt.locator("svg")).to_have_count(1)  # the QR code
    journey.shot("receipt")
    # On a small phone (the journeys' 360 px) long item lines wrap, every amount stays in view.
    amounts = receipt.locator("table.receipt-items td.num")
    assert amounts.count() >= 2
    for index in range(amounts.count()):
        box = amounts.nth(index).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360, box
    wrap = receipt.locator(".table-wrap")
    assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth"), "the items scroll sideways"
    journey.shot("receipt-360px")

    # 8. The QR code's address: the public check confirms the payment, and nothing more.
    # It is on the city's own host (its configured base URL, never the request's Host);
    # this server answers Malang under /malang/, so the check is opened there.
    verify_url = urlsplit(receipt.locator(".receipt-url").inner_text().strip())
    assert verify_url.scheme == "https" and verify_url.netloc == "malang.localhost"
    assert verify_url.path.startswith("/bayar/verifikasi/PAY-") and verify_url.query
    page.goto(f"{live_server}/malang{verify_url.path}?{verify_url.query}")
    expect(main).to_contain_text("Pembayaran sah")
    expect(main).to_contain_text(PAID_TOGETHER)
    expect(main).not_to_contain_text("Moch Subagio")
    journey.shot("verified")

    # 9. My bills: both years paid, each linking straight to its receipt; 2019 still open.
    page.goto(f"{live_server}/malang/pajak/tagihan")
    table = main.locator("ul.pajak-bills")
    expect(table.locator(f'input[value="{bills[2024]}"]')).to_have_count(0)
    expect(table.locator(f'input[value="{bills[2025]}"]')).to_have_count(0)
    expect(table.locator(f'input[value="{bills[2019]}"]')).to_have_count(1)
    expect(table.locator('a[href*="/malang/bayar/kuitansi/PAY-"]')).to_have_count(2)
    final = journey.shot("my-bills-paid")
    assert final.stat().st_size > 0

    # The refused link attempt answered 400 on purpose; the browser logs that status.
    errors = [e for e in page.balai_errors if "status of 400" not in e]
    assert errors == [], "the browser reported errors:\n" + "\n".join(errors)
