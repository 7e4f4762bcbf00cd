"""The biller host-to-host cycle: inquiry, payment (exactly once), same-day reversal.

* **Inquiry** by customer number asks the ``payables`` hook what is owed
  **today** and records the answer under the partner's ``inquiryRequestId``;
  the partner sees the amount, a masked name and the lines.
* **Payment** names that inquiry and the partner's own reference
  (``paymentRequestId``). It is refused unless the amount equals the
  inquiry's and what is owed right now. The partner payment row (unique per
  partner reference) and the ledger invoice are written in one transaction,
  then the invoice is settled through the ledger as a payment of channel
  ``partner`` under an event key made of the reference: a retry, a
  duplicate or a request that timed out half-way settles nothing twice and
  answers as the first did.
* **Reversal** (void) of a paid payment on the city's business day it was
  made, through the ledger's refund (the owning plugin hears
  ``invoice_refunded``); a second reversal is refused.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from balai.audit.log import record as audit_record
from balai.partners import answers, lookup
from balai.partners.auth import Verified
from balai.partners.tables import PartnerInquiry, PartnerPayment
from balai.partners.types import Payable
from balai.payments import ledger
from balai.payments.tables import Payment
from balai.payments.types import Invoice
from balai.tenants import current_city

log = logging.getLogger("balai.partners.bills")

CHANNEL = "partner"
REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-_.:]{0,63}$")
AMOUNT = re.compile(r"^(0|[1-9][0-9]{0,11})\.00$")


def mask_name(name: str) -> str:
    """A payer's name as partners see it: each word's first letter, the rest starred."""
    words = [w for w in name.split() if w][:6]
    return " ".join(w[0] + "*" * min(len(w) - 1, 8) for w in words)[:120] or "*"


def money(amount: int) -> dict[str, str]:
    """A SNAP amount: ``{"value": "15000.00", "currency": "IDR"}``."""
    return {"value": f"{amount}.00", "currency": "IDR"}


def read_body(raw: bytes, service: str) -> dict[str, Any]:
    """The JSON object of a request body, or a field error."""
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise answers.invalid_field(service, "body (not JSON)") from exc
    if not isinstance(body, dict):
        raise answers.invalid_field(service, "body (not an object)")
    return body


def text_field(body: dict[str, Any], name: str, pattern: re.Pattern[str], service: str) -> str:
    """A text field of ``pattern``; missing or malformed: a field error."""
    value = body.get(name)
    if value is None or value == "":
        raise answers.missing_field(service, name)
    if not isinstance(value, str) or not pattern.match(value):
        raise answers.invalid_field(service, name)
    return value


def amount_field(body: dict[str, Any], name: str, service: str) -> int:
    """A SNAP amount field in whole rupiah (``{value: "15000.00", currency: IDR}``)."""
    value = body.get(name)
    if value is None:
        raise answers.missing_field(service, name)
    if not isinstance(value, dict) or value.get("currency") != "IDR":
        raise answers.invalid_field(service, f"{name}.currency")
    text = value.get("value")
    if not isinstance(text, str) or not AMOUNT.match(text):
        raise answers.invalid_field(service, f"{name}.value")
    return int(text[:-3])


def _customer(body: dict[str, Any], service: str) -> str:
    return text_field(body, "customerNo", lookup.CUSTOMER_NUMBER, service).strip()


def _today() -> Any:
    return datetime.now(current_city().tz).date()


# --- inquiry --------------------------------------------------------------------


def _inquiry_answer(row: dict[str, Any]) -> answers.Answer:
    lines = json.loads(row["lines"])
    return answers.success(
        answers.INQUIRY,
        {
            "virtualAccountData": {
                "customerNo": row["customer_number"],
                "inquiryRequestId": row["inquiry_id"],
                "virtualAccountName": row["name_masked"],
                "totalAmount": money(row["amount"]),
                "billDetails": [
                    {"billDescription": line["description"], "billAmount": money(line["amount"])}
                    for line in lines
                ],
            }
        },
    )


async def inquire(verified: Verified, registry: Any) -> answers.Answer:
    """Answer what ``customerNo`` owes today, and remember it under ``inquiryRequestId``."""
    service = answers.INQUIRY
    body = read_body(verified.raw_body, service)
    customer = _customer(body, service)
    inquiry_id = text_field(body, "inquiryRequestId", REQUEST_ID, service)
    partner_id = verified.partner["id"]
    earlier = await _inquiry(partner_id, inquiry_id)
    if earlier is not None:
        if earlier["customer_number"] != customer or earlier["day"] != verified.day:
            raise answers.inconsistent(service, "inquiryRequestId was used for another bill")
        return _inquiry_answer(earlier)
    payable = await lookup.find(registry, current_city(), customer, _today())
    if payable is None:
        raise answers.unknown_bill(service)
    row = PartnerInquiry(
        partner_id=partner_id,
        inquiry_id=inquiry_id,
        customer_number=payable.customer_number,
        source=payable.source,
        amount=payable.amount,
        name_masked=mask_name(payable.name),
        lines=json.dumps(
            [{"description": i.description, "amount": i.amount} for i in payable.items]
        ),
        day=verified.day,
        created_at=ledger.now_utc(),
    )
    try:
        await row.save()
    except Exception as exc:
        if not ledger.is_unique_violation(exc):
            raise
        raise answers.conflict(service, "inquiryRequestId is being answered") from exc
    saved = await _inquiry(partner_id, inquiry_id)
    assert saved is not None
    log.info("inquiry %s of %s: Rp%d", inquiry_id, verified.partner["client_id"], payable.amount)
    return _inquiry_answer(saved)


async def _inquiry(partner_id: int, inquiry_id: str) -> dict[str, Any] | None:
    return (
        await PartnerInquiry.select()
        .where(
            (PartnerInquiry.partner_id == partner_id) & (PartnerInquiry.inquiry_id == inquiry_id)
        )
        .first()
    )


# --- payment --------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentRequest:
    """A payment as the partner asked for it."""

    customer: str
    inquiry_id: str
    reference: str
    amount: int


def _payment_request(raw: bytes) -> PaymentRequest:
    service = answers.PAYMENT
    body = read_body(raw, service)
    return PaymentRequest(
        customer=_customer(body, service),
        inquiry_id=text_field(body, "inquiryRequestId", REQUEST_ID, service),
        reference=text_field(body, "paymentRequestId", REQUEST_ID, service),
        amount=amount_field(body, "paidAmount", service),
    )


async def _payment_row(partner_id: int, reference: str) -> dict[str, Any] | None:
    return (
        await PartnerPayment.select()
        .where((PartnerPayment.partner_id == partner_id) & (PartnerPayment.reference == reference))
        .first()
    )


def _paid_answer(row: dict[str, Any]) -> answers.Answer:
    return answers.success(
        answers.PAYMENT,
        {
            "virtualAccountData": {
                "customerNo": row["customer_number"],
                "inquiryRequestId": row["inquiry_id"],
                "paymentRequestId": row["reference"],
                "paidAmount": money(row["amount"]),
                "referenceNo": row["payment_number"],
            }
        },
    )


async def pay(verified: Verified, registry: Any) -> answers.Answer:
    """Settle the partner's payment of an inquired bill, exactly once."""
    service = answers.PAYMENT
    asked = _payment_request(verified.raw_body)
    partner_id = verified.partner["id"]
    earlier = await _payment_row(partner_id, asked.reference)
    if earlier is not None:
        return await _again(earlier, asked, verified, registry)
    inquiry = await _inquiry(partner_id, asked.inquiry_id)
    if inquiry is None or inquiry["customer_number"] != asked.customer:
        raise answers.unknown_bill(service)
    if inquiry["day"] != verified.day:
        raise answers.expired_inquiry(service)
    if asked.amount != inquiry["amount"]:
        raise answers.invalid_amount(service, "The amount differs from the inquiry's")
    payable = await lookup.find(registry, current_city(), asked.customer, _today())
    if payable is None:
        raise answers.paid_bill(service)
    if payable.amount != inquiry["amount"]:
        raise answers.invalid_amount(service, "The amount owed changed; inquire again")
    try:
        row_id = await _record(verified, asked, payable)
    except answers.Refused:
        raise
    except Exception as exc:
        if not ledger.is_unique_violation(exc):
            raise
        earlier = await _payment_row(partner_id, asked.reference)
        if earlier is None:  # the bill was put in another pending invoice a moment ago
            raise answers.conflict(service, "The bill is being paid; try again") from exc
        return await _again(earlier, asked, verified, registry)
    row = await PartnerPayment.select().where(PartnerPayment.id == row_id).first()
    return await _settle(row, verified, registry)


async def _record(verified: Verified, asked: PaymentRequest, payable: Payable) -> int:
    """The partner payment row and its ledger invoice, in one transaction."""
    async with ledger.write_transaction():
        row = PartnerPayment(
            partner_id=verified.partner["id"],
            reference=asked.reference,
            inquiry_id=asked.inquiry_id,
            customer_number=asked.customer,
            amount=asked.amount,
            fee=verified.partner["fee_flat"],
            status="pending",
            day=verified.day,
            created_at=ledger.now_utc(),
        )
        await row.save()
        invoice = await payable.open_invoice()
        if invoice.amount != asked.amount or not invoice.is_pending:
            raise answers.invalid_amount(answers.PAYMENT, "The amount owed changed; inquire again")
        await PartnerPayment.update({PartnerPayment.invoice_number: invoice.number}).where(
            PartnerPayment.id == row.id
        )
        return row.id


async def _again(
    row: dict[str, Any], asked: PaymentRequest, verified: Verified, registry: Any
) -> answers.Answer:
    """A payment reference seen before: the same answer, or a refusal if the content differs."""
    service = answers.PAYMENT
    if (row["customer_number"], row["amount"], row["inquiry_id"]) != (
        asked.customer,
        asked.amount,
        asked.inquiry_id,
    ):
        raise answers.inconsistent(service, "paymentRequestId was used for another payment")
    if row["status"] == "pending":
        return await _settle(row, verified, registry)
    if row["status"] == "paid":
        return _paid_answer(row)
    if row["status"] == "reversed":
        raise answers.inconsistent(service, "This payment was reversed")
    raise answers.paid_bill(service)


def event_ids(partner: dict[str, Any], reference: str, external_id: str) -> tuple[str, str]:
    """The ledger event key (one per partner reference) and external id of a partner payment."""
    key = f"{CHANNEL}:{partner['client_id']}:{reference}"
    message = hashlib.sha256(f"{partner['client_id']}:{external_id}".encode()).hexdigest()[:40]
    return key, f"{CHANNEL}:{message}"


async def settle_for_partner(
    invoice: Invoice,
    verified: Verified,
    *,
    reference: str,
    ours: str,
    amount: int,
    registry: Any,
) -> dict[str, Any] | None:
    """Settle ``invoice`` as the partner's payment ``reference``, once; its payment row.

    ``ours`` is the payment's own reference in the ledger. Returns ``None``
    when the invoice was paid another way (or not at all: it lapsed).
    """
    if invoice.is_pending:
        event_key, external_id = event_ids(verified.partner, reference, verified.external_id)
        result = await ledger.settle(
            invoice,
            ledger.SettlementEvent(
                event_key=event_key,
                external_id=external_id,
                provider=CHANNEL,
                kind="paid",
                amount=amount,
                body=verified.raw_body.decode("utf-8", "replace"),
                reference=ours,
            ),
            registry=registry,
        )
        log.info("partner payment %s: %s", reference, result.outcome)
    payment = await Payment.select().where(Payment.invoice_id == invoice.id).first()
    if payment is None or payment["external_id"] != ours:
        return None
    return payment


async def _settle(row: dict[str, Any], verified: Verified, registry: Any) -> answers.Answer:
    service = answers.PAYMENT
    invoice = await ledger.invoice_by_number(row["invoice_number"])
    assert invoice is not None  # written with the row, in its transaction
    ours = f"partner-payment:{row['id']}"
    payment = await settle_for_partner(
        invoice,
        verified,
        reference=row["reference"],
        ours=ours,
        amount=row["amount"],
        registry=registry,
    )
    if payment is None:
        await PartnerPayment.update({PartnerPayment.status: "refused"}).where(
            (PartnerPayment.id == row["id"]) & (PartnerPayment.status == "pending")
        )
        log.warning("partner payment %s refused: %s was paid another way", ours, invoice.number)
        raise answers.paid_bill(service)
    await PartnerPayment.update(
        {
            PartnerPayment.status: "paid",
            PartnerPayment.payment_number: payment["number"],
            PartnerPayment.paid_at: payment["paid_at"],
        }
    ).where((PartnerPayment.id == row["id"]) & (PartnerPayment.status == "pending"))
    fresh = await PartnerPayment.select().where(PartnerPayment.id == row["id"]).first()
    return _paid_answer(fresh)


# --- reversal -------------------------------------------------------------------


async def reverse(verified: Verified, registry: Any) -> answers.Answer:
    """Void a paid payment on its business day; a second reversal is refused."""
    service = answers.REVERSAL
    body = read_body(verified.raw_body, service)
    reference = text_field(body, "paymentRequestId", REQUEST_ID, service)
    row = await _payment_row(verified.partner["id"], reference)
    if row is None or row["status"] in {"pending", "refused"}:
        raise answers.unknown_bill(service)
    if row["status"] == "reversed":
        raise answers.conflict(service, "The payment was already reversed")
    if row["day"] != verified.day:
        raise answers.not_permitted(service, "Reversal only on the business day of the payment")
    invoice = await ledger.invoice_by_number(row["invoice_number"])
    assert invoice is not None
    async with ledger.write_transaction():
        done = await ledger.refund(
            invoice,
            officer_id=None,
            reason=f"Reversal by partner {verified.partner['name']} ({reference})",
            registry=registry,
        )
        if done:
            await PartnerPayment.update(
                {PartnerPayment.status: "reversed", PartnerPayment.reversed_at: ledger.now_utc()}
            ).where((PartnerPayment.id == row["id"]) & (PartnerPayment.status == "paid"))
    if not done:
        raise answers.conflict(service, "The payment is no longer paid")
    await audit_record(
        "partners.reversed",
        actor_id=None,
        subject=f"invoice:{invoice.number}",
        detail={"partner": verified.partner["client_id"], "reference": reference},
    )
    log.info("partner payment %s reversed (%s)", reference, invoice.number)
    return answers.success(
        service,
        {"paymentRequestId": reference, "customerNo": row["customer_number"], "status": "reversed"},
    )
