"""Orders: moving them through their states, and what each move sets off.

Every move goes through the workflow :data:`order_states.ORDERS`: one
conditional ``UPDATE ... WHERE status = <current>`` (so two clicks, or a
merchant and the payment callback at once, never both win), a step in the
order's history and an audit entry; then, in the same transaction, the stock
given back on a cancellation, the purchase metrics and a notification to the
buyer.

The payment hooks land here too: ``invoice_settled`` makes the orders of the
paid checkout ``new``; ``invoice_expired`` cancels them and releases their
stock; ``invoice_refunded`` cancels what is still open.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from typing import Any

from balai import toolkit as tk

from balai_umkm_market.catalogue import stock
from balai_umkm_market.orders.states import (
    ORDERS,
    Actor,
    OrderStatus,
    PaymentMethod,
    counts_as_purchase,
    mover,
    releases_stock,
    transition_to,
)
from balai_umkm_market.tables import Merchant, Order, OrderItem, Product

SLUG = "umkm_market"
CHECKOUT_PREFIX = "checkout:"

# Metrics bumped for the mayor's dashboard (read by the plugin's widgets):
METRIC_ORDERS = "umkm_market.orders"  # placed orders (COD at checkout, cashless once paid)
METRIC_SALES = "umkm_market.sales"  # their goods' value in rupiah, without delivery
METRIC_ASN_ORDERS = "umkm_market.asn_orders"  # ... of them placed by civil servants (ASN)
METRIC_ASN_SALES = "umkm_market.asn_sales"
METRIC_DEPARTMENT_SALES = "umkm_market.department_sales."  # + department slug (ASN buyers)
METRIC_CATEGORY_SALES = "umkm_market.category_sales."  # + product category slug
METRIC_COMPLETED = "umkm_market.completed_orders"  # orders handed over to the buyer


def _now() -> datetime:
    return datetime.now(UTC)


def N_(message: str) -> str:
    """Mark ``message`` for translation where it is shown, not where it is stored."""
    return message


# Notes the system writes into an order's history (and cancel reason): stored as
# the English msgid (a hook has no visitor and so no language) and translated
# where they are shown; a person's note is shown as typed.
NOTE_PAID = N_("Paid through the city's payments ledger.")
NOTE_PAID_AFTER_END = N_("Paid after the order had ended; the payments office refunds it.")
NOTE_EXPIRED = N_("The time to pay ran out.")
NOTE_REFUNDED = N_("The payment was refunded.")
NOTE_BUYER_CANCELLED = N_("Cancelled by the buyer.")
NOTE_PARTNER_CANCELLED = N_("Cancelled by the delivery partner.")
SYSTEM_NOTES = frozenset(
    {
        NOTE_PAID,
        NOTE_PAID_AFTER_END,
        NOTE_EXPIRED,
        NOTE_REFUNDED,
        NOTE_BUYER_CANCELLED,
        NOTE_PARTNER_CANCELLED,
    }
)


def shown_note(note: str) -> str:
    """A history note or cancel reason as shown: the system's translated, a person's as typed."""
    return tk._(note) if note in SYSTEM_NOTES else note


def status_labels() -> dict[str, str]:
    """Each order status in the visitor's language."""
    return ORDERS.labels()


def action_labels() -> dict[str, str]:
    """What the merchant's button says for moving an order to each status."""
    merchant = mover(Actor.MERCHANT)
    return {t.target: tk._(t.label) for t in ORDERS.transitions.values() if merchant.may(t)}


STATUS_TONES = {
    OrderStatus.AWAITING_PAYMENT.value: "warning",
    OrderStatus.NEW.value: "info",
    OrderStatus.CONFIRMED.value: "info",
    OrderStatus.DELIVERING.value: "info",
    OrderStatus.READY_FOR_PICKUP.value: "info",
    OrderStatus.COMPLETED.value: "success",
    OrderStatus.CANCELLED.value: "neutral",
}


DEPARTMENT_SLUG_LENGTH = 50  # metric names are at most 80 characters; the prefix takes 29


def department_slug(department: str) -> str:
    """A department as part of a metric name: ``Dinas Pendidikan`` → ``dinas_pendidikan``.

    A long name keeps its start and ends in a short hash of the whole name, so
    two departments that begin alike still count apart.
    """
    slug = re.sub(r"[^a-z0-9]+", "_", department.casefold()).strip("_") or "unknown"
    if len(slug) <= DEPARTMENT_SLUG_LENGTH:
        return slug
    digest = hashlib.sha256(slug.encode()).hexdigest()[:8]
    return f"{slug[: DEPARTMENT_SLUG_LENGTH - 9]}_{digest}"


async def order_items(order_id: int) -> list[dict[str, Any]]:
    """The lines of an order, with each product's category."""
    return await (
        OrderItem.select(
            OrderItem.id,
            OrderItem.product,
            OrderItem.product_name,
            OrderItem.unit_price,
            OrderItem.quantity,
            OrderItem.line_total,
            OrderItem.product.category.as_alias("category"),
            OrderItem.product.unit.as_alias("unit"),
        )
        .where(OrderItem.order == order_id)
        .order_by(OrderItem.id)
    )


async def order_events(order_id: int) -> list[dict[str, Any]]:
    """The history of an order, oldest first (``to_state``, ``comment``, ``created_at`` …)."""
    return await ORDERS.history(order_id)


async def count_purchase(order: dict[str, Any], sign: int, day: Any = None) -> None:
    """Add a placed order to the purchase metrics (``sign`` -1 takes a cancelled one away).

    ``day`` is the city-local date it was placed on (default: today), so a
    cancellation is taken from the day it was counted on.
    """
    await tk.bump_metric(METRIC_ORDERS, sign, day=day)
    await tk.bump_metric(METRIC_SALES, sign * order["subtotal"], day=day)
    if order["buyer_is_asn"]:
        await tk.bump_metric(METRIC_ASN_ORDERS, sign, day=day)
        await tk.bump_metric(METRIC_ASN_SALES, sign * order["subtotal"], day=day)
        await tk.bump_metric(
            METRIC_DEPARTMENT_SALES + department_slug(order["buyer_department"]),
            sign * order["subtotal"],
            day=day,
        )
    by_category: dict[str, int] = {}
    for item in await order_items(order["id"]):
        by_category[item["category"]] = by_category.get(item["category"], 0) + item["line_total"]
    for category, amount in by_category.items():
        await tk.bump_metric(METRIC_CATEGORY_SALES + category, sign * amount, day=day)


async def _placed_day(order_id: int) -> Any:
    """The city-local date the order became ``new`` (was placed)."""
    placed = [s for s in await ORDERS.history(order_id) if s["to_state"] == OrderStatus.NEW.value]
    if not placed:
        return None
    return placed[0]["created_at"].astimezone(tk.current_city().tz).date()


async def notify_buyer(order: dict[str, Any], status: str, note: str = "") -> None:
    """Tell the buyer their order moved (nothing for an order without an account)."""
    if order["buyer_id"] is None:
        return
    await tk.notify(
        order["buyer_id"],
        "umkm_market.order_status",
        {
            "number": order["number"],
            "status": status,
            "note": "" if note in SYSTEM_NOTES else note,
            "system_note": note if note in SYSTEM_NOTES else "",
            "merchant_name": order.get("merchant_name", ""),
            "total": tk.rupiah(order["total"]),
        },
    )


async def record_placed(order_id: int, status: str, buyer_id: int | None) -> None:
    """Start the order's history: it was placed in ``status`` by the buyer."""
    await ORDERS.record_step(order_id, "place", "", status, "", buyer_id)


async def load_order(where: Any) -> dict[str, Any] | None:
    """The current city's order matching ``where``, with its merchant's name and owner."""
    return (
        await Order.select(
            *Order.all_columns(),
            Order.merchant.name.as_alias("merchant_name"),
            Order.merchant.owner_user_id.as_alias("merchant_owner_id"),
            Order.merchant.phone.as_alias("merchant_phone"),
            Order.merchant.address.as_alias("merchant_address"),
        )
        .where(where)
        .first()
    )


async def move_order(
    order: dict[str, Any],
    target: OrderStatus,
    actor: Actor,
    *,
    by_user_id: int | None,
    reason: str = "",
    request: Any = None,
) -> dict[str, Any]:
    """Move ``order`` (a row as loaded) to ``target``; runs in the caller's transaction.

    Raises:
        tk.MoveRefused: the rules forbid it; nothing was written.
        tk.StateChanged: the order moved meanwhile (409); nothing was written.

    Returns:
        The order as it is now.
    """
    current = OrderStatus(order["status"])
    target = OrderStatus(target)
    reason = " ".join(reason.split())
    now = _now()
    values: dict[Any, Any] = {Order.updated_at: now}
    if target == OrderStatus.CANCELLED:
        values[Order.cancel_reason] = reason
        values[Order.cancelled_at] = now
    if target == OrderStatus.COMPLETED:
        values[Order.completed_at] = now
    name = transition_to(current, target, order["fulfilment"], actor)
    moved = await ORDERS.move(
        order, name, mover(actor, by_user_id), comment=reason, values=values, request=request
    )
    items = await order_items(order["id"])
    if releases_stock(current, target):
        for item in items:
            await stock.release(item["product"], item["quantity"])
    if target == OrderStatus.COMPLETED:
        for item in items:
            await Product.update({Product.sold_count: Product.sold_count + item["quantity"]}).where(
                Product.id == item["product"]
            )
        await tk.bump_metric(METRIC_COMPLETED)
    if not counts_as_purchase(current) and counts_as_purchase(target):
        await count_purchase(order, +1)
    elif counts_as_purchase(current) and not counts_as_purchase(target):
        await count_purchase(order, -1, day=await _placed_day(order["id"]))
    await notify_buyer(order, target.value, reason)
    return moved


# --- the payments ledger's news ---------------------------------------------------------


def checkout_ref_of(invoice: tk.Invoice) -> str | None:
    """The checkout an invoice pays for, if it is one of this plugin's."""
    if invoice.source != SLUG or not invoice.source_ref.startswith(CHECKOUT_PREFIX):
        return None
    return invoice.source_ref.removeprefix(CHECKOUT_PREFIX)


async def _checkout_orders(ref: str) -> list[dict[str, Any]]:
    return await (
        Order.select(
            *Order.all_columns(),
            Order.merchant.name.as_alias("merchant_name"),
            Order.merchant.owner_user_id.as_alias("merchant_owner_id"),
        )
        .where(Order.checkout_ref == ref)
        .order_by(Order.id)
    )


async def invoice_paid(invoice: tk.Invoice) -> None:
    """The checkout's invoice was paid: its orders waiting for payment become ``new``.

    An order that is no longer waiting (which the ledger's cancel-before-pay
    rule should prevent) keeps its state and the payment is noted in its
    history for the payments office to refund.
    """
    ref = checkout_ref_of(invoice)
    if ref is None:
        return
    for order in await _checkout_orders(ref):
        if order["status"] == OrderStatus.AWAITING_PAYMENT.value:
            await move_order(
                order,
                OrderStatus.NEW,
                Actor.SYSTEM,
                by_user_id=None,
                reason=NOTE_PAID,
            )
            await notify_merchant(order)
        else:
            await ORDERS.record_step(
                order["id"], "note", order["status"], order["status"], NOTE_PAID_AFTER_END
            )


async def invoice_lapsed(invoice: tk.Invoice) -> None:
    """The checkout's invoice expired unpaid: cancel its orders and give their stock back."""
    ref = checkout_ref_of(invoice)
    if ref is None:
        return
    for order in await _checkout_orders(ref):
        if order["status"] == OrderStatus.AWAITING_PAYMENT.value:
            await move_order(
                order,
                OrderStatus.CANCELLED,
                Actor.SYSTEM,
                by_user_id=None,
                reason=NOTE_EXPIRED,
            )


async def invoice_refunded(invoice: tk.Invoice) -> None:
    """An officer refunded the checkout's payment: cancel what is still open."""
    ref = checkout_ref_of(invoice)
    if ref is None:
        return
    for order in await _checkout_orders(ref):
        if order["status"] not in (OrderStatus.COMPLETED.value, OrderStatus.CANCELLED.value):
            await move_order(
                order,
                OrderStatus.CANCELLED,
                Actor.SYSTEM,
                by_user_id=None,
                reason=NOTE_REFUNDED,
            )


async def notify_merchant(order: dict[str, Any]) -> None:
    """Tell the merchant's account holder that an order is waiting for them."""
    owner = order.get("merchant_owner_id")
    if owner is None:
        return
    await tk.notify(
        owner,
        "umkm_market.new_order",
        {
            "number": order["number"],
            "buyer_name": order["buyer_name"],
            "total": tk.rupiah(order["total"]),
            "cod": order["payment_method"] == PaymentMethod.COD.value,
        },
    )


async def merchants_of(user_id: int) -> list[dict[str, Any]]:
    """The merchants the account runs in the current city."""
    return await (
        Merchant.select(Merchant.id, Merchant.name, Merchant.status)
        .where(Merchant.owner_user_id == user_id)
        .order_by(Merchant.name)
    )
