"""Daily metrics: the aggregates that dashboard widgets and open datasets read.

The pattern for plugin authors: when something countable happens (a permit
issued, a payment settled), add to a metric in the same transaction::

    await tk.bump_metric("pasar.orders")                 # one more today
    await tk.bump_metric("pasar.revenue", invoice.amount)

and read it at page time with :func:`metric_series` / :func:`metric_total`,
which touch one small row per day instead of the raw records. A job that
recomputes a day from the raw records (for history, or to repair) uses
:func:`set_metric`. Days are city-local dates; every function works in the
current city (``toolkit.city_scope`` or the request's city).
"""

from __future__ import annotations

import contextlib
import contextvars
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from piccolo.query.functions.aggregate import Sum

from balai.dashboard.period import Period
from balai.dashboard.tables import DailyMetric
from balai.tenants import current_city

_METRIC = re.compile(r"^[a-z][a-z0-9_]*\.[a-z0-9_.]+$")
_UPSERT_ADD = (
    "INSERT INTO balai_dashboard_daily (city, metric, day, value) VALUES ({}, {}, {}, {}) "
    "ON CONFLICT (city, metric, day) "
    "DO UPDATE SET value = balai_dashboard_daily.value + excluded.value"
)
_UPSERT_SET = (
    "INSERT INTO balai_dashboard_daily (city, metric, day, value) VALUES ({}, {}, {}, {}) "
    "ON CONFLICT (city, metric, day) DO UPDATE SET value = excluded.value"
)


def _check(metric: str) -> None:
    if not _METRIC.match(metric):
        raise ValueError(f"metric name {metric!r} must look like 'slug.what'")


def city_today() -> date:
    """Today's date in the current city's time zone."""
    return datetime.now(UTC).astimezone(current_city().tz).date()


def local_day(moment: datetime) -> date:
    """The current city's local date of a stored (UTC) time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(current_city().tz).date()


async def bump_metric(metric: str, amount: int = 1, day: date | None = None) -> None:
    """Add ``amount`` to ``metric`` on ``day`` (default: today in the city).

    Atomic (one ``INSERT ... ON CONFLICT DO UPDATE``), so concurrent writers
    never lose a count, and it joins the current transaction when one is
    open: call it where you write the record it counts.

    Args:
        metric: ``<slug>.<what>``, namespaced by your plugin's slug.
        amount: What to add (integer; negative to take away).
        day: The city-local date it belongs to.
    """
    _check(metric)
    await DailyMetric.raw(
        _UPSERT_ADD, current_city().slug, metric, day or city_today(), int(amount)
    )


async def set_metric(metric: str, day: date, value: int) -> None:
    """Set ``metric`` on ``day`` to ``value`` (for jobs that recompute a day)."""
    _check(metric)
    await DailyMetric.raw(_UPSERT_SET, current_city().slug, metric, day, int(value))


async def set_metrics(metric: str, values: dict[date, int]) -> None:
    """Set several days of ``metric`` at once (see :func:`set_metric`)."""
    for day, value in sorted(values.items()):
        await set_metric(metric, day, value)


_TOTALS_SQL = (
    "SELECT metric, SUM(CASE WHEN day >= {} THEN value ELSE 0 END) AS current, "
    "SUM(CASE WHEN day < {} THEN value ELSE 0 END) AS previous FROM balai_dashboard_daily "
    "WHERE city = {} AND day >= {} AND day <= {} GROUP BY metric"
)


@dataclass
class _Window:
    """Every metric's totals for one period and the one before, read once per page."""

    city: str
    period: Period
    previous: Period
    totals: dict[str, tuple[int, int]] | None = None
    before: dict[str, int] = field(default_factory=dict)

    async def _totals(self) -> dict[str, tuple[int, int]]:
        if self.totals is None:
            rows = await DailyMetric.raw(
                _TOTALS_SQL,
                self.period.start,
                self.period.start,
                self.city,
                self.previous.start,
                self.period.end,
            )
            self.totals = {
                r["metric"]: (int(r["current"] or 0), int(r["previous"] or 0)) for r in rows
            }
        return self.totals

    async def _before(self, metric: str) -> int:
        if metric not in self.before:
            row = (
                await DailyMetric.select(Sum(DailyMetric.value, alias="total"))
                .where((DailyMetric.metric == metric) & (DailyMetric.day < self.previous.start))
                .first()
            )
            self.before[metric] = int((row or {}).get("total") or 0)
        return self.before[metric]

    async def total(self, metric: str, period: Period, cumulative: bool) -> int | None:
        """The answer when ``period`` is the page's period or the one before, else ``None``."""
        if self.city != current_city().slug:
            return None
        span = (period.start, period.end)
        if span == (self.period.start, self.period.end):
            current, previous = (await self._totals()).get(metric, (0, 0))
            return current + (previous + await self._before(metric) if cumulative else 0)
        if span == (self.previous.start, self.previous.end):
            previous = (await self._totals()).get(metric, (0, 0))[1]
            return previous + (await self._before(metric) if cumulative else 0)
        return None


_window: contextvars.ContextVar[_Window | None] = contextvars.ContextVar(
    "balai_metric_window", default=None
)


@contextlib.contextmanager
def reading_window(period: Period) -> Iterator[None]:
    """Answer the totals of ``period`` and the one before from one statement (the page).

    Inside the block, :func:`metric_total` for exactly the page's period or
    ``period.previous()`` is served from one ``GROUP BY metric`` statement
    that sums every metric over both periods, read on first use: one row per
    metric, whatever the number of days or widgets. A cumulative total adds
    one cached sum per metric of the days before. Other reads (series, other
    ranges) go to the database as usual. The page wraps all widgets of all
    plugins in one window.
    """
    token = _window.set(_Window(current_city().slug, period, period.previous()))
    try:
        yield
    finally:
        _window.reset(token)


async def _daily(metric: str, start: date | None, end: date) -> list[tuple[date, int]]:
    query = DailyMetric.select(DailyMetric.day, DailyMetric.value).where(
        (DailyMetric.metric == metric) & (DailyMetric.day <= end)
    )
    if start is not None:
        query = query.where(DailyMetric.day >= start)
    return [(_as_date(r["day"]), int(r["value"])) for r in await query]


def _as_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


async def metric_series(metric: str, period: Period) -> list[tuple[str, int]]:
    """The metric per day (or per month) of ``period``, zeros included.

    Returns:
        ``(label, value)`` pairs in order, one per bucket of the period
        (labels ``2026-11-05`` or ``2026-11``), ready for ``Widget.chart``.
    """
    _check(metric)
    totals = dict.fromkeys(period.buckets(), 0)
    for day, value in await _daily(metric, period.start, period.end):
        totals[period.bucket_of(day)] = totals.get(period.bucket_of(day), 0) + value
    return [(period.label(bucket), value) for bucket, value in totals.items()]


async def metric_total(metric: str, period: Period, *, cumulative: bool = False) -> int:
    """The metric summed over ``period`` (or, with ``cumulative``, over all days up to its end)."""
    _check(metric)
    window = _window.get()
    if window is not None:
        found = await window.total(metric, period, cumulative)
        if found is not None:
            return found
    rows = await _daily(metric, None if cumulative else period.start, period.end)
    return sum(value for _, value in rows)


async def metric_months(metric: str) -> list[tuple[str, int]]:
    """The metric per calendar month over all recorded days: ``("2026-11", total)``."""
    _check(metric)
    rows = await DailyMetric.select(DailyMetric.day, DailyMetric.value).where(
        DailyMetric.metric == metric
    )
    months: dict[str, int] = {}
    for row in rows:
        key = _as_date(row["day"]).strftime("%Y-%m")
        months[key] = months.get(key, 0) + int(row["value"])
    return sorted(months.items())


def count_by_day(moments: Iterable[datetime]) -> dict[date, int]:
    """Count stored (UTC) times per city-local day (for jobs that recompute)."""
    counts: dict[date, int] = {}
    for moment in moments:
        day = local_day(moment)
        counts[day] = counts.get(day, 0) + 1
    return counts
