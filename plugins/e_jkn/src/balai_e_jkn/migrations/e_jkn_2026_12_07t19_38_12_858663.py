from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-07T19:38:12:858663"
VERSION = "1.38.0"
DESCRIPTION = "Rejection reason codes"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="e_jkn", description=DESCRIPTION)

    manager.add_column(
        table_class_name="Enrolment",
        tablename="e_jkn_enrolment",
        column_name="reason_code",
        db_column_name="reason_code",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 30,
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager
