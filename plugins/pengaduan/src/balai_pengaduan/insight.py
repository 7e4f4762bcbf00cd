"""The mayor's dashboard (Smart Society) and the open dataset: aggregates, never people.

The dashboard counts the open reports now, and for reports made in the
chosen period: the median hours to the first response and to resolution,
the share of each department's reports answered and resolved within their
SLA, and reports per category. The open dataset counts reports per
category, kelurahan and month (UTC months), nothing finer.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from statistics import median
from typing import Any

from balai import toolkit as tk

from balai_pengaduan.handling.workflow import OPEN_STATES
from balai_pengaduan.settings import city_settings
from balai_pengaduan.tables import Report

SOCIETY = tk.Dimension.SOCIETY


def _utc_range(period: tk.Period) -> tuple[datetime, datetime]:
    tz = tk.current_city().tz
    start = datetime.combine(period.start, time(), tz).astimezone(UTC)
    end = datetime.combine(period.end + timedelta(days=1), time(), tz).astimezone(UTC)
    return start, end


def _hours(later: datetime | None, earlier: datetime) -> float | None:
    if later is None:
        return None
    a = later if later.tzinfo else later.replace(tzinfo=UTC)
    b = earlier if earlier.tzinfo else earlier.replace(tzinfo=UTC)
    return (a - b).total_seconds() / 3600


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def _period_rows(period: tk.Period) -> list[dict[str, Any]]:
    start, end = _utc_range(period)
    return await Report.select(
        Report.category,
        Report.department,
        Report.created_at,
        Report.first_response_at,
        Report.resolved_at,
        Report.response_due,
        Report.resolution_due,
    ).where((Report.created_at >= start) & (Report.created_at < end))


def sla_rates(rows: list[dict[str, Any]]) -> dict[str, tuple[int, float | None, float | None]]:
    """Per department: reports, % first responses on time, % resolutions on time.

    A report still waiting counts as missed once its due time passed, and is
    left out while it still may be met.
    """
    now = datetime.now(UTC)
    out: dict[str, list[int]] = {}
    for r in rows:
        counts = out.setdefault(r["department"], [0, 0, 0, 0, 0])
        counts[0] += 1
        for index, (done, due) in enumerate(
            ((r["first_response_at"], r["response_due"]), (r["resolved_at"], r["resolution_due"]))
        ):
            if done is not None:
                counts[1 + 2 * index] += 1
                counts[2 + 2 * index] += _aware(done) <= _aware(due)
            elif _aware(due) < now:
                counts[1 + 2 * index] += 1
    return {
        dept: (c[0], 100 * c[2] / c[1] if c[1] else None, 100 * c[4] / c[3] if c[3] else None)
        for dept, c in out.items()
    }


async def widgets(request: Any, period: tk.Period) -> list[tk.Widget]:
    """Open reports, medians, SLA per department, reports per category."""
    settings = city_settings()
    open_now = await Report.count().where(Report.status.is_in(list(OPEN_STATES)))
    rows = await _period_rows(period)
    first = [h for r in rows if (h := _hours(r["first_response_at"], r["created_at"])) is not None]
    solved = [h for r in rows if (h := _hours(r["resolved_at"], r["created_at"])) is not None]
    names = {d.code: d.name for d in settings.departments}
    rates = sla_rates(rows)
    per_category: dict[str, int] = {}
    for r in rows:
        per_category[r["category"]] = per_category.get(r["category"], 0) + 1
    categories = {c.code: c.name for c in settings.categories}

    def percent(value: float | None) -> str:
        return "—" if value is None else f"{tk.format_number(round(value))} %"

    return [
        tk.Widget.gauge("pengaduan.open", SOCIETY, tk._("Open complaints"), open_now, order=10),
        tk.Widget.figure(
            "pengaduan.first_response",
            SOCIETY,
            tk._("Median hours to first response"),
            round(median(first), 1) if first else 0,
            note=tk._("Reports made in the period (%(n)s answered).", n=len(first)),
            order=11,
        ),
        tk.Widget.figure(
            "pengaduan.resolution",
            SOCIETY,
            tk._("Median hours to resolution"),
            round(median(solved), 1) if solved else 0,
            note=tk._("Reports made in the period (%(n)s resolved).", n=len(solved)),
            order=12,
        ),
        tk.Widget.table(
            "pengaduan.sla",
            SOCIETY,
            tk._("Complaints within SLA, per department"),
            [
                tk._("Department"),
                tk._("Reports"),
                tk._("First response on time"),
                tk._("Resolved on time"),
            ],
            [
                [names.get(d, d), n, percent(a), percent(b)]
                for d, (n, a, b) in sorted(rates.items())
            ],
            order=13,
        ),
        tk.Widget.chart(
            "pengaduan.categories",
            SOCIETY,
            tk._("Complaints per category"),
            [(categories.get(code, code), n) for code, n in sorted(per_category.items())],
            order=14,
        ),
    ]


_MONTH = {
    "sqlite": "strftime('%Y-%m', created_at)",
    "postgres": "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM')",
}


async def reports_per_month(city: tk.City) -> list[dict[str, Any]]:
    """Reports per month, category and kelurahan (one grouped query)."""
    engine = Report._meta.db.engine_type
    month = _MONTH["postgres" if engine == "postgres" else "sqlite"]
    rows = await Report.raw(
        f"SELECT {month} AS month, category, kelurahan, COUNT(*) AS reports "
        "FROM pengaduan_report WHERE city = {} "
        "GROUP BY 1, category, kelurahan ORDER BY 1, category, kelurahan",
        city.slug,
    )
    names = {c.code: c.name for c in city_settings().categories}
    return [
        {
            "month": r["month"],
            "category": names.get(r["category"], r["category"]),
            "kelurahan": r["kelurahan"] or "",
            "reports": int(r["reports"]),
        }
        for r in rows
    ]


def datasets() -> list[tk.Dataset]:
    """The open dataset: complaints per month, category and kelurahan."""
    return [
        tk.Dataset(
            slug="pengaduan-per-bulan",
            title="Complaints per month, category and kelurahan",
            description="How many reports the city received each month (UTC), by category and "
            "kelurahan. No report, reporter or place finer than a kelurahan is shown.",
            dimension=SOCIETY,
            columns=(
                tk.DatasetColumn("month", "string", "Month, YYYY-MM"),
                tk.DatasetColumn("category", "string", "Category of the report"),
                tk.DatasetColumn("kelurahan", "string", "Kelurahan (empty when not given)"),
                tk.DatasetColumn("reports", "integer", "Number of reports"),
            ),
            fetch=reports_per_month,
            publisher="Diskominfo",
        )
    ]
