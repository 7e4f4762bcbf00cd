"""Tickets through partners: list slots, hold places, confirm as paid (once), cancel a hold.

Plugins sell through the ``partner_tickets`` hook (a
:class:`~balai.partners.ticket_types.TicketSeller`); slot ids are the
plugin's slug and its own id (``wisata_heritage:12``).

* **List** the slots still to begin with the places left in the partners'
  quota, their prices and how many one order may take.
* **Hold** places under the partner's ``partnerReferenceNo`` for
  ``holdMinutes`` (1-30, default 15): one transaction writes our row and the
  seller's order with its pending ledger invoice, or nothing at all (sold
  out, unknown slot, bad quantities). The places come back when the invoice
  lapses (the payments' expiry job calls the seller's ``invoice_expired``);
  listing and holding expire the overdue invoices first, so a lapsed hold's
  places are offered again at once, not only when the job next runs.
  The same reference with the same content answers the same hold again.
* **Confirm** a hold as paid by the partner, under its ``paymentRequestId``:
  the invoice is settled through the ledger as a payment of channel
  ``partner`` (exactly once: the event key is the hold's reference), and the
  answer carries the signed e-tickets a gate checks. The same
  ``paymentRequestId`` answers the same again; another one for a confirmed
  hold is refused (409).
* **Cancel** a hold that is not confirmed: its places are free at once.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from balai.partners import answers, bills
from balai.partners.auth import Verified
from balai.partners.tables import PartnerTicketOrder
from balai.partners.ticket_types import TicketHold, TicketRefusal, TicketRefused, TicketSeller
from balai.payments import ledger
from balai.tenants import current_city

log = logging.getLogger("balai.partners.tickets")

SLOT_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}:[0-9]{1,12}$")
CATEGORY = re.compile(r"^[a-z]{1,20}$")
NAME = re.compile(r"^[^\x00-\x1f\x7f]{1,120}$")
MAX_TICKETS = 50  # the most one hold may take, whatever the product allows
MAX_CATEGORIES = 10
HOLD_MINUTES = (1, 30)
DEFAULT_HOLD_MINUTES = 15
MAX_OFFERS = 200


async def _sellers(registry: Any) -> dict[str, TicketSeller]:
    city = current_city()
    return dict(await registry.gather_from(city, "partner_tickets", city=city))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _stamp(moment: datetime) -> str:
    return _aware(moment).astimezone(current_city().tz).isoformat(timespec="seconds")


async def _lapse_overdue(registry: Any) -> None:
    """Expire the city's overdue invoices now, as the payments' expiry job does every few minutes.

    A lapsed hold's places come back through its seller's ``invoice_expired``
    hook; each invoice moves once (a conditional update), whoever gets there
    first, this call, another request or the job.
    """
    await ledger.expire_overdue(registry=registry)


# --- list -----------------------------------------------------------------------


async def offers(verified: Verified, registry: Any) -> answers.Answer:
    """The slots partners may sell, nearest first, with places and prices."""
    bills.read_body(verified.raw_body, answers.TICKET_LIST)
    await _lapse_overdue(registry)
    found = []
    for slug, seller in (await _sellers(registry)).items():
        for offer in await seller.offers(ledger.now_utc()):
            found.append(
                {
                    "slotId": f"{slug}:{offer.slot_id}",
                    "product": offer.product,
                    "event": offer.event,
                    "place": offer.place,
                    "startsAt": _stamp(offer.starts_at),
                    "endsAt": _stamp(offer.ends_at),
                    "available": offer.available,
                    "perOrderMax": min(offer.per_order_max, MAX_TICKETS),
                    "prices": [
                        {"category": category, "price": bills.money(price)}
                        for category, price in offer.prices.items()
                    ],
                }
            )
    found.sort(key=lambda slot: slot["startsAt"])
    return answers.success(answers.TICKET_LIST, {"slots": found[:MAX_OFFERS]})


# --- hold -----------------------------------------------------------------------


def _quantities(body: dict[str, Any], service: str) -> dict[str, int]:
    value = body.get("quantities")
    if value is None:
        raise answers.missing_field(service, "quantities")
    if not isinstance(value, dict) or not 0 < len(value) <= MAX_CATEGORIES:
        raise answers.invalid_field(service, "quantities")
    wanted = {}
    for category, count in value.items():
        if not CATEGORY.match(category):
            raise answers.invalid_field(service, "quantities")
        if type(count) is not int or not 0 <= count <= MAX_TICKETS:
            raise answers.invalid_field(service, f"quantities.{category}")
        if count:
            wanted[category] = count
    if not 0 < sum(wanted.values()) <= MAX_TICKETS:
        raise answers.invalid_field(service, "quantities")
    return dict(sorted(wanted.items()))


def _minutes(body: dict[str, Any], service: str) -> int:
    value = body.get("holdMinutes", DEFAULT_HOLD_MINUTES)
    low, high = HOLD_MINUTES
    if type(value) is not int or not low <= value <= high:
        raise answers.invalid_field(service, "holdMinutes")
    return value


def _hold_answer(service: str, row: dict[str, Any]) -> answers.Answer:
    expires = _aware(row["expires_at"])
    expired = row["status"] == "held" and expires <= ledger.now_utc()
    return answers.success(
        service,
        {
            "partnerReferenceNo": row["reference"],
            "slotId": f"{row['source']}:{row['slot_id']}",
            "orderNumber": row["order_number"],
            "quantities": json.loads(row["quantities"]),
            "totalAmount": bills.money(row["amount"]),
            "expiresAt": _stamp(expires),
            "status": "expired" if expired else row["status"],
        },
    )


async def _row(partner_id: int, reference: str) -> dict[str, Any] | None:
    return (
        await PartnerTicketOrder.select()
        .where(
            (PartnerTicketOrder.partner_id == partner_id)
            & (PartnerTicketOrder.reference == reference)
        )
        .first()
    )


_REFUSALS = {
    TicketRefusal.UNKNOWN_SLOT: lambda service, message: answers.not_found(service, "Slot"),
    TicketRefusal.NOT_ON_SALE: lambda service, message: answers.not_permitted(service, message),
    TicketRefusal.QUANTITY: lambda service, message: answers.invalid_field(
        service, f"quantities ({message})"
    ),
    TicketRefusal.SOLD_OUT: lambda service, message: answers.sold_out(service),
}


async def hold(verified: Verified, registry: Any) -> answers.Answer:
    """Hold places of a slot for the partner's reference, or write nothing."""
    service = answers.TICKET_HOLD
    body = bills.read_body(verified.raw_body, service)
    reference = bills.text_field(body, "partnerReferenceNo", bills.REQUEST_ID, service)
    slot = bills.text_field(body, "slotId", SLOT_ID, service)
    wanted = _quantities(body, service)
    minutes = _minutes(body, service)
    name = body.get("customerName") or verified.partner["name"]
    if not isinstance(name, str) or not NAME.match(name):
        raise answers.invalid_field(service, "customerName")
    source, slot_id = slot.split(":")
    partner_id = verified.partner["id"]
    earlier = await _row(partner_id, reference)
    if earlier is None:
        seller = (await _sellers(registry)).get(source)
        if seller is None:
            raise answers.not_found(service, "Slot")
        await _lapse_overdue(registry)
        try:
            await _hold(verified, seller, reference, source, int(slot_id), wanted, name, minutes)
        except TicketRefused as refused:
            log.info("hold %s refused: %s", reference, refused.kind)
            raise _REFUSALS[refused.kind](service, refused.message) from None
        except Exception as exc:
            if not ledger.is_unique_violation(exc):
                raise
        earlier = await _row(partner_id, reference)
        assert earlier is not None
    elif (earlier["source"], earlier["slot_id"], json.loads(earlier["quantities"])) != (
        source,
        int(slot_id),
        wanted,
    ):
        raise answers.inconsistent(service, "partnerReferenceNo was used for another hold")
    return _hold_answer(service, earlier)


async def _hold(
    verified: Verified,
    seller: TicketSeller,
    reference: str,
    source: str,
    slot_id: int,
    wanted: dict[str, int],
    name: str,
    minutes: int,
) -> None:
    now = ledger.now_utc()
    async with ledger.write_transaction():
        row = PartnerTicketOrder(
            partner_id=verified.partner["id"],
            reference=reference,
            source=source,
            slot_id=slot_id,
            quantities=json.dumps(wanted),
            status="held",
            day=verified.day,
            created_at=now,
            expires_at=now + timedelta(minutes=minutes),
        )
        await row.save()
        held: TicketHold = await seller.hold(slot_id, wanted, name, timedelta(minutes=minutes))
        await PartnerTicketOrder.update(
            {
                PartnerTicketOrder.order_number: held.order_number,
                PartnerTicketOrder.invoice_number: held.invoice_number,
                PartnerTicketOrder.amount: held.amount,
                PartnerTicketOrder.expires_at: held.expires_at,
            }
        ).where(PartnerTicketOrder.id == row.id)
    log.info("hold %s of %s: %s", reference, verified.partner["client_id"], held.order_number)


# --- confirm --------------------------------------------------------------------


async def _confirmed_answer(row: dict[str, Any], registry: Any) -> answers.Answer:
    seller = (await _sellers(registry)).get(row["source"])
    issued = await seller.tickets(row["order_number"]) if seller else []
    return answers.success(
        answers.TICKET_CONFIRM,
        {
            "partnerReferenceNo": row["reference"],
            "paymentRequestId": row["payment_reference"],
            "orderNumber": row["order_number"],
            "paidAmount": bills.money(row["amount"]),
            "tickets": [
                {
                    "code": ticket.code,
                    "category": ticket.category,
                    "startsAt": _stamp(ticket.starts_at),
                    "endsAt": _stamp(ticket.ends_at),
                    "payload": ticket.payload,
                }
                for ticket in issued
            ],
        },
    )


async def confirm(verified: Verified, registry: Any) -> answers.Answer:
    """Settle a hold as paid by the partner, once; answer its signed tickets."""
    service = answers.TICKET_CONFIRM
    body = bills.read_body(verified.raw_body, service)
    reference = bills.text_field(body, "partnerReferenceNo", bills.REQUEST_ID, service)
    payment_reference = bills.text_field(body, "paymentRequestId", bills.REQUEST_ID, service)
    amount = bills.amount_field(body, "paidAmount", service)
    row = await _row(verified.partner["id"], reference)
    if row is None:
        raise answers.not_found(service, "Hold")
    if row["payment_reference"] not in (None, payment_reference):
        raise answers.conflict(service, "The hold was already confirmed")
    if row["status"] == "paid":
        return await _confirmed_answer(row, registry)
    if row["status"] == "cancelled":
        raise answers.conflict(service, "The hold was cancelled")
    if amount != row["amount"]:
        raise answers.invalid_amount(service, "The amount differs from the hold's")
    invoice = await ledger.invoice_by_number(row["invoice_number"])
    assert invoice is not None  # written with the row, in its transaction
    if not invoice.is_pending or invoice.due_at <= ledger.now_utc():
        raise answers.expired(service, "Hold")
    try:
        await PartnerTicketOrder.update(
            {PartnerTicketOrder.payment_reference: payment_reference}
        ).where(
            (PartnerTicketOrder.id == row["id"]) & (PartnerTicketOrder.payment_reference.is_null())
        )
    except Exception as exc:
        if not ledger.is_unique_violation(exc):
            raise
        raise answers.inconsistent(service, "paymentRequestId was used for another hold") from exc
    row = await PartnerTicketOrder.select().where(PartnerTicketOrder.id == row["id"]).first()
    if row["payment_reference"] != payment_reference:
        raise answers.conflict(service, "The hold was already confirmed")
    payment = await bills.settle_for_partner(
        invoice,
        verified,
        reference=f"ticket:{reference}",
        ours=f"partner-ticket:{row['id']}",
        amount=row["amount"],
        registry=registry,
    )
    if payment is None:
        raise answers.expired(service, "Hold")
    await PartnerTicketOrder.update(
        {PartnerTicketOrder.status: "paid", PartnerTicketOrder.paid_at: payment["paid_at"]}
    ).where((PartnerTicketOrder.id == row["id"]) & (PartnerTicketOrder.status == "held"))
    row = await PartnerTicketOrder.select().where(PartnerTicketOrder.id == row["id"]).first()
    log.info("hold %s confirmed (%s)", reference, row["order_number"])
    return await _confirmed_answer(row, registry)


# --- cancel ---------------------------------------------------------------------


async def cancel(verified: Verified, registry: Any) -> answers.Answer:
    """Cancel a hold that is not confirmed; its places are for sale again at once."""
    service = answers.TICKET_CANCEL
    body = bills.read_body(verified.raw_body, service)
    reference = bills.text_field(body, "partnerReferenceNo", bills.REQUEST_ID, service)
    row = await _row(verified.partner["id"], reference)
    if row is None:
        raise answers.not_found(service, "Hold")
    if row["status"] == "cancelled":
        raise answers.conflict(service, "The hold was already cancelled")
    if row["status"] == "paid" or row["payment_reference"] is not None:
        raise answers.not_permitted(service, "A confirmed order is not cancelled by the partner")
    seller = (await _sellers(registry)).get(row["source"])
    async with ledger.write_transaction():
        moved = (
            await PartnerTicketOrder.update(
                {
                    PartnerTicketOrder.status: "cancelled",
                    PartnerTicketOrder.cancelled_at: ledger.now_utc(),
                }
            )
            .where(
                (PartnerTicketOrder.id == row["id"])
                & (PartnerTicketOrder.status == "held")
                & (PartnerTicketOrder.payment_reference.is_null())
            )
            .returning(PartnerTicketOrder.id)
        )
        released = bool(moved) and seller is not None and await seller.release(row["order_number"])
        if not released:
            raise answers.expired(service, "Hold")
    log.info("hold %s cancelled (%s)", reference, row["order_number"])
    fresh = await PartnerTicketOrder.select().where(PartnerTicketOrder.id == row["id"]).first()
    return _hold_answer(service, fresh)
