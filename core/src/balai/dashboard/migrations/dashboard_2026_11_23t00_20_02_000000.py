"""An index on (city, day): the page sums every metric of a date range in one statement."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-23T00:20:02:000000"
VERSION = "1.38.0"
DESCRIPTION = "Index (city, day) on the daily aggregates"

CREATE = (
    "CREATE INDEX IF NOT EXISTS balai_dashboard_daily_city_day ON balai_dashboard_daily (city, day)"
)
DROP = "DROP INDEX IF EXISTS balai_dashboard_daily_city_day"


class _Raw(Table, tablename="balai_dashboard_daily"):
    """Only used to reach the engine for raw statements."""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="dashboard", description=DESCRIPTION)

    async def create() -> None:
        await _Raw.raw(CREATE)

    async def drop() -> None:
        await _Raw.raw(DROP)

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
