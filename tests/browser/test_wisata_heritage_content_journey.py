"""Heritage content on a phone: the site list, a site page, the map, an event and its calendar.

Runs in headless Chromium against a real server seeded with the demo's
Malang content, at 360 px, with JavaScript (the map draws with the vendored
Leaflet from the city's tile server, answered by a fake tile server; "near
me" orders the list from a shared location) and without it (the list is the
content, no map, no near-me link). Both end at the event's iCalendar feed,
parsed with the ``icalendar`` package. Screenshots go to
``test-artifacts/browser/``.
"""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import icalendar
import pytest
from balai.testing import as_demo_seeding, write_config
from conftest import serve_fake_tiles
from journey import Journey

pytestmark = pytest.mark.browser

TILES = "https://tiles.peta-kota.example/{z}/{x}/{y}.png"
TUGU = {"latitude": -7.97700, "longitude": 112.63400}


@pytest.fixture
def balai_plugins() -> list[str]:
    return ["wisata_heritage"]


@pytest.fixture
def journey_config(tmp_path: Path, balai_cities: dict[str, list[str]]) -> Any:
    """Malang with its theme and a tile server for its maps."""
    return write_config(
        tmp_path / "instance",
        balai_cities,
        city_options={
            "malang": {
                "theme": "malang",
                "map_tiles": TILES,
                "map_attribution": "© Peta Kota (uji)",
            }
        },
    )


@pytest.fixture
def demo_content(live_server: str, journey_config: Any, balai_database_url: str) -> None:
    """Malang's demo heritage content, seeded by a second app on the same database."""
    from balai.tenants import city_scope
    from balai.web.app import create_app
    from balai_wisata_heritage import plugin

    app = create_app(replace(journey_config, database_url=balai_database_url))
    city = app.ui.config.cities["malang"]

    async def run() -> None:
        await app.ui.database.open()
        try:
            with city_scope(city):
                await as_demo_seeding(plugin.seed_demo)(city)
        finally:
            await app.ui.database.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, run()).result()


class Visitor(Journey):
    """A visitor of the heritage pages."""

    def fits_the_phone(self) -> None:
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= self.page.viewport_size["width"], f"{self.page.url} scrolls sideways"


@pytest.mark.parametrize("phone_page", [True, False], ids=["js", "no-js"], indirect=True)
def test_list_site_map_event_and_calendar_feed(
    demo_content: None,
    phone_page: Any,
    live_server: str,
    artifacts_dir: Path,
    journey_config: Any,
    request: pytest.FixtureRequest,
) -> None:
    javascript = request.node.callspec.id == "js"
    serve_fake_tiles(phone_page.context, journey_config.cities.values())
    journey = Visitor(
        phone_page, live_server, artifacts_dir, f"heritage-{request.node.callspec.id}"
    )
    page, expect, main = journey.page, journey.expect, journey.main

    # The list: every demo site on a card, the map only with JavaScript.
    page.goto(f"{live_server}/malang/wisata-heritage/")
    expect(main.get_by_role("heading", name="Kampung Heritage Kayutangan")).to_be_visible()
    near_me = main.locator("a[data-locate]")
    if javascript:
        expect(main.locator(".map.leaflet-container")).to_be_visible()
        expect(main.locator(".leaflet-marker-icon")).to_have_count(8)
        expect(near_me).to_be_visible()
    else:
        expect(main.locator(".map")).to_be_hidden()
        expect(near_me).to_be_hidden()
    journey.fits_the_phone()
    journey.shot("list")

    # Near me (with JavaScript): the browser shares a position at the Tugu.
    if javascript:
        phone_page.context.grant_permissions(["geolocation"], origin=live_server)
        phone_page.context.set_geolocation(TUGU)
        near_me.click()
        expect(page).to_have_url(re.compile(r"lat=-7\.977"))
        first = main.locator(".site-list .card-title").first
        expect(first).to_have_text("Balai Kota dan Alun-Alun Tugu")
        expect(main.locator(".site-list")).to_contain_text("0 km")
        journey.fits_the_phone()
        journey.shot("near-me")

    # A site's page: legal data marked unverified, the map with JavaScript.
    main.get_by_role("link", name="Balai Kota dan Alun-Alun Tugu").click()
    journey.url_is("/malang/wisata-heritage/situs/3")
    expect(main).to_contain_text("Ditetapkan oleh kota")
    expect(main).to_contain_text("Belum diverifikasi")
    if javascript:
        expect(main.locator(".map.leaflet-container")).to_be_visible()
    else:
        expect(main.locator(".map")).to_be_hidden()
    expect(main.locator('a[href^="geo:"]')).to_be_visible()
    journey.fits_the_phone()
    journey.shot("site")

    # Events: the calendar, then an event at this site.
    page.goto(f"{live_server}/malang/wisata-heritage/acara/")
    expect(main).to_contain_text("Festival Kayutangan Heritage")
    journey.fits_the_phone()
    journey.shot("calendar")
    main.get_by_role("link", name="Konser Gamelan di Balai Kota").click()
    journey.url_is(
        re.sub(r"\d+$", "", "/malang/wisata-heritage/acara/") + page.url.rsplit("/", 1)[1]
    )
    expect(main).to_contain_text("Balai Kota dan Alun-Alun Tugu")
    journey.fits_the_phone()
    journey.shot("event")

    # Its calendar link gives a valid iCalendar feed with the event.
    link = main.locator("a.ical-link").first
    expect(link).to_be_visible()
    feed = page.request.get(live_server + link.get_attribute("href"))
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(feed.body())
    titles = {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}
    assert "Konser Gamelan di Balai Kota" in titles
    assert "Festival Kampung Warna-Warni" not in titles  # a draft

    assert page.balai_errors == []
