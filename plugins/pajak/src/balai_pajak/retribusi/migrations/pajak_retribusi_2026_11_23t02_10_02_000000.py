"""e-Retribusi tables: markets, stalls and monthly stall bills."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import (
    BigInt,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Serial,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.date import DateNow
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-11-23T02:10:02:000000"
VERSION = "1.38.0"
DESCRIPTION = "e-Retribusi: markets, stalls, monthly bills"
APP = "pajak_retribusi"


class Market(Table, tablename="pajak_retribusi_market", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class Stall(Table, tablename="pajak_retribusi_stall", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


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


def _varchar(length: int) -> tuple:
    return (Varchar, _params(length=length, default=""))


def _int() -> tuple:
    return (Integer, _params(default=0))


def _null_int() -> tuple:
    return (Integer, _params(default=None, null=True))


def _fk(references: type[Table]) -> tuple:
    return (
        ForeignKey,
        _params(
            references=references,
            on_delete=OnDelete.cascade,
            on_update=OnUpdate.cascade,
            target_column=None,
            default=None,
        ),
    )


def _now() -> tuple:
    return (Timestamptz, _params(default=TimestamptzNow()))


def _null_time() -> tuple:
    return (Timestamptz, _params(default=None, null=True))


_ID = ("id", Serial, _params(primary_key=True, db_column_name="id"))
_CITY = ("city", Varchar, _params(length=40, default="", index=True))

TABLES: dict[tuple[str, str], list[tuple]] = {
    ("Market", "pajak_retribusi_market"): [
        ("name", *_varchar(120)),
        ("district", *_varchar(60)),
        ("address", *_varchar(200)),
        ("created_at", *_now()),
    ],
    ("Stall", "pajak_retribusi_stall"): [
        ("market", *_fk(Market)),
        ("number", *_varchar(20)),
        ("size_m2", *_int()),
        ("holder_name", *_varchar(120)),
        ("holder_id", *_null_int()),
        ("link_code", *_varchar(12)),
        ("monthly_fee", BigInt, _params(default=0)),
        ("is_active", Boolean, _params(default=True)),
        ("created_at", *_now()),
    ],
    ("StallBill", "pajak_retribusi_bill"): [
        ("stall", *_fk(Stall)),
        ("market", *_int()),
        ("year", *_int()),
        ("month", *_int()),
        ("amount", BigInt, _params(default=0)),
        ("due_date", Date, _params(default=DateNow())),
        ("status", Varchar, _params(length=12, default="unpaid")),
        ("invoice_number", *_varchar(40)),
        ("invoice_due_at", *_null_time()),
        ("paid_at", *_null_time()),
        ("paid_channel", *_varchar(20)),
        ("receipt_number", *_varchar(30)),
        ("collected_by", *_null_int()),
        ("created_at", *_now()),
    ],
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name=APP, description=DESCRIPTION)
    for (class_name, tablename), columns in TABLES.items():
        manager.add_table(class_name=class_name, tablename=tablename, schema=None, columns=None)
        for name, column_class, params in (_ID, _CITY, *columns):
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
    return manager
