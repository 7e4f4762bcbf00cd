"""A household's septic tank from registration to the disposal fee's receipt, on a phone.

Register a tank → get a date (the planner proposes, the plan is published) →
the crew marks the visit done with 2,5 m³ and a photo → the truck delivers
at the treatment plant → the household pays Rp37.500 (2,5 m³ × Rp15.000)
with the sandbox bank → receipt. Runs in headless Chromium at 360 px against
a real server, once with JavaScript and once without; the household, the
crew and the plant's gate officer each log in on the same phone in turn.
Screenshots are kept in ``test-artifacts/browser/``.
"""

from __future__ import annotations

import asyncio
import io
import re
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from balai.testing import write_config
from journey import Journey

pytestmark = pytest.mark.browser

DEMO_TOML = Path(__file__).resolve().parents[2] / "examples" / "demo.toml"
HOUSEHOLD = ("warga.tangki@contoh.id", "septik-kauman-2026")
CREW = ("kru.sedot@contoh.id", "kru-sedot-2026")
GATE = ("gerbang.iplt@contoh.id", "iplt-supit-urang-2026")
ADDRESS = "Jl. Kawi No. 24"


@pytest.fixture
def journey_config(tmp_path: Path, balai_cities: dict[str, list[str]]) -> Any:
    """Malang with its theme, region code and the demo's desludging settings."""
    document = tomllib.loads(DEMO_TOML.read_text(encoding="utf-8"))
    sipaldi = document["cities"]["malang"]["settings"]["sipaldi"]
    return write_config(
        tmp_path / "instance",
        balai_cities,
        city_options={
            "malang": {"theme": "malang", "region_code": "35.73", "settings": {"sipaldi": sipaldi}}
        },
    )


def in_second_app(journey_config: Any, balai_database_url: str, work: Any) -> Any:
    """Run ``work()`` in Malang on a second app over the same database, in a thread of its own."""
    from balai.tenants import city_scope
    from balai.web.app import create_app

    app = create_app(replace(journey_config, database_url=balai_database_url))

    async def run() -> Any:
        await app.ui.database.open()
        try:
            with city_scope(app.ui.config.cities["malang"]):
                return await work()
        finally:
            await app.ui.database.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, run()).result()


@pytest.fixture
def desludging(live_server: str, journey_config: Any, balai_database_url: str) -> dict[str, Any]:
    """An operator with one truck serving Kauman, and the three accounts."""
    from balai.auth.accounts import create_user
    from balai_sipaldi.firm.staff import link
    from balai_sipaldi.tables import Operator, ServiceArea, Truck

    async def seed() -> dict[str, Any]:
        operator = Operator(
            name="CV Tirta Bersih",
            licence_number="503/LLTT/1",
            service_fee=250_000,
            created_at=datetime.now(UTC),
        )
        await operator.save()
        truck = Truck(
            operator_id=operator.id, plate="N 8123 AB", capacity_litres=3000, trips_per_day=2
        )
        await truck.save()
        await ServiceArea(operator_id=operator.id, kelurahan="Kauman", kecamatan="Klojen").save()
        await create_user(name="Bu Ratna", password=HOUSEHOLD[1], email=HOUSEHOLD[0], verified=True)
        crew = await create_user(
            name="Kru Sedot", password=CREW[1], email=CREW[0], roles=("sipaldi.crew",)
        )
        await link(crew, operator.id, truck.id)  # the crew of this truck
        await create_user(
            name="Petugas IPLT", password=GATE[1], email=GATE[0], roles=("sipaldi.plant",)
        )
        return {"truck": truck.id}

    return in_second_app(journey_config, balai_database_url, seed)


def plan_and_publish(journey_config: Any, balai_database_url: str) -> None:
    """The night's planner run and the officer publishing it (what the office pages do)."""
    from balai import toolkit as tk
    from balai_sipaldi.planning.service import propose
    from balai_sipaldi.tables import Visit
    from balai_sipaldi.visits import VISITS

    async def work() -> None:
        tomorrow = datetime.now(ZoneInfo("Asia/Jakarta")).date() + timedelta(days=1)
        await propose(tomorrow, 7)
        for visit in await Visit.select():
            await VISITS.move(visit, "publish", tk.Actor.system())

    in_second_app(journey_config, balai_database_url, work)


def log_in(journey: Journey, live_server: str, account: tuple[str, str], next_path: str) -> None:
    """Sign out whoever was signed in, then sign in as ``account`` and land on ``next_path``."""
    journey.page.context.clear_cookies()
    journey.page.goto(f"{live_server}/malang/masuk?next={quote(next_path)}")
    login = journey.main.locator('form[action$="/malang/masuk"]')
    login.locator('input[name="login"]').fill(account[0])
    login.locator('input[name="password"]').fill(account[1])
    journey.submit(login)
    journey.url_is(next_path.split("?")[0])


def photo_png() -> bytes:
    from PIL import Image

    data = io.BytesIO()
    Image.new("RGB", (64, 48), (110, 90, 60)).save(data, format="PNG")
    return data.getvalue()


@pytest.mark.parametrize("phone_page", [True, False], ids=["js", "no-js"], indirect=True)
def test_register_plan_pump_deliver_pay_and_get_the_receipt(
    desludging: dict[str, Any],
    phone_page: Any,
    live_server: str,
    journey_config: Any,
    balai_database_url: str,
    artifacts_dir: Path,
    request: pytest.FixtureRequest,
) -> None:
    page = phone_page
    journey = Journey(page, live_server, artifacts_dir, f"sipaldi-{request.node.callspec.id}")
    expect, main = journey.expect, journey.main

    # 1. The household registers its tank; a volume above what a tank holds is refused first.
    log_in(journey, live_server, HOUSEHOLD, "/malang/sipaldi/tangki/baru")
    form = main.locator('form[action="/malang/sipaldi/tangki/baru"]')
    form.locator('input[name="address"]').fill(ADDRESS)
    form.locator('select[name="kelurahan"]').select_option("Kauman")
    form.locator('select[name="tank_type"]').select_option("sealed")
    form.locator('input[name="tank_litres"]').fill("45")
    form.locator('input[name="hose_metres"]').fill("12")
    journey.submit(form)
    expect(main.locator(".error-summary")).to_contain_text("Masukkan volume dari")
    journey.shot("tank-refused")
    form.locator('input[name="tank_litres"]').fill("2,5")
    journey.submit(form)
    journey.url_is("/malang/sipaldi/tangki/")
    expect(main).to_contain_text(ADDRESS)
    expect(main).to_contain_text("Belum dijadwalkan")
    journey.shot("my-tanks")

    # 2. The planner proposes, the plan is published: the household gets a date and the fees.
    plan_and_publish(journey_config, balai_database_url)
    page.reload()
    main.locator('a[href^="/malang/sipaldi/kunjungan/"]').first.click()
    expect(main).to_contain_text("CV Tirta Bersih")
    expect(main).to_contain_text("Rp250.000")  # the operator's published service fee
    visit_url = page.url
    visit_day = re.search(r"Kunjungan penyedotan: (.+)", main.locator("h1").inner_text())
    assert visit_day
    journey.shot("visit-date")

    # 3. The crew finds it on the truck's route and records it done with 2,5 m³ and a photo.
    visit_id = visit_url.rsplit("/", 1)[1]
    day = datetime.now(ZoneInfo("Asia/Jakarta")).date() + timedelta(days=1)
    while day.weekday() == 6:
        day += timedelta(days=1)
    route = f"/malang/kelola/sipaldi/kru/?day={day.isoformat()}"
    log_in(journey, live_server, CREW, route)
    expect(main).to_contain_text(ADDRESS)
    journey.shot("crew-route")
    main.locator(f'a[href="/malang/kelola/sipaldi/kru/kunjungan/{visit_id}"]').click()
    done = main.locator(f'form[action="/malang/kelola/sipaldi/kru/kunjungan/{visit_id}/selesai"]')
    done.locator('input[name="volume"]').fill("4")  # more than the truck carries
    done.locator('input[name="photo"]').set_input_files(
        {"name": "tangki.png", "mimeType": "image/png", "buffer": photo_png()}
    )
    journey.submit(done)
    expect(main.locator(".error-summary")).to_contain_text("Melebihi muatan truk ini")
    done = main.locator(f'form[action="/malang/kelola/sipaldi/kru/kunjungan/{visit_id}/selesai"]')
    done.locator('input[name="volume"]').fill("2,5")
    journey.submit(done)  # the photo was kept from the refused try
    journey.url_is("/malang/kelola/sipaldi/kru/")
    expect(page.locator(".flash")).to_contain_text("Kunjungan dicatat selesai")
    journey.shot("crew-done")

    # 4. The truck delivers at the plant: the gate logs 2,5 m³ carrying that visit.
    log_in(journey, live_server, GATE, f"/malang/kelola/sipaldi/iplt/?truck={desludging['truck']}")
    delivery = main.locator('form[method="post"][action="/malang/kelola/sipaldi/iplt/"]')
    expect(delivery.locator(f'input[name="visit"][value="{visit_id}"]')).to_be_checked()
    delivery.locator('input[name="volume"]').fill("2,5")
    journey.submit(delivery)
    journey.url_is("/malang/kelola/sipaldi/iplt/")
    expect(page.locator(".flash")).to_contain_text("Pengiriman sudah dicatat")
    journey.shot("gate")

    # 5. The household pays the disposal fee, Rp37.500, with the sandbox bank.
    log_in(journey, live_server, HOUSEHOLD, "/malang/sipaldi/tangki/")
    expect(main).to_contain_text("Rp37.500")
    journey.submit(main.locator('form[action^="/malang/sipaldi/biaya/"]').first)
    expect(page).to_have_url(re.compile(r"/malang/bayar/INV-[0-9A-Z-]+$"))
    number = page.url.rsplit("/", 1)[1]
    expect(main).to_contain_text("Rp37.500")
    start = main.locator('form[action$="/mulai"]')
    start.locator('input[name="method"][value="va"]').check()
    journey.submit(start)
    main.locator('a[href*="/sandbox-bank/"]').click()
    expect(main).to_contain_text("Rp37.500")
    main.locator('form[action$="/pay"] button[type="submit"]').click()

    # 6. The receipt, and the visit shows the fee paid.
    page.goto(f"{live_server}/malang/bayar/{number}")
    main.locator('a[href*="/bayar/kuitansi/"]').click()
    expect(page).to_have_url(re.compile(r"/malang/bayar/kuitansi/PAY-[0-9A-Z-]+"))
    receipt = main.locator("article.receipt")
    expect(receipt).to_contain_text("Rp37.500")
    expect(receipt).to_contain_text("Retribusi pembuangan lumpur tinja, 2,5 m³")
    journey.shot("receipt")
    page.goto(visit_url)
    expect(main).to_contain_text("Lunas")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide"
    journey.shot("visit-paid")
    # The two refused forms (a tank too large, a load above the truck) answered 400 on purpose.
    errors = [e for e in page.balai_errors if "status of 400" not in e]
    assert errors == [], "\n".join(errors)
