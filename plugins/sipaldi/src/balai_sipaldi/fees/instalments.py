"""A disposal fee paid in monthly instalments.

The household chooses the number of parts (2 up to the city's
``max_instalments``, none smaller than ``min_instalment``). The parts add up
to the fee exactly: each is ``amount // parts``, and the first also takes the
remainder (Rp10.001 in 3 parts: Rp3.335, Rp3.333, Rp3.333). Part *n* is due
*n - 1* months after the choice; each is paid through its own ledger invoice
(any part may be paid early), and the fee is marked paid with the last.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from balai import toolkit as tk

from balai_sipaldi.fees.billing import PAY_WITHIN, SOURCE, PaymentRefused
from balai_sipaldi.premises.schedule import add_months
from balai_sipaldi.settings import settings_of
from balai_sipaldi.tables import Fee, Instalment
from balai_sipaldi.volumes import format_m3

REF_PREFIX = "fee-part:"


def split(amount: int, parts: int) -> list[int]:
    """``amount`` in ``parts`` whole-rupiah parts adding up to it, the first taking the rest."""
    if parts < 1 or amount < 0:
        raise ValueError("parts from 1, amount not negative")
    base, rest = divmod(amount, parts)
    return [base + rest, *([base] * (parts - 1))]


def allowed_parts(amount: int) -> list[int]:
    """The numbers of parts the household may choose for ``amount`` (empty: none)."""
    settings = settings_of(tk.current_city())
    return [
        n for n in range(2, settings.max_instalments + 1) if amount // n >= settings.min_instalment
    ]


async def choose(fee: dict[str, Any], parts: int, today: date) -> None:
    """Split ``fee`` into ``parts`` monthly instalments.

    Raises:
        PaymentRefused: the fee is paid, already split or being paid, or the
            number of parts is not allowed.
    """
    if fee["paid"] or fee["invoice_number"]:
        raise PaymentRefused(tk._("This fee is already paid or being paid."))
    if await Instalment.exists().where(Instalment.fee_id == fee["id"]):
        raise PaymentRefused(tk._("This fee is already split into instalments."))
    if parts not in allowed_parts(fee["amount"]):
        raise PaymentRefused(tk._("This number of instalments is not offered for this fee."))
    await Instalment.insert(
        *(
            Instalment(fee_id=fee["id"], number=n, amount=amount, due_day=add_months(today, n - 1))
            for n, amount in enumerate(split(fee["amount"], parts), start=1)
        )
    )


async def start_payment(
    part: dict[str, Any], fee: dict[str, Any], payer_id: int, payer_name: str
) -> str:
    """The invoice to pay instalment ``part`` with: the open one, or a new one."""
    if part["paid"]:
        raise PaymentRefused(tk._("This instalment is already paid."))
    if part["invoice_number"]:
        return part["invoice_number"]
    invoice = await tk.create_invoice(
        payer_id=payer_id,
        payer_name=payer_name,
        items=[
            tk.InvoiceItem(
                tk._(
                    "Septage disposal fee, %(m3)s m³: instalment %(number)s",
                    m3=format_m3(fee["litres"]),
                    number=part["number"],
                ),
                part["amount"],
            )
        ],
        due_at=datetime.now(UTC) + PAY_WITHIN,
        source=SOURCE,
        source_ref=f"{REF_PREFIX}{part['id']}",
    )
    await Instalment.update({Instalment.invoice_number: invoice.number}).where(
        Instalment.id == part["id"]
    )
    return invoice.number


async def settled(invoice: tk.Invoice) -> None:
    """An instalment's invoice is paid; the fee too once every part is."""
    part_id = int(invoice.source_ref.removeprefix(REF_PREFIX))
    now = datetime.now(UTC)
    await Instalment.update({Instalment.paid: True, Instalment.paid_at: now}).where(
        (Instalment.id == part_id) & (Instalment.invoice_number == invoice.number)
    )
    part = await Instalment.select(Instalment.fee_id).where(Instalment.id == part_id).first()
    if part is None:
        return
    open_parts = await Instalment.exists().where(
        (Instalment.fee_id == part["fee_id"]) & Instalment.paid.eq(False)
    )
    if not open_parts:
        await Fee.update({Fee.paid: True, Fee.paid_at: now}).where(Fee.id == part["fee_id"])


async def expired(invoice: tk.Invoice) -> None:
    """An instalment's invoice expired unpaid: it may be paid with a new one."""
    part_id = int(invoice.source_ref.removeprefix(REF_PREFIX))
    await Instalment.update({Instalment.invoice_number: ""}).where(
        (Instalment.id == part_id)
        & (Instalment.invoice_number == invoice.number)
        & Instalment.paid.eq(False)
    )
