"""One NPWPD per city, and one current return per business and month."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-23T02:10:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "PBJT: unique NPWPD per city, one current return per business and month"

INDEXES = {
    "pajak_pbjt_business_city_npwpd": "ON pajak_pbjt_business (city, npwpd)",
    "pajak_pbjt_return_current": (
        "ON pajak_pbjt_return (city, business, year, month) WHERE replaced_by IS NULL"
    ),
}


class _Raw(Table, tablename="pajak_pbjt_business"):
    """Only used to reach the engine for raw statements."""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="pajak_pbjt", description=DESCRIPTION)

    async def create() -> None:
        for name, target in INDEXES.items():
            await _Raw.raw(f"CREATE UNIQUE INDEX IF NOT EXISTS {name} {target}")

    async def drop() -> None:
        for name in INDEXES:
            await _Raw.raw(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
