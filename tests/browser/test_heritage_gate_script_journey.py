"""The gate page's script in Chromium at 360 px: the camera reads a real ticket QR, and offline
admissions are queued, synced when the network is back, and flagged when two gates admitted
the same ticket.

The camera is Chromium's fake capture device playing a Y4M file
(``--use-file-for-fake-video-capture``) whose frames show a ticket's QR code:
the payload the ticket page encodes (``tickets.qr.ticket_payload``, signed by the
running server's key) drawn from the same encoder as ``tk.qr_svg`` (segno). When
headless Chromium has no ``BarcodeDetector`` the script's vendored jsQR decodes the
frames; the test records which path ran. The network is cut with Playwright's
``context.set_offline``. Three counter-sold tickets are seeded before the server
starts; their slot opens in ten minutes (a gate admits half an hour early).
"""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import segno
from balai import toolkit as tk
from balai.auth.accounts import create_user
from balai.db.engines import close_engine
from balai.testing import TestDatabases
from balai_wisata_heritage.sites.tables import Site
from balai_wisata_heritage.tickets import setup
from balai_wisata_heritage.tickets.purchase import buy
from balai_wisata_heritage.tickets.qr import ticket_payload
from balai_wisata_heritage.tickets.rules import Category, Channel
from balai_wisata_heritage.tickets.tables import Ticket, TicketSlot
from conftest import CHROMIUM_ARGS, PHONE_VIEWPORT

pytestmark = pytest.mark.browser

PASSWORD = "gerbang-heritage-2026"
OFFICER = ("Bu Loket", "loket.gerbang@contoh.id")
GATE = "/malang/kelola/wisata-heritage/gerbang"
FRAME = (480, 480)  # width, height: even, for the 4:2:0 planes
SEEDED: dict[str, Any] = {}


async def seed_tickets() -> None:
    """A gate officer, a product with a slot soon, and three tickets sold at the counter."""
    officer = await create_user(
        name=OFFICER[0],
        email=OFFICER[1],
        password=PASSWORD,
        verified=True,
        roles=("wisata_heritage.gate_officer",),
    )
    site = Site(name="Gedung Kesenian Gajayana", description="Gedung.", district="Klojen")
    await site.save()
    product = await setup.add_product(
        "Tiket Gajayana", site_id=site.id, prices={Category.ADULT: 5000}
    )
    starts = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(minutes=10)
    slot = await setup.add_slot(
        product, starts, starts + timedelta(hours=2), {Channel.ONLINE: 5, Channel.COUNTER: 5}
    )
    await buy(
        product,
        {"slot": str(slot), "qty_adult": "3"},
        channel=Channel.COUNTER,
        buyer_id=None,
        buyer_name="Rombongan",
        sold_by=getattr(officer, "id", None),
    )
    SEEDED["slot"] = slot


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
                    rows = await Ticket.select(Ticket.code, Ticket.category).order_by(Ticket.id)
                    slot = await TicketSlot.select().where(TicketSlot.id == SEEDED["slot"]).first()
                    SEEDED["tickets"] = rows
                    SEEDED["times"] = (slot["starts_at"], slot["ends_at"])
            finally:
                await close_engine(database.engine)

        asyncio.run(seed())


@pytest.fixture
def balai_test_databases(balai_test_databases: TestDatabases, journey_config: Any) -> Any:
    """The live server's database, with the tickets seeded before it starts."""
    return SeedingDatabases(balai_test_databases, journey_config.cities["malang"])


def payload_of(city: tk.City, ticket: dict) -> str:
    """The signed payload the ticket page encodes (signed with the running server's key)."""
    starts, ends = SEEDED["times"]
    with tk.city_scope(city):
        return ticket_payload(ticket["code"], ticket["category"], starts, ends)


def write_y4m(path: Path, payload: str, frames: int = 30) -> None:
    """A short Y4M video whose every frame shows ``payload``'s QR code, black on white."""
    matrix = segno.make(payload, error="m", micro=False).matrix
    width, height = FRAME
    scale = max(1, min(width, height) // (len(matrix) + 8))
    size = len(matrix) * scale
    left, top = (width - size) // 2, (height - size) // 2
    luma = bytearray(b"\xff" * (width * height))
    for row, line in enumerate(matrix):
        for column, dark in enumerate(line):
            if not dark:
                continue
            for dy in range(scale):
                start = (top + row * scale + dy) * width + left + column * scale
                luma[start : start + scale] = b"\x00" * scale
    chroma = b"\x80" * ((width // 2) * (height // 2))
    frame = b"FRAME\n" + bytes(luma) + chroma + chroma
    header = f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode()
    path.write_bytes(header + frame * frames)


def log_in(page: Any, base: str) -> None:
    """Log in as the gate officer through the login form."""
    page.goto(f"{base}/malang/masuk")
    form = page.locator('main form[action$="/malang/masuk"]')
    form.locator('input[name="login"]').fill(OFFICER[1])
    form.locator('input[name="password"]').fill(PASSWORD)
    form.locator('button[type="submit"]').click()
    page.wait_for_url(re.compile(r"/malang/?$"))


def fits_the_phone(page: Any, what: str) -> None:
    """The page does not scroll sideways at 360 px."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_VIEWPORT["width"], f"{what} scrolls sideways on a phone"


def offline_admit(page: Any, context: Any, payload: str) -> None:
    """With the network cut, check a signed payload at this gate (the script answers)."""
    from playwright.sync_api import expect

    context.set_offline(True)
    page.locator('form#gate-form input[name="kode"]').fill(payload)
    page.locator('form#gate-form button[type="submit"]').click()
    expect(page.locator("#gate-offline.gate-admitted")).to_contain_text("BOLEH MASUK")


def test_the_camera_reads_a_ticket_and_offline_admissions_sync_and_flag(
    chromium_path: str,
    live_server: str,
    journey_config: Any,
    tmp_path: Path,
    artifacts_dir: Path,
) -> None:
    from playwright.sync_api import expect, sync_playwright

    city = journey_config.cities["malang"]
    first, second, third = (payload_of(city, t) for t in SEEDED["tickets"])
    video = tmp_path / "ticket-qr.y4m"
    write_y4m(video, first)
    camera_args = [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS + camera_args
        )
        try:
            options = {
                "viewport": PHONE_VIEWPORT,
                "is_mobile": True,
                "has_touch": True,
                "locale": "id-ID",
                "timezone_id": "Asia/Jakarta",
            }
            gates = []
            for number in ("1", "2"):
                context = browser.new_context(**options)
                context.grant_permissions(["camera"], origin=live_server)
                page = context.new_page()
                page.set_default_timeout(15_000)
                errors: list[str] = []
                page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
                log_in(page, live_server)
                page.goto(f"{live_server}{GATE}")
                page.locator('form#gate-form input[name="gerbang"]').fill(number)
                gates.append((context, page, errors))
            (one, gate1, errors1), (two, gate2, errors2) = gates

            # The camera: the fake device shows the first ticket's QR; the script decodes it
            # (BarcodeDetector, or jsQR without it) and the server admits the ticket.
            detector = gate1.evaluate("'BarcodeDetector' in window")
            asked: list[str] = []
            gate1.on("request", lambda r: asked.append(r.url))
            gate1.locator("#gate-camera").click()
            expect(gate1.locator(".gate-answer.gate-admitted")).to_contain_text("BOLEH MASUK")
            # Without BarcodeDetector the vendored decoder was fetched, and only then.
            assert any("/vendor/jsqr/jsQR.js" in u for u in asked) == (not detector), asked
            print(f"decoded with {'BarcodeDetector' if detector else 'jsQR'}")
            fits_the_phone(gate1, "the gate's answer")
            gate1.screenshot(path=str(artifacts_dir / "gate-script-camera.png"), full_page=True)
            gate1.goto(f"{live_server}{GATE}")
            gate1.locator('form#gate-form input[name="gerbang"]').fill("1")

            # Offline at gate 1: the second ticket is checked here and queued ...
            offline_admit(gate1, one, second)
            expect(gate1.locator("#gate-queue")).to_contain_text("1")
            fits_the_phone(gate1, "the offline answer")
            gate1.screenshot(path=str(artifacts_dir / "gate-script-offline.png"), full_page=True)
            # ... the same ticket again at this gate is refused from its own memory.
            gate1.locator('form#gate-form button[type="submit"]').click()
            expect(gate1.locator("#gate-offline.gate-refused")).to_be_visible()
            # Back online: the queue is sent and emptied; the server now knows the admission.
            one.set_offline(False)
            expect(gate1.locator("#gate-queue")).to_have_text("")
            gate1.goto(f"{live_server}{GATE}")
            gate1.locator('form#gate-form input[name="kode"]').fill(SEEDED["tickets"][1]["code"])
            gate1.locator('form#gate-form button[type="submit"]').click()
            expect(gate1.locator(".gate-answer.gate-refused")).to_contain_text("Sudah dipakai")

            # Both gates offline admit the third ticket; the second to sync is flagged.
            gate1.locator('form#gate-form input[name="gerbang"]').fill("1")
            offline_admit(gate1, one, third)
            offline_admit(gate2, two, third)
            one.set_offline(False)
            expect(gate1.locator("#gate-queue")).to_have_text("")
            two.set_offline(False)
            flagged = gate2.locator("#gate-offline.gate-refused")
            expect(flagged).to_contain_text(SEEDED["tickets"][2]["code"])
            fits_the_phone(gate2, "the flagged answer")
            gate2.screenshot(path=str(artifacts_dir / "gate-script-flagged.png"), full_page=True)
            assert errors1 == [] and errors2 == [], errors1 + errors2
        finally:
            browser.close()
