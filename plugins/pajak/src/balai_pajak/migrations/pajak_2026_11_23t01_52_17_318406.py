"""PBB-P2 tables: taxpayers, yearly bills (SPPT), bill payments, NOP links,
assessment runs and object corrections; NJOP classes, values and the taxpayer
on the tax objects."""

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

ID = "2026-11-23T01:52:17:318406"
VERSION = "1.38.0"
DESCRIPTION = "PBB-P2: taxpayers, SPPT bills, payments, NOP links, assessment runs, corrections"


class Taxpayer(Table, tablename="pajak_taxpayer", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class TaxObject(Table, tablename="pajak_tax_object", schema=None):
    id = Serial(null=False, primary_key=True, db_column_name="id")


class Sppt(Table, tablename="pajak_sppt", schema=None):
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


def _fk(references: type[Table], null: bool, on_delete: OnDelete) -> dict:
    return _params(
        references=references,
        on_delete=on_delete,
        on_update=OnUpdate.cascade,
        target_column=None,
        null=null,
        default=None,
    )


_ID = ("id", Serial, _params(primary_key=True, db_column_name="id"))
_CITY = ("city", Varchar, _params(length=40, default="", index=True))


def _varchar(length: int, **given) -> tuple:
    return (Varchar, _params(length=length, default="", **given))


def _int(**given) -> tuple:
    return (Integer, _params(default=0, **given))


def _bigint() -> tuple:
    return (BigInt, _params(default=0))


def _text() -> tuple:
    return (Text, _params(default=""))


def _now() -> tuple:
    return (Timestamptz, _params(default=TimestamptzNow()))


def _null_time() -> tuple:
    return (Timestamptz, _params(default=None, null=True))


NEW_TABLES: dict[tuple[str, str], list[tuple]] = {
    ("Taxpayer", "pajak_taxpayer"): [
        ("name", *_varchar(200)),
        ("nik", *_varchar(16)),
        ("address", *_text()),
        ("created_at", *_now()),
    ],
    ("Sppt", "pajak_sppt"): [
        ("tax_object", ForeignKey, _fk(TaxObject, False, OnDelete.cascade)),
        ("nop", *_varchar(18)),
        ("year", *_int()),
        ("taxpayer", ForeignKey, _fk(Taxpayer, True, OnDelete.set_null)),
        ("taxpayer_name", *_varchar(200)),
        ("land_area", *_int()),
        ("building_area", *_int()),
        ("njop_land", *_bigint()),
        ("njop_building", *_bigint()),
        ("njop_total", *_bigint()),
        ("njoptkp", *_bigint()),
        ("taxable_base", *_bigint()),
        ("rate_ppm", *_int()),
        ("tax_due", *_bigint()),
        ("due_date", Date, _params(default=DateNow())),
        ("regulation", *_varchar(200)),
        ("status", Varchar, _params(length=12, default="unpaid")),
        ("paid_at", *_null_time()),
        ("paid_principal", *_bigint()),
        ("paid_penalty", *_bigint()),
        ("invoice_number", *_varchar(40)),
        ("created_at", *_now()),
    ],
    ("BillPayment", "pajak_bill_payment"): [
        ("invoice_number", *_varchar(40, index=True)),
        ("sppt", ForeignKey, _fk(Sppt, False, OnDelete.cascade)),
        ("principal", *_bigint()),
        ("penalty", *_bigint()),
        ("created_at", *_now()),
    ],
    ("NopLink", "pajak_nop_link"): [
        ("user_id", *_int()),
        ("tax_object", ForeignKey, _fk(TaxObject, False, OnDelete.cascade)),
        ("nop", *_varchar(18)),
        ("created_at", *_now()),
    ],
    ("AssessmentRun", "pajak_assessment_run"): [
        ("year", *_int()),
        ("status", Varchar, _params(length=12, default="running")),
        ("total", *_int()),
        ("done", *_int()),
        ("created", *_int()),
        ("kept", *_int()),
        ("last_nop", *_varchar(18)),
        ("created_by", Integer, _params(default=None, null=True)),
        ("started_at", *_now()),
        ("finished_at", *_null_time()),
        ("message", *_text()),
    ],
    ("ObjectCorrection", "pajak_object_correction"): [
        ("tax_object", ForeignKey, _fk(TaxObject, False, OnDelete.cascade)),
        ("reason", *_text()),
        ("changes", Text, _params(default="{}")),
        ("officer_id", Integer, _params(default=None, null=True)),
        ("created_at", *_now()),
    ],
}

# Columns added to the existing pajak_tax_object table.
TAX_OBJECT_COLUMNS: list[tuple] = [
    ("land_class", *_varchar(4)),
    ("building_class", *_varchar(4)),
    ("land_njop_per_m2", *_int()),
    ("building_njop_per_m2", *_int()),
    ("taxpayer", ForeignKey, _fk(Taxpayer, True, OnDelete.set_null)),
    ("is_active", Boolean, _params(default=True)),
    ("updated_at", *_now()),
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

    for (class_name, tablename), columns in NEW_TABLES.items():
        manager.add_table(class_name=class_name, tablename=tablename, schema=None, columns=None)
        for name, column_class, params in (_ID, _CITY, *columns):
            _add_column(manager, class_name, tablename, name, column_class, params)

    for name, column_class, params in TAX_OBJECT_COLUMNS:
        _add_column(manager, "TaxObject", "pajak_tax_object", name, column_class, params)

    return manager
