"""Invoices say what they are for (a bill of the city, or goods bought): it names the cash method."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-07T00:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Invoice kind: bill or goods"


class _Raw(Table, tablename="balai_payments_invoice"):
    """Only used to reach the engine for raw statements."""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="payments", description=DESCRIPTION)

    async def add() -> None:
        # Every invoice before this one was a bill but the market's (see below).
        await _Raw.raw(
            "ALTER TABLE balai_payments_invoice ADD COLUMN kind VARCHAR(12) NOT NULL DEFAULT 'bill'"
        )
        await _Raw.raw(
            "UPDATE balai_payments_invoice SET kind = 'goods' WHERE source = 'umkm_market'"
        )

    async def drop() -> None:
        await _Raw.raw("ALTER TABLE balai_payments_invoice DROP COLUMN kind")

    manager.add_raw(add)
    manager.add_raw_backwards(drop)
    return manager
