"""The Smart Environment cards of the mayor's dashboard, and the open data of desludging.

Done visits, visits on schedule and litres delivered at the plant are
counted as they happen (daily metrics); overdue premises and gap flags are
read now. The datasets are counted by the database (``GROUP BY``), never by
loading every premises or visit. The open dataset gives, per month and kecamatan, the premises
served, those served late (after their due day) and the m³ they yielded —
counts only, never an address.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from balai import toolkit as tk
from piccolo.query.functions.aggregate import Count

from balai_sipaldi.crew.outcomes import METRIC_DONE, METRIC_ON_SCHEDULE
from balai_sipaldi.plant.gate import METRIC_DELIVERED
from balai_sipaldi.plant.reconcile import truck_days
from balai_sipaldi.settings import settings_of
from balai_sipaldi.tables import Premises, Visit, VisitStatus
from balai_sipaldi.volumes import LITRES_PER_M3

ENVIRONMENT = tk.Dimension.ENVIRONMENT
DATASET_MONTHS = 36


def percent(part: int, whole: int) -> float:
    """``part`` of ``whole`` in percent, one decimal (0 without a whole)."""
    return round(part * 100.0 / whole, 1) if whole else 0.0


async def overdue_premises(today: date) -> int:
    """Premises whose due day has passed, now."""
    return await Premises.count().where(Premises.next_due < today)


async def widgets(period: tk.Period) -> list[tk.Widget]:
    """Every desludging card for ``period`` (with the period before for trends)."""
    city = tk.current_city()
    settings = settings_of(city)
    today = datetime.now(city.tz).date()
    before = period.previous()
    done = await tk.metric_total(METRIC_DONE, period)
    on_time = await tk.metric_total(METRIC_ON_SCHEDULE, period)
    delivered = await tk.metric_total(METRIC_DELIVERED, period)
    monthly = await tk.metric_series(METRIC_DELIVERED, period)
    days = (period.end - period.start).days + 1
    capacity_litres = settings.plant_capacity_m3_per_day * LITRES_PER_M3 * days
    flags = [
        d
        for d in await truck_days(period.start, period.end, settings.gap_tolerance_percent)
        if d.flagged
    ]
    cards = [
        tk.Widget.figure(
            "sipaldi.on_schedule",
            ENVIRONMENT,
            "Septic tanks emptied on schedule",
            percent(on_time, done),
            previous=percent(
                await tk.metric_total(METRIC_ON_SCHEDULE, before),
                await tk.metric_total(METRIC_DONE, before),
            ),
            unit="percent",
            note="Visits done by the tank's due day, of all visits done.",
            order=60,
        ),
        tk.Widget.gauge(
            "sipaldi.overdue",
            ENVIRONMENT,
            "Septic tanks overdue",
            await overdue_premises(today),
            note="Registered premises past their due day, now.",
            order=61,
        ),
        tk.Widget.chart(
            "sipaldi.treated",
            ENVIRONMENT,
            "Septage treated at the plant (m³)",
            [(point[0], round(point[1] / LITRES_PER_M3, 1)) for point in monthly],
            order=62,
        ),
        tk.Widget.gauge(
            "sipaldi.gap_flags",
            ENVIRONMENT,
            "Truck days with sludge missing at the plant",
            len(flags),
            high=1,
            note="Collected minus delivered beyond the tolerance, per truck and day.",
            order=64,
        ),
    ]
    if capacity_litres:
        cards.append(
            tk.Widget.figure(
                "sipaldi.plant_utilisation",
                ENVIRONMENT,
                "Treatment plant utilisation",
                percent(delivered, capacity_litres),
                unit="percent",
                note="Septage delivered, of what the plant can take in the period.",
                order=63,
            )
        )
    return cards


# Done visits per day and kecamatan, counted by the database (the month is
# folded in Python: at most 36 months of days × kecamatan rows come back).
SERVED_SQL = """
SELECT v.day AS day, p.kecamatan AS kecamatan, COUNT(*) AS served,
       SUM(CASE WHEN v.due_day IS NOT NULL AND v.day > v.due_day THEN 1 ELSE 0 END) AS late,
       SUM(COALESCE(v.volume_litres, 0)) AS litres
FROM sipaldi_visit v
JOIN sipaldi_premises p ON p.id = v.premises_id AND p.city = v.city
WHERE v.city = {} AND v.status = {} AND v.day >= {}
GROUP BY v.day, p.kecamatan
"""


async def served_per_kecamatan(city: tk.City) -> list[dict[str, Any]]:
    """Per month (last 36) and kecamatan: premises served, served late, m³ pumped."""
    today = datetime.now(city.tz).date()
    index = today.year * 12 + today.month - DATASET_MONTHS
    first = date(index // 12, index % 12 + 1, 1)
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    with tk.city_scope(city):
        rows = await Visit.raw(SERVED_SQL, city.slug, VisitStatus.DONE.value, first)
    for row in rows:
        day = row["day"] if isinstance(row["day"], date) else date.fromisoformat(row["day"])
        total = totals[(day.strftime("%Y-%m"), row["kecamatan"])]
        total[0] += row["served"]
        total[1] += row["late"] or 0
        total[2] += row["litres"] or 0
    return [
        {
            "month": month,
            "kecamatan": name,
            "premises_served": served,
            "served_late": late,
            "m3": round(litres / LITRES_PER_M3, 3),
        }
        for (month, name), (served, late, litres) in sorted(totals.items())
    ]


async def overdue_per_kecamatan(city: tk.City) -> list[dict[str, Any]]:
    """Premises overdue now, and registered, per kecamatan (counted by the database)."""
    today = datetime.now(city.tz).date()
    with tk.city_scope(city):
        registered = await Premises.select(Premises.kecamatan, Count()).group_by(Premises.kecamatan)
        overdue = await (
            Premises.select(Premises.kecamatan, Count())
            .where(Premises.next_due < today)
            .group_by(Premises.kecamatan)
        )
    late = {row["kecamatan"]: row["count"] for row in overdue}
    return [
        {
            "kecamatan": row["kecamatan"],
            "premises": row["count"],
            "overdue": late.get(row["kecamatan"], 0),
        }
        for row in sorted(registered, key=lambda row: row["kecamatan"])
    ]


SERVED = tk.Dataset(
    slug="sipaldi-served-per-kecamatan",
    title="Septic tanks emptied per kecamatan and month",
    description="Scheduled desludging (LLTT): per month (last 36) and kecamatan, the premises "
    "whose septic tank was emptied, how many of them after their due day, and the m³ of septage "
    "pumped. Counts only.",
    dimension=ENVIRONMENT,
    columns=(
        tk.DatasetColumn("month", "month", "Calendar month (YYYY-MM), in the city's time zone."),
        tk.DatasetColumn("kecamatan", "string", "Kecamatan of the premises."),
        tk.DatasetColumn("premises_served", "integer", "Premises whose tank was emptied."),
        tk.DatasetColumn("served_late", "integer", "Of those, emptied after their due day."),
        tk.DatasetColumn("m3", "number", "Septage pumped, in m³."),
    ),
    fetch=served_per_kecamatan,
    publisher="DLH",
)

OVERDUE = tk.Dataset(
    slug="sipaldi-overdue-per-kecamatan",
    title="Septic tanks overdue per kecamatan",
    description="Registered premises and those past their desludging due day, per kecamatan, "
    "now. Counts only.",
    dimension=ENVIRONMENT,
    columns=(
        tk.DatasetColumn("kecamatan", "string", "Kecamatan of the premises."),
        tk.DatasetColumn("premises", "integer", "Registered premises."),
        tk.DatasetColumn("overdue", "integer", "Premises past their due day."),
    ),
    fetch=overdue_per_kecamatan,
    publisher="DLH",
)

DATASETS = [SERVED, OVERDUE]
