"""Public types of the payments service, re-exported by :mod:`balai.toolkit`."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from balai.tenants import City


class InvoiceStatus(enum.StrEnum):
    """Where an invoice stands. Only ``pending`` can change, and only once to paid."""

    PENDING = "pending"
    PAID = "paid"
    EXPIRED = "expired"
    REFUNDED = "refunded"
    CANCELLED = "cancelled"


class InvoiceKind(enum.StrEnum):
    """What an invoice is for, which decides how its payment methods are named.

    ``bill``: a tax, fee or charge of the city, paid in cash at its counter
    (or to its collector). ``goods``: things bought, paid in cash when they are
    handed over ("cash on delivery" is said only of these).
    """

    BILL = "bill"
    GOODS = "goods"


@dataclass(frozen=True)
class InvoiceItem:
    """One line of an invoice.

    Attributes:
        description: What is paid for (shown to the payer as given).
        amount: Whole rupiah for the line (unit price times quantity).
        quantity: How many; informative, ``amount`` is the line total.
    """

    description: str
    amount: int
    quantity: int = 1


@dataclass(frozen=True)
class Invoice:
    """An invoice as plugins see it (a snapshot; read it again for news).

    Attributes:
        id: Row id.
        number: Unguessable, human-readable number (``INV-2026-7KQ4-M9TX``).
        city: The city slug.
        status: See :class:`InvoiceStatus`.
        amount: Total in whole rupiah.
        payer_id: The payer's account, or ``None`` for a counter payment.
        payer_name: The name printed on the invoice.
        due_at: When it expires (UTC).
        source: Slug of the plugin that created it; only that plugin reacts
            to its hooks.
        source_ref: The plugin's own reference (its record id).
        created_at: When it was created (UTC).
        paid_at: When it was settled (UTC), if paid.
        access_token: Opens the invoice page without logging in; give it
            only to the payer.
        provider_key: The provider that paid it (``""`` until paid).
        items: The lines.
        kind: What it is for (see :class:`InvoiceKind`).
        refunded_amount: Whole rupiah given back so far (partial refunds
            leave it ``paid``; all of ``amount`` once ``refunded``).
    """

    id: int
    number: str
    city: str
    status: InvoiceStatus
    amount: int
    payer_id: int | None
    payer_name: str
    due_at: datetime
    source: str
    source_ref: str
    created_at: datetime
    paid_at: datetime | None = None
    access_token: str = ""
    provider_key: str = ""
    items: tuple[InvoiceItem, ...] = field(default=())
    kind: InvoiceKind = InvoiceKind.BILL
    refunded_amount: int = 0

    @property
    def is_pending(self) -> bool:
        """Whether it can still be paid."""
        return self.status == InvoiceStatus.PENDING


@dataclass(frozen=True)
class PaymentStart:
    """What a provider gives the payer to pay with, after starting a payment.

    Attributes:
        provider: The provider key.
        reference: The provider's (or gateway's) reference of the payment.
        va_number: The virtual account number to transfer to.
        qris_payload: The QRIS payload to show as a QR code.
        redirect_url: Where to send the payer (e-wallet approval page).
        instructions: A gettext msgid with what to do next.
    """

    provider: str
    reference: str = ""
    va_number: str = ""
    qris_payload: str = ""
    redirect_url: str = ""
    instructions: str = ""


@dataclass(frozen=True)
class StartContext:
    """What a provider needs to start paying an invoice.

    Attributes:
        city: The city.
        invoice: The invoice to pay.
        attempt_ref: Our unique reference of this attempt.
        callback_url: Absolute URL the gateway sends its callbacks to.
        return_url: Where a redirect-style payment sends the payer back.
        app: The running litestar application (for in-process gateways).
    """

    city: City
    invoice: Invoice
    attempt_ref: str
    callback_url: str
    return_url: str
    app: Any


@runtime_checkable
class PaymentProvider(Protocol):
    """A way to pay, contributed through the ``payment_providers`` hook.

    Attributes:
        key: Short unique name, also the path segment of its callback
            endpoint (``/api/bayar/callback/<key>``).
        title: A gettext msgid shown to the payer.
        via_gateway: Settled by signed gateway callbacks (``True``) or by an
            officer confirming receipt (``False``, e.g. cash).
    """

    key: str
    title: str
    via_gateway: bool

    async def start(self, context: StartContext) -> PaymentStart:
        """Start paying ``context.invoice`` and say how the payer goes on."""
        ...
