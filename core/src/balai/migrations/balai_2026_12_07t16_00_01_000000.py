"""The index that finds one record's workflow history (a separate step: raw steps of a
migration run before its ``add_table``)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-07T16:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "Index of the workflow history by record"


class _Raw(Table, tablename="balai_workflow_step"):
    """Only used to reach the engine for raw statements."""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="balai", description=DESCRIPTION)

    async def create() -> None:
        await _Raw.raw(
            "CREATE INDEX IF NOT EXISTS balai_workflow_step_record "
            "ON balai_workflow_step (city, workflow, record_id)"
        )

    async def drop() -> None:
        await _Raw.raw("DROP INDEX IF EXISTS balai_workflow_step_record")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
