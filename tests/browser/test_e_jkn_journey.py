"""Health cover on a phone: a family of three applies, Dinkes verifies, BPJS registers, the card.

Runs in headless Chromium against a real server, with and without
JavaScript. The family is the Santoso family the Dukcapil sandbox knows; a
first try names a child of another KK and is refused with nothing stored.
The BPJS registration batch (a job every ten minutes in production) is run
by a second app on the same database, as a worker would. Screenshots go to
``test-artifacts/browser/``.
"""

from __future__ import annotations

import asyncio
import io
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from balai.testing import write_config
from balai_e_jkn.registries.people import HIDAYAT, SANTOSO
from journey import Journey
from PIL import Image

pytestmark = pytest.mark.browser

PASSWORD = "sehat-bersama-2026"
CITIZEN = ("Budi Santoso", "budi.santoso@contoh.id")
OFFICER = ("Dr. Lestari", "lestari.dinkes@contoh.id")


@pytest.fixture
def balai_plugins() -> list[str]:
    return ["e_jkn"]


@pytest.fixture
def journey_config(tmp_path: Path, balai_cities: dict[str, list[str]]) -> Any:
    """Malang with its region code (Dukcapil compares domicile with it) and its theme."""
    return write_config(
        tmp_path / "instance",
        balai_cities,
        city_options={"malang": {"theme": "malang", "region_code": "35.73"}},
    )


def _on_second_app(journey_config: Any, database_url: str, work: Any) -> Any:
    """Run ``work()`` in Malang on a second app over the same database, in a thread of its own."""
    from balai.tenants import city_scope
    from balai.web.app import create_app

    app = create_app(replace(journey_config, database_url=database_url))

    async def run() -> Any:
        await app.ui.database.open()
        try:
            with city_scope(app.ui.config.cities["malang"]):
                return await work(app.ui.config.cities["malang"])
        finally:
            await app.ui.database.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, run()).result()


@pytest.fixture
def people(live_server: str, journey_config: Any, balai_database_url: str) -> None:
    """The citizen's and the Dinkes officer's accounts."""
    from balai.auth.accounts import create_user

    async def seed(city: Any) -> None:
        await create_user(name=CITIZEN[0], email=CITIZEN[1], password=PASSWORD, verified=True)
        await create_user(
            name=OFFICER[0],
            email=OFFICER[1],
            password=PASSWORD,
            verified=True,
            roles=("e_jkn.officer",),
        )

    _on_second_app(journey_config, balai_database_url, seed)


def _photo(folder: Path, name: str, colour: str) -> Path:
    path = folder / name
    buffer = io.BytesIO()
    Image.new("RGB", (640, 400), colour).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


class Applicant(Journey):
    """Logging in and out on the page the visitor is on."""

    def log_in(self, email: str) -> None:
        self.page.goto(f"{self.base_url}/malang/masuk")
        form = self.page.locator('main form[action$="/malang/masuk"]')
        form.locator('input[name="login"]').fill(email)
        form.locator('input[name="password"]').fill(PASSWORD)
        self.submit(form)

    def log_out(self) -> None:
        self.page.get_by_role("banner").locator(
            'form[action$="/keluar"] button[type="submit"]'
        ).click()
        self.url_is("/malang/")

    def fill_person(self, form: Any, n: int, person: Any, relation: str) -> None:
        form.locator(f'input[name="m{n}_name"]').fill(person.name)
        form.locator(f'input[name="m{n}_nik"]').fill(person.nik)
        form.locator(f'input[name="m{n}_born"]').fill(person.born.isoformat())
        form.locator(f'select[name="m{n}_sex"]').select_option("f" if person.female else "m")
        form.locator(f'select[name="m{n}_relation"]').select_option(relation)
        form.locator(f'select[name="m{n}_jkn"]').select_option("none")

    def fits_the_phone(self) -> None:
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= self.page.viewport_size["width"], f"{self.page.url} scrolls sideways"


@pytest.mark.parametrize("phone_page", [True, False], ids=["js", "no-js"], indirect=True)
def test_family_applies_dinkes_verifies_bpjs_registers_card_shows(
    people: None,
    phone_page: Any,
    live_server: str,
    artifacts_dir: Path,
    journey_config: Any,
    balai_database_url: str,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    from balai_e_jkn.registration import register_batch

    journey = Applicant(phone_page, live_server, artifacts_dir, f"e-jkn-{request.node.callspec.id}")
    page, expect, main = journey.page, journey.expect, journey.main
    ktp, kk = _photo(tmp_path, "ktp.jpg", "#c33"), _photo(tmp_path, "kk.jpg", "#36c")

    # The citizen opens the form from the service page and adds two people.
    journey.log_in(CITIZEN[1])
    page.goto(f"{live_server}/malang/e-jkn/")
    main.locator('a[href="/malang/e-jkn/daftar"]').first.click()
    journey.url_is("/malang/e-jkn/daftar")
    form = main.locator('form[action$="/e-jkn/daftar"]')
    journey.fill_person(form, 1, SANTOSO[0], "head")
    for _ in range(2):
        form.locator('button[name="action"][value="add"]').click()
        form = main.locator('form[action$="/e-jkn/daftar"]')
    expect(form.locator('input[name="m3_nik"]')).to_be_visible()
    expect(form.locator('input[name="m1_name"]')).to_have_value(SANTOSO[0].name)
    journey.fill_person(form, 2, SANTOSO[1], "spouse")
    journey.fill_person(form, 3, HIDAYAT[3], "child")  # a child of another family card
    form.locator('input[name="kk"]').fill("3573 0520 0315 0101")
    form.locator('select[name="kecamatan"]').select_option("Lowokwaru")
    form.locator('input[name="kelurahan"]').fill("Tlogomas")
    form.locator('input[name="address"]').fill("Jl. Tlogomas 12, RT 02/RW 05")
    form.locator('input[name="phone"]').fill("0812 3456 7890")
    form.locator('input[name="ktp_photo"]').set_input_files(str(ktp))
    form.locator('input[name="kk_photo"]').set_input_files(str(kk))
    form.locator('input[name="consent"]').check()
    journey.fits_the_phone()
    journey.shot("form")
    form.locator('button[name="action"][value="send"]').click()

    # Refused: the third person is not in this KK; the photos are kept.
    expect(main.locator(".error-summary")).to_contain_text("tidak mencantumkan orang ini")
    journey.shot("refused")
    form = main.locator('form[action$="/e-jkn/daftar"]')
    journey.fill_person(form, 3, SANTOSO[2], "child")
    form.locator('input[name="consent"]').check()
    form.locator('button[name="action"][value="send"]').click()
    expect(page).to_have_url(re.compile(r"/malang/e-jkn/pengajuan/JKN-"))
    expect(main).to_contain_text("Diajukan")
    expect(main).to_contain_text("3573**********01")
    expect(main).not_to_contain_text(SANTOSO[0].nik)
    number = page.url.rsplit("/", 1)[1]
    journey.fits_the_phone()
    journey.shot("submitted")
    journey.log_out()

    # Dinkes opens the queue, sees the photos and verifies.
    journey.log_in(OFFICER[1])
    page.goto(f"{live_server}/malang/kelola/e-jkn/antrean")
    main.locator(f'a[href="/malang/kelola/e-jkn/pengajuan/{number}"]').click()
    expect(main).to_contain_text(SANTOSO[2].name)
    expect(main.locator('a[href$="/dokumen/ktp"]')).to_be_visible()
    journey.fits_the_phone()
    journey.shot("officer")
    main.locator('button[name="step"][value="verify"]').click()
    expect(main).to_contain_text("Diperiksa Dinkes")
    journey.log_out()

    # The registration batch runs (as the job would) and BPJS's sandbox registers all three.
    result = _on_second_app(journey_config, balai_database_url, register_batch)
    assert (result.registered, result.refused, result.outage) == (3, 0, False)

    # The citizen sees the application active and opens a card.
    journey.log_in(CITIZEN[1])
    page.goto(f"{live_server}/malang/e-jkn/pengajuan/{number}")
    expect(main).to_contain_text("Aktif di BPJS")
    main.locator(f'a[href="/malang/e-jkn/kartu/{number}/0"]').click()
    expect(main).to_contain_text("Nomor kartu (KIS)")
    expect(main).to_contain_text("Kelas 3")
    expect(main.locator(".e-jkn-qr svg")).to_be_visible()
    journey.fits_the_phone()
    journey.shot("card")

    # The refused form answers 400 on purpose; Chromium logs any 4xx page as a console error.
    errors = [e for e in page.balai_errors if "status of 400" not in e]
    assert errors == [], "the browser reported errors:\n" + "\n".join(errors)
