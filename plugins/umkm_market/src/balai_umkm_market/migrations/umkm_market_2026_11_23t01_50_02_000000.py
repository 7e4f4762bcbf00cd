"""The merchant's ``is_verified`` flag, replaced by ``status`` (copied by the previous step)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-23T01:50:02:000000"
VERSION = "1.38.0"
DESCRIPTION = "Drop the merchant's is_verified flag (status replaces it)"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="umkm_market", description=DESCRIPTION)

    manager.drop_column(
        table_class_name="Merchant",
        tablename="umkm_market_merchant",
        column_name="is_verified",
        db_column_name="is_verified",
        schema=None,
    )

    return manager
