"""Sign-ins: each device's session, and the account's sign-in history.

Every login makes a :class:`~balai.tables.SignIn` row (time, client
address, device) whose id the session carries; the one statement that loads
the user on each request also checks that row, so ending it (sign the other
devices out, a password reset, a suspension) ends that session on its next
request, whether sessions live in the database or in Redis.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from balai.audit.log import client_address, user_agent
from balai.tables import SignIn

HISTORY = 20
SIGNED_OUT_ELSEWHERE = "signed_out_elsewhere"
PASSWORD_CHANGED = "password_changed"  # noqa: S105 (a reason, not a password)
SUSPENDED = "suspended"
LOGGED_OUT = "logged_out"
SECOND_FACTOR_RESET = "second_factor_reset"


async def start(request: Any, user_id: int, method: str) -> int:
    """Record a sign-in from this request's device; returns its id."""
    rows = await SignIn.insert(
        SignIn(
            user=user_id,
            created_at=datetime.now(UTC),
            address=client_address(request),
            device=user_agent(request),
            method=method,
        )
    )
    return rows[0]["id"]


async def end(sign_in_id: int, reason: str) -> None:
    """End one sign-in (logging out)."""
    await SignIn.update({SignIn.ended_at: datetime.now(UTC), SignIn.ended_reason: reason}).where(
        (SignIn.id == sign_in_id) & SignIn.ended_at.is_null()
    )


async def end_all(user_id: int, reason: str, *, keep: int | None = None) -> int:
    """End every open sign-in of an account except ``keep``; returns how many."""
    where = (SignIn.user == user_id) & SignIn.ended_at.is_null()
    if keep is not None:
        where &= SignIn.id != keep
    ended = (
        await SignIn.update({SignIn.ended_at: datetime.now(UTC), SignIn.ended_reason: reason})
        .where(where)
        .returning(SignIn.id)
    )
    return len(ended)


async def history(user_id: int, limit: int = HISTORY) -> list[dict[str, Any]]:
    """An account's latest sign-ins, newest first."""
    return await (
        SignIn.select(
            SignIn.id,
            SignIn.created_at,
            SignIn.address,
            SignIn.device,
            SignIn.method,
            SignIn.ended_at,
            SignIn.ended_reason,
        )
        .where(SignIn.user == user_id)
        .order_by(SignIn.id, ascending=False)
        .limit(limit)
    )
