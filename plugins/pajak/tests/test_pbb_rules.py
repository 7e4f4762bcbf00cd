"""PBB-P2 rules as settings: validation with key paths, the rule of a year,
rates, rounding, due dates, calendar months."""

from __future__ import annotations

from datetime import date

import msgspec
import pytest
from balai_pajak.pbb.calendar import add_months, months_after
from balai_pajak.pbb.rules import NoRuleError, PbbRule, PbbSettings, pbb_settings
from pbb_data import city_with, demo_pbb

MALANG = msgspec.convert(demo_pbb("malang"), PbbSettings, strict=False)


def rule(**given) -> PbbRule:
    base = {"valid_from": 2025, "regulation": "Perda X", "njoptkp": 0, "rate_ppm": 2000}
    base.update(given)
    if "due_months_after_issue" not in base:
        base.setdefault("due_month", 8)
        base.setdefault("due_day", 31)
    return msgspec.convert(base, PbbRule, strict=False)


# --- Malang's rules as the demo instance sets them ---------------------------------


def test_malang_2024_uses_four_bands_and_2025_a_single_rate():
    old, new = MALANG.rule_for(2024), MALANG.rule_for(2025)
    assert old.regulation == "Perda Kota Malang 4/2023"
    assert [b.rate_ppm for b in old.bands] == [550, 1120, 1450, 1670]
    assert old.bands[0].up_to == 1_500_000_000
    assert new.regulation == "Perda Kota Malang 1/2025"
    assert new.rate_ppm == 2000 and new.bands == ()
    assert MALANG.rule_for(2030) == new
    assert MALANG.rule_for(2019).valid_from == 2014


def test_a_year_before_every_rule_has_no_rule():
    with pytest.raises(NoRuleError) as caught:
        MALANG.rule_for(2013)
    assert caught.value.year == 2013


def test_malang_penalty_is_two_percent_before_hkpd_and_one_percent_after():
    assert MALANG.penalty_for(2023).rate_ppm_per_month == 20_000
    assert MALANG.penalty_for(2023).regulation == "UU 28/2009"
    assert MALANG.penalty_for(2024).rate_ppm_per_month == 10_000
    assert MALANG.penalty_for(2026).cap_months == 24
    assert MALANG.penalty_for(2000) is None


def test_a_city_without_settings_has_no_rules():
    from balai import toolkit as tk

    assert pbb_settings(tk.City(slug="x", name="X")) == PbbSettings()
    with pytest.raises(NoRuleError):
        PbbSettings().rule_for(2025)


def test_demo_rules_of_every_city_are_valid():
    for slug in ("malang", "semarang", "yogyakarta"):
        settings = pbb_settings(city_with(demo_pbb(slug), slug))
        assert settings.rule_for(2026).regulation
        assert settings.penalty_for(2026).rate_ppm_per_month == 10_000


# --- rates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("njop", "rate"),
    [
        (0, 550),
        (1_500_000_000, 550),  # the bound belongs to the lower band
        (1_500_000_001, 1120),
        (5_000_000_000, 1120),
        (7_000_000_000, 1450),
        (10_000_000_001, 1670),
        (10**13, 1670),
    ],
)
def test_band_rate_is_chosen_by_the_njop_bracket(njop, rate):
    assert MALANG.rule_for(2024).rate_for(njop) == rate


def test_single_rate_applies_to_any_njop():
    assert MALANG.rule_for(2025).rate_for(10**12) == 2000
    assert MALANG.rule_for(2025).rate_for(0) == 2000


# --- rounding ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "unit", "ppm_amount", "rupiah"),
    [
        ("down", 1, 1_999_999, 1),
        ("up", 1, 1_000_001, 2),
        ("up", 1, 2_000_000, 2),
        ("nearest", 1, 1_499_999, 1),
        ("nearest", 1, 1_500_000, 2),
        ("down", 100, 12_399 * 1_000_000, 12_300),
        ("up", 100, 12_301 * 1_000_000, 12_400),
        ("nearest", 1000, 12_500 * 1_000_000, 13_000),
        ("nearest", 1000, 12_499 * 1_000_000, 12_000),
        ("down", 1, 0, 0),
    ],
)
def test_rounding_modes_and_units(mode, unit, ppm_amount, rupiah):
    assert rule(rounding=mode, rounding_unit=unit).round_tax(ppm_amount) == rupiah


# --- due dates ---------------------------------------------------------------------


def test_due_date_on_a_day_of_the_year_clips_to_the_months_end():
    assert rule(due_month=8, due_day=31).due_date(2025, date(2025, 1, 2)) == date(2025, 8, 31)
    assert rule(due_month=2, due_day=30).due_date(2024, date(2024, 1, 2)) == date(2024, 2, 29)
    assert rule(due_month=2, due_day=30).due_date(2025, date(2025, 1, 2)) == date(2025, 2, 28)


def test_due_date_counted_from_the_issue_day():
    six = rule(due_months_after_issue=6)
    assert six.due_date(2025, date(2025, 1, 15)) == date(2025, 7, 15)
    assert six.due_date(2025, date(2025, 8, 31)) == date(2026, 2, 28)


# --- validation with key paths -----------------------------------------------------


@pytest.mark.parametrize(
    ("pbb", "path", "reason"),
    [
        (
            {
                "rules": [
                    {
                        "valid_from": 2025,
                        "regulation": "X",
                        "njoptkp": 0,
                        "due_month": 8,
                        "due_day": 31,
                    }
                ]
            },
            "pbb.rules[0]",
            "either rate_ppm or bands",
        ),
        (
            {
                "rules": [
                    {
                        "valid_from": 2025,
                        "regulation": "X",
                        "njoptkp": 0,
                        "rate_ppm": 1,
                        "bands": [{"rate_ppm": 1}],
                        "due_month": 8,
                        "due_day": 31,
                    }
                ]
            },
            "pbb.rules[0]",
            "not both",
        ),
        (
            {
                "rules": [
                    {
                        "valid_from": 2025,
                        "regulation": "X",
                        "njoptkp": 0,
                        "due_month": 8,
                        "due_day": 31,
                        "bands": [{"rate_ppm": 1, "up_to": 5}],
                    }
                ]
            },
            "pbb.rules[0]",
            "last band must have no up_to",
        ),
        (
            {
                "rules": [
                    {
                        "valid_from": 2025,
                        "regulation": "X",
                        "njoptkp": 0,
                        "due_month": 8,
                        "due_day": 31,
                        "bands": [
                            {"rate_ppm": 1, "up_to": 9},
                            {"rate_ppm": 2, "up_to": 5},
                            {"rate_ppm": 3},
                        ],
                    }
                ]
            },
            "pbb.rules[0]",
            "must increase",
        ),
        (
            {"rules": [{"valid_from": 2025, "regulation": "X", "njoptkp": 0, "rate_ppm": 1}]},
            "pbb.rules[0]",
            "due_months_after_issue",
        ),
        (
            {
                "rules": [
                    {
                        "valid_from": 2025,
                        "regulation": "X",
                        "njoptkp": 0,
                        "rate_ppm": 1,
                        "due_month": 8,
                    }
                ]
            },
            "pbb.rules[0]",
            "together",
        ),
        (
            {
                "rules": [
                    {
                        "valid_from": 2025,
                        "regulation": "X",
                        "njoptkp": 0,
                        "rate_ppm": 600_000,
                        "due_month": 8,
                        "due_day": 31,
                    }
                ]
            },
            "pbb.rules[0].rate_ppm",
            "<= 50000",
        ),
        (
            {
                "rules": [
                    {
                        "valid_from": 2025,
                        "regulation": "",
                        "njoptkp": 0,
                        "rate_ppm": 1,
                        "due_month": 8,
                        "due_day": 31,
                    }
                ]
            },
            "pbb.rules[0].regulation",
            "length >= 1",
        ),
        (
            {
                "penalties": [
                    {
                        "valid_from": 2024,
                        "regulation": "HKPD",
                        "rate_ppm_per_month": 1,
                        "cap_months": 24,
                        "cap": 3,
                    }
                ]
            },
            "pbb.penalties[0]",
            "unknown field `cap`",
        ),
        (
            {
                "penalties": [
                    {
                        "valid_from": 2024,
                        "regulation": "A",
                        "rate_ppm_per_month": 1,
                        "cap_months": 24,
                    },
                    {
                        "valid_from": 2024,
                        "regulation": "B",
                        "rate_ppm_per_month": 2,
                        "cap_months": 24,
                    },
                ]
            },
            "pbb",
            "two penalties start in the same year",
        ),
    ],
)
def test_bad_rules_stop_start_up_with_the_key_path(balai_app_factory, pbb, path, reason):
    with pytest.raises(Exception, match=r"cities\.malang\.settings\.pajak\.") as caught:
        balai_app_factory(
            cities={"malang": ["pajak"]},
            plugins=["pajak"],
            city_options={"malang": {"settings": {"pajak": {"pbb": pbb}}}},
        )
    message = str(caught.value)
    assert f"cities.malang.settings.pajak.{path}" in message
    assert reason in message


# --- calendar months ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 8, 31), 1, date(2025, 9, 30)),
        (date(2025, 8, 31), 2, date(2025, 10, 31)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
        (date(2025, 3, 15), -3, date(2024, 12, 15)),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("end", "full", "part"),
    [
        (date(2025, 8, 31), 0, 0),  # on the due date: not late
        (date(2025, 8, 1), 0, 0),
        (date(2025, 9, 1), 1, 0),  # one day late: a whole month
        (date(2025, 9, 30), 1, 1),  # the first month ends on 30 September
        (date(2025, 10, 1), 2, 1),
        (date(2025, 10, 31), 2, 2),
        (date(2025, 11, 1), 3, 2),
        (date(2027, 8, 31), 24, 24),
        (date(2027, 9, 1), 25, 24),
    ],
)
def test_months_after_a_month_end_due_date(end, full, part):
    due = date(2025, 8, 31)
    assert months_after(due, end) == full
    assert months_after(due, end, part_counts_full=False) == part


def test_months_after_across_february_of_a_leap_year():
    due = date(2024, 1, 31)
    assert months_after(due, date(2024, 2, 29)) == 1
    assert months_after(due, date(2024, 3, 1)) == 2
    due = date(2024, 2, 29)
    assert months_after(due, date(2025, 2, 28)) == 12
    assert months_after(due, date(2025, 3, 1)) == 13
