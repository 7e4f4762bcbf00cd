"""Reserving and releasing the places of a slot, never selling more than there are.

Each slot has one stock row per sales channel. A purchase takes its places
with one conditional statement,
``UPDATE ... SET remaining = remaining - q WHERE slot = ? AND channel = ? AND remaining >= q``,
inside the transaction that writes the order: of any number of concurrent
purchases only those finding enough places change the row (PostgreSQL
re-checks the condition on the row a concurrent writer left; SQLite lets one
writer in at a time, see :func:`write_transaction`). A lapsed, cancelled or
refunded order gives its places back.
"""

from __future__ import annotations

from typing import Any

from piccolo.engine.sqlite import TransactionType

from balai_wisata_heritage.tickets.tables import TicketStock


def write_transaction() -> Any:
    """A transaction for writing orders; on SQLite it takes the write lock at once."""
    engine = TicketStock._meta.db
    if engine.engine_type == "sqlite":
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()


async def reserve(slot_id: int, channel: str, quantity: int) -> bool:
    """Take ``quantity`` places of the slot's ``channel`` quota if that many are left."""
    if quantity <= 0:
        raise ValueError("a reservation needs a positive quantity")
    taken = (
        await TicketStock.update({TicketStock.remaining: TicketStock.remaining - quantity})
        .where(
            (TicketStock.slot == slot_id)
            & (TicketStock.channel == channel)
            & (TicketStock.remaining >= quantity)
        )
        .returning(TicketStock.id)
    )
    return bool(taken)


async def release(slot_id: int, channel: str, quantity: int) -> None:
    """Give ``quantity`` places back to the slot's ``channel`` quota."""
    if quantity <= 0:
        raise ValueError("a release needs a positive quantity")
    await TicketStock.update({TicketStock.remaining: TicketStock.remaining + quantity}).where(
        (TicketStock.slot == slot_id) & (TicketStock.channel == channel)
    )


async def remaining(slot_id: int, channel: str) -> int:
    """Places of the slot still to sell through ``channel``."""
    row = (
        await TicketStock.select(TicketStock.remaining)
        .where((TicketStock.slot == slot_id) & (TicketStock.channel == channel))
        .first()
    )
    return row["remaining"] if row else 0
