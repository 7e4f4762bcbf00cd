"""The core's own dashboard figures: accounts registered, kept as daily aggregates.

A job recomputes the recent days of ``core.accounts_registered`` from the
accounts table (the whole history the first time), so the page reads one row
per day and never counts accounts itself.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from balai.dashboard.metrics import (
    city_today,
    count_by_day,
    metric_series,
    metric_total,
    set_metrics,
)
from balai.dashboard.period import Period
from balai.dashboard.tables import DailyMetric
from balai.dashboard.widgets import Widget
from balai.tables import User
from balai.tenants import City, current_city
from balai.types import Dimension

ACCOUNTS = "core.accounts_registered"
RECOMPUTE_DAYS = 2  # the last aggregated day and the one before are counted again


async def refresh_accounts(city: City | None = None, **_: object) -> int:
    """Bring the daily count of registered accounts up to date; return the days written.

    Incremental: only days from the day before the last aggregated one are
    counted again (all days the first time). Idempotent.
    """
    city = city or current_city()
    last = (
        await DailyMetric.select(DailyMetric.day)
        .where(DailyMetric.metric == ACCOUNTS)
        .order_by(DailyMetric.day, ascending=False)
        .first()
    )
    query = User.select(User.created_at)
    since: date | None = None
    if last is not None:
        since = _as_date(last["day"]) - timedelta(days=RECOMPUTE_DAYS - 1)
        start = datetime.combine(since, time.min, city.tz).astimezone(UTC)
        query = query.where(User.created_at >= start)
    counts = count_by_day(row["created_at"] for row in await query)
    if since is not None:  # days in the window with no account left are zero again
        day = since
        while day <= city_today():
            counts.setdefault(day, 0)
            day += timedelta(days=1)
    await set_metrics(ACCOUNTS, counts)
    return len(counts)


def _as_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


async def account_widgets(period: Period) -> list[Widget]:
    """Registered accounts and new accounts (figures with trends), new accounts (chart)."""
    before = period.previous()
    total = await metric_total(ACCOUNTS, period, cumulative=True)
    total_before = await metric_total(ACCOUNTS, before, cumulative=True)
    new = await metric_total(ACCOUNTS, period)
    new_before = await metric_total(ACCOUNTS, before)
    series = await metric_series(ACCOUNTS, period)
    return [
        Widget.figure(
            "core.accounts_total",
            Dimension.GOVERNANCE,
            "Registered accounts",
            total,
            previous=total_before,
            note="Citizen and officer accounts at the end of the period.",
            order=10,
        ),
        Widget.figure(
            "core.accounts_new",
            Dimension.SOCIETY,
            "New accounts",
            new,
            previous=new_before,
            note="Accounts registered during the period.",
            order=10,
        ),
        Widget.chart(
            "core.accounts_per_day",
            Dimension.SOCIETY,
            "New accounts over the period",
            series,
            chart_type="bar",
            note="One bar per day, or per month for periods over three months.",
            order=20,
        ),
    ]
