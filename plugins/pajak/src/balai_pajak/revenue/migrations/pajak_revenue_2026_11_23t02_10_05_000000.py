"""One revenue row per city, month, tax type and district (the upsert's conflict target)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-23T02:10:05:000000"
VERSION = "1.38.0"
DESCRIPTION = "Revenue summary: unique per city, month, tax type and district"

INDEX = "pajak_revenue_month_key"


class _Raw(Table, tablename="pajak_revenue_month"):
    """Only used to reach the engine for raw statements."""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="pajak_revenue", description=DESCRIPTION)

    async def create() -> None:
        await _Raw.raw(
            f"CREATE UNIQUE INDEX IF NOT EXISTS {INDEX} "
            "ON pajak_revenue_month (city, year, month, tax_type, district)"
        )

    async def drop() -> None:
        await _Raw.raw(f"DROP INDEX IF EXISTS {INDEX}")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
