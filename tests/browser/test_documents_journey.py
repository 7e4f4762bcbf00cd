"""An official signs a notice on a phone, and a citizen checks it (360 px, with and without JS).

The head of Bapenda logs in with two-step sign-in, opens the signing queue,
signs the waiting SPPT notice with a fresh authenticator code (PAdES with a
timestamp from the city's real RFC 3161 authority on loopback); then a
visitor opens the notice's verification page (where its QR code leads) and
uploads the signed PDF: intact. Elements are found by form action and field
name; the wording is checked where the verdict is the point.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyotp
import pytest
from balai.documents.signing.tsa import CityStamper, TimestampServer
from balai.testing import write_config
from journey import Journey

pytestmark = pytest.mark.browser

HEAD_EMAIL = "kepala.bapenda@contoh.id"
CITIZEN_EMAIL = "siti.rahayu@contoh.id"
PASSWORD = "teh-manis-hangat-2026"
TOTP_SECRET = pyotp.random_base32()
PHONE_WIDTH = 360


@pytest.fixture(scope="module")
def tsa() -> Iterator[TimestampServer]:
    server = TimestampServer({}).start()
    yield server
    server.stop()


@pytest.fixture
def journey_config(tmp_path: Path, balai_cities: dict[str, list[str]], tsa: TimestampServer):
    """The cities with their themes; Malang's documents timestamped by the loopback TSA."""
    return write_config(
        tmp_path / "instance",
        balai_cities,
        city_options={
            "malang": {
                "theme": "malang",
                "settings": {"documents": {"timestamp_url": tsa.url}},
            },
            "semarang": {"theme": "semarang"},
        },
    )


@pytest.fixture
def waiting_notice(
    live_server: str, journey_config: Any, balai_database_url: str, tsa: TimestampServer
) -> str:
    """The city CA, the head of Bapenda (authenticator, certificate), a citizen's SPPT notice.

    Written by a second app on its own event loop, as the other journeys seed.
    """
    import asyncio

    from balai import toolkit as tk
    from balai.auth import two_factor
    from balai.auth.accounts import create_user
    from balai.documents.signing import authority
    from balai.tenants import city_scope
    from balai.web.app import create_app

    app = create_app(replace(journey_config, database_url=balai_database_url))
    secret = app.ui.config.secret_key

    async def seed() -> str:
        await app.ui.database.open()
        try:
            with city_scope(app.ui.config.cities["malang"]):
                await authority.init_ca(secret)
                tsa.stampers["malang"] = CityStamper.of(await authority.open_authority(secret))
                head = await create_user(
                    name="Dra. Hartini",
                    password=PASSWORD,
                    email=HEAD_EMAIL,
                    roles=("pajak.head",),
                    verified=True,
                )
                await two_factor.enable(head, TOTP_SECRET, 0, secret)
                await authority.issue_certificate(
                    secret,
                    user_id=head,
                    holder_name="Dra. Hartini",
                    position="Kepala Badan Pendapatan Daerah",
                )
                citizen = await create_user(
                    name="Siti Rahayu", password=PASSWORD, email=CITIZEN_EMAIL, verified=True
                )
                issued = await tk.issue_document(
                    "pajak.sppt",
                    data={
                        "nop": "357301000100100010",
                        "nop_display": "35.73.010.001.001-0001.0",
                        "year": 2026,
                        "taxpayer_name": "Siti Rahayu",
                        "address": "Jl. Ki Ageng Gribig No. 45",
                        "land_area": 180,
                        "building_area": 96,
                        "njop_land": 100_000_000,
                        "njop_building": 52_400_000,
                        "njoptkp": 10_000_000,
                        "taxable_base": 142_400_000,
                        "tax_due": 142_400,
                        "regulation": "Perda Kota Malang (belum diverifikasi)",
                        "due_date_text": "31-08-2026",
                    },
                    subject_id=citizen,
                )
                return issued.number
        finally:
            await app.ui.database.close()

    return asyncio.run(seed())


class DocumentsJourney(Journey):
    """Logging in with two steps, the signing queue, the verification page."""

    def form(self, action: str) -> Any:
        return self.main.locator(f'form[action="/malang{action}"]')

    def fits(self, what: str) -> None:
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE_WIDTH, f"{what} scrolls sideways ({width}px)"

    def log_in(self, email: str, code: str | None = None) -> None:
        self.page.goto(f"{self.base_url}/malang/masuk")
        form = self.form("/masuk")
        form.locator('input[name="login"]').fill(email)
        form.locator('input[name="password"]').fill(PASSWORD)
        self.submit(form)
        if code is not None:
            self.url_is("/malang/masuk/dua-langkah")
            step = self.form("/masuk/dua-langkah")
            step.locator('input[name="code"]').fill(code)
            self.submit(step)


@pytest.mark.parametrize("phone_page", [True, False], ids=["js", "no-js"], indirect=True)
def test_an_official_signs_and_a_citizen_verifies(
    waiting_notice: str,  # seeded before Playwright starts its event loop
    phone_page: Any,
    live_server: str,
    artifacts_dir: Path,
    request: pytest.FixtureRequest,
) -> None:
    journey = DocumentsJourney(
        phone_page, live_server, artifacts_dir, f"documents-{request.node.callspec.id}"
    )
    page, expect = journey.page, journey.expect
    totp = pyotp.TOTP(TOTP_SECRET)
    now = datetime.now(UTC)

    # The head of Bapenda logs in (two steps) and opens the signing queue.
    journey.log_in(HEAD_EMAIL, totp.at(now))
    page.goto(f"{live_server}/malang/dokumen/tanda-tangan")
    queue = journey.form("/dokumen/tanda-tangan")
    expect(queue.locator(f'input[name="nomor"][value="{waiting_notice}"]')).to_be_checked()
    journey.fits("the signing queue")
    journey.shot("queue")

    # A signature binds the official: a fresh code, not the one of the log-in.
    queue.locator('input[name="kode"]').fill(totp.at(now + timedelta(seconds=30)))
    journey.submit(queue)
    journey.url_is("/malang/dokumen/tanda-tangan")
    expect(page.locator("#flashes")).to_contain_text("1 dokumen ditandatangani")
    expect(journey.main).not_to_contain_text(waiting_notice)
    journey.shot("signed")

    # The citizen downloads the signed notice from their documents.
    page.context.clear_cookies()
    journey.log_in(CITIZEN_EMAIL)
    page.goto(f"{live_server}/malang/dokumen/")
    expect(journey.main).to_contain_text(waiting_notice)
    journey.fits("my documents")
    pdf = page.request.get(f"{live_server}/malang/dokumen/unduh/{waiting_notice}").body()
    assert pdf.startswith(b"%PDF-")

    # Anyone: the QR code's page, then the uploaded file.
    page.context.clear_cookies()
    page.goto(f"{live_server}/malang/dokumen/verifikasi/{waiting_notice}")
    expect(journey.main).to_contain_text("Dra. Hartini")
    expect(journey.main).to_contain_text("Ditandatangani")
    journey.fits("the verification page")
    journey.shot("qr-page")
    upload = journey.form("/dokumen/verifikasi").and_(page.locator('form[method="post"]'))
    upload.locator('input[name="berkas"]').set_input_files(
        {"name": "sppt.pdf", "mimeType": "application/pdf", "buffer": pdf}
    )
    journey.submit(upload)
    expect(journey.main.locator("#hasil")).to_contain_text("Utuh")
    journey.fits("the verdict")
    journey.shot("intact")
    assert page.balai_errors == []
