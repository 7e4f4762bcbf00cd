"""Shared data of the citizen PBB tests (this module holds no tests).

Malang (region 35.73) with the penalty regimes of ``examples/demo.toml``: 2 %
a month for tax years before 2024, 1 % from 2024, at most 24 months, a
started month counting as a whole. Bills are due relative to today so the
amounts never depend on the day the tests run: a bill due yesterday is one
month late.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from balai.testing import write_config
from balai_pajak.tables import Sppt, TaxObject

NOP = "357301000100100010"
NOP_SHOWN = "35.73.010.001.001-0001.0"
OTHER_NOP = "357302000300400120"
SEMARANG_NOP = "337413000100200030"
TAXPAYER = "H. MOCH. SUBAGIO"
NJOP_2025 = 152_400_000
PENALTIES = [
    {
        "valid_from": 2014,
        "regulation": "UU 28/2009",
        "rate_ppm_per_month": 20_000,
        "cap_months": 24,
    },
    {
        "valid_from": 2024,
        "regulation": "UU 1/2022 (HKPD)",
        "rate_ppm_per_month": 10_000,
        "cap_months": 24,
    },
]
SANDBOX_HREF = re.compile(r'href="([^"]*sandbox-bank/[^"]+)"')


def today() -> date:
    """Today in Malang."""
    return datetime.now(ZoneInfo("Asia/Jakarta")).date()


def pbb_config(tmp_path: Any, balai_cities: dict[str, list[str]]) -> Any:
    """Malang and Semarang with their region codes and Malang's penalty regimes."""
    return write_config(
        tmp_path / "instance",
        balai_cities,
        city_options={
            "malang": {
                "region_code": "35.73",
                "settings": {"pajak": {"pbb": {"penalties": PENALTIES}}},
            },
            "semarang": {"region_code": "33.74"},
        },
    )


def add_object(nop: str = NOP, address: str = "Jl. Ki Ageng Gribig No. 45", bills=()):
    """An async function adding a tax object and its bills in the current city.

    ``bills``: (year, tax_due, days until due (negative: past), status, njop_total).
    """

    async def insert() -> dict[str, int]:
        obj = TaxObject(
            nop=nop,
            address=address,
            district="Kedungkandang",
            village="Kotalama",
            land_area=180,
            building_area=96,
            updated_at=datetime.now(UTC),
        )
        await obj.save()
        ids = {}
        for year, tax_due, due_in, status, njop in bills:
            bill = Sppt(
                tax_object=obj.id,
                nop=nop,
                year=year,
                taxpayer_name=TAXPAYER,
                njop_total=njop,
                tax_due=tax_due,
                due_date=today() + timedelta(days=due_in),
                status=status,
                regulation="Perda Kota Malang 1/2025",
                created_at=datetime.now(UTC),
            )
            await bill.save()
            ids[year] = bill.id
        return ids

    return insert


# A 2024 bill due yesterday (1 month late at 1 %), a 2025 bill due in a month,
# a 2023 bill already paid, a 2019 bill due yesterday (old regime, 2 %).
STANDARD_BILLS = (
    (2019, 200_000, -1, "unpaid", 90_000_000),
    (2023, 250_000, -400, "paid", 120_000_000),
    (2024, 300_000, -1, "unpaid", 140_000_000),
    (2025, 500_000, 30, "unpaid", NJOP_2025),
)


@pytest.fixture
def balai_config(tmp_path, balai_cities):
    """The test instance of these modules (see the module docstring)."""
    return pbb_config(tmp_path, balai_cities)


def link(
    post_form: Any, nop: str = NOP_SHOWN, name: str = "h moch subagio", njop: str = "Rp152.400.000"
):
    """Post the link form."""
    return post_form("/malang/pajak/tautkan", {"nop": nop, "name": name, "njop": njop})
