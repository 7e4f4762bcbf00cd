"""An officer on a phone moves between office sections through the compact office menu.

Runs in headless Chromium at a phone's width (see ``conftest.py``), with and
without JavaScript: the menu is a ``<details>`` disclosure, so it opens
without scripts. Closed, it is one line naming the current section.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

EMAIL = "admin.kota@contoh.id"
PASSWORD = "kopi-tubruk-pagi-2026"
ONE_LINE_PX = 72  # the closed menu: one touch-sized row and its padding


@pytest.fixture
def admin(live_server: str, journey_config: Any, balai_database_url: str) -> None:
    """A city administrator of Malang, written by a second app on the same database."""
    from balai.auth.accounts import create_user
    from balai.tenants import city_scope
    from balai.web.app import create_app

    app = create_app(replace(journey_config, database_url=balai_database_url))

    async def seed() -> None:
        await app.ui.database.open()
        try:
            with city_scope(app.ui.config.cities["malang"]):
                await create_user(
                    name="Admin Kota", password=PASSWORD, email=EMAIL, roles=("city_admin",)
                )
        finally:
            await app.ui.database.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, seed()).result()


@pytest.mark.parametrize("phone_page", [True, False], ids=["js", "no-js"], indirect=True)
def test_the_office_menu_is_one_line_and_leads_to_every_section(
    admin: None, phone_page: Any, live_server: str, artifacts_dir: Path, request: Any
) -> None:
    from playwright.sync_api import expect

    page = phone_page
    shot = request.node.callspec.id
    page.goto(f"{live_server}/malang/masuk?next=/malang/kelola/bayar/")
    form = page.locator('main form[action$="/malang/masuk"]')
    form.locator('input[name="login"]').fill(EMAIL)
    form.locator('input[name="password"]').fill(PASSWORD)
    form.locator('button[type="submit"]').click()
    page.wait_for_url("**/malang/kelola/bayar/**")

    menu = page.get_by_role("navigation", name="Menu kelola")
    expect(menu).to_be_visible()
    links = menu.locator("a.office-menu-link")
    assert links.count() >= 6
    expect(links.first).to_be_hidden()  # closed: the links take no room
    box = menu.bounding_box()
    assert box is not None and box["height"] <= ONE_LINE_PX, box
    expect(menu.locator("summary")).to_contain_text("Tagihan")  # the section you are in
    page.screenshot(path=str(artifacts_dir / f"office-menu-{shot}-closed.png"))

    menu.locator("summary").click()
    expect(links.first).to_be_visible()
    current = menu.locator('a[aria-current="page"]')
    expect(current).to_have_attribute("href", "/malang/kelola/bayar/")
    page.screenshot(path=str(artifacts_dir / f"office-menu-{shot}-open.png"))

    menu.locator('a[href="/malang/kelola/bayar/rekonsiliasi"]').click()
    page.wait_for_url("**/malang/kelola/bayar/rekonsiliasi")
    menu = page.get_by_role("navigation", name="Menu kelola")
    expect(menu.locator("summary")).to_contain_text("Rekonsiliasi")
    assert page.balai_errors == []


@pytest.mark.parametrize("phone_page", [True, False], ids=["js", "no-js"], indirect=True)
def test_the_citizens_menu_is_one_line_that_opens_every_service_on_a_phone(
    admin: None, phone_page: Any, live_server: str, artifacts_dir: Path, request: Any
) -> None:
    from playwright.sync_api import expect

    page = phone_page
    page.goto(f"{live_server}/malang/masuk?next=/malang/")
    form = page.locator('main form[action$="/malang/masuk"]')
    form.locator('input[name="login"]').fill(EMAIL)
    form.locator('input[name="password"]').fill(PASSWORD)
    form.locator('button[type="submit"]').click()
    page.wait_for_url("**/malang/")

    menu = page.get_by_role("navigation", name="Menu utama")
    expect(menu.locator("a.site-nav-link").first).to_be_hidden()  # the wide screens' row
    links = menu.locator("a.site-menu-link")
    assert links.count() >= 8
    expect(links.first).to_be_hidden()  # closed: one line
    box = menu.bounding_box()
    assert box is not None and box["height"] <= ONE_LINE_PX, box

    menu.locator("summary").click()
    for index in range(links.count()):
        expect(links.nth(index)).to_be_in_viewport()  # every service, none off to the side
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], "the menu must not widen the page"
    page.screenshot(path=str(artifacts_dir / f"site-menu-{request.node.callspec.id}.png"))

    menu.locator('a.site-menu-link[href="/malang/data/"]').click()
    page.wait_for_url("**/malang/data/")
    menu = page.get_by_role("navigation", name="Menu utama")
    expect(menu.locator("summary")).to_contain_text("Data terbuka")  # the service you are in
    assert page.balai_errors == []
