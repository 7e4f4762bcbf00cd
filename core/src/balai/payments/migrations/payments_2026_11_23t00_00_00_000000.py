"""The payments ledger, its callback events, reconciliation and the sandbox bank's book.

The tables are frozen copies of :mod:`balai.payments.tables` as of this
migration; later changes go in new migrations.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import BigInt, Boolean, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table

ID = "2026-11-23T00:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Invoices, items, attempts, payments, callback events, reconciliation, sandbox bank"


def _city() -> Varchar:
    return Varchar(length=40, index=True, default="")


class PaymentInvoice(Table, tablename="balai_payments_invoice"):
    city = _city()
    number = Varchar(length=24, unique=True)
    access_token = Varchar(length=40)
    status = Varchar(length=12, default="pending", index=True)
    amount = BigInt()
    payer_id = Integer(null=True, default=None, index=True)
    payer_name = Varchar(length=120)
    due_at = Timestamptz(index=True)
    source = Varchar(length=60, index=True)
    source_ref = Varchar(length=120)
    provider = Varchar(length=20, null=True, default=None)
    created_at = Timestamptz()
    paid_at = Timestamptz(null=True, default=None)
    closed_at = Timestamptz(null=True, default=None)


class PaymentInvoiceItem(Table, tablename="balai_payments_invoice_item"):
    city = _city()
    invoice_id = Integer(index=True)
    position = Integer(default=0)
    description = Varchar(length=200)
    quantity = Integer(default=1)
    amount = BigInt()


class PaymentAttempt(Table, tablename="balai_payments_attempt"):
    city = _city()
    invoice_id = Integer(index=True)
    reference = Varchar(length=40, unique=True)
    provider = Varchar(length=20)
    external_id = Varchar(length=64, null=True, default=None, index=True)
    amount = BigInt()
    va_number = Varchar(length=32, default="")
    qris_payload = Text(default="")
    redirect_url = Varchar(length=400, default="")
    status = Varchar(length=12, default="open")
    created_at = Timestamptz()


class Payment(Table, tablename="balai_payments_payment"):
    city = _city()
    number = Varchar(length=24, unique=True)
    invoice_id = Integer(unique=True)
    provider = Varchar(length=20)
    external_id = Varchar(length=64, default="")
    amount = BigInt()
    paid_at = Timestamptz()
    confirmed_by = Integer(null=True, default=None)
    refunded_at = Timestamptz(null=True, default=None)
    refunded_by = Integer(null=True, default=None)
    refund_reason = Varchar(length=300, default="")


class PaymentEvent(Table, tablename="balai_payments_event"):
    city = _city()
    event_key = Varchar(length=120, unique=True)
    external_id = Varchar(length=64, unique=True)
    provider = Varchar(length=20)
    invoice_id = Integer(null=True, default=None, index=True)
    kind = Varchar(length=20)
    amount = BigInt(default=0)
    outcome = Varchar(length=24)
    flagged = Boolean(default=False, index=True)
    received_at = Timestamptz()
    body = Text(default="")


class ReconciliationDiff(Table, tablename="balai_payments_recon_diff"):
    city = _city()
    day = Varchar(length=10, index=True)
    kind = Varchar(length=24)
    reference = Varchar(length=60)
    ledger_amount = BigInt(null=True, default=None)
    gateway_amount = BigInt(null=True, default=None)
    found_at = Timestamptz()


class ReconciliationRun(Table, tablename="balai_payments_recon_run"):
    city = _city()
    day = Varchar(length=10, index=True)
    matched = Integer(default=0)
    differences = Integer(default=0)
    ran_at = Timestamptz()


class SandboxTransaction(Table, tablename="balai_payments_sandbox_txn"):
    reference = Varchar(length=40, unique=True)
    partner_id = Varchar(length=40, index=True)
    partner_reference = Varchar(length=40)
    channel = Varchar(length=12)
    amount = BigInt()
    va_number = Varchar(length=32, default="")
    callback_url = Varchar(length=400)
    return_url = Varchar(length=400, default="")
    status = Varchar(length=12, default="open")
    created_at = Timestamptz()
    settled_at = Timestamptz(null=True, default=None)
    deliveries = Integer(default=0)


TABLES = [
    PaymentInvoice,
    PaymentInvoiceItem,
    PaymentAttempt,
    Payment,
    PaymentEvent,
    ReconciliationDiff,
    ReconciliationRun,
    SandboxTransaction,
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="payments", description=DESCRIPTION)
    for table in TABLES:
        name = table._meta.tablename
        manager.add_table(class_name=table.__name__, tablename=name)
        for column in table._meta.non_default_columns:
            manager.add_column(
                table_class_name=table.__name__,
                tablename=name,
                column_name=column._meta.name,
                db_column_name=column._meta.db_column_name,
                column_class_name=type(column).__name__,
                column_class=type(column),
                params=dict(column._meta.params),
            )
    return manager
