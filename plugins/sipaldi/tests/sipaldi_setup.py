"""Shared test set-up: the demo's sipaldi settings (one source) and rows to start from."""

from __future__ import annotations

import tomllib
from datetime import UTC, date, datetime
from pathlib import Path

import msgspec
from balai import toolkit as tk
from balai_sipaldi.settings import SipaldiSettings
from balai_sipaldi.tables import Premises

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
