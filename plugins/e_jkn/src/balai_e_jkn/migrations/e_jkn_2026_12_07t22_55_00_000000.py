from enum import Enum

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Integer, Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-07T22:55:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Priority group claims and Dinsos's welfare check"

_OLD = {"SUBMITTED": "submitted", "VERIFIED": "verified", "APPROVED": "approved"}
_OLD["REJECTED"] = "rejected"


def _params(**changes):
    params = {
        "default": "",
        "null": False,
        "primary_key": False,
        "unique": False,
        "index": False,
        "index_method": IndexMethod.btree,
        "choices": None,
        "db_column_name": None,
        "secret": False,
    }
    params.update(changes)
    return params


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="e_jkn", description=DESCRIPTION)

    manager.add_column(
        table_class_name="Enrolment",
        tablename="e_jkn_enrolment",
        column_name="priority_group",
        db_column_name="priority_group",
        column_class_name="Varchar",
        column_class=Varchar,
        params=_params(length=20),
        schema=None,
    )
    manager.add_column(
        table_class_name="Enrolment",
        tablename="e_jkn_enrolment",
        column_name="welfare_decile",
        db_column_name="welfare_decile",
        column_class_name="Integer",
        column_class=Integer,
        params=_params(default=None, null=True),
        schema=None,
    )
    manager.alter_column(
        table_class_name="Enrolment",
        tablename="e_jkn_enrolment",
        column_name="status",
        db_column_name="status",
        params={"choices": Enum("Status", {"WELFARE": "welfare", **_OLD})},
        old_params={"choices": Enum("Status", _OLD)},
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    return manager
