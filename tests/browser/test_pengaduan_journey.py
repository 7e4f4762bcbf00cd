"""Ngalam 112 on a 360 px phone: report a broken street light with a photo → an officer
assigns and resolves it → the reporter confirms; and an emergency reaches the top of the queue.

Runs in headless Chromium against a real server (see ``conftest.py``), with and without
JavaScript. The reporter has no account: they confirm their number with the code the
sandbox phone provider texts (read on the test phone, ``/malang/notifikasi/ponsel-uji``,
in a second tab). The officer works in the same browser after the reporter's cookies
are put aside, and the reporter comes back with them.
"""

from __future__ import annotations

import asyncio
import io
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from balai.testing import write_config
from conftest import serve_fake_tiles
from journey import Journey

pytestmark = pytest.mark.browser

PHONE = "0812 7777 0112"
PHONE_E164 = "+6281277770112"
OFFICER = ("petugas.pju@contoh.id", "es-dawet-ayu-2026")
WIDTH = 360
TILES = "https://tiles.peta-kota.example/{z}/{x}/{y}.png"


def _jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 30, 30)).save(out, "JPEG")
    return out.getvalue()


class Ngalam112(Journey):
    """Steps: forms by their action, codes from the test phone, no sideways scroll."""

    def form(self, action: str) -> Any:
        """The main form posting to ``/malang<action>``."""
        return self.main.locator(f'form[action="/malang{action}"]')

    def fits(self, what: str) -> None:
        """The page is no wider than the phone."""
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= WIDTH, f"{what} scrolls sideways ({width}px)"

    def newest_code(self) -> str:
        """Read the newest code texted to the reporter, in a second tab."""
        tab = self.page.context.new_page()
        tab.goto(f"{self.base_url}/malang/notifikasi/ponsel-uji?nomor={quote(PHONE_E164)}")
        text = tab.locator(".sandbox-text .code-text").first.inner_text()
        tab.close()
        return re.search(r"\b(\d{6})\b", text).group(1)


@pytest.fixture
def journey_config(tmp_path: Path, balai_cities: dict[str, list[str]]) -> Any:
    """Malang with its theme, a tile server for its maps and its bounding box."""
    box = {"south": -8.05, "west": 112.57, "north": -7.90, "east": 112.70}
    return write_config(
        tmp_path / "instance",
        balai_cities,
        city_options={
            "malang": {
                "theme": "malang",
                "map_tiles": TILES,
                "map_attribution": "© Peta Kota (uji)",
                "settings": {"pengaduan": {"bounds": box}},
            }
        },
    )


@pytest.fixture
def officer(live_server: str, journey_config: Any, balai_database_url: str) -> None:
    """A street-light officer of the public works department (``pupr``), written by a second app."""
    from balai.auth.accounts import create_user, grant_role
    from balai.tenants import city_scope
    from balai.web.app import create_app
    from balai_pengaduan.tables import Member

    app = create_app(replace(journey_config, database_url=balai_database_url))

    async def seed() -> None:
        await app.ui.database.open()
        try:
            with city_scope(app.ui.config.cities["malang"]):
                user_id = await create_user(
                    name="Petugas PJU", password=OFFICER[1], email=OFFICER[0], verified=True
                )
                await grant_role(user_id, "pengaduan.officer")
                await Member.insert(Member(user_id=user_id, department="pupr", head=True))
        finally:
            await app.ui.database.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, seed()).result()


@pytest.mark.parametrize("phone_page", [True, False], ids=["js", "no-js"], indirect=True)
def test_street_light_reported_fixed_and_confirmed_and_an_emergency_first(
    officer: None,
    journey_config: Any,
    phone_page: Any,
    live_server: str,
    artifacts_dir: Path,
    request: pytest.FixtureRequest,
) -> None:
    journey = Ngalam112(
        phone_page, live_server, artifacts_dir, f"pengaduan-{request.node.callspec.id}"
    )
    page, expect, main = journey.page, journey.expect, journey.main
    javascript = request.node.callspec.id == "js"
    serve_fake_tiles(phone_page.context, journey_config.cities.values())

    # 1. The board, then "what happened?": the 112 button before any category.
    page.goto(f"{live_server}/malang/pengaduan/")
    main.locator('a[href="/malang/pengaduan/lapor"]').first.click()
    journey.url_is("/malang/pengaduan/lapor")
    call = main.locator('a[href="tel:112"]')
    expect(call).to_be_visible()
    journey.fits("the categories")
    journey.shot("categories")
    main.locator('a[href="/malang/pengaduan/lapor?kategori=lampu"]').click()

    # 2. No account: confirm the number with the texted code.
    who = journey.form("/pengaduan/lapor/nomor")
    who.locator('input[name="name"]').fill("Bu Sri")
    who.locator('input[name="phone"]').fill(PHONE)
    journey.submit(who)
    code_form = journey.form("/pengaduan/lapor/kode")
    expect(code_form).to_be_visible()
    code_form.locator('input[name="code"]').fill(journey.newest_code())
    journey.submit(code_form)
    journey.url_is("/malang/pengaduan/lapor")

    # 3. The report: what, where, a photo; a number at once.
    report = journey.form("/pengaduan/lapor")
    report.locator('textarea[name="description"]').fill(
        "Lampu jalan mati tiga malam di depan masjid, jalan gelap sekali."
    )
    report.locator('input[name="address"]').fill("Jl. Kawi No. 24, depan masjid")
    latitude, longitude = report.locator('input[name="latitude"]'), report.locator(
        'input[name="longitude"]'
    )
    if javascript:  # "use my location" where the phone is: Semarang, outside the city
        page.context.grant_permissions(["geolocation"], origin=live_server)
        page.context.set_geolocation({"latitude": -6.99, "longitude": 110.42})
        expect(latitude).to_be_hidden()  # the map fills the coordinates
        report.locator("[data-picker-locate]").click()
        expect(latitude).to_have_value("-6.990000")
    else:  # no map: the coordinates are typed (the address alone would do)
        latitude.fill("-6.9900")
        longitude.fill("110.4200")
    journey.submit(report)
    expect(main.locator(".error-summary")).to_contain_text("di luar kota")
    page.balai_errors.clear()  # the refusal's 400 is the point, not an error of the page
    if javascript:  # a tap in the middle of the map: the map opens on the city's box again
        picker = report.locator(".map-picker .map.leaflet-container")
        expect(picker).to_be_visible()
        expect(report.locator(".map-picker .leaflet-marker-icon")).to_have_count(0)
        box = picker.bounding_box()
        picker.click(position={"x": box["width"] / 2, "y": box["height"] / 2})
        expect(report.locator(".map-picker .leaflet-marker-icon")).to_have_count(1)
        expect(report.locator("[data-picker-status]")).to_contain_text("Titik dipilih")
        tapped = (float(latitude.input_value()), float(longitude.input_value()))
        assert -8.05 <= tapped[0] <= -7.90 and 112.57 <= tapped[1] <= 112.70, tapped
    else:
        latitude.fill("-7.9740")
        longitude.fill("112.6230")
    report.locator('input[name="photo"]').set_input_files(
        {"name": "lampu.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}
    )
    journey.fits("the report form")
    journey.shot("report-form")
    journey.submit(report)
    expect(page).to_have_url(re.compile(r"/malang/pengaduan/laporan/NGL-[0-9A-Z-]+$"))
    light = page.url.rsplit("/", 1)[1]
    expect(page.locator(".flash")).to_contain_text(light)
    expect(main).to_contain_text("Baru")
    if javascript:  # the point on the city's map; without JavaScript no map, the address
        expect(main.locator(".map.leaflet-container")).to_be_visible()
    else:
        expect(main.locator(".map")).to_be_hidden()
    journey.fits("the report")
    journey.shot("reported")
    page.goto(f"{live_server}/malang/pengaduan/")  # the board shows the point
    assert light in main.locator("script.map-markers").text_content()
    if javascript:
        expect(main.locator(f'.map .leaflet-marker-icon[title^="{light}"]')).to_have_count(1)
    journey.fits("the board")

    # 4. An emergency: the call button comes first, the report is urgent.
    page.goto(f"{live_server}/malang/pengaduan/lapor?kategori=kebakaran")
    expect(main.locator('a[href="tel:112"]')).to_be_visible()
    fire = journey.form("/pengaduan/lapor")
    fire.locator('textarea[name="description"]').fill("Asap tebal keluar dari gudang kayu.")
    fire.locator('input[name="address"]').fill("Jl. Kawi No. 30")
    journey.submit(fire)
    expect(page).to_have_url(re.compile(r"/malang/pengaduan/laporan/NGL-[0-9A-Z-]+$"))
    emergency = page.url.rsplit("/", 1)[1]
    expect(main).to_contain_text("Mendesak")
    reporter_cookies = page.context.cookies()

    # 5. The officer signs in: the emergency is at the top of the queue.
    page.context.clear_cookies()
    page.goto(f"{live_server}/malang/masuk?next=/malang/kelola/pengaduan/%3Fdinas%3D")
    login = journey.form("/masuk")
    login.locator('input[name="login"]').fill(OFFICER[0])
    login.locator('input[name="password"]').fill(OFFICER[1])
    journey.submit(login)
    journey.url_is("/malang/kelola/pengaduan/")
    rows = main.locator("table.pengaduan-queue tbody tr")
    expect(rows.first).to_contain_text(emergency)
    expect(main.locator("table.pengaduan-queue")).to_contain_text(light)
    journey.fits("the queue")
    journey.shot("queue")

    # 6. Assign, resolve with a public comment, clear the photo.
    page.goto(f"{live_server}/malang/kelola/pengaduan/laporan/{light}")
    expect(main).to_contain_text("Bu Sri")
    journey.submit(journey.form(f"/kelola/pengaduan/laporan/{light}/tugaskan"))
    expect(page.locator(".flash")).to_contain_text("ditugaskan")
    step = journey.form(f"/kelola/pengaduan/laporan/{light}/langkah")
    step.locator('select[name="step"]').select_option("resolve")
    step.locator('textarea[name="comment"]').fill("Lampu sudah diganti dengan LED baru.")
    journey.submit(step)
    expect(page.locator(".flash")).to_contain_text("diperbarui")
    main.locator(f'form[action^="/malang/kelola/pengaduan/laporan/{light}/foto/"]').locator(
        'button[type="submit"]'
    ).click()
    expect(main).to_contain_text("Ditampilkan untuk publik")
    journey.fits("the officer's report")
    journey.shot("resolved")

    # 7. The reporter comes back: resolved, with the comment and the photo; confirms.
    page.context.clear_cookies()
    page.context.add_cookies(reporter_cookies)
    page.goto(f"{live_server}/malang/pengaduan/laporan/{light}")
    expect(main).to_contain_text("Lampu sudah diganti dengan LED baru.")
    expect(main.locator("img.pengaduan-photo")).to_have_count(1)
    expect(main).not_to_contain_text("Bu Sri")
    journey.shot("to-confirm")
    main.locator(f'form[action="/malang/pengaduan/laporan/{light}/langkah"]').locator(
        'button[value="confirm"]'
    ).click()
    expect(page.locator(".flash")).to_contain_text("Terima kasih")
    expect(main.locator(".page-header")).to_contain_text("Ditutup")
    journey.fits("the closed report")
    journey.shot("confirmed")
    assert not [e for e in page.balai_errors if "favicon" not in e], page.balai_errors
