"""Writing the audit log: :func:`record`, the one way in (``toolkit.audit_record``).

Appending is serialised per city so that concurrent workers never fork the
chain: on PostgreSQL a transaction-scoped advisory lock on the city, on
SQLite an immediate (write-locking) transaction. The unique index on
``(city, seq)`` is the last line of defence; a conflict is retried. When the
caller already has a transaction open, the entry joins it, so an action that
is rolled back leaves no entry claiming it happened.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import Any

from piccolo.engine.sqlite import TransactionType

from balai.audit.chain import GENESIS_HASH, canonical_json, entry_hash
from balai.audit.tables import AuditEntry
from balai.tables import User
from balai.tenants import current_city

log = logging.getLogger("balai.audit")

MAX_USER_AGENT = 200
MAX_SUBJECT = 200
MAX_LABEL = 160
MAX_ACTION = 80
_ATTEMPTS = 8
_ACTOR_KEY = "balai.user"


class AuditError(RuntimeError):
    """An entry could not be appended (after retries)."""


def client_address(connection: Any) -> str:
    """The client address of a request or connection ('' when unknown)."""
    client = getattr(connection, "client", None)
    return (client.host if client else "")[:64]


def user_agent(connection: Any) -> str:
    """The request's User-Agent, truncated to what the log keeps."""
    if connection is None:
        return ""
    return connection.headers.get("user-agent", "")[:MAX_USER_AGENT]


async def record(
    action: str,
    *,
    actor_id: int | None,
    request: Any | None = None,
    subject: str = "",
    detail: dict | None = None,
    personal_data_of: int | None = None,
) -> None:
    """Append an entry to the current city's audit log.

    Args:
        action: What happened, namespaced by plugin slug (``core.login``,
            ``payments.cash_confirmed``, ``e_jkn.nik_viewed``).
        actor_id: The user who did it (``None`` for an anonymous visitor or
            the system).
        request: The request (or connection) it happened in; gives the
            client address and user agent.
        subject: What it was done to, e.g. ``invoice:INV-7KQ2`` (short text).
        detail: Extra facts as JSON-serialisable data. Never passwords, and
            no more personal data than the record needs.
        personal_data_of: The user whose personal data was viewed; the entry
            then shows on that citizen's "who viewed my data" page.

    Raises:
        NoCityError: outside any city.
        AuditError: the entry could not be appended.
    """
    city = current_city()
    if not action or "." not in action:
        raise ValueError(f"audit action {action!r} must be namespaced, like 'core.login'")
    fields: dict[str, Any] = {
        "city": city.slug,
        "actor_id": actor_id,
        "actor_label": (await _actor_label(actor_id, request))[:MAX_LABEL],
        "action": action[:MAX_ACTION],
        "subject": str(subject)[:MAX_SUBJECT],
        "detail": canonical_json(detail or {}),
        "client_addr": client_address(request),
        "user_agent": user_agent(request),
        "personal_data_of": personal_data_of,
    }
    engine = AuditEntry._meta.db
    nested = engine.current_transaction.get() is not None
    for attempt in range(_ATTEMPTS):
        try:
            if nested:
                await _append(fields, engine)
                return
            if engine.engine_type == "sqlite":
                async with engine.transaction(transaction_type=TransactionType.immediate):
                    await _append(fields, engine)
            else:
                async with engine.transaction():
                    await _append(fields, engine)
            return
        except Exception as exc:
            if nested or not _is_conflict(exc) or attempt == _ATTEMPTS - 1:
                if _is_conflict(exc):
                    raise AuditError(f"could not append {action} for {city.slug}: {exc}") from exc
                raise
            log.info("audit append for %s conflicted, retrying (%s)", city.slug, exc)
            await asyncio.sleep(0.01 * (attempt + 1))


async def _append(fields: dict[str, Any], engine: Any) -> None:
    """Lock the city's chain, read its head and insert the next entry."""
    if engine.engine_type == "postgres":
        await AuditEntry.raw(
            "SELECT pg_advisory_xact_lock(hashtext({}))", f"balai_audit:{fields['city']}"
        )
    head = (
        await AuditEntry.select(AuditEntry.seq, AuditEntry.entry_hash)
        .order_by(AuditEntry.seq, ascending=False)
        .first()
    )
    entry = {
        **fields,
        "seq": (head["seq"] + 1) if head else 1,
        "prev_hash": head["entry_hash"] if head else GENESIS_HASH,
        "created_at": datetime.now(UTC),
    }
    entry["entry_hash"] = entry_hash(entry)
    await AuditEntry.insert(AuditEntry(**entry))


def _is_conflict(exc: Exception) -> bool:
    """Whether ``exc`` is a unique-index clash or a busy database (worth a retry)."""
    text = f"{type(exc).__name__} {exc}".lower()
    return any(
        marker in text
        for marker in ("unique", "uniqueviolation", "database is locked", "busy", "deadlock")
    )


async def _actor_label(actor_id: int | None, request: Any | None) -> str:
    """The actor's name as it is now (kept in the entry even if the account changes)."""
    if actor_id is None:
        return ""
    if request is not None:
        cached = request.scope.get(_ACTOR_KEY)
        if cached is not None and cached.id == actor_id:
            return cached.name
    row = await User.select(User.name).where(User.id == actor_id).first()
    return row["name"] if row else f"#{actor_id}"


async def record_denial(request: Any, reason: str) -> None:
    """Record a refused request (403) as ``core.permission_denied``; never raises.

    Runs after the error response was sent (a background task of the error
    handler), so a failure here cannot change what the visitor sees.
    """
    from balai.auth.access import current_user
    from balai.tenants import current_city_or_none

    if current_city_or_none() is None:
        return
    try:
        user = await current_user(request)
        await record(
            "core.permission_denied",
            actor_id=user.id if user else None,
            request=request,
            subject=f"{request.method} {request.url.path}",
            detail={"reason": reason[:200]},
        )
    except Exception:
        log.exception("could not record a permission denial on %s", request.url.path)
