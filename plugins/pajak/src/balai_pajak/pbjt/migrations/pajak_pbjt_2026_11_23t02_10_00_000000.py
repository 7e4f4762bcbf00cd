"""PBJT tables: businesses and their monthly returns."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete, OnUpdate
from piccolo.columns.column_types import (
    BigInt,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.date import DateNow
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table

ID = "2026-11-23T02:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "PBJT: businesses and monthly returns"
APP = "pajak_pbjt"


class Business(Table, tablename="pajak_pbjt_business", schema=None):
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


def _varchar(length: int, **given) -> tuple:
    return (Varchar, _params(length=length, default="", **given))


def _int() -> tuple:
    return (Integer, _params(default=0))


def _null_int() -> tuple:
    return (Integer, _params(default=None, null=True))


def _bigint() -> tuple:
    return (BigInt, _params(default=0))


def _null_time() -> tuple:
    return (Timestamptz, _params(default=None, null=True))


_ID = ("id", Serial, _params(primary_key=True, db_column_name="id"))
_CITY = ("city", Varchar, _params(length=40, default="", index=True))

TABLES: dict[tuple[str, str], list[tuple]] = {
    ("Business", "pajak_pbjt_business"): [
        ("name", *_varchar(200)),
        ("npwpd", *_varchar(30)),
        ("kind", *_varchar(20)),
        ("address", *_varchar(200)),
        ("district", *_varchar(60)),
        ("started_on", Date, _params(default=DateNow())),
        ("owner_id", *_null_int()),
        ("link_code", *_varchar(12)),
        ("is_active", Boolean, _params(default=True)),
        ("created_by", *_null_int()),
        ("created_at", Timestamptz, _params(default=TimestamptzNow())),
    ],
    ("TaxReturn", "pajak_pbjt_return"): [
        (
            "business",
            ForeignKey,
            _params(
                references=Business,
                on_delete=OnDelete.cascade,
                on_update=OnUpdate.cascade,
                target_column=None,
                default=None,
            ),
        ),
        ("year", *_int()),
        ("month", *_int()),
        ("turnover", *_bigint()),
        ("rate_ppm", *_int()),
        ("tax_due", *_bigint()),
        ("regulation", *_varchar(200)),
        ("filing_deadline", Date, _params(default=DateNow())),
        ("payment_deadline", Date, _params(default=DateNow())),
        ("late_filing", Boolean, _params(default=False)),
        ("late_filing_fine", *_bigint()),
        ("status", Varchar, _params(length=12, default="unpaid")),
        ("replaces", *_null_int()),
        ("replaced_by", *_null_int()),
        ("correction_reason", Text, _params(default="")),
        ("filed_by", *_null_int()),
        ("filed_at", Timestamptz, _params(default=TimestamptzNow())),
        ("invoice_number", *_varchar(40)),
        ("invoice_due_at", *_null_time()),
        ("paid_at", *_null_time()),
        ("paid_amount", *_bigint()),
        ("paid_penalty", *_bigint()),
        ("paid_channel", *_varchar(20)),
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
