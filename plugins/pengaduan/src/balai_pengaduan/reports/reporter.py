"""Who is reporting: a verified, signed-in citizen, or the holder of a confirmed number.

A visitor without an account confirms a mobile number by a texted code
(``tk.send_phone_code`` / ``tk.confirm_phone_code``); this browser then
reports as that number's account for :data:`CONFIRMED_FOR`, without being
signed in. The session entry is per city.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from balai import toolkit as tk

CONFIRMED_FOR = timedelta(hours=2)


def _key() -> str:
    return f"pengaduan:reporter:{tk.current_city().slug}"


async def reporter_id(request: Any) -> int | None:
    """The account this visitor reports as, or ``None`` (confirm a number first)."""
    user = await tk.current_user(request)
    if user is not None and user.verified:
        return user.id
    entry = (request.session or {}).get(_key()) if "session" in request.scope else None
    if not isinstance(entry, dict):
        return None
    until = entry.get("until")
    if not isinstance(until, (int, float)) or until < datetime.now(UTC).timestamp():
        return None
    user_id = entry.get("id")
    return user_id if isinstance(user_id, int) else None


def remember(request: Any, user_id: int) -> None:
    """This browser reports as ``user_id`` (a confirmed number) for a while."""
    until = (datetime.now(UTC) + CONFIRMED_FOR).timestamp()
    request.set_session({**(request.session or {}), _key(): {"id": user_id, "until": until}})


def pending_phone_key() -> str:
    """The session entry holding the number a code was just sent to."""
    return f"pengaduan:phone:{tk.current_city().slug}"
