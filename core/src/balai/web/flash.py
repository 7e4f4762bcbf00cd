"""One-time messages shown on the next page a browser gets (kept in the session)."""

from __future__ import annotations

from typing import Any

import msgspec

_FLASH_KEY = "_flash"


class Flash(msgspec.Struct, frozen=True):
    """A one-time message shown on the next page."""

    category: str
    message: str


def flash(connection: Any, message: str, category: str = "info") -> None:
    """Show ``message`` (already translated) on the next page this browser gets."""
    session = connection.scope.get("session")
    if not isinstance(session, dict):
        connection.set_session({})
        session = connection.scope["session"]
    session.setdefault(_FLASH_KEY, []).append([category, message])


def pop_flashes(connection: Any) -> list[Flash]:
    """Take the pending flash messages out of the session."""
    session = connection.scope.get("session")
    if not isinstance(session, dict) or _FLASH_KEY not in session:
        return []
    return [Flash(c, m) for c, m in session.pop(_FLASH_KEY)]
