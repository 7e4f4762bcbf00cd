"""The states of a market order and who may move it where.

An order of the UMKM market goes through::

    awaiting_payment ──(invoice paid)──> new ──> confirmed ──> delivering ──────> completed
          │                               │          │     └─> ready_for_pickup ─> completed
          └──(invoice expired)──> cancelled <┴──────────┴── (merchant, with a reason; buyer)

* A cash-on-delivery (COD) order starts as ``new``; a cashless one starts as
  ``awaiting_payment`` and becomes ``new`` only when the ledger settles its
  invoice (the system moves it, never a person).
* From ``confirmed`` a delivery order goes to ``delivering`` and a pickup
  order to ``ready_for_pickup``; both end ``completed``.
* The buyer may cancel a ``new`` order (the merchant has not confirmed it
  yet); the merchant may cancel any placed, open order, always with a
  reason; the system cancels unpaid orders whose invoice expired and open
  orders whose payment an officer refunded. An unpaid cashless order is not
  cancelled by hand: its one invoice may cover the orders of several
  merchants, so the checkout as a whole lapses when the invoice expires.

This module is pure rules (no database queries), so it can be tested on its
own; the status, fulfilment and payment names are the tables' enums.
"""

from __future__ import annotations

import enum

from balai_umkm_market.tables import Fulfilment, OrderStatus, PaymentMethod

__all__ = [
    "FINAL",
    "Actor",
    "Fulfilment",
    "IllegalMove",
    "OrderStatus",
    "PaymentMethod",
    "allowed_moves",
    "check_move",
    "counts_as_purchase",
    "initial_status",
    "releases_stock",
]


class Actor(enum.StrEnum):
    """Who asks for a move."""

    BUYER = "buyer"
    MERCHANT = "merchant"
    SYSTEM = "system"


FINAL = frozenset({OrderStatus.COMPLETED, OrderStatus.CANCELLED})
OPEN = frozenset(OrderStatus) - FINAL
# Orders counted as purchases: placed (paid or COD) and not cancelled.
PLACED = frozenset(OPEN - {OrderStatus.AWAITING_PAYMENT}) | {OrderStatus.COMPLETED}


class IllegalMove(ValueError):
    """A move the rules do not allow; ``reason`` says why (a code, see :func:`move_error`)."""

    def __init__(self, reason: str, current: OrderStatus, target: OrderStatus) -> None:
        super().__init__(f"{reason}: {current} -> {target}")
        self.reason = reason
        self.current = current
        self.target = target


def initial_status(method: PaymentMethod) -> OrderStatus:
    """The status a new order starts in."""
    if method == PaymentMethod.CASHLESS:
        return OrderStatus.AWAITING_PAYMENT
    return OrderStatus.NEW


def _forward(current: OrderStatus, fulfilment: Fulfilment) -> OrderStatus | None:
    """The next step of the normal flow for ``current`` (``None`` at the end)."""
    if current == OrderStatus.AWAITING_PAYMENT:
        return OrderStatus.NEW
    if current == OrderStatus.NEW:
        return OrderStatus.CONFIRMED
    if current == OrderStatus.CONFIRMED:
        if fulfilment == Fulfilment.DELIVERY:
            return OrderStatus.DELIVERING
        return OrderStatus.READY_FOR_PICKUP
    if current in (OrderStatus.DELIVERING, OrderStatus.READY_FOR_PICKUP):
        return OrderStatus.COMPLETED
    return None


def allowed_moves(current: OrderStatus, fulfilment: Fulfilment, actor: Actor) -> list[OrderStatus]:
    """The statuses ``actor`` may move an order in ``current`` to, forward move first."""
    current, fulfilment = OrderStatus(current), Fulfilment(fulfilment)
    if current in FINAL:
        return []
    moves: list[OrderStatus] = []
    forward = _forward(current, fulfilment)
    if actor == Actor.SYSTEM:
        if current == OrderStatus.AWAITING_PAYMENT:
            moves.append(OrderStatus.NEW)
        moves.append(OrderStatus.CANCELLED)
        return moves
    if actor == Actor.MERCHANT:
        if current != OrderStatus.AWAITING_PAYMENT and forward is not None:
            moves.append(forward)
        if current != OrderStatus.AWAITING_PAYMENT:
            moves.append(OrderStatus.CANCELLED)
        return moves
    # The buyer may only withdraw an order the merchant has not confirmed yet.
    if current == OrderStatus.NEW:
        moves.append(OrderStatus.CANCELLED)
    return moves


def check_move(
    current: OrderStatus,
    target: OrderStatus,
    fulfilment: Fulfilment,
    actor: Actor,
    reason: str = "",
) -> None:
    """Raise :class:`IllegalMove` unless ``actor`` may move the order to ``target``.

    A cancellation by the merchant needs a ``reason`` (the buyer is told it).
    """
    current, target = OrderStatus(current), OrderStatus(target)
    if current in FINAL:
        raise IllegalMove("final", current, target)
    if target not in allowed_moves(current, fulfilment, actor):
        raise IllegalMove("not_allowed", current, target)
    if target == OrderStatus.CANCELLED and actor == Actor.MERCHANT and not reason.strip():
        raise IllegalMove("reason_required", current, target)


def releases_stock(current: OrderStatus, target: OrderStatus) -> bool:
    """Whether moving from ``current`` to ``target`` gives the reserved stock back.

    Stock is reserved at checkout and stays taken until the order is
    cancelled; a completed order keeps it (the goods are sold).
    """
    return OrderStatus(target) == OrderStatus.CANCELLED and OrderStatus(current) in OPEN


def counts_as_purchase(status: OrderStatus) -> bool:
    """Whether an order in ``status`` counts in the purchase metrics."""
    return OrderStatus(status) in PLACED
