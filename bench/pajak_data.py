"""PBB-P2 rows for the pajak bench: a city roll of tax objects with yearly bills.

``OBJECTS`` tax objects across Malang's five districts, each with bills for
:data:`YEARS` (older years paid, the latest ones not), written through a
second application on the bench instance's database (its own connections,
opened and closed here). The bench citizen has :data:`LINKED` NOPs linked,
with one bill in an invoice awaiting payment, so "My bills" shows every kind
of bill: paid with its invoice, unpaid and late (penalty lines), not yet due,
and pending.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bench import instance

OBJECTS = 5_000
YEARS = (2020, 2021, 2022, 2023, 2024, 2025)
LINKED = 3
DISTRICTS = {
    "010": ("Kedungkandang", "Kotalama"),
    "020": ("Sukun", "Gadang"),
    "030": ("Klojen", "Oro-oro Dowo"),
    "040": ("Blimbing", "Purwantoro"),
    "050": ("Lowokwaru", "Dinoyo"),
}
BATCH = 500


def nop_of(serial: int) -> str:
    """The NOP of the bench's object number ``serial``: 35.73, a district, block, number."""
    district = list(DISTRICTS)[serial % len(DISTRICTS)]
    return f"3573{district}001{serial // 1000 + 1:03d}{serial % 1000:04d}0"


def lookup_nop() -> str:
    """A NOP the lookup page is timed with (not linked to the citizen)."""
    return nop_of(OBJECTS // 2)


async def _seed(inst: instance.Instance, citizen_id: int) -> None:
    from balai.config import load_config
    from balai.tenants import city_scope
    from balai.web.app import create_app
    from balai_pajak.tables import BillPayment, NopLink, Sppt, TaxObject

    config = load_config(inst.config_path, environ=inst.environ())
    app = create_app(config, plugins=inst.plugins)
    await app.ui.database.open()
    now = datetime.now(UTC)
    try:
        with city_scope(app.ui.config.cities[instance.CITY]):
            for start in range(0, OBJECTS, BATCH):
                serials = range(start, min(start + BATCH, OBJECTS))
                await TaxObject.insert(
                    *(
                        TaxObject(
                            nop=nop_of(s),
                            address=f"Jl. Bench No. {s}",
                            district=DISTRICTS[nop_of(s)[4:7]][0],
                            village=DISTRICTS[nop_of(s)[4:7]][1],
                            land_area=100 + s % 400,
                            building_area=60 + s % 200,
                            updated_at=now,
                        )
                        for s in serials
                    )
                )
            ids = {r["nop"]: r["id"] for r in await TaxObject.select(TaxObject.id, TaxObject.nop)}
            for start in range(0, OBJECTS, BATCH // len(YEARS)):
                serials = range(start, min(start + BATCH // len(YEARS), OBJECTS))
                await Sppt.insert(
                    *(_bill(nop_of(s), ids[nop_of(s)], y, s, now) for s in serials for y in YEARS)
                )
            for serial in range(LINKED):
                nop = nop_of(serial)
                await NopLink.insert(
                    NopLink(user_id=citizen_id, tax_object=ids[nop], nop=nop, created_at=now)
                )
            pending = await Sppt.select(Sppt.id).where(
                (Sppt.nop == nop_of(0)) & (Sppt.year == YEARS[-2])
            )
            await BillPayment.insert(
                BillPayment(
                    invoice_number="INV-2026-BNCH-0001",
                    sppt=pending[0]["id"],
                    principal=100_000,
                    penalty=5_000,
                    created_at=now,
                    status="pending",
                )
            )
    finally:
        await app.ui.database.close()


def _bill(nop: str, object_id: int, year: int, serial: int, now: datetime) -> Any:
    from balai_pajak.tables import Sppt

    paid = year <= YEARS[-3]
    tax_due = 50_000 + (serial % 50) * 7_500 + (year - YEARS[0]) * 2_500
    return Sppt(
        tax_object=object_id,
        nop=nop,
        year=year,
        taxpayer_name=f"WAJIB PAJAK {serial}",
        njop_total=tax_due * 500,
        tax_due=tax_due,
        due_date=date(year, 8, 31) if year < YEARS[-1] else (now + timedelta(days=60)).date(),
        status="paid" if paid else "unpaid",
        paid_at=datetime(year, 7, 15, 3, 0, tzinfo=UTC) if paid else None,
        paid_principal=tax_due if paid else 0,
        invoice_number=f"INV-{year}-BNCH-{serial % 10000:04d}" if paid else "",
        regulation="Perda Kota Malang 1/2025",
        created_at=now,
    )


def seed(inst: instance.Instance, citizen_id: int) -> None:
    """Write the roll, the bills and the citizen's links into the instance's database."""
    asyncio.run(_seed(inst, citizen_id))
