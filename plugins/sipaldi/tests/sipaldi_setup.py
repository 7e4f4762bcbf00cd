"""Shared test set-up: the demo's sipaldi settings (one source) and rows to start from."""

from __future__ import annotations

import tomllib
from datetime import UTC, date, datetime
from pathlib import Path

import msgspec
from balai import toolkit as tk
from balai_sipaldi.settings import SipaldiSettings
from balai_sipaldi.tables import Operator, Premises, ServiceArea, Truck, Visit

DEMO_TOML = Path(__file__).resolve().parents[3] / "examples" / "demo.toml"


def demo_sipaldi(city: str) -> dict:
    """The raw ``[cities.<city>.settings.sipaldi]`` table of the demo instance."""
    document = tomllib.loads(DEMO_TOML.read_text(encoding="utf-8"))
    return document["cities"][city]["settings"]["sipaldi"]


def malang_settings(**changes) -> SipaldiSettings:
    """Malang's demo settings, validated as at start-up, with ``changes``."""
    raw = {**demo_sipaldi("malang"), **changes}
    return msgspec.convert(raw, SipaldiSettings, strict=False)


def city_with(settings: SipaldiSettings, slug: str = "malang") -> tk.City:
    """A city whose sipaldi settings are ``settings``."""
    return tk.City(slug=slug, name=f"Kota {slug.title()}", settings={"sipaldi": settings})


def add_premises(
    *,
    owner_id: int | None = None,
    address: str = "Jl. Semeru No. 9",
    kelurahan: str = "Kauman",
    kecamatan: str = "Klojen",
    litres: int = 2000,
    next_due: date | None = date(2026, 1, 1),
    last: date | None = None,
    nop: str = "",
):
    """An async function adding one premises; run it with ``city_run``; returns its id."""

    async def insert():
        rows = await Premises.insert(
            Premises(
                owner_id=owner_id,
                address=address,
                kelurahan=kelurahan,
                kecamatan=kecamatan,
                nop=nop,
                tank_litres=litres,
                hose_metres=10,
                last_desludged=last,
                next_due=next_due,
                created_at=datetime.now(UTC),
            )
        ).returning(Premises.id)
        return rows[0]["id"]

    return insert


def premises_rows():
    """An async function giving every premises of the city (for ``city_run``)."""

    async def rows():
        return await Premises.select().order_by(Premises.id)

    return rows


def add_operator(
    name: str = "CV Uji Sedot",
    licence: str = "503/UJI/001",
    fee: int = 250_000,
    trucks: tuple[tuple[str, int, int], ...] = (("N 1 AB", 3000, 2),),
    kelurahan: tuple[tuple[str, str], ...] = (("Kauman", "Klojen"),),
):
    """An async function adding an operator with trucks and areas; gives (its id, truck ids)."""

    async def insert():
        rows = await Operator.insert(
            Operator(
                name=name, licence_number=licence, service_fee=fee, created_at=datetime.now(UTC)
            )
        ).returning(Operator.id)
        operator_id = rows[0]["id"]
        truck_ids = []
        for plate, litres, trips in trucks:
            made = await Truck.insert(
                Truck(
                    operator_id=operator_id,
                    plate=plate,
                    capacity_litres=litres,
                    trips_per_day=trips,
                )
            ).returning(Truck.id)
            truck_ids.append(made[0]["id"])
        for kel, kec in kelurahan:
            await ServiceArea.insert(
                ServiceArea(operator_id=operator_id, kelurahan=kel, kecamatan=kec)
            )
        return operator_id, truck_ids

    return insert


def add_visit(
    premises_id: int, truck_id: int, day: date, *, status: str = "scheduled", litres: int = 2500
):
    """An async function adding a visit (published by default); returns its id."""

    async def insert():
        rows = await Visit.insert(
            Visit(
                premises_id=premises_id,
                truck_id=truck_id,
                day=day,
                planned_litres=litres,
                status=status,
                created_at=datetime.now(UTC),
            )
        ).returning(Visit.id)
        return rows[0]["id"]

    return insert


def table_rows(table):
    """An async function giving every row of ``table`` in the city, by id (for ``city_run``)."""

    async def rows():
        return await table.select().order_by(table.id)

    return rows


def photo() -> bytes:
    """A small real PNG (the files service checks images by their content)."""
    import io

    from PIL import Image

    data = io.BytesIO()
    Image.new("RGB", (8, 8), (120, 90, 40)).save(data, format="PNG")
    return data.getvalue()


def link_staff(user_id: int, truck_id: int | None = None, operator_id: int | None = None):
    """An async function linking an account to a truck's crew (or an operator's office)."""

    async def insert():
        from balai_sipaldi.firm.staff import link

        operator = operator_id
        if operator is None:
            truck = await Truck.select(Truck.operator_id).where(Truck.id == truck_id).first()
            operator = truck["operator_id"]
        await link(user_id, operator, truck_id)

    return insert
