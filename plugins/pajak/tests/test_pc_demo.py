"""Demo data of PBJT and market fees: varied, deterministic, seeded once."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from balai import toolkit as tk
from balai.testing import write_config
from balai_pajak.pbjt import demo as pbjt_demo
from balai_pajak.pbjt.tables import Business, TaxReturn
from balai_pajak.retribusi import demo as retribusi_demo
from balai_pajak.retribusi.tables import Market, Stall, StallBill
from balai_pajak.revenue.tables import RevenueMonth

DEMO = Path(__file__).resolve().parents[3] / "examples" / "demo.toml"


@pytest.fixture
def balai_config(tmp_path, balai_cities):
    malang = tomllib.loads(DEMO.read_text())["cities"]["malang"]["settings"]["pajak"]
    return write_config(
        tmp_path / "instance",
        balai_cities,
        city_options={
            "malang": {
                "settings": {"pajak": {"pbjt": malang["pbjt"], "retribusi": malang["retribusi"]}}
            }
        },
    )


def seed_and_read():
    async def run():
        city = tk.current_city()
        first = [await pbjt_demo.seed(city), await retribusi_demo.seed(city)]
        again = [await pbjt_demo.seed(city), await retribusi_demo.seed(city)]
        return {
            "first": first,
            "again": again,
            "businesses": await Business.select(),
            "returns": await TaxReturn.select(),
            "markets": await Market.select(),
            "stalls": await Stall.count(),
            "bills": await StallBill.select(),
            "revenue": await RevenueMonth.select(),
        }

    return run


def test_demo_data_shows_every_case_once(client, city_run):
    data = city_run("malang", seed_and_read())
    assert len(data["businesses"]) == 6
    assert {m["name"] for m in data["markets"]} == {"Pasar Oro-Oro Dowo", "Pasar Besar Malang"}
    assert data["stalls"] == 16
    returns = data["returns"]
    statuses = {r["status"] for r in returns}
    assert {"paid", "unpaid"} <= statuses
    assert any(r["late_filing"] for r in returns)
    assert len(returns) < 6 * 4, "some months are not filed"
    channels = {b["paid_channel"] for b in data["bills"] if b["status"] == "paid"}
    assert "collector" in channels and channels - {"collector"}
    assert any(b["status"] == "unpaid" for b in data["bills"])
    assert {r["tax_type"] for r in data["revenue"]} == {"pbjt", "retribusi"}
    assert all(report.summary == [] for report in data["again"]), "seeding twice adds nothing"
    assert len(data["bills"]) == 16 * 4


def test_without_pbjt_rules_no_businesses_are_seeded(client, city_run):
    async def run():
        city = tk.current_city()
        await pbjt_demo.seed(city)
        return await Business.count()

    assert city_run("semarang", run) == 0
