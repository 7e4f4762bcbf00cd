"""PBJT rules as pure functions: the month's rule, the tax, deadlines, late flags, penalties."""

from __future__ import annotations

from datetime import date

import msgspec
import pytest
from balai_pajak.months import Month, MonthError, months_late
from balai_pajak.pbjt import rules
from balai_pajak.pbjt.settings import PbjtRule, PbjtSettings
from hypothesis import given
from hypothesis import strategies as st

OLD = PbjtRule(
    effective_from=date(2022, 1, 1),
    regulation="Perda lama",
    restaurant_ppm=100_000,
    parking_ppm=200_000,
    filing_day=20,
    payment_day=20,
    late_filing_fine=50_000,
    late_payment_ppm_per_month=20_000,
    late_payment_max_months=24,
)
NEW = PbjtRule(
    effective_from=date(2024, 1, 1),
    regulation="Perda 4/2023",
    restaurant_ppm=100_000,
    hotel_ppm=100_000,
    parking_ppm=100_000,
    filing_day=10,
    payment_day=15,
    late_filing_fine=100_000,
    late_payment_ppm_per_month=10_000,
    late_payment_max_months=24,
)
SETTINGS = PbjtSettings(rules=(NEW, OLD))


# --- months -----------------------------------------------------------------------


def test_month_parses_and_counts_across_years():
    assert Month.parse("2026-03") == Month(2026, 3)
    assert Month(2025, 12).next() == Month(2026, 1)
    assert Month(2026, 1).previous() == Month(2025, 12)
    assert str(Month(2026, 3)) == "2026-03"


@pytest.mark.parametrize("typed", ["2026-13", "2026-00", "26-03", "2026/03", "", "2026-3"])
def test_month_refuses_what_is_not_a_month(typed):
    with pytest.raises(MonthError):
        Month.parse(typed)


def test_month_last_day_knows_leap_years():
    assert Month(2024, 2).last_day == date(2024, 2, 29)
    assert Month(2025, 2).last_day == date(2025, 2, 28)
    assert Month(2100, 2).last_day == date(2100, 2, 28)
    assert Month(2025, 2).day(31) == date(2025, 2, 28)


@pytest.mark.parametrize(
    ("deadline", "on", "months"),
    [
        (date(2026, 1, 15), date(2026, 1, 15), 0),
        (date(2026, 1, 15), date(2026, 1, 14), 0),
        (date(2026, 1, 15), date(2026, 1, 16), 1),  # a day late is a whole month
        (date(2026, 1, 15), date(2026, 2, 15), 1),
        (date(2026, 1, 15), date(2026, 2, 16), 2),
        (date(2026, 1, 31), date(2026, 2, 28), 1),  # short month ends the first month
        (date(2026, 1, 31), date(2026, 3, 1), 2),
        (date(2024, 1, 31), date(2024, 2, 29), 1),  # leap year
        (date(2025, 12, 15), date(2026, 1, 16), 2),  # across the year
    ],
)
def test_months_late_counts_a_started_month_as_whole(deadline, on, months):
    assert months_late(deadline, on) == months


@given(st.dates(date(2020, 1, 1), date(2030, 12, 31)), st.integers(0, 2000))
def test_months_late_never_decreases_and_grows_at_most_one_a_day(deadline, days):
    from datetime import timedelta

    on = deadline + timedelta(days=days)
    today = months_late(deadline, on)
    tomorrow = months_late(deadline, on + timedelta(days=1))
    assert 0 <= tomorrow - today <= 1
    assert today <= days


# --- the rule of a month ------------------------------------------------------------


def test_the_rule_in_force_follows_the_month():
    assert rules.rule_for(SETTINGS, Month(2023, 12)) is OLD
    assert rules.rule_for(SETTINGS, Month(2024, 1)) is NEW
    with pytest.raises(rules.NoRuleError):
        rules.rule_for(SETTINGS, Month(2021, 12))


def test_no_rules_means_no_filing():
    with pytest.raises(rules.NoRuleError):
        rules.rule_for(PbjtSettings(), Month(2026, 1))


def test_a_kind_without_a_rate_is_not_taxed():
    with pytest.raises(rules.NoRuleError):
        rules.rate_ppm(OLD, "hotel")
    with pytest.raises(rules.NoRuleError):
        rules.rate_ppm(NEW, "casino")


def test_two_rules_on_one_day_are_refused():
    with pytest.raises(msgspec.ValidationError, match="same day"):
        msgspec.convert(
            {"rules": [{"effective_from": "2024-01-01", "regulation": "a"}] * 2}, PbjtSettings
        )


# --- tax and deadlines ----------------------------------------------------------------


def test_tax_is_the_rate_of_the_turnover_rounded_half_up():
    assert rules.tax_on(12_345_678, 100_000) == 1_234_568
    assert rules.tax_on(5, 100_000) == 1  # 0.5 rounds up
    assert rules.tax_on(4, 100_000) == 0
    assert rules.tax_on(0, 100_000) == 0


def test_same_turnover_is_taxed_by_the_months_rule():
    parking_2023 = rules.assess(SETTINGS, "parking", Month(2023, 12), 10_000_000, date(2024, 1, 5))
    parking_2024 = rules.assess(SETTINGS, "parking", Month(2024, 1), 10_000_000, date(2024, 2, 5))
    assert parking_2023.tax_due == 2_000_000 and parking_2023.regulation == "Perda lama"
    assert parking_2024.tax_due == 1_000_000 and parking_2024.regulation == "Perda 4/2023"


def test_deadlines_fall_in_the_next_month_even_in_december():
    assessed = rules.assess(SETTINGS, "restaurant", Month(2025, 12), 1_000_000, date(2026, 1, 10))
    assert assessed.filing_deadline == date(2026, 1, 10)
    assert assessed.payment_deadline == date(2026, 1, 15)
    assert not assessed.late_filing and assessed.late_filing_fine == 0


def test_a_return_filed_after_the_deadline_day_is_late_and_fined():
    late = rules.assess(SETTINGS, "restaurant", Month(2025, 12), 1_000_000, date(2026, 1, 11))
    assert late.late_filing and late.late_filing_fine == 100_000


def test_negative_or_absurd_turnover_is_refused():
    with pytest.raises(ValueError):
        rules.assess(SETTINGS, "restaurant", Month(2025, 12), -1, date(2026, 1, 5))
    with pytest.raises(ValueError):
        rules.assess(SETTINGS, "restaurant", Month(2025, 12), 10**13, date(2026, 1, 5))


# --- penalties -----------------------------------------------------------------------


def test_nothing_is_owed_beyond_tax_and_fine_until_the_payment_deadline():
    owed = rules.amount_owed(
        SETTINGS, Month(2025, 12), 1_000_000, 100_000, date(2026, 1, 15), date(2026, 1, 15)
    )
    assert (owed.principal, owed.fine, owed.penalty, owed.total) == (
        1_000_000,
        100_000,
        0,
        1_100_000,
    )


def test_late_payment_costs_the_rate_per_started_month():
    owed = rules.amount_owed(
        SETTINGS, Month(2025, 12), 1_000_000, 0, date(2026, 1, 15), date(2026, 3, 16)
    )
    assert owed.months_late == 3 and owed.penalty == 30_000 and owed.total == 1_030_000


def test_the_penalty_stops_at_the_cap_and_follows_the_months_rule():
    new = rules.amount_owed(
        SETTINGS, Month(2024, 1), 1_000_000, 0, date(2024, 2, 15), date(2030, 1, 1)
    )
    assert new.months_late == 24 and new.penalty == 240_000
    old = rules.amount_owed(
        SETTINGS, Month(2023, 1), 1_000_000, 0, date(2023, 2, 20), date(2023, 4, 1)
    )
    assert old.penalty_ppm_per_month == 20_000 and old.penalty == 40_000


@given(st.integers(0, 10**10), st.integers(0, 3000))
def test_amount_owed_is_monotonic_in_time_and_bounded(tax, days):
    from datetime import timedelta

    deadline = date(2025, 1, 15)
    on = deadline + timedelta(days=days)
    owed = rules.amount_owed(SETTINGS, Month(2024, 12), tax, 0, deadline, on)
    later = rules.amount_owed(SETTINGS, Month(2024, 12), tax, 0, deadline, on + timedelta(days=31))
    assert owed.total <= later.total
    assert owed.penalty <= (tax * 10_000 * 24 + 500_000) // 1_000_000


# --- when an online payment closes -------------------------------------------------------


def test_an_invoice_closes_in_a_day_unless_the_penalty_grows_tomorrow():
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from balai_pajak.pbjt.service import invoice_due_at

    wib = ZoneInfo("Asia/Jakarta")
    now = datetime(2026, 3, 15, 10, 0, tzinfo=UTC)  # 17:00 in Malang
    assert invoice_due_at(now, wib, changes_tomorrow=False) == datetime(
        2026, 3, 16, 10, 0, tzinfo=UTC
    )
    closing = invoice_due_at(now, wib, changes_tomorrow=True)
    assert closing == datetime(2026, 3, 15, 17, 0, tzinfo=UTC)  # midnight in Malang
    late_evening = datetime(2026, 3, 15, 16, 59, tzinfo=UTC)  # 23:59 in Malang
    assert invoice_due_at(late_evening, wib, changes_tomorrow=True) > late_evening


def test_rates_read_as_percentages_without_trailing_zeros():
    from balai_pajak.pbb.penalty import rate_text as rate_label

    assert rate_label(100_000) == "10%"
    assert rate_label(125_000) in ("12.5%", "12,5%")
    assert rate_label(5) in ("0.0005%", "0,0005%")
