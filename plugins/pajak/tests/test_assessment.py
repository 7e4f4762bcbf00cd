"""The SPPT computation: NJOP, NJOPTKP on the largest object, bands or one rate,
rounding, minimum tax, due date."""

from __future__ import annotations

from datetime import date

import msgspec
from balai_pajak.pbb.assessment import assess, njop_of, njoptkp_holders
from balai_pajak.pbb.rules import PbbRule, PbbSettings
from pbb_data import demo_pbb

MALANG = msgspec.convert(demo_pbb("malang"), PbbSettings, strict=False)
JAN = date(2024, 1, 2)


def obj(land=200, building=100, land_m2=2_000_000, building_m2=3_000_000) -> dict:
    return {
        "land_area": land,
        "building_area": building,
        "land_njop_per_m2": land_m2,
        "building_njop_per_m2": building_m2,
    }


def test_njop_is_area_times_value_per_square_metre():
    assert njop_of(obj()) == (400_000_000, 300_000_000, 700_000_000)
    assert njop_of(obj(building=0)) == (400_000_000, 0, 400_000_000)


def test_a_2024_bill_and_a_2025_bill_of_the_same_object_follow_different_rules():
    house = obj()  # NJOP Rp700 million
    old = assess(house, MALANG.rule_for(2024), 2024, issued_on=JAN, gets_njoptkp=True)
    new = assess(house, MALANG.rule_for(2025), 2025, issued_on=date(2025, 1, 2), gets_njoptkp=True)
    # (700,000,000 − 10,000,000) × 0.055% = 379,500; × 0.2% = 1,380,000
    assert (old.njoptkp, old.taxable_base, old.rate_ppm, old.tax_due) == (
        10_000_000,
        690_000_000,
        550,
        379_500,
    )
    assert old.regulation == "Perda Kota Malang 4/2023"
    assert (new.rate_ppm, new.tax_due, new.regulation) == (
        2000,
        1_380_000,
        "Perda Kota Malang 1/2025",
    )
    assert old.due_date == date(2024, 8, 31) and new.due_date == date(2025, 8, 31)


def test_the_band_rate_applies_to_the_whole_base_not_marginally():
    # NJOP Rp2 billion: the second band's 0.112% on all of it (minus NJOPTKP)
    big = obj(land=1000, building=0, land_m2=2_000_000)
    figures = assess(big, MALANG.rule_for(2024), 2024, issued_on=JAN, gets_njoptkp=True)
    assert figures.rate_ppm == 1120
    assert figures.tax_due == (2_000_000_000 - 10_000_000) * 1120 // 1_000_000


def test_without_the_njoptkp_the_whole_njop_is_taxed():
    figures = assess(obj(), MALANG.rule_for(2025), 2025, issued_on=JAN, gets_njoptkp=False)
    assert figures.njoptkp == 0
    assert figures.tax_due == 1_400_000


def test_the_njoptkp_never_exceeds_the_njop():
    tiny = obj(land=2, building=0, land_m2=1_000_000)  # NJOP Rp2 million
    figures = assess(tiny, MALANG.rule_for(2025), 2025, issued_on=JAN, gets_njoptkp=True)
    assert (figures.njoptkp, figures.taxable_base, figures.tax_due) == (2_000_000, 0, 0)


def rule(**given) -> PbbRule:
    base = {
        "valid_from": 2020,
        "regulation": "R",
        "njoptkp": 10_000_000,
        "rate_ppm": 1000,
        "due_months_after_issue": 6,
    }
    base.update(given)
    return msgspec.convert(base, PbbRule, strict=False)


def test_assessed_share_taxes_part_of_the_base():
    figures = assess(obj(), rule(assessed_percent=40), 2025, issued_on=JAN, gets_njoptkp=True)
    assert figures.taxable_base == 690_000_000 * 40 // 100
    assert figures.tax_due == 276_000


def test_rounding_rule_is_applied_to_the_tax():
    odd = obj(land=123, building=0, land_m2=1_234_567)  # NJOP 151,851,741
    down = assess(odd, rule(njoptkp=0), 2025, issued_on=JAN, gets_njoptkp=False)
    assert down.tax_due == 151_851
    near = assess(
        odd,
        rule(njoptkp=0, rounding="nearest", rounding_unit=100),
        2025,
        issued_on=JAN,
        gets_njoptkp=False,
    )
    assert near.tax_due == 151_900
    up = assess(
        odd,
        rule(njoptkp=0, rounding="up", rounding_unit=1000),
        2025,
        issued_on=JAN,
        gets_njoptkp=False,
    )
    assert up.tax_due == 152_000


def test_minimum_tax_raises_small_bills_even_those_the_njoptkp_covers():
    small = obj(land=20, building=0, land_m2=500_000)  # NJOP Rp10 million = NJOPTKP
    figures = assess(small, rule(minimum_tax=25_000), 2025, issued_on=JAN, gets_njoptkp=True)
    assert figures.taxable_base == 0 and figures.tax_due == 25_000
    nothing = obj(land=0, building=0)
    assert (
        assess(nothing, rule(minimum_tax=25_000), 2025, issued_on=JAN, gets_njoptkp=True).tax_due
        == 0
    )
    large = assess(obj(), rule(minimum_tax=25_000), 2025, issued_on=JAN, gets_njoptkp=True)
    assert large.tax_due == 690_000


def test_due_date_after_issue():
    figures = assess(obj(), rule(), 2025, issued_on=date(2025, 3, 31), gets_njoptkp=True)
    assert figures.due_date == date(2025, 9, 30)


def test_njoptkp_goes_once_per_taxpayer_to_the_largest_object():
    holders = njoptkp_holders(
        [
            ("A1", 1, 100),
            ("A2", 1, 300),  # taxpayer 1's largest
            ("A3", 1, 200),
            ("B2", 2, 50),  # tie: the lower NOP wins
            ("B1", 2, 50),
            ("C1", None, 10),  # no registered taxpayer: its own
            ("C2", None, 20),
        ]
    )
    assert holders == {"A2", "B1", "C1", "C2"}
