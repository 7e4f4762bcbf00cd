"""The ledger's tables (Piccolo app ``payments``).

Amounts are whole rupiah, times UTC. Uniqueness that settlement relies on is
in the schema: one event per event key, one payment per invoice.
"""

from __future__ import annotations

from piccolo.columns import BigInt, Boolean, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table

from balai.db.tables import CityTable


class PaymentInvoice(CityTable, tablename="balai_payments_invoice"):
    """An invoice: what a payer owes a city, created by a plugin."""

    number = Varchar(length=24, unique=True)
    access_token = Varchar(length=40)
    status = Varchar(length=12, default="pending", index=True)
    amount = BigInt()
    payer_id = Integer(null=True, default=None, index=True)
    payer_name = Varchar(length=120)
    due_at = Timestamptz(index=True)
    source = Varchar(length=60, index=True)
    source_ref = Varchar(length=120)
    kind = Varchar(length=12, default="bill")  # InvoiceKind: names the payment methods
    provider = Varchar(length=20, null=True, default=None)
    created_at = Timestamptz()
    paid_at = Timestamptz(null=True, default=None)
    closed_at = Timestamptz(null=True, default=None)
    refunded_amount = BigInt(default=0)  # given back so far (all of ``amount`` once refunded)


class PaymentInvoiceItem(CityTable, tablename="balai_payments_invoice_item"):
    """One line of an invoice."""

    invoice_id = Integer(index=True)
    position = Integer(default=0)
    description = Varchar(length=200)
    quantity = Integer(default=1)
    amount = BigInt()


class PaymentAttempt(CityTable, tablename="balai_payments_attempt"):
    """One try at paying an invoice through a provider."""

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


class Payment(CityTable, tablename="balai_payments_payment"):
    """Money received for an invoice; at most one per invoice."""

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


class PaymentRefund(CityTable, tablename="balai_payments_refund"):
    """A sum given back for a paid invoice: the whole rest of it, or a part.

    ``key`` (``<city>:<invoice number>:<caller's key>``) makes a refund
    idempotent: the same key never gives money back twice.
    """

    invoice_id = Integer(index=True)
    key = Varchar(length=200, unique=True)
    amount = BigInt()
    reason = Varchar(length=300)
    officer_id = Integer(null=True, default=None)
    created_at = Timestamptz()


class PaymentEvent(CityTable, tablename="balai_payments_event"):
    """A gateway callback, recorded once per event key, with what it did."""

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


class ReconciliationDiff(CityTable, tablename="balai_payments_recon_diff"):
    """A difference between the ledger and the gateway's settlement report of a day."""

    day = Varchar(length=10, index=True)
    kind = Varchar(length=24)
    reference = Varchar(length=60)
    ledger_amount = BigInt(null=True, default=None)
    gateway_amount = BigInt(null=True, default=None)
    found_at = Timestamptz()


class ReconciliationRun(CityTable, tablename="balai_payments_recon_run"):
    """One comparison of a day, with how many rows matched and differed."""

    day = Varchar(length=10, index=True)
    matched = Integer(default=0)
    differences = Integer(default=0)
    ran_at = Timestamptz()


class SandboxTransaction(Table, tablename="balai_payments_sandbox_txn"):
    """The sandbox bank's own book: payments it was asked to collect (not city rows)."""

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
    external_id = Varchar(length=64, null=True, default=None)  # unique index in the migration
