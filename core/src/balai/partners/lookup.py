"""Finding what a customer number lets a partner pay, through the ``payables`` hook.

The core answers for its own ledger: any pending invoice, by its number.
Plugins answer for theirs (a PBB NOP and year, a stall code).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from balai.partners.types import Payable
from balai.payments import ledger, numbers
from balai.tenants import City

CUSTOMER_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-/ ]{0,39}$")


async def find(registry: Any, city: City, customer_number: str, today: date) -> Payable | None:
    """The first plugin's answer for ``customer_number`` in ``city`` on ``today``, if any."""
    answers = await registry.gather(
        city, "payables", city=city, customer_number=customer_number, today=today
    )
    for answer in answers:
        if isinstance(answer, Payable) and answer.items:
            return answer
    return None


async def ledger_invoice(customer_number: str) -> Payable | None:
    """A pending, unexpired ledger invoice of the current city, by its number."""
    parsed = numbers.INVOICE.parse(customer_number[:64])
    if parsed is None:
        return None
    invoice = await ledger.invoice_by_number(parsed)
    if invoice is None or not invoice.is_pending or invoice.due_at <= ledger.now_utc():
        return None

    async def reuse() -> Any:
        return invoice

    return Payable(
        customer_number=invoice.number,
        name=invoice.payer_name,
        items=invoice.items,
        source="payments",
        open_invoice=reuse,
    )
