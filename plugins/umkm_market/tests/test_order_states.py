"""The order state machine on its own: who may move an order where."""

from __future__ import annotations

import itertools

import pytest
from balai import toolkit as tk
from balai_umkm_market.orders.states import (
    Actor,
    Fulfilment,
    OrderStatus,
    PaymentMethod,
    allowed_moves,
    check_move,
    counts_as_purchase,
    initial_status,
    releases_stock,
)

S = OrderStatus
D, P = Fulfilment.DELIVERY, Fulfilment.PICKUP


def test_cod_orders_start_new_and_cashless_orders_wait_for_payment():
    assert initial_status(PaymentMethod.COD) == S.NEW
    assert initial_status(PaymentMethod.CASHLESS) == S.AWAITING_PAYMENT


@pytest.mark.parametrize(
    ("fulfilment", "path"),
    [
        (D, [S.NEW, S.CONFIRMED, S.DELIVERING, S.COMPLETED]),
        (P, [S.NEW, S.CONFIRMED, S.READY_FOR_PICKUP, S.COMPLETED]),
    ],
)
def test_the_merchant_walks_an_order_to_completion(fulfilment, path):
    for current, target in itertools.pairwise(path):
        check_move(current, target, fulfilment, Actor.MERCHANT)
        assert allowed_moves(current, fulfilment, Actor.MERCHANT)[0] == target


def test_delivery_orders_never_become_ready_for_pickup_and_the_reverse():
    with pytest.raises(tk.MoveRefused):
        check_move(S.CONFIRMED, S.READY_FOR_PICKUP, D, Actor.MERCHANT)
    with pytest.raises(tk.MoveRefused):
        check_move(S.CONFIRMED, S.DELIVERING, P, Actor.MERCHANT)


def test_no_step_may_be_skipped():
    with pytest.raises(tk.MoveRefused) as caught:
        check_move(S.NEW, S.COMPLETED, D, Actor.MERCHANT)
    assert caught.value.reason == "not_allowed"
    with pytest.raises(tk.MoveRefused):
        check_move(S.NEW, S.DELIVERING, D, Actor.MERCHANT)


@pytest.mark.parametrize("final", [S.COMPLETED, S.CANCELLED])
@pytest.mark.parametrize("actor", list(Actor))
def test_final_states_never_move(final, actor):
    assert allowed_moves(final, D, actor) == []
    for target in S:
        with pytest.raises(tk.MoveRefused) as caught:
            check_move(final, target, D, actor, reason="x")
        assert caught.value.reason == "final"


def test_only_the_system_settles_payment():
    assert allowed_moves(S.AWAITING_PAYMENT, D, Actor.MERCHANT) == []
    with pytest.raises(tk.MoveRefused):
        check_move(S.AWAITING_PAYMENT, S.NEW, D, Actor.MERCHANT)
    with pytest.raises(tk.MoveRefused):
        check_move(S.AWAITING_PAYMENT, S.NEW, D, Actor.BUYER)
    check_move(S.AWAITING_PAYMENT, S.NEW, D, Actor.SYSTEM)
    check_move(S.AWAITING_PAYMENT, S.CANCELLED, D, Actor.SYSTEM)
    # A refund by an officer cancels what is still open.
    assert allowed_moves(S.CONFIRMED, D, Actor.SYSTEM) == [S.CANCELLED]


def test_the_merchant_cancels_only_with_a_reason():
    with pytest.raises(tk.MoveRefused) as caught:
        check_move(S.CONFIRMED, S.CANCELLED, D, Actor.MERCHANT, reason="   ")
    assert caught.value.reason == "comment_required"
    check_move(S.CONFIRMED, S.CANCELLED, D, Actor.MERCHANT, reason="Stok rusak")
    check_move(S.DELIVERING, S.CANCELLED, D, Actor.MERCHANT, reason="Alamat tidak ditemukan")


def test_the_buyer_may_withdraw_only_a_placed_order_before_the_merchant_confirms():
    assert allowed_moves(S.NEW, P, Actor.BUYER) == [S.CANCELLED]
    check_move(S.NEW, S.CANCELLED, P, Actor.BUYER)
    # An unpaid checkout lapses with its invoice; it is not cancelled by hand.
    for status in (S.AWAITING_PAYMENT, S.CONFIRMED, S.READY_FOR_PICKUP, S.DELIVERING):
        assert allowed_moves(status, P, Actor.BUYER) == []
        with pytest.raises(tk.MoveRefused):
            check_move(status, S.CANCELLED, P, Actor.BUYER)
    with pytest.raises(tk.MoveRefused):
        check_move(S.NEW, S.CONFIRMED, P, Actor.BUYER)


def test_cancelling_an_open_order_releases_its_stock_completing_does_not():
    for status in (S.AWAITING_PAYMENT, S.NEW, S.CONFIRMED, S.DELIVERING, S.READY_FOR_PICKUP):
        assert releases_stock(status, S.CANCELLED)
    assert not releases_stock(S.DELIVERING, S.COMPLETED)
    assert not releases_stock(S.CANCELLED, S.CANCELLED)
    assert not releases_stock(S.NEW, S.CONFIRMED)


def test_purchases_are_placed_orders_that_were_not_cancelled():
    assert not counts_as_purchase(S.AWAITING_PAYMENT)
    assert not counts_as_purchase(S.CANCELLED)
    for status in (S.NEW, S.CONFIRMED, S.DELIVERING, S.READY_FOR_PICKUP, S.COMPLETED):
        assert counts_as_purchase(status)
