"""Billing the disposal fee of a delivery, and paying it through the core ledger.

Who pays is the city's ``bill_disposal_to``:

* ``household``: one fee per visit the delivery carries, for the litres of
  that visit that reached the plant (the delivered volume is shared out over
  the visits in route order, each taking at most what was pumped there, so
  that no more litres are billed than were delivered);
* ``operator``: one fee for the whole delivered volume, billed to the firm.

The tariff is the one in force on the delivery's day. The household (or
the operator's office, :mod:`balai_sipaldi.firm.routes`) opens the fee's
invoice when it pays (online, through the ledger's providers), at once or
in monthly instalments (:mod:`balai_sipaldi.fees.instalments`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from balai import toolkit as tk

from balai_sipaldi.fees.tariff import disposal_fee, tariff_on
from balai_sipaldi.settings import settings_of
from balai_sipaldi.tables import Fee, Instalment, Premises, Truck
from balai_sipaldi.volumes import format_m3

SOURCE = "sipaldi"
REF_PREFIX = "fee:"
PAY_WITHIN = timedelta(days=3)


class PaymentRefused(Exception):
    """The fee cannot be paid now; ``str()`` is the translated reason."""


def share_out(delivered: int, pumped: list[int]) -> list[int]:
    """The delivered litres given to each visit in order, each at most what was pumped there."""
    left = delivered
    shares = []
    for litres in pumped:
        share = min(litres, left)
        shares.append(share)
        left -= share
    return shares


async def bill_delivery(
    delivery_id: int, day: date, truck_id: int, delivered: int, visits: list[dict[str, Any]]
) -> int:
    """Write the fees of a delivery (none when no tariff is in force); how many."""
    settings = settings_of(tk.current_city())
    tariff = tariff_on(settings, day)
    if tariff is None:
        return 0
    now = datetime.now(UTC)
    if settings.bill_disposal_to == "operator":
        truck = await Truck.select(Truck.operator_id).where(Truck.id == truck_id).first()
        await Fee.insert(
            Fee(
                delivery_id=delivery_id,
                operator_id=truck["operator_id"],
                litres=delivered,
                per_m3=tariff.per_m3,
                amount=disposal_fee(delivered, tariff.per_m3),
                created_at=now,
            )
        )
        return 1
    owners = {
        p["id"]: p["owner_id"]
        for p in await Premises.select(Premises.id, Premises.owner_id).where(
            Premises.id.is_in([v["premises_id"] for v in visits])
        )
    }
    shares = share_out(delivered, [v["volume_litres"] for v in visits])
    fees = [
        Fee(
            delivery_id=delivery_id,
            visit_id=visit["id"],
            owner_id=owners.get(visit["premises_id"]),
            litres=share,
            per_m3=tariff.per_m3,
            amount=disposal_fee(share, tariff.per_m3),
            created_at=now,
        )
        for visit, share in zip(visits, shares, strict=True)
    ]
    if fees:
        await Fee.insert(*fees)
    return len(fees)


async def start_payment(fee: dict[str, Any], payer_id: int, payer_name: str) -> str:
    """The number of the invoice to pay ``fee`` with: the open one, or a new one.

    ``payer_name`` is the household's name, or the operator's for a fee
    billed to the firm (any of the firm's office accounts may pay it).
    """
    if fee["paid"]:
        raise PaymentRefused(tk._("This fee is already paid."))
    if fee["amount"] <= 0:
        raise PaymentRefused(tk._("Nothing is due for this fee."))
    if fee["invoice_number"]:
        return fee["invoice_number"]
    if await Instalment.exists().where(Instalment.fee_id == fee["id"]):
        raise PaymentRefused(tk._("This fee is paid in instalments: pay the next instalment."))
    invoice = await tk.create_invoice(
        payer_id=payer_id,
        payer_name=payer_name,
        items=[
            tk.InvoiceItem(
                tk._("Septage disposal fee, %(m3)s m³", m3=format_m3(fee["litres"])), fee["amount"]
            )
        ],
        due_at=datetime.now(UTC) + PAY_WITHIN,
        source=SOURCE,
        source_ref=f"{REF_PREFIX}{fee['id']}",
    )
    await Fee.update({Fee.invoice_number: invoice.number}).where(Fee.id == fee["id"])
    return invoice.number


async def settled(invoice: tk.Invoice) -> None:
    """The fee's invoice is paid (in the settlement's transaction)."""
    fee_id = int(invoice.source_ref.removeprefix(REF_PREFIX))
    await Fee.update({Fee.paid: True, Fee.paid_at: datetime.now(UTC)}).where(
        (Fee.id == fee_id) & (Fee.invoice_number == invoice.number)
    )


async def expired(invoice: tk.Invoice) -> None:
    """The fee's invoice expired unpaid: the fee may be paid with a new one."""
    fee_id = int(invoice.source_ref.removeprefix(REF_PREFIX))
    await Fee.update({Fee.invoice_number: ""}).where(
        (Fee.id == fee_id) & (Fee.invoice_number == invoice.number) & Fee.paid.eq(False)
    )
