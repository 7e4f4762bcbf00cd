from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-07T19:38:52:994362"
VERSION = "1.38.0"
DESCRIPTION = "tickets: event_id dropped"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="wisata_heritage", description=DESCRIPTION)

    manager.drop_column(
        table_class_name="TicketProduct",
        tablename="wisata_heritage_ticket_product",
        column_name="event_id",
        db_column_name="event_id",
        schema=None,
    )

    return manager
