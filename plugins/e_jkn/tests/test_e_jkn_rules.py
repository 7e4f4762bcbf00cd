"""Effective-dated eligibility rules: the entry in force on a day, each citing its regulation."""

from __future__ import annotations

from datetime import date, timedelta

import msgspec
from balai_e_jkn.settings import EligibilityRules, EnrolmentSettings
from hypothesis import given, settings
from hypothesis import strategies as st

RULES = (
    EligibilityRules(date(2020, 5, 1), "Perpres 82/2018", annual_quota=3000),
    EligibilityRules(date(2026, 1, 1), "Perwali 2026", verified=True, annual_quota=5000),
    EligibilityRules(date(2024, 1, 1), "Perwali 2024", annual_quota=4000),
)


def test_the_latest_rule_on_or_before_the_day_applies():
    settings = EnrolmentSettings(rules=RULES)
    assert settings.rules_on(date(2025, 12, 31)).regulation == "Perwali 2024"
    assert settings.rules_on(date(2026, 1, 1)).annual_quota == 5000
    assert settings.rules_on(date(2021, 6, 1)).annual_quota == 3000


def test_without_rules_the_quota_setting_applies_and_the_rule_is_unverified():
    rules = EnrolmentSettings(annual_quota=1234).rules_on(date(2026, 1, 1))
    assert rules.annual_quota == 1234 and not rules.verified
    assert "belum diverifikasi" in rules.regulation


def test_a_rule_needs_its_regulation_and_a_valid_class():
    raw = {"rules": [{"effective_from": "2026-01-01", "care_class": 3}]}
    try:
        msgspec.convert(raw, EnrolmentSettings)
    except msgspec.ValidationError as exc:
        assert "regulation" in str(exc)
    else:
        raise AssertionError("a rule without its regulation was accepted")
    bad = {"rules": [{"effective_from": "2026-01-01", "regulation": "x", "care_class": 4}]}
    try:
        msgspec.convert(bad, EnrolmentSettings)
    except msgspec.ValidationError:
        pass
    else:
        raise AssertionError("care class 4 was accepted")


@settings(deadline=None)  # timing is not what is tested (a shared machine once took 200 ms)
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)))
def test_the_rule_in_force_never_starts_after_the_day(day):
    city = EnrolmentSettings(rules=RULES)
    rules = city.rules_on(day)
    if day < date(2020, 5, 1):
        assert rules.regulation.startswith("Perpres 82/2018 as amended")  # the default
    else:
        assert rules.effective_from <= day
        later = [r for r in RULES if rules.effective_from < r.effective_from <= day]
        assert not later
    assert city.rules_on(day + timedelta(days=1)).effective_from >= rules.effective_from
