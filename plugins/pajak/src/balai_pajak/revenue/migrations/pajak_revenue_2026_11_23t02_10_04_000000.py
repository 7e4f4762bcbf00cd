"""The monthly revenue summary table."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import BigInt, Integer, Serial, Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-23T02:10:04:000000"
VERSION = "1.38.0"
DESCRIPTION = "Revenue per month, tax type and district"


def _params(**given) -> dict:
    """The full parameter set Piccolo records for a column, with ``given`` on top."""
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


COLUMNS: list[tuple] = [
    ("id", Serial, _params(primary_key=True, db_column_name="id")),
    ("city", Varchar, _params(length=40, default="", index=True)),
    ("year", Integer, _params(default=0)),
    ("month", Integer, _params(default=0)),
    ("tax_type", Varchar, _params(length=12, default="")),
    ("district", Varchar, _params(length=60, default="")),
    ("amount", BigInt, _params(default=0)),
    ("payments", Integer, _params(default=0)),
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="pajak_revenue", description=DESCRIPTION)
    manager.add_table(
        class_name="RevenueMonth", tablename="pajak_revenue_month", schema=None, columns=None
    )
    for name, column_class, params in COLUMNS:
        manager.add_column(
            table_class_name="RevenueMonth",
            tablename="pajak_revenue_month",
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params=params,
            schema=None,
        )
    return manager
