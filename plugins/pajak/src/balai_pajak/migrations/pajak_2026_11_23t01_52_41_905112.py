"""Unique and lookup indexes of the PBB-P2 tables (raw SQL, so a separate
migration after the one that makes the columns)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-23T01:52:41:905112"
VERSION = "1.38.0"
DESCRIPTION = "PBB-P2 indexes: one bill per NOP and year, one link per user and NOP"

INDEXES = {
    "pajak_sppt_city_nop_year": "CREATE UNIQUE INDEX IF NOT EXISTS {name} "
    "ON pajak_sppt (city, nop, year)",
    "pajak_sppt_city_year_status": "CREATE INDEX IF NOT EXISTS {name} "
    "ON pajak_sppt (city, year, status)",
    "pajak_sppt_tax_object": "CREATE INDEX IF NOT EXISTS {name} ON pajak_sppt (tax_object)",
    "pajak_nop_link_city_user_nop": "CREATE UNIQUE INDEX IF NOT EXISTS {name} "
    "ON pajak_nop_link (city, user_id, nop)",
    "pajak_tax_object_city_taxpayer": "CREATE INDEX IF NOT EXISTS {name} "
    "ON pajak_tax_object (city, taxpayer)",
    "pajak_tax_object_city_district_village": "CREATE INDEX IF NOT EXISTS {name} "
    "ON pajak_tax_object (city, district, village)",
    "pajak_object_correction_tax_object": "CREATE INDEX IF NOT EXISTS {name} "
    "ON pajak_object_correction (tax_object)",
    "pajak_bill_payment_sppt": "CREATE INDEX IF NOT EXISTS {name} ON pajak_bill_payment (sppt)",
}


class _Raw(Table, tablename="pajak_sppt"):
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
