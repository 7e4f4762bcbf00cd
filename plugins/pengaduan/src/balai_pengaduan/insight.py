"""The mayor's dashboard (Smart Society) and the open dataset: aggregates, never people.

The dashboard counts the open reports now, and for reports made in the
chosen period: the median hours to the first response and to resolution,
the share of each department's reports answered and resolved within their
SLA, and reports per category. The database computes them (grouped
statements; the medians by ``percentile_cont`` on PostgreSQL and by row
number on SQLite), so a dashboard view never reads a period's reports. The
open dataset counts reports per category, kelurahan and month (UTC months),
nothing finer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
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


_WHERE = "WHERE city = {} AND created_at >= {} AND created_at < {}"

# The medians of the hours to first response and to resolution, in one statement.
# PostgreSQL has the ordered-set aggregate; SQLite takes the middle row(s) by number.
_MEDIANS = {
    "postgres": (
        "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY "
        "(EXTRACT(EPOCH FROM (first_response_at - created_at)) / 3600)::float8) AS first, "
        "COUNT(first_response_at) AS first_n, "
        "percentile_cont(0.5) WITHIN GROUP (ORDER BY "
        "(EXTRACT(EPOCH FROM (resolved_at - created_at)) / 3600)::float8) AS solved, "
        "COUNT(resolved_at) AS solved_n "
        f"FROM pengaduan_report {_WHERE}"
    ),
    "sqlite": (
        "WITH hours AS ("
        "SELECT 'first' AS kind, (julianday(first_response_at) - julianday(created_at)) * 24 AS h "
        f"FROM pengaduan_report {_WHERE} AND first_response_at IS NOT NULL "
        "UNION ALL "
        "SELECT 'solved', (julianday(resolved_at) - julianday(created_at)) * 24 "
        f"FROM pengaduan_report {_WHERE} AND resolved_at IS NOT NULL), "
        "ranked AS (SELECT kind, h, ROW_NUMBER() OVER (PARTITION BY kind ORDER BY h) AS rn, "
        "COUNT(*) OVER (PARTITION BY kind) AS n FROM hours) "
        "SELECT kind, AVG(h) AS median, MAX(n) AS n FROM ranked "
        "WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY kind"
    ),
}


def _moment(engine: str, column: str) -> str:
    """A time column (or ``{}``) as the engine compares instants (SQLite stores text)."""
    return f"julianday({column})" if engine == "sqlite" else column


def _sla_sql(engine: str) -> str:
    """Per department: reports, first responses due or done and on time, the same for resolution.

    A report still waiting counts as missed once its due time passed, and is
    left out while it still may be met.
    """
    t = lambda column: _moment(engine, column)  # noqa: E731
    now = t("{}")
    parts = []
    for done, due in (("first_response_at", "response_due"), ("resolved_at", "resolution_due")):
        parts.append(
            f"SUM(CASE WHEN {done} IS NOT NULL OR {t(due)} < {now} THEN 1 ELSE 0 END)"
            f" AS {done}_counted, "
            f"SUM(CASE WHEN {done} IS NOT NULL AND {t(done)} <= {t(due)} THEN 1 ELSE 0 END)"
            f" AS {done}_on_time"
        )
    return (
        f"SELECT department, COUNT(*) AS reports, {', '.join(parts)} "
        f"FROM pengaduan_report {_WHERE} GROUP BY department"
    )


@dataclass(frozen=True)
class Figures:
    """A period's figures, computed by the database (no report is read one by one).

    Attributes:
        first_response: Median hours to the first response (``None``: none answered).
        answered: Reports of the period with a first response.
        resolution: Median hours to resolution (``None``: none resolved).
        resolved: Reports of the period resolved.
        sla: Per department: reports, % first responses on time, % resolutions on time.
        per_category: Reports per category code.
    """

    first_response: float | None
    answered: int
    resolution: float | None
    resolved: int
    sla: dict[str, tuple[int, float | None, float | None]]
    per_category: dict[str, int]


async def period_figures(period: tk.Period) -> Figures:
    """The dashboard's figures for reports made in ``period`` (three grouped statements)."""
    city = tk.current_city().slug
    start, end = _utc_range(period)
    engine = "postgres" if Report._meta.db.engine_type == "postgres" else "sqlite"
    where = (city, start, end)
    if engine == "postgres":
        row = (await Report.raw(_MEDIANS[engine], *where))[0]
        medians = {
            "first": (row["first"], row["first_n"]),
            "solved": (row["solved"], row["solved_n"]),
        }
    else:
        rows = await Report.raw(_MEDIANS[engine], *where, *where)
        medians = {r["kind"]: (r["median"], r["n"]) for r in rows}
    first, answered = medians.get("first", (None, 0))
    solved, resolved = medians.get("solved", (None, 0))
    sla = {}
    now = datetime.now(UTC)  # once per due-time test in the statement
    for r in await Report.raw(_sla_sql(engine), now, now, *where):
        counted = (r["first_response_at_counted"], r["resolved_at_counted"])
        on_time = (r["first_response_at_on_time"], r["resolved_at_on_time"])
        sla[r["department"]] = (
            int(r["reports"]),
            *(
                100 * int(ok) / int(n) if n else None
                for ok, n in zip(on_time, counted, strict=True)
            ),
        )
    per_category = {
        r["category"]: int(r["reports"])
        for r in await Report.raw(
            f"SELECT category, COUNT(*) AS reports FROM pengaduan_report {_WHERE} "
            "GROUP BY category",
            *where,
        )
    }
    return Figures(
        None if first is None else float(first),
        int(answered or 0),
        None if solved is None else float(solved),
        int(resolved or 0),
        sla,
        per_category,
    )


async def widgets(request: Any, period: tk.Period) -> list[tk.Widget]:
    """Open reports, medians, SLA per department, reports per category."""
    settings = city_settings()
    open_now = await Report.count().where(Report.status.is_in(list(OPEN_STATES)))
    figures = await period_figures(period)
    names = {d.code: d.name for d in settings.departments}
    categories = {c.code: c.name for c in settings.categories}

    def percent(value: float | None) -> str:
        return "—" if value is None else f"{tk.format_number(round(value))} %"

    return [
        tk.Widget.gauge("pengaduan.open", SOCIETY, tk._("Open complaints"), open_now, order=10),
        tk.Widget.figure(
            "pengaduan.first_response",
            SOCIETY,
            tk._("Median hours to first response"),
            round(figures.first_response or 0, 1),
            note=tk._("Reports made in the period (%(n)s answered).", n=figures.answered),
            order=11,
        ),
        tk.Widget.figure(
            "pengaduan.resolution",
            SOCIETY,
            tk._("Median hours to resolution"),
            round(figures.resolution or 0, 1),
            note=tk._("Reports made in the period (%(n)s resolved).", n=figures.resolved),
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
                for d, (n, a, b) in sorted(figures.sla.items())
            ],
            order=13,
        ),
        tk.Widget.chart(
            "pengaduan.categories",
            SOCIETY,
            tk._("Complaints per category"),
            [(categories.get(code, code), n) for code, n in sorted(figures.per_category.items())],
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
