"""The desludging schedule: when a tank is next due.

The interval is the city's effective-dated ``schedule`` setting, taken as in
force on the day the tank was last emptied (a tank emptied before the first
rule counts by the first rule). A tank never emptied, or whose date nobody
knows, is due on the day it is registered.
"""

from __future__ import annotations

import calendar
from datetime import date

from balai_sipaldi.dated import rule_on
from balai_sipaldi.settings import ScheduleRule, SipaldiSettings


def add_months(day: date, months: int) -> date:
    """``day`` moved ``months`` later; the 31st becomes the month's last day when it has none."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def interval_rule(settings: SipaldiSettings, day: date) -> ScheduleRule | None:
    """The schedule rule that counts for a tank emptied on ``day`` (``None``: no rule at all)."""
    if not settings.schedule:
        return None
    return rule_on(settings.schedule, day) or min(
        settings.schedule, key=lambda rule: rule.effective_from
    )


def next_due(
    settings: SipaldiSettings, last_desludged: date | None, registered: date
) -> date | None:
    """The day a tank is next due (``None`` while the city sets no schedule)."""
    if last_desludged is None:
        return registered if settings.schedule else None
    rule = interval_rule(settings, last_desludged)
    return add_months(last_desludged, rule.interval_months) if rule else None
