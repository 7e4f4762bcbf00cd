"""The amount owed on a day: principal, penalty per month late at the regime of the bill's year.

Labels are checked in English here (no request, no language chosen); the
pages' tests check them in Indonesian.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from balai_pajak.pbb.penalty import amount_owed, rate_text
from hypothesis import given, settings
from hypothesis import strategies as st
from pbb_data import city_with, demo_pbb

MALANG = city_with(demo_pbb("malang"))


def bill(year=2025, tax_due=1_000_000, due=date(2025, 8, 31), status="unpaid", **more) -> dict:
    return {"year": year, "tax_due": tax_due, "due_date": due, "status": status, **more}


def test_nothing_but_the_principal_until_the_due_date():
    owed = amount_owed(bill(), date(2025, 8, 31), MALANG)
    assert (owed.principal, owed.penalty, owed.months_late, owed.total) == (
        1_000_000,
        0,
        0,
        1_000_000,
    )
    assert [line.amount for line in owed.lines] == [1_000_000]
    assert owed.lines[0].label == "PBB-P2 2025 principal"


def test_one_day_late_costs_a_whole_month_at_one_percent_under_hkpd():
    owed = amount_owed(bill(), date(2025, 9, 1), MALANG)
    assert (owed.months_late, owed.penalty_months, owed.rate_ppm_per_month) == (1, 1, 10_000)
    assert owed.penalty == 10_000 and owed.total == 1_010_000
    assert owed.regulation == "UU 1/2022 (HKPD)"
    assert owed.lines[1].label == "Late penalty: 1% a month × 1 month (UU 1/2022 (HKPD))"
    assert owed.lines[1].amount == 10_000


def test_month_end_boundary_due_31_august_first_month_ends_30_september():
    assert amount_owed(bill(), date(2025, 9, 30), MALANG).months_late == 1
    assert amount_owed(bill(), date(2025, 10, 1), MALANG).months_late == 2


def test_old_years_bills_pay_two_percent_under_uu_28_2009():
    old = bill(year=2023, due=date(2023, 8, 31))
    owed = amount_owed(old, date(2023, 12, 15), MALANG)  # 4 started months
    assert (owed.months_late, owed.rate_ppm_per_month, owed.penalty) == (4, 20_000, 80_000)
    assert owed.regulation == "UU 28/2009"


def test_penalty_stops_growing_after_24_months():
    owed = amount_owed(bill(), date(2030, 1, 1), MALANG)
    assert owed.months_late > 24
    assert owed.penalty_months == 24
    assert owed.penalty == 240_000
    assert "× 24 months" in owed.lines[1].label


def test_leap_year_due_date_on_29_february():
    leap = bill(year=2024, due=date(2024, 2, 29))
    assert amount_owed(leap, date(2025, 2, 28), MALANG).months_late == 12
    assert amount_owed(leap, date(2025, 3, 1), MALANG).months_late == 13


def test_penalty_is_rounded_down_to_whole_rupiah():
    owed = amount_owed(bill(tax_due=12_345), date(2025, 9, 2), MALANG)
    assert owed.penalty == 123  # 123.45


def test_paid_and_cancelled_bills_owe_nothing():
    for status in ("paid", "cancelled"):
        owed = amount_owed(bill(status=status), date(2027, 1, 1), MALANG)
        assert owed.total == 0 and owed.lines == ()


def test_a_partly_paid_principal_is_what_remains_owed():
    owed = amount_owed(bill(paid_principal=400_000), date(2025, 9, 1), MALANG)
    assert owed.principal == 600_000 and owed.penalty == 6_000


def test_a_city_without_penalty_regimes_charges_none():
    plain = city_with({"rules": []})
    owed = amount_owed(bill(), date(2030, 1, 1), plain)
    assert owed.penalty == 0 and owed.total == 1_000_000 and len(owed.lines) == 1


def test_due_date_given_as_text_is_read():
    assert amount_owed(bill(due="2025-08-31"), date(2025, 9, 1), MALANG).months_late == 1


@pytest.mark.parametrize(
    ("ppm", "text"),
    [(20_000, "2%"), (10_000, "1%"), (550, "0.055%"), (2000, "0.2%"), (15_000, "1.5%")],
)
def test_rate_text(ppm, text):
    assert rate_text(ppm) == text


# --- properties --------------------------------------------------------------------

days = st.dates(min_value=date(2014, 1, 1), max_value=date(2035, 12, 31))
bills = st.builds(
    bill,
    year=st.integers(2014, 2030),
    tax_due=st.integers(0, 10**11),
    due=days,
)


@settings(max_examples=300, deadline=None)
@given(bills, days, st.integers(0, 4000))
def test_owed_grows_with_time_and_never_shrinks(b, on, later):
    first = amount_owed(b, on, MALANG)
    second = amount_owed(b, on + timedelta(days=later), MALANG)
    assert second.total >= first.total
    assert second.months_late >= first.months_late


@settings(max_examples=300, deadline=None)
@given(bills, days)
def test_owed_is_capped_never_negative_and_keeps_the_principal(b, on):
    owed = amount_owed(b, on, MALANG)
    regime_rate = 20_000 if b["year"] < 2024 else 10_000
    assert owed.principal == b["tax_due"]
    assert 0 <= owed.penalty <= b["tax_due"] * regime_rate * 24 // 1_000_000
    assert owed.penalty_months == min(owed.months_late, 24)
    assert owed.total == owed.principal + owed.penalty == sum(line.amount for line in owed.lines)
    if on <= b["due_date"]:
        assert owed.penalty == 0 and owed.months_late == 0
    else:
        assert owed.months_late >= 1


@settings(max_examples=200, deadline=None)
@given(bills, days)
def test_owed_is_recomputable(b, on):
    assert amount_owed(b, on, MALANG) == amount_owed(dict(b), on, MALANG)
