"""What a plugin answers the ``partner_tickets`` hook with: a seller of its tickets.

Re-exported by :mod:`balai.toolkit`. The core's ticket API
(:mod:`balai.partners.tickets`) lists a seller's offers, holds places
inside its own write transaction, settles the hold's ledger invoice when the
partner confirms (the seller hears it through ``invoice_settled`` as any
payment) and reads the issued tickets back.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol


class TicketRefusal(enum.StrEnum):
    """Why a seller refuses a hold (each has its own SNAP answer)."""

    UNKNOWN_SLOT = "unknown_slot"  # no such slot in this city (or not sold to partners)
    NOT_ON_SALE = "not_on_sale"  # begun, sales closed or not open yet, free entry
    QUANTITY = "quantity"  # a category not sold, none asked, more than an order allows
    SOLD_OUT = "sold_out"  # too few places left in the partner quota


class TicketRefused(Exception):
    """A seller refuses a hold; nothing was written.

    Attributes:
        kind: The :class:`TicketRefusal`.
        message: What the partner is told (English, as SNAP messages are).
    """

    def __init__(self, kind: TicketRefusal, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass(frozen=True)
class TicketOffer:
    """One slot a partner may sell, with the places left in its partner quota.

    ``prices`` maps a category (``adult``, ``child`` …) to whole rupiah.
    """

    slot_id: int
    product: str
    starts_at: datetime
    ends_at: datetime
    available: int
    prices: Mapping[str, int]
    per_order_max: int
    place: str = ""
    event: str = ""


@dataclass(frozen=True)
class TicketHold:
    """Places held for a partner: a pending ledger invoice, void after ``expires_at``."""

    order_number: str
    invoice_number: str
    amount: int
    expires_at: datetime
    quantities: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class IssuedTicket:
    """A paid ticket: its code and the signed payload a gate reads (its QR code)."""

    code: str
    category: str
    starts_at: datetime
    ends_at: datetime
    payload: str


class TicketSeller(Protocol):
    """What the ``partner_tickets`` hook returns (all methods run in the current city)."""

    async def offers(self, now: datetime) -> list[TicketOffer]:
        """The slots still to begin that partners may sell, nearest first."""
        ...

    async def hold(
        self, slot_id: int, quantities: Mapping[str, int], buyer_name: str, hold_for: timedelta
    ) -> TicketHold:
        """Hold the places (no overselling); called inside the caller's write transaction.

        Raises:
            TicketRefused: nothing was written.
        """
        ...

    async def release(self, order_number: str) -> bool:
        """Cancel a held, unpaid order and free its places; ``False`` if it is not held."""
        ...

    async def tickets(self, order_number: str) -> list[IssuedTicket]:
        """The valid tickets of a paid order (empty when it is not paid)."""
        ...
