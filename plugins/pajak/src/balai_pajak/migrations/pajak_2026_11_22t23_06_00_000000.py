"""One NOP per city (SQLite cannot add table constraints later, so a unique index)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-22T23:06:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "One tax object per NOP in each city"

INDEX = "pajak_tax_object_city_nop"


class _Raw(Table, tablename="pajak_tax_object"):
    """Only used to reach the engine for raw statements."""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="pajak", description=DESCRIPTION)

    async def create() -> None:
        await _Raw.raw(f"CREATE UNIQUE INDEX IF NOT EXISTS {INDEX} ON pajak_tax_object (city, nop)")

    async def drop() -> None:
        await _Raw.raw(f"DROP INDEX IF EXISTS {INDEX}")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
