"""Public types of the catalogue channel (delivery apps), re-exported by :mod:`balai.toolkit`.

A plugin that sells goods answers the ``partner_catalogue`` hook with a
:class:`CatalogueSource`: the core's partner API reads its changes for the
feed and hands it the orders partners place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class CatalogueCursor:
    """A position in one source's changes: after the item ``ref`` changed at ``changed_at``."""

    changed_at: datetime
    ref: int


@dataclass(frozen=True)
class CatalogueItem:
    """A product as the feed shows it, or its tombstone (``listed`` false: drop it).

    Attributes:
        ref: The product's id in its plugin (an integer; the feed shows
            ``<slug>:<ref>``).
        changed_at: When it last changed in any way the feed shows (UTC);
            the source's changes are ordered by ``(changed_at, ref)``.
        listed: Whether partners may sell it now. A product deleted, hidden
            or out of a merchant that opted out (or was suspended) is a
            tombstone: only ``ref`` and ``changed_at`` count then.
        name: Its name.
        price: Whole rupiah per ``unit``.
        unit: What one is (``pcs``, ``kg``).
        stock: How many are left.
        photo_file: The stored file id of its main photo ('' when none); the
            feed shows its absolute URL only while the file is public.
        merchant_ref: The merchant's id in the plugin.
        merchant_name: The merchant's name.
        opening_hours: The merchant's opening hours as the merchant wrote them.
    """

    ref: int
    changed_at: datetime
    listed: bool
    name: str = ""
    price: int = 0
    unit: str = ""
    stock: int = 0
    photo_file: str = ""
    merchant_ref: int = 0
    merchant_name: str = ""
    opening_hours: str = ""


@dataclass(frozen=True)
class PartnerOrderLine:
    """A line of a partner's order: a product, how many, and the price the partner showed."""

    product_ref: int
    quantity: int
    price: int


@dataclass(frozen=True)
class PartnerOrder:
    """An order a partner places for its customer (already checked for form by the core).

    Attributes:
        partner_id: The partner's id (orders are idempotent by partner and reference).
        partner_name: The partner's name, shown to the merchant.
        reference: The partner's own order reference.
        merchant_ref: The merchant's id in the plugin.
        lines: One line per product (no product twice).
        customer_name: Who receives it.
        customer_phone: A number the merchant (or the driver) can call.
        address: Where to deliver.
        note: The customer's note ('' when none).
    """

    partner_id: int
    partner_name: str
    reference: str
    merchant_ref: int
    lines: tuple[PartnerOrderLine, ...]
    customer_name: str
    customer_phone: str
    address: str
    note: str = ""


@dataclass(frozen=True)
class PartnerOrderState:
    """Where a partner's order stands, as the partner reads it.

    ``status`` is the plugin's state name; ``accepted`` says whether the
    merchant took it on (then the partner may no longer cancel).
    """

    reference: str
    number: str
    merchant_ref: int
    status: str
    accepted: bool
    total: int
    created_at: datetime


class PartnerOrderRefused(Exception):
    """A source refuses a partner's order; nothing was written.

    ``reason`` is one of ``unknown_product``, ``unknown_merchant``,
    ``out_of_stock``, ``price_changed``, ``not_cancellable``; ``product_ref``
    and ``current_price`` say which product and what it costs now.
    """

    def __init__(
        self, reason: str, message: str, *, product_ref: int | None = None, current_price: int = 0
    ) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.product_ref = product_ref
        self.current_price = current_price


class CatalogueSource(Protocol):
    """What a plugin's answer to ``partner_catalogue`` does (see the hook)."""

    async def changes(self, after: CatalogueCursor | None, limit: int) -> list[CatalogueItem]:
        """The items changed after ``after`` (all when ``None``), by ``(changed_at, ref)``."""
        ...

    async def place_order(self, order: PartnerOrder) -> PartnerOrderState:
        """Reserve the stock and write the order, or raise :class:`PartnerOrderRefused`."""
        ...

    async def order_state(self, partner_id: int, reference: str) -> PartnerOrderState | None:
        """The partner's order by its reference (``None``: no such order of this partner)."""
        ...

    async def cancel_order(self, partner_id: int, reference: str) -> PartnerOrderState | None:
        """Cancel it before the merchant accepts it (``PartnerOrderRefused`` after)."""
        ...
