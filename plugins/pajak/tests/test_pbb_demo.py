"""PBB-P2 demo data: thousands of Malang objects, five years of bills by the assessment code."""

from __future__ import annotations

import time as clock
from collections import Counter
from datetime import UTC, date, datetime

import pytest
from balai.testing import write_config
from balai_pajak import demo
from balai_pajak.assessment import assess, njop_of, njoptkp_holders
from balai_pajak.penalty import amount_owed
from balai_pajak.tables import AssessmentRun, Sppt, TaxObject, Taxpayer
from pbb_data import demo_pbb


@pytest.fixture
def balai_config(tmp_path, balai_cities):
    return write_config(
        tmp_path / "instance",
        {**balai_cities, "yogyakarta": ["pajak"]},
        city_options={
            "malang": {"settings": {"pajak": {"pbb": demo_pbb("malang")}}},
            "yogyakarta": {"settings": {"pajak": {"pbb": demo_pbb("yogyakarta")}}},
        },
    )


def test_malang_demo_has_thousands_of_objects_and_five_years_of_bills(balai_app, city_run):
    city = balai_app.ui.config.cities["malang"]
    started = clock.perf_counter()
    report = city_run("malang", demo.seed, city)
    seconds = clock.perf_counter() - started
    print(f"Malang PBB demo seeded in {seconds:.2f}s")
    assert report.summary[0].startswith("pajak: 3000 tax objects of ")

    objects = city_run("malang", lambda: TaxObject.select())
    assert len(objects) == 3000
    assert {o["district"] for o in objects} == {
        "Blimbing",
        "Kedungkandang",
        "Klojen",
        "Lowokwaru",
        "Sukun",
    }
    assert len({(o["district"], o["village"]) for o in objects}) == 57
    assert all(o["nop"].startswith("3573") and len(o["nop"]) == 18 for o in objects)
    kotalama = next(o for o in objects if o["nop"] == "357301000100100010")
    assert (kotalama["district"], kotalama["village"]) == ("Kedungkandang", "Kotalama")
    payers = Counter(o["taxpayer"] for o in objects)
    assert city_run("malang", Taxpayer.count) == len(payers)
    assert max(payers.values()) > 1  # some own several objects

    bills = city_run("malang", lambda: Sppt.select())
    active = [o for o in objects if o["is_active"]]
    assert Counter(b["year"] for b in bills) == {y: len(active) for y in range(2022, 2027)}
    today = datetime.now(UTC).astimezone(city.tz).date()
    statuses = Counter((b["year"], b["status"] == "paid" or b["due_date"] >= today) for b in bills)
    for year in range(2022, 2026):
        assert statuses[(year, True)] > 0 and statuses[(year, False)] > 0  # paid and overdue

    # Every bill is what the assessment code makes of its object under the year's rule.
    rules = city.settings_for("pajak").pbb
    holders = njoptkp_holders((o["nop"], o["taxpayer"], njop_of(o)[2]) for o in active)
    by_id = {o["id"]: o for o in objects}
    for bill in bills[::97]:
        obj = by_id[bill["tax_object"]]
        figures = assess(
            obj,
            rules.rule_for(bill["year"]),
            bill["year"],
            issued_on=date(bill["year"], 1, 2),
            gets_njoptkp=obj["nop"] in holders,
        )
        assert (bill["tax_due"], bill["rate_ppm"], bill["regulation"]) == (
            figures.tax_due,
            figures.rate_ppm,
            figures.regulation,
        )
        if bill["status"] == "paid":
            paid_on = bill["paid_at"].astimezone(city.tz).date()
            owed = amount_owed({**bill, "status": "unpaid", "paid_principal": 0}, paid_on, city)
            assert (bill["paid_principal"], bill["paid_penalty"]) == (owed.principal, owed.penalty)
    runs = city_run("malang", lambda: AssessmentRun.select())
    assert sorted(r["year"] for r in runs) == [2022, 2023, 2024, 2025, 2026]

    again = city_run("malang", demo.seed, city)
    assert again.summary == []
    assert city_run("malang", TaxObject.count) == 3000


def test_yogyakarta_demo_uses_its_own_rule(balai_app, city_run):
    city = balai_app.ui.config.cities["yogyakarta"]
    city_run("yogyakarta", demo.seed, city)
    bills = city_run("yogyakarta", lambda: Sppt.select().where(Sppt.year == 2025))
    assert bills and all(b["due_date"].isoformat() == "2025-07-02" for b in bills)
    assert all(b["tax_due"] >= 10_000 for b in bills if b["njop_total"])  # minimum tax
    assert all(b["tax_due"] % 100 == 0 for b in bills)  # rounded to Rp100
    assert city_run("malang", TaxObject.count) == 0
