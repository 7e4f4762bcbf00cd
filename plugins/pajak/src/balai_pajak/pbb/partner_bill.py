"""A PBB-P2 bill as partners (banks, e-wallets, minimarkets) pay it: by NOP and year.

The customer number is the bill's 18-digit NOP followed by its 4-digit year
(22 digits; dots, dashes, slashes and spaces are ignored). The amount is
what is owed **today** in the city's calendar, the late penalty recomputed
(:func:`balai_pajak.pbb.penalty.amount_owed`). When the partner pays, the
bill gets a counter invoice of its own (no payer account), as the citizen's
"pay" makes one, with its :class:`~balai_pajak.tables.BillPayment` row; a
pending invoice already holding exactly this bill for the same amount is
reused, another pending one holding it is cancelled first (the partner has
the money in hand). Settlement then marks the bill paid through the
ledger's ``invoice_settled``, as for any payment.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from balai import toolkit as tk

from balai_pajak.pbb import penalty
from balai_pajak.pbb.payment import SOURCE, invoice_due_at, invoice_items, source_ref
from balai_pajak.tables import BillPayment, BillPaymentStatus, Sppt, SpptStatus

NUMBER_LENGTH = 22
SEPARATORS = ".-/ "


def read_number(customer_number: str) -> tuple[str, int] | None:
    """The NOP and year of a customer number, or ``None`` if it is not one."""
    digits = "".join(c for c in customer_number if c not in SEPARATORS)
    if len(digits) != NUMBER_LENGTH or not (digits.isascii() and digits.isdigit()):
        return None
    return digits[:18], int(digits[18:])


async def payable(customer_number: str, today: date) -> tk.Payable | None:
    """The unpaid bill of that NOP and year in the current city, owed on ``today``."""
    read = read_number(customer_number)
    if read is None:
        return None
    nop, year = read
    bill = await (
        Sppt.select(
            Sppt.id,
            Sppt.nop,
            Sppt.year,
            Sppt.tax_due,
            Sppt.due_date,
            Sppt.status,
            Sppt.paid_principal,
            Sppt.taxpayer_name,
        )
        .where((Sppt.nop == nop) & (Sppt.year == year) & (Sppt.status == SpptStatus.UNPAID.value))
        .first()
    )
    if bill is None:
        return None
    city = tk.current_city()
    owed = penalty.amount_owed(bill, today, city)
    if owed.total <= 0:
        return None
    items = tuple(invoice_items([bill], {bill["id"]: owed}))

    async def open_invoice() -> tk.Invoice:
        return await _invoice_for(bill, owed, today, city)

    return tk.Payable(
        customer_number=nop + str(year),
        name=bill["taxpayer_name"] or tk.format_nop(nop),
        items=items,
        source=SOURCE,
        open_invoice=open_invoice,
    )


async def _invoice_for(bill: dict[str, Any], owed: Any, today: date, city: tk.City) -> tk.Invoice:
    """A pending invoice of exactly this bill and amount: reused, or made after freeing it."""
    held = await (
        BillPayment.select(BillPayment.invoice_number)
        .where(
            (BillPayment.sppt == bill["id"])
            & (BillPayment.status == BillPaymentStatus.PENDING.value)
        )
        .first()
    )
    if held is not None:
        invoice = await tk.invoice_by_number(held["invoice_number"])
        others = await BillPayment.count().where(
            (BillPayment.invoice_number == held["invoice_number"])
            & (BillPayment.status == BillPaymentStatus.PENDING.value)
        )
        reusable = invoice is not None and invoice.is_pending and others == 1
        if reusable and invoice.amount == owed.total:
            return invoice
        if invoice is not None:
            await tk.cancel_invoice(invoice)
        await BillPayment.update({BillPayment.status: BillPaymentStatus.EXPIRED.value}).where(
            (BillPayment.invoice_number == held["invoice_number"])
            & (BillPayment.status == BillPaymentStatus.PENDING.value)
        )
    invoice = await tk.create_invoice(
        payer_id=None,
        payer_name=bill["taxpayer_name"] or tk.format_nop(bill["nop"]),
        items=invoice_items([bill], {bill["id"]: owed}),
        due_at=invoice_due_at([bill], today, city),
        source=SOURCE,
        source_ref=source_ref([bill["id"]]),
    )
    await BillPayment(
        invoice_number=invoice.number,
        sppt=bill["id"],
        principal=owed.principal,
        penalty=owed.penalty,
        created_at=datetime.now(UTC),
        status=BillPaymentStatus.PENDING.value,
    ).save()
    return invoice
