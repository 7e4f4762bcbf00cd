"""Stock under concurrent checkouts: never sold twice, on SQLite and on PostgreSQL.

Twenty buyers check out at the same moment, each wanting one of the last
five units. Every checkout runs in its own transaction on its own
connection; exactly five must succeed, the others must be told the stock ran
out with nothing of theirs written.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from balai import toolkit as tk
from balai.auth.accounts import create_user
from balai_umkm_market.cart import basket as cart
from balai_umkm_market.cart.checkout import CheckoutChoice, OutOfStock, place_orders
from balai_umkm_market.catalogue import stock
from balai_umkm_market.orders.states import Fulfilment, PaymentMethod
from balai_umkm_market.tables import Cart, CartItem, Order, OrderItem, Product
from umkm_order_support import add_product, add_shop, stock_of

BUYERS = 20
UNITS = 5


def buyers_with_carts(city_run, product_id: int, quantity: int) -> list[tuple[tk.CurrentUser, int]]:
    """``BUYERS`` accounts, each with a cart holding ``quantity`` of the product."""

    async def create() -> list[tuple[tk.CurrentUser, int]]:
        made = []
        now = datetime.now(UTC)
        for number in range(BUYERS):
            name = f"Pembeli {number}"
            user_id = await create_user(
                name=name,
                password="rahasia-123456",
                email=f"serbu{number}@contoh.id",
                verified=True,
            )
            row = Cart(user_id=user_id, session_key="", created_at=now, updated_at=now)
            await row.save()
            await CartItem.insert(CartItem(cart=row.id, product=product_id, quantity=quantity))
            user = tk.CurrentUser(
                id=user_id,
                name=name,
                email=None,
                phone=None,
                roles=frozenset(),
                permissions=frozenset(),
            )
            made.append((user, row.id))
        return made

    return city_run("malang", create)


def rush(city_run, shop_id: int, buyers, payment: PaymentMethod) -> list[object]:
    """Every buyer checks out at once; returns each checkout's result or exception."""

    async def one(user: tk.CurrentUser, cart_id: int) -> object:
        view = await cart.cart_view(cart_id)
        choice = CheckoutChoice(
            fulfilment={shop_id: Fulfilment.PICKUP}, phone="081234567890", payment=payment
        )
        return await place_orders(view, choice, user)

    async def all_at_once() -> list[object]:
        return await asyncio.gather(
            *(one(user, cart_id) for user, cart_id in buyers), return_exceptions=True
        )

    return city_run("malang", all_at_once)


def counts(city_run) -> tuple[int, int, int]:
    async def read() -> tuple[int, int, int]:
        return await Order.count(), await OrderItem.count(), await CartItem.count()

    return city_run("malang", read)


def check_exactly_five_win(city_run, payment: PaymentMethod) -> None:
    shop = add_shop(city_run)
    product = add_product(city_run, shop, "Minyak Goreng 2 liter", stock=UNITS)
    buyers = buyers_with_carts(city_run, product, 1)
    results = rush(city_run, shop, buyers, payment)

    won = [r for r in results if not isinstance(r, BaseException)]
    lost = [r for r in results if isinstance(r, BaseException)]
    assert len(won) == UNITS
    assert all(isinstance(r, OutOfStock) for r in lost), lost
    assert stock_of(city_run, product) == 0
    orders, items, cart_items = counts(city_run)
    assert (orders, items) == (UNITS, UNITS)  # nothing left behind by the losers
    assert cart_items == BUYERS - UNITS  # only the winners' carts were emptied
    if payment == PaymentMethod.CASHLESS:
        assert all(r.invoice is not None for r in won)
        assert len({r.invoice.number for r in won}) == UNITS


def test_twenty_checkouts_for_five_units_sell_exactly_five(client, city_run):
    check_exactly_five_win(city_run, PaymentMethod.COD)


def test_concurrent_cashless_checkouts_bill_only_the_winners(client, city_run):
    check_exactly_five_win(city_run, PaymentMethod.CASHLESS)


@pytest.mark.postgres
def test_twenty_checkouts_for_five_units_on_postgresql(postgres_url, client, city_run, balai_app):
    assert Product._meta.db.engine_type == "postgres"
    check_exactly_five_win(city_run, PaymentMethod.COD)


def test_a_checkout_wanting_more_than_is_left_reserves_nothing(client, city_run):
    shop = add_shop(city_run)
    rice = add_product(city_run, shop, stock=5)
    oil = add_product(city_run, shop, "Minyak Goreng 2 liter", stock=1)

    async def buy() -> None:
        async with stock.write_transaction():
            assert await stock.reserve(rice, 3)
            assert not await stock.reserve(oil, 2)
            raise OutOfStock("Minyak Goreng 2 liter")

    with pytest.raises(OutOfStock):
        city_run("malang", buy)
    assert stock_of(city_run, rice) == 5  # the first reservation rolled back with the rest
    assert stock_of(city_run, oil) == 1


def test_reservations_are_per_city(client, city_run):
    shop = add_shop(city_run)
    rice = add_product(city_run, shop, stock=5)

    async def take() -> bool:
        return await stock.reserve(rice, 1)

    assert city_run("semarang", take) is False  # Malang's product is not Semarang's to sell
    assert stock_of(city_run, rice) == 5
    assert city_run("malang", take) is True
    assert stock_of(city_run, rice) == 4
