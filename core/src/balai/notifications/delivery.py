"""Delivering the outbox: claim due messages, send them, retry with backoff.

A message is tried at most :data:`MAX_ATTEMPTS` times; after the n-th failed
try it waits ``5 ** (n - 1)`` minutes (1, 5, 25, 125, 625), and after the
last it is marked failed. Each try is claimed first (an ``UPDATE`` that only
succeeds for one worker), so several workers never send the same message
twice; a worker that dies mid-send leaves a lease that expires after
:data:`LEASE`, and the message is tried again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from balai.notifications import runtime
from balai.notifications.channels import DeliveryError, OutgoingMessage
from balai.notifications.tables import FAILED, PENDING, SENT, OutboxMessage
from balai.tenants import City, current_city

log = logging.getLogger("balai.notifications")

MAX_ATTEMPTS = 6
LEASE = timedelta(minutes=10)
BATCH = 100
MAX_ERROR = 300


def retry_delay(failed_attempts: int) -> timedelta | None:
    """How long to wait after ``failed_attempts`` failures; ``None``: give up."""
    if failed_attempts >= MAX_ATTEMPTS:
        return None
    return timedelta(minutes=5 ** (failed_attempts - 1))


@dataclass
class DeliveryReport:
    """What one delivery pass did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0


async def _claim(row: dict[str, Any], now: datetime) -> bool:
    """Take one try of a message, unless another worker took it first."""
    claimed = (
        await OutboxMessage.update(
            {
                OutboxMessage.attempts: row["attempts"] + 1,
                OutboxMessage.next_attempt_at: now + LEASE,
            }
        )
        .where(
            (OutboxMessage.id == row["id"])
            & (OutboxMessage.status == PENDING)
            & (OutboxMessage.attempts == row["attempts"])
        )
        .returning(OutboxMessage.id)
    )
    return bool(claimed)


async def deliver_pending(
    city: City | None = None, *, now: datetime | None = None
) -> DeliveryReport:
    """Send the current city's due messages (one batch).

    Args:
        city: Ignored beyond documentation (the job calls this inside the
            city's scope); accepted so that this is usable as a job's ``run``.
        now: The time to act at (tests); default: now.
    """
    service = runtime.active()
    slug = current_city().slug
    now = now or datetime.now(UTC)
    report = DeliveryReport()
    due = (
        await OutboxMessage.select()
        .where((OutboxMessage.status == PENDING) & (OutboxMessage.next_attempt_at <= now))
        .order_by(OutboxMessage.next_attempt_at)
        .limit(BATCH)
    )
    for row in due:
        if not await _claim(row, now):
            continue
        tries = row["attempts"] + 1
        channel = service.channels.get(row["channel"])
        message = OutgoingMessage(
            id=row["id"],
            city=slug,
            kind=row["kind"],
            recipient_id=row["user_id"],
            address=row["address"],
            locale=row["locale"],
            subject=row["subject"],
            body=row["body"],
        )
        try:
            if channel is None:
                raise DeliveryError(f"channel {row['channel']!r} is not configured")
            await channel.send(message, service.context)
        except DeliveryError as exc:
            await _failed(row["id"], tries, str(exc), now, report)
            continue
        except Exception as exc:  # a broken adapter must not stop the others
            log.exception("notification %s: channel %s crashed", row["id"], row["channel"])
            await _failed(row["id"], tries, f"{type(exc).__name__}: {exc}", now, report)
            continue
        await OutboxMessage.update(
            {OutboxMessage.status: SENT, OutboxMessage.sent_at: now, OutboxMessage.last_error: ""}
        ).where(OutboxMessage.id == row["id"])
        report.sent += 1
    if due:
        log.info(
            "%s: notifications sent %s, retrying %s, failed %s",
            slug,
            report.sent,
            report.retrying,
            report.failed,
        )
    return report


async def _failed(
    row_id: int, tries: int, error: str, now: datetime, report: DeliveryReport
) -> None:
    delay = retry_delay(tries)
    changes: dict[Any, Any] = {OutboxMessage.last_error: error[:MAX_ERROR]}
    if delay is None:
        changes[OutboxMessage.status] = FAILED
        report.failed += 1
        log.warning("notification %s failed for good after %s tries: %s", row_id, tries, error)
    else:
        changes[OutboxMessage.next_attempt_at] = now + delay
        report.retrying += 1
        log.info("notification %s: try %s failed (%s); next in %s", row_id, tries, error, delay)
    await OutboxMessage.update(changes).where(OutboxMessage.id == row_id)


async def delivery_job(city: City, **kwargs: Any) -> None:
    """The ``notifications.deliver`` job: one delivery pass for ``city``."""
    await deliver_pending(city)
