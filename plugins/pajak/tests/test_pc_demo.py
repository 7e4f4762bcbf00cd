"""Demo data of PBJT and market fees: varied, deterministic, seeded once."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from balai import toolkit as tk
from balai.payments.tables import Payment, PaymentInvoice
from balai.testing import as_demo_seeding, write_config
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
            "invoices": await PaymentInvoice.select(),
            "payments": await Payment.select(),
        }

    return as_demo_seeding(run)


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


def test_paid_online_demo_bills_and_returns_are_settled_ledger_invoices(client, city_run):
    data = city_run("malang", seed_and_read())
    invoices = {i["number"]: i for i in data["invoices"]}
    assert len(data["payments"]) == len(invoices)
    paid_returns = [r for r in data["returns"] if r["status"] == "paid"]
    assert paid_returns
    for tax_return in paid_returns:
        invoice = invoices[tax_return["invoice_number"]]
        assert (invoice["status"], invoice["source_ref"]) == ("paid", f"pbjt:{tax_return['id']}")
        assert invoice["amount"] == tax_return["paid_amount"]
        assert invoice["provider"] == tax_return["paid_channel"]
    paid_bills = [b for b in data["bills"] if b["status"] == "paid"]
    online = [b for b in paid_bills if b["paid_channel"] != "collector"]
    assert online and all(
        invoices[b["invoice_number"]]["source_ref"] == f"retribusi:{b['id']}"
        and invoices[b["invoice_number"]]["amount"] == b["amount"]
        for b in online
    )
    assert all(b["invoice_number"] == "" for b in paid_bills if b["paid_channel"] == "collector")
    assert len(invoices) == len(paid_returns) + len(online)


def test_without_pbjt_rules_no_businesses_are_seeded(client, city_run):
    async def run():
        city = tk.current_city()
        await pbjt_demo.seed(city)
        return await Business.count()

    assert city_run("semarang", as_demo_seeding(run)) == 0
