"""A stall's market fee as partners pay it: by stall code, the oldest unpaid month first.

The stall code is ``RTB-S`` and the stall's number in the city's register,
seven digits (``RTB-S0000042``), printed on the stall's fee card. A partner
pays one month's bill at a time, the oldest unpaid one. The bill's open
invoice is reused while it runs; otherwise a counter invoice (no payer
account) is made, as the holder's own "pay" makes one, and settlement marks
the bill paid through pajak's ``invoice_settled``.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from balai import toolkit as tk

from balai_pajak.retribusi.billing import INVOICE_HOURS, PREFIX, SOURCE, bill_label, now_utc
from balai_pajak.retribusi.tables import BillStatus, Market, Stall, StallBill

CODE = re.compile(r"^RTB-S([0-9]{7})$")


def stall_code(stall_id: int) -> str:
    """The customer number of a stall."""
    return f"RTB-S{stall_id:07d}"


async def payable(customer_number: str, today: date) -> tk.Payable | None:
    """The stall's oldest unpaid bill due by the end of ``today``'s month, if any."""
    found = CODE.match(customer_number.strip().upper())
    if found is None:
        return None
    stall = await Stall.select().where(Stall.id == int(found.group(1))).first()
    if stall is None:
        return None
    bill = await (
        StallBill.select()
        .where((StallBill.stall == stall["id"]) & (StallBill.status == BillStatus.UNPAID.value))
        .order_by(StallBill.year)
        .order_by(StallBill.month)
        .first()
    )
    if bill is None or bill["amount"] <= 0:
        return None
    market = await Market.select(Market.name).where(Market.id == bill["market"]).first()
    label = bill_label(bill, market["name"] if market else "", stall["number"])
    items = (tk.InvoiceItem(label, bill["amount"]),)

    async def open_invoice() -> tk.Invoice:
        return await _invoice_for(bill, stall, items)

    return tk.Payable(
        customer_number=stall_code(stall["id"]),
        name=stall["holder_name"] or stall["number"],
        items=items,
        source=SOURCE,
        open_invoice=open_invoice,
    )


async def _invoice_for(bill: dict, stall: dict, items: tuple[tk.InvoiceItem, ...]) -> tk.Invoice:
    """The bill's running invoice, or a new counter invoice recorded on the bill."""
    if bill["invoice_number"]:
        running = await tk.invoice_by_number(bill["invoice_number"])
        if running is not None and running.is_pending and running.amount == bill["amount"]:
            return running
        if running is not None:
            await tk.cancel_invoice(running)
    due_at = now_utc() + timedelta(hours=INVOICE_HOURS)
    invoice = await tk.create_invoice(
        payer_id=None,
        payer_name=stall["holder_name"] or stall["number"],
        items=list(items),
        due_at=due_at,
        source=SOURCE,
        source_ref=f"{PREFIX}{bill['id']}",
    )
    await StallBill.update(
        {StallBill.invoice_number: invoice.number, StallBill.invoice_due_at: due_at}
    ).where(StallBill.id == bill["id"])
    return invoice
