"""Unique indexes per city (SQLite cannot add table constraints later)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-11-22T22:58:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "One email and one phone per city; one grant per role"

INDEXES = {
    "balai_user_city_email": "balai_user (city, email)",
    "balai_user_city_phone": "balai_user (city, phone)",
    "balai_role_grant_user_role": 'balai_role_grant ("user", role)',
}


class _Raw(Table, tablename="balai_user"):
    """Only used to reach the engine for raw statements."""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="balai", description=DESCRIPTION)

    async def create() -> None:
        for name, target in INDEXES.items():
            await _Raw.raw(f"CREATE UNIQUE INDEX IF NOT EXISTS {name} ON {target}")

    async def drop() -> None:
        for name in INDEXES:
            await _Raw.raw(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
