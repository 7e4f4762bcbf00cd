"""An index for taking a run's pending rows in order (raw: composite)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-23T02:07:14:541207"
VERSION = "1.38.0"
DESCRIPTION = "Index import rows by run, status and id"


class _Raw(Table, tablename="balai_imports_row"):
    """Only used to reach the engine for raw statements."""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="imports", description=DESCRIPTION)

    async def create() -> None:
        await _Raw.raw(
            "CREATE INDEX IF NOT EXISTS balai_imports_row_run_status "
            "ON balai_imports_row (run, status, id)"
        )

    async def drop() -> None:
        await _Raw.raw("DROP INDEX IF EXISTS balai_imports_row_run_status")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
