"""The dashboard's aggregate table (Piccolo app ``dashboard``).

One row per (city, metric, day) holding that day's total. Widgets read these
few rows instead of the raw records, so the dashboard costs the same with a
thousand records as with a million. ``(city, metric, day)`` is unique (an
index made in the migration).
"""

from __future__ import annotations

from piccolo.columns import BigInt, Date, Varchar

from balai.db.tables import CityTable


class DailyMetric(CityTable, tablename="balai_dashboard_daily"):
    """The total of one metric on one city-local day."""

    metric = Varchar(length=80)
    day = Date()
    value = BigInt(default=0)
