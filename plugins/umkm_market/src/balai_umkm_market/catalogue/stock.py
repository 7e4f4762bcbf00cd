"""Reserving and releasing product stock, never selling more than there is.

``Product.stock`` is the quantity still available. A checkout takes what it
orders with one conditional statement per product,
``UPDATE ... SET stock = stock - q WHERE id = ? AND stock >= q``, inside the
transaction that writes the orders: of any number of concurrent checkouts
only those that find enough stock change the row (PostgreSQL re-checks the
condition on the row a concurrent writer left; SQLite lets one writer at a
time in, see :func:`write_transaction`), and a checkout that finds too little
rolls back everything it did. A cancelled or expired order gives its
quantities back. Either move sets the product's ``updated_at`` (the
partners' catalogue feed shows the stock).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from piccolo.engine.sqlite import TransactionType

from balai_umkm_market.tables import Order, Product


def write_transaction() -> Any:
    """A transaction for writing orders; on SQLite it takes the write lock at once.

    A deferred SQLite transaction that reads first and writes later can fail
    to upgrade its lock while another one writes; an immediate one waits
    its turn instead (the engine's busy timeout).
    """
    engine = Order._meta.db
    if engine.engine_type == "sqlite":
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()


async def reserve(product_id: int, quantity: int) -> bool:
    """Take ``quantity`` of the current city's product ``product_id`` if that many are left.

    Returns:
        Whether the stock was taken (``False``: too little left, inactive or
        unknown product; nothing changed).
    """
    if quantity <= 0:
        raise ValueError("a reservation needs a positive quantity")
    taken = (
        await Product.update(
            {Product.stock: Product.stock - quantity, Product.updated_at: datetime.now(UTC)}
        )
        .where(
            (Product.id == product_id) & (Product.stock >= quantity) & (Product.is_active == True)  # noqa: E712 (a Piccolo condition)
        )
        .returning(Product.id)
    )
    return bool(taken)


async def release(product_id: int, quantity: int) -> None:
    """Give ``quantity`` of product ``product_id`` back to its available stock."""
    if quantity <= 0:
        raise ValueError("a release needs a positive quantity")
    await Product.update(
        {Product.stock: Product.stock + quantity, Product.updated_at: datetime.now(UTC)}
    ).where(Product.id == product_id)
