"""One stall number per market, one bill per stall and month, bills by market and status."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-23T02:10:03:000000"
VERSION = "1.38.0"
DESCRIPTION = "e-Retribusi: unique stall numbers and monthly bills, arrears index"

INDEXES = {
    "pajak_retribusi_stall_number": "UNIQUE INDEX IF NOT EXISTS {} ON pajak_retribusi_stall (city, market, number)",
    "pajak_retribusi_bill_month": "UNIQUE INDEX IF NOT EXISTS {} ON pajak_retribusi_bill (city, stall, year, month)",
    "pajak_retribusi_bill_market": "INDEX IF NOT EXISTS {} ON pajak_retribusi_bill (city, market, status)",
}


class _Raw(Table, tablename="pajak_retribusi_bill"):
    """Only used to reach the engine for raw statements."""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="pajak_retribusi", description=DESCRIPTION)

    async def create() -> None:
        for name, statement in INDEXES.items():
            await _Raw.raw("CREATE " + statement.format(name))

    async def drop() -> None:
        for name in INDEXES:
            await _Raw.raw(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
