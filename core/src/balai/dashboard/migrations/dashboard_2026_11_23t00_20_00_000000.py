"""The daily aggregate table of the dashboard."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import BigInt, Date, Serial, Varchar
from piccolo.columns.defaults.date import DateNow
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-23T00:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Daily metric totals per city"

TABLE = "balai_dashboard_daily"


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
    ("metric", Varchar, _params(length=80, default="")),
    ("day", Date, _params(default=DateNow())),
    ("value", BigInt, _params(default=0)),
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="dashboard", description=DESCRIPTION)
    manager.add_table(class_name="DailyMetric", tablename=TABLE, schema=None, columns=None)
    for name, column_class, params in COLUMNS:
        manager.add_column(
            table_class_name="DailyMetric",
            tablename=TABLE,
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
            schema=None,
        )
    return manager
