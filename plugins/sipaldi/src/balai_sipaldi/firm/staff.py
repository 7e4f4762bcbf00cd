"""Which operator (and truck) an account works for.

DLH officers link accounts on the operator's page: an office account (role
``sipaldi.operator``) sees the firm's deliveries and pays its disposal-fee
invoices; a crew account (role ``sipaldi.crew``) linked to a truck sees only
that truck's route. An account holding the role but no link sees nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from balai import toolkit as tk

from balai_sipaldi.tables import Staff


async def link_of(request: Any) -> dict[str, Any] | None:
    """The logged-in account's link to an operator (and truck), or ``None``."""
    user = await tk.current_user(request)
    return await Staff.select().where(Staff.user_id == user.id).first()


async def link(user_id: int, operator_id: int, truck_id: int | None) -> None:
    """Link ``user_id`` to the operator (and truck), replacing any earlier link."""
    await Staff.delete().where(Staff.user_id == user_id)
    await Staff.insert(
        Staff(
            user_id=user_id,
            operator_id=operator_id,
            truck_id=truck_id,
            created_at=datetime.now(UTC),
        )
    )


async def unlink(user_id: int) -> None:
    """The account no longer works for any operator (it was deleted, or left the firm)."""
    await Staff.delete().where(Staff.user_id == user_id)
