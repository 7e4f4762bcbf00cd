"""Effective-dated rules: which of a city's rules is in force on a day."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Protocol, TypeVar

from balai import toolkit as tk


class Dated(Protocol):
    """A rule that applies from ``effective_from`` on."""

    effective_from: date


R = TypeVar("R", bound=Dated)


def rule_on(rules: Iterable[R], day: date) -> R | None:
    """The rule in force on ``day``: the latest one started by then (``None`` before the first)."""
    started = [rule for rule in rules if rule.effective_from <= day]
    return max(started, key=lambda rule: rule.effective_from) if started else None


def city_today() -> date:
    """Today in the current city's zone."""
    return datetime.now(tk.current_city().tz).date()
