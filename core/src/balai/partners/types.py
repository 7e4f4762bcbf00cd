"""Public types of the partners service, re-exported by :mod:`balai.toolkit`."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from balai.payments.types import Invoice, InvoiceItem


class PartnerService(enum.StrEnum):
    """What a partner may use: paying bills, selling tickets, reading catalogues."""

    BILLS = "bills"
    TICKETS = "tickets"
    CATALOGUE = "catalogue"


@dataclass(frozen=True)
class Payable:
    """Something a customer number lets a partner pay, as a plugin answers the ``payables`` hook.

    Attributes:
        customer_number: The number as the plugin reads it (normalised: the
            partner's answer repeats it).
        name: The payer's name, in full; partners only ever see it masked.
        items: The lines owed **today** (a penalty recomputed for today is a line).
        source: The answering plugin's slug.
        open_invoice: Returns a pending ledger invoice of exactly these
            items, reusing one the plugin already holds or creating it. It
            runs inside the caller's write transaction and is called only
            when the partner pays.
    """

    customer_number: str
    name: str
    items: tuple[InvoiceItem, ...]
    source: str
    open_invoice: Callable[[], Awaitable[Invoice]] = field(compare=False)

    @property
    def amount(self) -> int:
        """The total owed today, whole rupiah."""
        return sum(item.amount for item in self.items)
