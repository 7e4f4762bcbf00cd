"""The notification outbox."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-23T00:12:41:903117"
VERSION = "1.38.0"
DESCRIPTION = "Notification outbox"

TABLE = "balai_notifications_outbox"


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
    ("user_id", Integer, _params(default=0, index=True)),
    ("channel", Varchar, _params(length=40, default="")),
    ("kind", Varchar, _params(length=80, default="")),
    ("locale", Varchar, _params(length=8, default="id")),
    ("address", Varchar, _params(length=254, default="")),
    ("subject", Varchar, _params(length=200, default="")),
    ("body", Text, _params(default="")),
    ("status", Varchar, _params(length=12, default="pending", index=True)),
    ("attempts", Integer, _params(default=0)),
    ("next_attempt_at", Timestamptz, _params(default=TimestamptzNow(), index=True)),
    ("last_error", Varchar, _params(length=300, default="")),
    ("created_at", Timestamptz, _params(default=TimestamptzNow())),
    ("sent_at", Timestamptz, _params(default=None, null=True)),
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="notifications", description=DESCRIPTION)
    manager.add_table(class_name="OutboxMessage", tablename=TABLE, schema=None, columns=None)
    for name, column_class, params in COLUMNS:
        manager.add_column(
            table_class_name="OutboxMessage",
            tablename=TABLE,
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
            schema=None,
        )
    return manager
