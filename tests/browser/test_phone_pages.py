"""Every main page of the three demo cities fits a 360 px phone, with and without JavaScript.

The server runs the demo instance file (``examples/demo.toml``: Malang with the
five services, Semarang with two, Yogyakarta with three), seeded as ``balai
demo`` seeds it. For each city, as the demo citizen and then as the city's
administrator, every main page where the city enables it is opened in a
360x740 phone viewport, once with JavaScript and once without:

* the page loads (no error status);
* nothing scrolls sideways (the document is at most 360 px wide);
* no table cell lies outside the viewport (tables stack into labelled rows);
* the browser reports no error (CSP violations among them).

A full-page screenshot of each is kept in ``test-artifacts/browser/phone/``.
"""

from __future__ import annotations

import asyncio
import itertools
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from balai.config import Config, load_config
from balai.demo import demo_password, prepare
from balai.tenants import City
from balai.testing import TestDatabases
from balai.testing import testing_environ as environ_for_tests
from balai.web.themes import bundled_root
from conftest import CHROMIUM_ARGS, PHONE_VIEWPORT, serve_fake_tiles

pytestmark = pytest.mark.browser

DEMO = bundled_root("examples") / "demo.toml"

# Visible cells (not in visually hidden text) reaching past either edge of the viewport.
CELLS_OUTSIDE = """() => [...document.querySelectorAll('td, th')]
  .filter(cell => !cell.closest('.visually-hidden'))
  .filter(cell => {
    const box = cell.getBoundingClientRect();
    return box.width > 0 && (box.left < -0.5 || box.right > window.innerWidth + 0.5);
  })
  .map(cell => cell.textContent.trim().slice(0, 40))"""


@dataclass(frozen=True)
class Page:
    """A page to open: its path in the city, the plugin it needs ("" for the core's)."""

    name: str
    path: str
    plugin: str = ""
    first_link: str = ""  # open the first link of the page at ``path`` matching this selector


CITIZEN_PAGES = [
    Page("home", "/"),
    Page("services-market", "/umkm-market/", "umkm_market"),
    Page("shop", "/umkm-market/", "umkm_market", 'main a[href*="/umkm-market/toko/"]'),
    Page("catalogue", "/umkm-market/produk/", "umkm_market"),
    Page("product", "/umkm-market/produk/", "umkm_market", 'main a[href*="/umkm-market/produk/"]'),
    Page("orders", "/umkm-market/pesanan/", "umkm_market"),
    Page("bills", "/bayar/"),
    Page("invoice", "/bayar/", "", 'main a[href*="/bayar/INV-"]'),
    Page("pbb-lookup", "/pajak/", "pajak"),
    Page("pbb-bills", "/pajak/tagihan", "pajak"),
    Page("business-taxes", "/pajak/usaha", "pajak"),
    Page("market-stall-fees", "/pajak/retribusi", "pajak"),
    Page("heritage", "/wisata-heritage/", "wisata_heritage"),
    Page(
        "heritage-site",
        "/wisata-heritage/",
        "wisata_heritage",
        'main a[href*="/wisata-heritage/situs/"]',
    ),
    Page("heritage-events", "/wisata-heritage/acara/", "wisata_heritage"),
    Page(
        "heritage-event",
        "/wisata-heritage/acara/",
        "wisata_heritage",
        'main a[href*="/wisata-heritage/acara/"]:not([href$=".ics"])',
    ),
    Page("heritage-walks", "/wisata-heritage/jalan-kaki/", "wisata_heritage"),
    Page(
        "heritage-walk",
        "/wisata-heritage/jalan-kaki/",
        "wisata_heritage",
        'main a[href*="/wisata-heritage/jalan-kaki/"]',
    ),
    Page("health-cover", "/e-jkn/", "e_jkn"),
    Page("desludging", "/sipaldi/", "sipaldi"),
    Page("complaints-board", "/pengaduan/", "pengaduan"),
    Page("complaint", "/pengaduan/", "pengaduan", 'main a[href*="/pengaduan/laporan/"]'),
    Page("complaint-categories", "/pengaduan/lapor", "pengaduan"),
    Page("complaint-form", "/pengaduan/lapor?kategori=lampu", "pengaduan"),
    Page("open-data", "/data/"),
    Page("notifications", "/notifikasi/"),
    Page("who-viewed-my-data", "/audit/data-saya"),
]

# The demo merchant (``penjual@<city>.test``, in cities with the market).
SELLER_PAGES = [
    Page("seller-orders", "/umkm-market/penjual/pesanan/", "umkm_market"),
    Page("seller-delivery-partners", "/umkm-market/toko-saya/mitra", "umkm_market"),
]

ADMIN_PAGES = [
    Page("dashboard", "/dasbor/"),
    Page("office", "/kelola/"),
    Page("office-invoices", "/kelola/bayar/"),
    Page("office-market", "/kelola/umkm-market/", "umkm_market"),
    Page("office-orders", "/kelola/umkm-market/pesanan/", "umkm_market"),
    Page("office-tax-objects", "/kelola/pajak/", "pajak"),
    Page("office-arrears", "/kelola/pajak/tunggakan", "pajak"),
    Page("office-market-fees", "/kelola/pajak/retribusi/", "pajak"),
    Page("office-heritage", "/kelola/wisata-heritage/", "wisata_heritage"),
    Page(
        "office-heritage-site",
        "/kelola/wisata-heritage/",
        "wisata_heritage",
        'main a[href*="/kelola/wisata-heritage/situs/"]:not([href$="/baru"])',
    ),
    Page("office-heritage-events", "/kelola/wisata-heritage/acara/", "wisata_heritage"),
    Page("office-heritage-walks", "/kelola/wisata-heritage/jalan-kaki/", "wisata_heritage"),
    Page("office-health-cover", "/kelola/e-jkn/", "e_jkn"),
    Page("office-desludging", "/kelola/sipaldi/", "sipaldi"),
    Page("office-complaints", "/kelola/pengaduan/?dinas=", "pengaduan"),
    Page(
        "office-complaint",
        "/kelola/pengaduan/?dinas=",
        "pengaduan",
        'main a[href*="/kelola/pengaduan/laporan/"]',
    ),
    Page("office-complaint-departments", "/kelola/pengaduan/dinas", "pengaduan"),
    Page("office-open311", "/kelola/pengaduan/open311", "pengaduan"),
]


class DemoSeedingDatabases:
    """The session's test databases; a prepared database is then seeded as ``balai demo`` does."""

    def __init__(self, databases: TestDatabases, config: Config) -> None:
        self.databases = databases
        self.config = config

    def prepare(self, database: Any) -> None:
        """Migrate and empty the database as usual, then seed the three cities."""
        from balai.web.app import create_app

        self.databases.prepare(database)
        seeder = create_app(replace(self.config, database_url=database.url))
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(asyncio.run, prepare(seeder)).result()


@pytest.fixture
def journey_config(tmp_path: Path) -> Config:
    """The demo instance file, its data under the test's folder, jobs left to the test."""
    config = load_config(DEMO, environ=environ_for_tests())
    return replace(config, data_dir=tmp_path / "demo-data", run_jobs=False)


@pytest.fixture
def balai_test_databases(balai_test_databases: TestDatabases, journey_config: Config) -> Any:
    """The live server's database, seeded with the demo before the server starts."""
    return DemoSeedingDatabases(balai_test_databases, journey_config)


def log_in(page: Any, base: str, city: City, login: str) -> None:
    """Log in with the login page's form (works with and without scripts)."""
    page.goto(f"{base}/{city.slug}/masuk")
    form = page.locator(f'main form[action$="/{city.slug}/masuk"]')
    form.locator('input[name="login"]').fill(login)
    form.locator('input[name="password"]').fill(demo_password(city))
    form.locator('button[type="submit"]').click()
    page.wait_for_url(f"{base}/{city.slug}/**")


def watched_page(context: Any) -> tuple[Any, list[str]]:
    """A new page of ``context`` and the list its JavaScript and console errors go to."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    page.on(
        "console",
        lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None,
    )
    page.set_default_timeout(15_000)
    return page, errors


def check_page(page: Any, base: str, city: str, shown: Page, folder: Path, mode: str) -> list[str]:
    """Open ``shown`` and return what is wrong with it on a phone ([] when nothing)."""
    url = f"{base}/{city}{shown.path}"
    response = page.goto(url)
    if shown.first_link:
        link = page.locator(shown.first_link).first
        if link.count() == 0:
            return [f"{url}: no link {shown.first_link} to follow"]
        response = page.goto(base + link.get_attribute("href"))
    problems = []
    if response is None or response.status >= 400:
        problems.append(f"{page.url}: status {response.status if response else '-'}")
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE_VIEWPORT["width"]:
        problems.append(f"{page.url}: {width} px wide, scrolls sideways")
    outside = page.evaluate(CELLS_OUTSIDE)
    if outside:
        problems.append(f"{page.url}: table cells outside the screen: {outside[:5]}")
    page.screenshot(path=str(folder / f"{city}-{mode}-{shown.name}.png"), full_page=True)
    return problems


def test_main_pages_of_the_demo_cities_fit_a_phone(
    chromium_path: str, live_server: str, journey_config: Config, artifacts_dir: Path
) -> None:
    from playwright.sync_api import sync_playwright

    folder = artifacts_dir / "phone"
    folder.mkdir(exist_ok=True)
    problems: list[str] = []
    checked = 0
    accounts = (("warga", CITIZEN_PAGES), ("admin", ADMIN_PAGES), ("penjual", SELLER_PAGES))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        try:
            for javascript in (True, False):  # one seeded server for both: seeding is slow
                mode = "js" if javascript else "no-js"
                for city, (who, pages) in itertools.product(
                    journey_config.cities.values(), accounts
                ):
                    if all(p.plugin and p.plugin not in city.plugins for p in pages):
                        continue  # e.g. no market, so no merchant account
                    context = browser.new_context(
                        viewport=PHONE_VIEWPORT,
                        device_scale_factor=1,
                        is_mobile=True,
                        has_touch=True,
                        locale="id-ID",
                        timezone_id="Asia/Jakarta",
                        java_script_enabled=javascript,
                    )
                    serve_fake_tiles(context, journey_config.cities.values())
                    page, errors = watched_page(context)
                    log_in(page, live_server, city, f"{who}@{city.slug}.test")
                    for shown in pages:
                        if shown.plugin and shown.plugin not in city.plugins:
                            continue
                        problems += check_page(page, live_server, city.slug, shown, folder, mode)
                        checked += 1
                    problems += [f"{city.slug} ({who}, {mode}): {e}" for e in errors]
                    context.close()
        finally:
            browser.close()
    assert checked >= 120, checked  # 3 cities, citizens' and officers' pages, js and no-js
    assert problems == [], "\n".join(problems)
