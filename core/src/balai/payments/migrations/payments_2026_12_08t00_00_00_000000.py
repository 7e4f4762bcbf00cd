"""Partial refunds: an invoice keeps the sum given back; each refund is a row with its key."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import BigInt, Integer, Timestamptz, Varchar
from piccolo.table import Table

ID = "2026-12-08T00:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Partial refunds: refunded_amount on invoices, one row per refund"


class _Raw(Table, tablename="balai_payments_invoice"):
    """Only used to reach the engine for raw statements."""


class PaymentRefund(Table, tablename="balai_payments_refund"):
    city = Varchar(length=40, index=True, default="")
    invoice_id = Integer(index=True)
    key = Varchar(length=200, unique=True)
    amount = BigInt()
    reason = Varchar(length=300)
    officer_id = Integer(null=True, default=None)
    created_at = Timestamptz()


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="payments", description=DESCRIPTION)

    async def add() -> None:
        await _Raw.raw(
            "ALTER TABLE balai_payments_invoice "
            "ADD COLUMN refunded_amount BIGINT NOT NULL DEFAULT 0"
        )
        # Refunds before this migration were whole.
        await _Raw.raw(
            "UPDATE balai_payments_invoice SET refunded_amount = amount WHERE status = 'refunded'"
        )

    async def drop() -> None:
        await _Raw.raw("ALTER TABLE balai_payments_invoice DROP COLUMN refunded_amount")

    manager.add_raw(add)
    manager.add_raw_backwards(drop)
    name = PaymentRefund._meta.tablename
    manager.add_table(class_name="PaymentRefund", tablename=name)
    for column in PaymentRefund._meta.non_default_columns:
        manager.add_column(
            table_class_name="PaymentRefund",
            tablename=name,
            column_name=column._meta.name,
            db_column_name=column._meta.db_column_name,
            column_class_name=type(column).__name__,
            column_class=type(column),
            params=dict(column._meta.params),
        )
    return manager
