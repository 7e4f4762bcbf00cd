"""Seeding PBB-P2 rows for the office tests (inside a city's scope, via ``city_run``)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from balai_pajak.tables import Sppt, TaxObject, Taxpayer


async def add_taxpayer(name: str, nik: str = "") -> int:
    row = await Taxpayer.insert(Taxpayer(name=name, nik=nik, created_at=datetime.now(UTC)))
    return row[0]["id"]


async def add_object(
    nop: str,
    taxpayer: int | None,
    *,
    land: int = 200,
    building: int = 100,
    land_m2: int = 2_000_000,
    building_m2: int = 3_000_000,
    district: str = "Klojen",
    village: str = "Kauman",
    active: bool = True,
) -> int:
    row = await TaxObject.insert(
        TaxObject(
            nop=nop,
            address=f"Jl. Uji No. {nop[-5:]}",
            district=district,
            village=village,
            land_area=land,
            building_area=building,
            land_class="A12",
            building_class="B3",
            land_njop_per_m2=land_m2,
            building_njop_per_m2=building_m2,
            taxpayer=taxpayer,
            is_active=active,
        )
    )
    return row[0]["id"]


async def add_bill(
    object_id: int, nop: str, year: int, tax_due: int, due: date, status: str = "unpaid"
) -> int:
    row = await Sppt.insert(
        Sppt(
            tax_object=object_id,
            nop=nop,
            year=year,
            tax_due=tax_due,
            due_date=due,
            status=status,
            regulation="Perda Uji",
            created_at=datetime.now(UTC),
        )
    )
    return row[0]["id"]


async def bills(year: int | None = None) -> list[dict]:
    query = Sppt.select().order_by(Sppt.nop)
    if year is not None:
        query = query.where(Sppt.year == year)
    return await query
