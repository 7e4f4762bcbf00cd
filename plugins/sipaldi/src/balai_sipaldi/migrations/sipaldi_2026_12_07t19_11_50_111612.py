from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-07T19:11:50:111612"
VERSION = "1.38.0"
DESCRIPTION = "Bookings retired (the premises registry replaces them)"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="sipaldi", description=DESCRIPTION)

    manager.drop_table(class_name="Booking", tablename="sipaldi_booking", schema=None)

    return manager
