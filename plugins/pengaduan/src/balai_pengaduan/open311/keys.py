"""Open311 API keys: one per client application, shown once, stored as a SHA-256."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime
from typing import Any

from balai_pengaduan.tables import ApiClient

KEY_BYTES = 32  # 43 URL-safe characters


def digest(key: str) -> str:
    """The stored form of a key (a random 256-bit key needs no slow hash)."""
    return hashlib.sha256(key.encode()).hexdigest()


async def register(name: str, created_by: int) -> tuple[dict[str, Any], str]:
    """A new client application of the current city; returns its row and its key (shown once)."""
    key = secrets.token_urlsafe(KEY_BYTES)
    rows = await ApiClient.insert(
        ApiClient(
            name=name,
            key_hash=digest(key),
            key_hint=key[:6],
            created_by=created_by,
            created_at=datetime.now(UTC),
        )
    ).returning(ApiClient.id)
    row = await ApiClient.select().where(ApiClient.id == rows[0]["id"]).first()
    return row, key


async def client_for(key: str) -> dict[str, Any] | None:
    """The current city's active client application holding ``key``."""
    if not key or len(key) > 100:
        return None
    return (
        await ApiClient.select(ApiClient.id, ApiClient.name)
        .where((ApiClient.key_hash == digest(key)) & ApiClient.revoked_at.is_null())
        .first()
    )
