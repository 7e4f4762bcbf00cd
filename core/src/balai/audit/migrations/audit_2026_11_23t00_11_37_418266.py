"""The audit log table."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import BigInt, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-23T00:11:37:418266"
VERSION = "1.38.0"
DESCRIPTION = "Audit entries, chained by hash per city"

TABLE = "balai_audit_entry"


def _params(**given):
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
    params.update(given)
    return params


COLUMNS = [
    ("id", Serial, _params(primary_key=True, db_column_name="id")),
    ("city", Varchar, _params(length=40, default="", index=True)),
    ("seq", BigInt, _params(default=0)),
    ("created_at", Timestamptz, _params(default=TimestamptzNow())),
    ("actor_id", Integer, _params(default=None, null=True, index=True)),
    ("actor_label", Varchar, _params(length=160, default="")),
    ("action", Varchar, _params(length=80, default="", index=True)),
    ("subject", Varchar, _params(length=200, default="")),
    ("detail", Text, _params(default="{}")),
    ("client_addr", Varchar, _params(length=64, default="")),
    ("user_agent", Varchar, _params(length=200, default="")),
    ("personal_data_of", Integer, _params(default=None, null=True, index=True)),
    ("prev_hash", Varchar, _params(length=64, default="")),
    ("entry_hash", Varchar, _params(length=64, default="")),
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="audit", description=DESCRIPTION)
    manager.add_table(class_name="AuditEntry", tablename=TABLE, schema=None, columns=None)
    for name, column_class, params in COLUMNS:
        manager.add_column(
            table_class_name="AuditEntry",
            tablename=TABLE,
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
            schema=None,
        )
    return manager
