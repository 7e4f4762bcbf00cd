"""The market as a catalogue source for delivery partners (the ``partner_catalogue`` hook).

**Feed.** A merchant chooses to publish to partners on ``/toko-saya/mitra``
(:mod:`balai_umkm_market.merchants.partner_feed`). Its products are in the
feed while the merchant publishes, is verified and the product is on sale;
otherwise, once the merchant has ever published, a product is a tombstone.
A product's change time is the later of its own ``updated_at`` (price,
stock, name, photo, on sale) and the merchant's ``partner_feed_changed_at``
(the choice, the opening hours, the status); a deleted product leaves a
:class:`~balai_umkm_market.tables.FeedRemoval`. The rows of the merchants
who ever published are read and ordered here: a city's market holds
thousands of products, not millions.

**Orders.** A partner's order becomes a market order of channel
``partner``, paid to the partner (``payment_method`` ``partner``: the
partner collects from its customer and settles with the shop, so no ledger
invoice is made), to be collected at the shop by the partner's courier
(``pickup``). It starts ``new`` in the merchant's queue and moves through
the market's workflow; the partner may cancel it while it is ``new``.
Stock is reserved as at checkout (:func:`stock.reserve`), all lines or none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from balai import toolkit as tk

from balai_umkm_market.cart.checkout import new_checkout_ref
from balai_umkm_market.catalogue import stock
from balai_umkm_market.orders import service as orders
from balai_umkm_market.orders.states import ORDER_NUMBERS, Actor
from balai_umkm_market.tables import (
    Channel,
    FeedRemoval,
    Fulfilment,
    Merchant,
    MerchantStatus,
    Order,
    OrderItem,
    OrderStatus,
    PartnerOrderLink,
    PaymentMethod,
    Product,
)

NOTE_PARTNER_CANCELLED = orders.NOTE_PARTNER_CANCELLED
ACCEPTED = frozenset(
    {
        OrderStatus.CONFIRMED.value,
        OrderStatus.DELIVERING.value,
        OrderStatus.READY_FOR_PICKUP.value,
        OrderStatus.COMPLETED.value,
    }
)


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _after(item: tk.CatalogueItem, after: tk.CatalogueCursor | None) -> bool:
    return after is None or (item.changed_at, item.ref) > (after.changed_at, after.ref)


async def feed_changes(after: tk.CatalogueCursor | None, limit: int) -> list[tk.CatalogueItem]:
    """The products changed after ``after``, by ``(changed_at, ref)``, at most ``limit``."""
    rows = await Product.select(
        Product.id,
        Product.name,
        Product.price,
        Product.unit,
        Product.stock,
        Product.is_active,
        Product.photo,
        Product.updated_at,
        Product.merchant.id.as_alias("merchant_id"),
        Product.merchant.name.as_alias("merchant_name"),
        Product.merchant.status.as_alias("merchant_status"),
        Product.merchant.partner_feed.as_alias("publishes"),
        Product.merchant.opening_hours.as_alias("opening_hours"),
        Product.merchant.partner_feed_changed_at.as_alias("feed_changed_at"),
    ).where(Product.merchant.partner_feed_changed_at.is_not_null())
    items: list[tk.CatalogueItem] = []
    for row in rows:
        changed = max(_utc(row["updated_at"]), _utc(row["feed_changed_at"]))
        listed = (
            row["publishes"]
            and row["merchant_status"] == MerchantStatus.VERIFIED.value
            and row["is_active"]
        )
        if not listed:
            items.append(tk.CatalogueItem(ref=row["id"], changed_at=changed, listed=False))
            continue
        items.append(
            tk.CatalogueItem(
                ref=row["id"],
                changed_at=changed,
                listed=True,
                name=row["name"],
                price=row["price"],
                unit=row["unit"],
                stock=row["stock"],
                photo_file=row["photo"] or "",
                merchant_ref=row["merchant_id"],
                merchant_name=row["merchant_name"],
                opening_hours=row["opening_hours"],
            )
        )
    for removed in await FeedRemoval.select(FeedRemoval.product_id, FeedRemoval.removed_at):
        items.append(
            tk.CatalogueItem(
                ref=removed["product_id"], changed_at=_utc(removed["removed_at"]), listed=False
            )
        )
    items = [item for item in items if _after(item, after)]
    items.sort(key=lambda item: (item.changed_at, item.ref))
    return items[:limit]


async def remember_removal(product: dict[str, Any], merchant: dict[str, Any]) -> None:
    """Leave a tombstone for a deleted product of a merchant who ever published to partners."""
    if merchant.get("partner_feed_changed_at") is None:
        return
    await FeedRemoval(
        product_id=product["id"], merchant_id=merchant["id"], removed_at=datetime.now(UTC)
    ).save()


# --- orders ---------------------------------------------------------------------


async def _link(partner_id: int, reference: str) -> dict[str, Any] | None:
    return (
        await PartnerOrderLink.select(PartnerOrderLink.order, PartnerOrderLink.reference)
        .where(
            (PartnerOrderLink.partner_id == partner_id) & (PartnerOrderLink.reference == reference)
        )
        .first()
    )


def _state(reference: str, order: dict[str, Any]) -> tk.PartnerOrderState:
    return tk.PartnerOrderState(
        reference=reference,
        number=order["number"],
        merchant_ref=order["merchant"],
        status=order["status"],
        accepted=order["status"] in ACCEPTED,
        total=order["total"],
        created_at=_utc(order["created_at"]),
    )


async def _order_of(partner_id: int, reference: str) -> dict[str, Any] | None:
    link = await _link(partner_id, reference)
    if link is None:
        return None
    return await orders.load_order(Order.id == link["order"])


async def _same_order(order: dict[str, Any], wanted: tk.PartnerOrder) -> bool:
    lines = {(i["product"], i["quantity"]) for i in await orders.order_items(order["id"])}
    asked = {(line.product_ref, line.quantity) for line in wanted.lines}
    return order["merchant"] == wanted.merchant_ref and lines == asked


async def _repeat(order: tk.PartnerOrder) -> tk.PartnerOrderState | None:
    """The first answer to a reference used before, or a refusal when its content differs."""
    earlier = await _order_of(order.partner_id, order.reference)
    if earlier is None:
        return None
    if not await _same_order(earlier, order):
        raise tk.PartnerOrderRefused("inconsistent", "The reference was used for another order")
    return _state(order.reference, earlier)


async def _checked_lines(order: tk.PartnerOrder) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The merchant and products of ``order``, checked against what the feed offers now."""
    merchant = (
        await Merchant.select(Merchant.id, Merchant.name, Merchant.owner_user_id)
        .where(
            (Merchant.id == order.merchant_ref)
            & (Merchant.status == MerchantStatus.VERIFIED.value)
            & (Merchant.partner_feed == True)  # noqa: E712 (a Piccolo condition)
        )
        .first()
    )
    if merchant is None:
        raise tk.PartnerOrderRefused("unknown_merchant", "The merchant does not sell to partners")
    wanted = [line.product_ref for line in order.lines]
    rows = await Product.select(Product.id, Product.name, Product.price, Product.merchant).where(
        Product.id.is_in(wanted) & (Product.is_active == True)  # noqa: E712
    )
    found = {row["id"]: row for row in rows if row["merchant"] == merchant["id"]}
    products = []
    for line in order.lines:
        product = found.get(line.product_ref)
        if product is None:
            raise tk.PartnerOrderRefused(
                "unknown_product",
                "The product is not on sale at this merchant",
                product_ref=line.product_ref,
            )
        if product["price"] != line.price:
            raise tk.PartnerOrderRefused(
                "price_changed",
                "The price changed since the feed",
                product_ref=line.product_ref,
                current_price=product["price"],
            )
        products.append(product)
    return merchant, products


@dataclass(frozen=True)
class _Written:
    order_id: int
    number: str


async def _write(
    order: tk.PartnerOrder, merchant: dict[str, Any], products: list[dict[str, Any]]
) -> _Written:
    for line in order.lines:
        if not await stock.reserve(line.product_ref, line.quantity):
            raise tk.PartnerOrderRefused(
                "out_of_stock", "Too little stock left", product_ref=line.product_ref
            )
    now = datetime.now(UTC)
    subtotal = sum(line.price * line.quantity for line in order.lines)
    row = Order(
        number=await ORDER_NUMBERS.new_unique(Order.number),
        checkout_ref=new_checkout_ref(),
        buyer_id=None,
        buyer_name=order.customer_name,
        buyer_phone=order.customer_phone,
        merchant=merchant["id"],
        status=OrderStatus.NEW.value,
        fulfilment=Fulfilment.PICKUP.value,
        address=order.address,
        delivery_fee=0,
        subtotal=subtotal,
        total=subtotal,
        payment_method=PaymentMethod.PARTNER.value,
        invoice_number="",
        channel=Channel.PARTNER.value,
        cancel_reason="",
        buyer_is_asn=False,
        buyer_department="",
        created_at=now,
        updated_at=now,
    )
    await row.save()
    await OrderItem.insert(
        *[
            OrderItem(
                order=row.id,
                product=line.product_ref,
                product_name=product["name"],
                unit_price=line.price,
                quantity=line.quantity,
                line_total=line.price * line.quantity,
            )
            for line, product in zip(order.lines, products, strict=True)
        ]
    )
    await PartnerOrderLink(
        order=row.id,
        partner_id=order.partner_id,
        partner_name=order.partner_name,
        reference=order.reference,
        created_at=now,
    ).save()
    await orders.record_placed(row.id, OrderStatus.NEW.value, None)
    placed = {
        "id": row.id,
        "number": row.number,
        "buyer_name": order.customer_name,
        "total": subtotal,
        "subtotal": subtotal,
        "buyer_is_asn": False,
        "buyer_department": "",
        "payment_method": PaymentMethod.PARTNER.value,
        "merchant_owner_id": merchant["owner_user_id"],
    }
    await orders.count_purchase(placed, +1)
    await orders.notify_merchant(placed)
    return _Written(row.id, row.number)


async def place_order(order: tk.PartnerOrder) -> tk.PartnerOrderState:
    """Write a partner's order (all lines' stock reserved) or refuse it, writing nothing."""
    repeated = await _repeat(order)
    if repeated is not None:
        return repeated
    try:
        async with stock.write_transaction():
            repeated = await _repeat(order)  # SQLite: another request wrote it meanwhile
            if repeated is not None:
                return repeated
            merchant, products = await _checked_lines(order)
            written = await _write(order, merchant, products)
    except tk.PartnerOrderRefused:
        raise
    except Exception:
        repeated = await _repeat(order)  # PostgreSQL: the same reference won elsewhere
        if repeated is not None:
            return repeated
        raise
    saved = await orders.load_order(Order.id == written.order_id)
    assert saved is not None
    return _state(order.reference, saved)


async def order_state(partner_id: int, reference: str) -> tk.PartnerOrderState | None:
    """Where the partner's order stands."""
    order = await _order_of(partner_id, reference)
    return None if order is None else _state(reference, order)


async def cancel_order(partner_id: int, reference: str) -> tk.PartnerOrderState | None:
    """Cancel the partner's order while the merchant has not accepted it (stock given back)."""
    order = await _order_of(partner_id, reference)
    if order is None:
        return None
    if order["status"] == OrderStatus.CANCELLED.value:
        return _state(reference, order)
    if order["status"] != OrderStatus.NEW.value:
        raise tk.PartnerOrderRefused("not_cancellable", "The merchant accepted the order")
    try:
        async with stock.write_transaction():
            moved = await orders.move_order(
                order,
                OrderStatus.CANCELLED,
                Actor.BUYER,
                by_user_id=None,
                reason=NOTE_PARTNER_CANCELLED,
            )
    except (tk.StateChanged, tk.MoveRefused) as exc:
        raise tk.PartnerOrderRefused("not_cancellable", "The merchant accepted the order") from exc
    return _state(reference, {**order, **moved})


class MarketCatalogue:
    """The market's answer to ``partner_catalogue`` (see :class:`tk.CatalogueSource`)."""

    async def changes(self, after: tk.CatalogueCursor | None, limit: int) -> list[tk.CatalogueItem]:
        """The feed's changes."""
        return await feed_changes(after, limit)

    async def place_order(self, order: tk.PartnerOrder) -> tk.PartnerOrderState:
        """A partner's order into the market's order flow."""
        return await place_order(order)

    async def order_state(self, partner_id: int, reference: str) -> tk.PartnerOrderState | None:
        """A partner's order by its reference."""
        return await order_state(partner_id, reference)

    async def cancel_order(self, partner_id: int, reference: str) -> tk.PartnerOrderState | None:
        """Cancel a partner's order before the merchant accepts it."""
        return await cancel_order(partner_id, reference)


SOURCE = MarketCatalogue()
