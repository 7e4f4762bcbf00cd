"""When an assessment run last made progress (to offer resuming a run whose worker died)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Timestamptz
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-23T02:41:37:264918"
VERSION = "1.38.0"
DESCRIPTION = "Assessment runs: time of the last progress"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="pajak", description=DESCRIPTION)

    manager.add_column(
        table_class_name="AssessmentRun",
        tablename="pajak_assessment_run",
        column_name="updated_at",
        db_column_name="updated_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params={
            "default": None,
            "null": True,
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
