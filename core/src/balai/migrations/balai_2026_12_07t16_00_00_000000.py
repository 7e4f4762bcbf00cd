"""The workflow history table (every move of every plugin's records)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-07T16:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Workflow history"

TABLE = {"table_class_name": "WorkflowStep", "tablename": "balai_workflow_step", "schema": None}


def _params(**overrides):
    params = {
        "null": False,
        "primary_key": False,
        "unique": False,
        "index": False,
        "index_method": IndexMethod.btree,
        "choices": None,
        "db_column_name": None,
        "secret": False,
    }
    params.update(overrides)
    return params


COLUMNS = (
    ("id", Serial, _params(primary_key=True, db_column_name="id")),
    ("city", Varchar, _params(length=40, default="", index=True)),
    ("workflow", Varchar, _params(length=80, default="")),
    ("record_id", Integer, _params(default=0)),
    ("transition", Varchar, _params(length=40, default="")),
    ("from_state", Varchar, _params(length=40, default="")),
    ("to_state", Varchar, _params(length=40, default="")),
    ("comment", Text, _params(default="")),
    ("actor_id", Integer, _params(default=None, null=True)),
    ("created_at", Timestamptz, _params(default=TimestamptzNow())),
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="balai", description=DESCRIPTION)
    manager.add_table(
        class_name="WorkflowStep", tablename="balai_workflow_step", schema=None, columns=None
    )
    for name, column_class, params in COLUMNS:
        manager.add_column(
            **TABLE,
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
        )
    return manager
