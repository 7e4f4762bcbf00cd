"""Citizen PBB payments: the status of each bill payment (following its invoice) and
the NOP-link attempts the guessing throttle counts."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Boolean, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-23T02:11:40:000000"
VERSION = "1.38.0"
DESCRIPTION = "PBB-P2 payments: bill payment status; NOP link attempts"


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


LINK_ATTEMPT_COLUMNS = [
    ("id", Serial, _params(primary_key=True, db_column_name="id")),
    ("city", Varchar, _params(length=40, default="", index=True)),
    ("user_id", Integer, _params(default=0)),
    ("nop", Varchar, _params(length=18, default="")),
    ("succeeded", Boolean, _params(default=False)),
    ("created_at", Timestamptz, _params(default=TimestamptzNow())),
]


def _add_column(manager, class_name, tablename, name, column_class, params) -> None:
    manager.add_column(
        table_class_name=class_name,
        tablename=tablename,
        column_name=name,
        db_column_name=name,
        column_class_name=column_class.__name__,
        column_class=column_class,
        params=params,
        schema=None,
    )


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="pajak", description=DESCRIPTION)

    _add_column(
        manager,
        "BillPayment",
        "pajak_bill_payment",
        "status",
        Varchar,
        _params(length=12, default="pending"),
    )

    manager.add_table(
        class_name="LinkAttempt", tablename="pajak_link_attempt", schema=None, columns=None
    )
    for name, column_class, params in LINK_ATTEMPT_COLUMNS:
        _add_column(manager, "LinkAttempt", "pajak_link_attempt", name, column_class, params)

    return manager
