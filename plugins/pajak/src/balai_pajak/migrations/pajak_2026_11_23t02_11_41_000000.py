"""Indexes of the citizen PBB payments (raw SQL, so a separate migration after the
one that makes the columns): a bill is in at most one pending payment, and the
link throttle counts a user's and a NOP's recent attempts."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-23T02:11:41:000000"
VERSION = "1.38.0"
DESCRIPTION = "PBB-P2 payments: one pending payment per bill; link attempt lookups"

INDEXES = {
    "pajak_bill_payment_pending_sppt": "CREATE UNIQUE INDEX IF NOT EXISTS {name} "
    "ON pajak_bill_payment (sppt) WHERE status = 'pending'",
    "pajak_link_attempt_city_user": "CREATE INDEX IF NOT EXISTS {name} "
    "ON pajak_link_attempt (city, user_id, created_at)",
    "pajak_link_attempt_city_nop": "CREATE INDEX IF NOT EXISTS {name} "
    "ON pajak_link_attempt (city, nop, created_at)",
}


class _Raw(Table, tablename="pajak_bill_payment"):
    """Only used to reach the engine for raw statements."""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="pajak", description=DESCRIPTION)

    async def create() -> None:
        for name, statement in INDEXES.items():
            await _Raw.raw(statement.format(name=name))

    async def drop() -> None:
        for name in INDEXES:
            await _Raw.raw(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
