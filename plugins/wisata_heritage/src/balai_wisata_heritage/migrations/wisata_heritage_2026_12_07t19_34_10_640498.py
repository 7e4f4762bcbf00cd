from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-07T19:34:10:640498"
VERSION = "1.38.0"
DESCRIPTION = "ticket products refer to events"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="wisata_heritage", description=DESCRIPTION)

    manager.rename_column(
        table_class_name="TicketProduct",
        tablename="wisata_heritage_ticket_product",
        old_column_name="event_id",
        new_column_name="event",
        old_db_column_name="event_id",
        new_db_column_name="event",
        schema=None,
    )

    return manager
