"""An officer adds a partner on a phone and copies its credentials; the partner can then sign in.

Headless Chromium at 360 px, with and without JavaScript: the partner form,
the once-only credentials page and the partner's page fit the width, and
the credentials shown obtain an access token.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from journey import Journey

pytestmark = pytest.mark.browser

EMAIL = "petugas.mitra@contoh.id"
PASSWORD = "kopi-tubruk-pagi-2026"


@pytest.fixture
def officer(live_server: str, journey_config: Any, balai_database_url: str) -> None:
    """A partner channels officer of Malang, written by a second app on the same database."""
    from balai.auth.accounts import create_user
    from balai.tenants import city_scope
    from balai.web.app import create_app

    app = create_app(replace(journey_config, database_url=balai_database_url))

    async def seed() -> None:
        await app.ui.database.open()
        try:
            with city_scope(app.ui.config.cities["malang"]):
                await create_user(
                    name="Petugas Mitra",
                    password=PASSWORD,
                    email=EMAIL,
                    roles=("partners.officer",),
                )
        finally:
            await app.ui.database.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, seed()).result()


def _fits(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide"


@pytest.mark.parametrize("phone_page", [True, False], ids=["js", "no-js"], indirect=True)
def test_an_officer_adds_a_partner_on_a_phone(
    officer: None, phone_page: Any, live_server: str, artifacts_dir: Path, request: Any
) -> None:
    from balai.partners import credentials, partner_side

    private, public = credentials.new_key_pair("ec")
    journey = Journey(
        phone_page, live_server, artifacts_dir, f"partners-{request.node.callspec.id}"
    )
    page = phone_page
    page.goto(f"{live_server}/malang/masuk?next=/malang/kelola/mitra/baru")
    form = page.locator('main form[action$="/malang/masuk"]')
    form.locator('input[name="login"]').fill(EMAIL)
    form.locator('input[name="password"]').fill(PASSWORD)
    journey.submit(form)
    journey.url_is("/malang/kelola/mitra/baru")
    _fits(page)
    journey.shot("form")

    form = journey.main.locator('form[action$="/kelola/mitra/baru"]')
    form.locator('input[name="name"]').fill("Dompet Nusantara")
    form.locator('textarea[name="public_key"]').fill(public)
    form.locator('input[name="fee_flat"]').fill("2500")
    journey.submit(form)
    journey.expect(journey.main).to_contain_text("hanya ditampilkan sekali")
    _fits(page)
    journey.shot("credentials")
    values = journey.main.locator("dd")
    client_id = values.nth(0).inner_text().strip()
    secret = values.nth(1).inner_text().strip()
    assert len(client_id) == 20 and len(secret) >= 40

    keys = partner_side.PartnerKeys(client_id, secret, private)
    body, headers = partner_side.token_request(keys)
    answer = httpx.post(
        f"{live_server}/malang{partner_side.TOKEN_PATH}", content=body, headers=headers
    )
    assert answer.status_code == 200, answer.text

    journey.main.get_by_role("link", name="Selesai").click()
    journey.expect(journey.main).to_contain_text("Dompet Nusantara")
    _fits(page)
    journey.shot("partner")
    assert secret not in page.content()
    assert not page.balai_errors, page.balai_errors
