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

The rules are declared once as :data:`ORDERS`, a ``tk.Workflow``: it
checks who may take each step, moves an order with one conditional
``UPDATE`` and keeps its history (the core's workflow history, audited).
The functions below read the same declaration by target status, as the
pages and hooks ask for moves.
"""

from __future__ import annotations

import enum

from balai import toolkit as tk

from balai_umkm_market.tables import Fulfilment, Order, OrderStatus, PaymentMethod

__all__ = [
    "FINAL",
    "ORDERS",
    "ORDER_NUMBERS",
    "Actor",
    "Fulfilment",
    "OrderStatus",
    "PaymentMethod",
    "allowed_moves",
    "check_move",
    "counts_as_purchase",
    "initial_status",
    "mover",
    "releases_stock",
    "transition_to",
]


class Actor(enum.StrEnum):
    """Who asks for a move: the workflow's parties."""

    BUYER = "buyer"
    MERCHANT = "merchant"
    SYSTEM = "system"


S = OrderStatus
FINAL = frozenset({S.COMPLETED, S.CANCELLED})
OPEN = frozenset(S) - FINAL
PLACED_OPEN = tuple(s.value for s in OPEN - {S.AWAITING_PAYMENT})
# Order numbers: UMK-2026-7KQ4-M9TX-K (unique per city by the table's index).
ORDER_NUMBERS = tk.ReferenceFormat("UMK")
# Orders counted as purchases: placed (paid or COD) and not cancelled.
PLACED = frozenset(OPEN - {S.AWAITING_PAYMENT}) | {S.COMPLETED}


def _delivery(order) -> bool:
    return order["fulfilment"] == Fulfilment.DELIVERY.value


def _pickup(order) -> bool:
    return order["fulfilment"] == Fulfilment.PICKUP.value


ORDERS = tk.Workflow(
    "umkm_market.order",
    table=Order,
    state_column=Order.status,
    states={
        S.AWAITING_PAYMENT.value: tk.N_("Awaiting payment"),
        S.NEW.value: tk.N_("New"),
        S.CONFIRMED.value: tk.N_("Confirmed by the seller"),
        S.DELIVERING.value: tk.N_("Being delivered"),
        S.READY_FOR_PICKUP.value: tk.N_("Ready for pickup"),
        S.COMPLETED.value: tk.N_("Completed"),
        S.CANCELLED.value: tk.N_("Cancelled"),
    },
    transitions=[
        tk.Transition(
            "pay", (S.AWAITING_PAYMENT.value,), S.NEW.value, tk.N_("Paid"), by=("system",)
        ),
        tk.Transition(
            "confirm",
            (S.NEW.value,),
            S.CONFIRMED.value,
            tk.N_("Confirm the order"),
            by=("merchant",),
        ),
        tk.Transition(
            "send",
            (S.CONFIRMED.value,),
            S.DELIVERING.value,
            tk.N_("Send it out for delivery"),
            by=("merchant",),
            when=_delivery,
        ),
        tk.Transition(
            "ready",
            (S.CONFIRMED.value,),
            S.READY_FOR_PICKUP.value,
            tk.N_("Mark it ready for pickup"),
            by=("merchant",),
            when=_pickup,
        ),
        tk.Transition(
            "complete",
            (S.DELIVERING.value, S.READY_FOR_PICKUP.value),
            S.COMPLETED.value,
            tk.N_("Mark it completed"),
            by=("merchant",),
        ),
        # The merchant may cancel any placed, open order, always with a reason (the buyer is told).
        tk.Transition(
            "cancel",
            PLACED_OPEN,
            S.CANCELLED.value,
            tk.N_("Cancel the order"),
            by=("merchant",),
            comment="required",
        ),
        # The buyer may only withdraw an order the merchant has not confirmed yet.
        tk.Transition(
            "withdraw", (S.NEW.value,), S.CANCELLED.value, tk.N_("Cancel my order"), by=("buyer",)
        ),
        # Expired or refunded payments cancel what is still open.
        tk.Transition(
            "lapse",
            tuple(s.value for s in OPEN),
            S.CANCELLED.value,
            tk.N_("Cancelled by the system"),
            by=("system",),
        ),
    ],
)


def mover(actor: Actor, user_id: int | None = None) -> tk.Actor:
    """The workflow's actor for ``actor`` (a party the caller checked) and its account."""
    return tk.Actor(user_id, parties=frozenset({Actor(actor).value}))


def initial_status(method: PaymentMethod) -> OrderStatus:
    """The status a new order starts in."""
    if method == PaymentMethod.CASHLESS:
        return S.AWAITING_PAYMENT
    return S.NEW


def _record(current: OrderStatus, fulfilment: Fulfilment) -> dict[str, str]:
    return {"status": S(current).value, "fulfilment": Fulfilment(fulfilment).value}


def allowed_moves(current: OrderStatus, fulfilment: Fulfilment, actor: Actor) -> list[OrderStatus]:
    """The statuses ``actor`` may move an order in ``current`` to, forward move first."""
    found = ORDERS.available(_record(current, fulfilment), mover(actor))
    return list(dict.fromkeys(S(t.target) for t in found))


def transition_to(
    current: OrderStatus, target: OrderStatus, fulfilment: Fulfilment, actor: Actor
) -> str:
    """The name of the step ``actor`` takes to move an order from ``current`` to ``target``.

    When there is none, the name of a step the workflow refuses with the
    fitting reason (``final``, ``not_allowed``; ``""``, refused as
    ``unknown``, when no step ends in ``target``).
    """
    record, who = _record(current, fulfilment), mover(actor)
    for transition in ORDERS.available(record, who):
        if transition.target == S(target).value:
            return transition.name
    ends_there = [t for t in ORDERS.transitions.values() if t.target == S(target).value]
    mine = [t for t in ends_there if who.may(t)]
    return (mine or ends_there)[0].name if ends_there else ""


def check_move(
    current: OrderStatus,
    target: OrderStatus,
    fulfilment: Fulfilment,
    actor: Actor,
    reason: str = "",
) -> str:
    """The step's name if ``actor`` may move the order to ``target`` with ``reason``.

    Raises:
        tk.MoveRefused: with the reason (``final``, ``not_allowed``, ``comment_required``).
    """
    name = transition_to(current, target, fulfilment, actor)
    record = _record(current, fulfilment)
    ORDERS.check(record, name, mover(actor), " ".join(reason.split()))
    return name


def releases_stock(current: OrderStatus, target: OrderStatus) -> bool:
    """Whether moving from ``current`` to ``target`` gives the reserved stock back.

    Stock is reserved at checkout and stays taken until the order is
    cancelled; a completed order keeps it (the goods are sold).
    """
    return S(target) == S.CANCELLED and S(current) in OPEN


def counts_as_purchase(status: OrderStatus) -> bool:
    """Whether an order in ``status`` counts in the purchase metrics."""
    return S(status) in PLACED
