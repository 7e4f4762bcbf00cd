"""Rules without a database: due dates, effective-dated intervals and tariffs, volumes, the fee."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from balai import toolkit as tk
from balai_sipaldi.fees.tariff import disposal_fee, tariff_on
from balai_sipaldi.premises.schedule import add_months, next_due
from balai_sipaldi.volumes import format_m3, parse_m3
from hypothesis import given
from hypothesis import strategies as st
from sipaldi_setup import city_with, malang_settings

MALANG = malang_settings()
RULE = {"effective_from": date(2021, 3, 31), "interval_months": 36, "regulation": "LLTT"}


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2200, 1, 1)), st.integers(0, 600))
def test_add_months_lands_in_the_right_month_on_the_same_or_last_day(day, months):
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day == day.day or (moved.day < day.day and (moved + timedelta(days=1)).day == 1)


def test_malang_empties_every_36_months():
    assert next_due(MALANG, date(2023, 5, 17), date(2026, 1, 1)) == date(2026, 5, 17)
    assert next_due(MALANG, date(2024, 2, 29), date(2026, 1, 1)) == date(2027, 2, 28)
    # emptied before the programme began: counted by its first rule
    assert next_due(MALANG, date(2019, 1, 10), date(2026, 1, 1)) == date(2022, 1, 10)


def test_a_tank_never_emptied_is_due_on_registration_and_nothing_without_rules():
    assert next_due(MALANG, None, date(2026, 3, 2)) == date(2026, 3, 2)
    bare = malang_settings(schedule=[])
    assert next_due(bare, None, date(2026, 3, 2)) is None
    assert next_due(bare, date(2023, 1, 1), date(2026, 3, 2)) is None


def test_the_interval_in_force_on_the_last_emptying_counts():
    later = {"effective_from": date(2025, 1, 1), "interval_months": 24, "regulation": "Perwal X"}
    settings = malang_settings(schedule=[later, RULE])  # in any order
    assert next_due(settings, date(2024, 12, 31), date(2026, 1, 1)) == date(2027, 12, 31)
    assert next_due(settings, date(2025, 1, 1), date(2026, 1, 1)) == date(2027, 1, 1)


def test_two_rules_on_one_day_are_refused():
    with pytest.raises(ValueError, match="same day"):
        malang_settings(schedule=[RULE, {**RULE, "interval_months": 24}])


def test_the_tariff_in_force_on_the_delivery_day():
    assert tariff_on(MALANG, date(2021, 3, 30)) is None
    assert tariff_on(MALANG, date(2021, 3, 31)).per_m3 == 15000
    raised = {"effective_from": date(2027, 1, 1), "per_m3": 20000, "regulation": "Perda Y"}
    settings = malang_settings(tariffs=[*MALANG_TARIFFS(), raised])
    assert tariff_on(settings, date(2026, 12, 31)).per_m3 == 15000
    assert tariff_on(settings, date(2027, 1, 1)).per_m3 == 20000


def MALANG_TARIFFS():
    return [
        {"effective_from": t.effective_from, "per_m3": t.per_m3, "regulation": t.regulation}
        for t in MALANG.tariffs
    ]


def test_the_disposal_fee_rounds_half_up_to_whole_rupiah():
    assert disposal_fee(2500, 15000) == 37500  # 2,5 m³ in Malang
    assert disposal_fee(1, 15001) == 15  # 15,001 down
    assert disposal_fee(500, 15001) == 7501  # 7.500,5 up
    assert disposal_fee(499, 15001) == 7485  # 7.485,499 down
    assert disposal_fee(0, 15000) == 0
    with pytest.raises(ValueError):
        disposal_fee(-1, 15000)


@given(st.integers(0, 100_000), st.integers(0, 10_000_000))
def test_the_fee_is_never_more_than_half_a_rupiah_off(litres, per_m3):
    exact = litres * per_m3 / 1000
    assert abs(disposal_fee(litres, per_m3) - exact) <= 0.5


def test_volumes_are_read_in_m3_and_kept_in_litres():
    assert parse_m3("2,5") == 2500
    assert parse_m3("2.5") == 2500
    assert parse_m3("3") == 3000
    assert parse_m3("0,125 m³") == 125
    for bad in ("-2", "2,5,1", "abc", "1e3", "2,5555", "١"):
        with pytest.raises(ValueError):
            parse_m3(bad)


@given(st.integers(0, 999_999_999))
def test_a_shown_volume_reads_back_the_same(litres):
    with tk.city_scope(city_with(MALANG)):
        shown = format_m3(litres)
    if "." not in shown:  # below 1.000 m³ the Indonesian form has no thousands dot
        assert parse_m3(shown) == litres
