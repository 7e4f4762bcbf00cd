"""The sandbox bank remembers each request's X-EXTERNAL-ID, so that a replayed request is refused."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-23T01:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Sandbox bank: one transaction per request external id"


class _Raw(Table, tablename="balai_payments_sandbox_txn"):
    """Only used to reach the engine for raw statements."""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="payments", description=DESCRIPTION)

    # Raw steps run before Piccolo's column operations, so the column is added here too.
    async def create() -> None:
        await _Raw.raw("ALTER TABLE balai_payments_sandbox_txn ADD COLUMN external_id VARCHAR(64)")
        # NULLs do not collide, so rows from before this migration stay valid.
        await _Raw.raw(
            "CREATE UNIQUE INDEX IF NOT EXISTS balai_payments_sandbox_txn_external_id "
            "ON balai_payments_sandbox_txn (external_id)"
        )

    async def drop() -> None:
        await _Raw.raw("DROP INDEX IF EXISTS balai_payments_sandbox_txn_external_id")
        await _Raw.raw("ALTER TABLE balai_payments_sandbox_txn DROP COLUMN external_id")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
