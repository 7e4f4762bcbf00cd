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
from balai.notifications.phone import ACCEPTED, Rejected
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
        await _try(row, now, report)
    if due:
        log.info(
            "%s: notifications sent %s, retrying %s, failed %s",
            slug,
            report.sent,
            report.retrying,
            report.failed,
        )
    return report


async def deliver_now(message_id: int) -> bool:
    """Try one queued message at once (a sign-in code should not wait for the job).

    The message stays in the outbox either way: when this try fails, the
    delivery job retries it with the usual backoff. Returns whether it was sent.
    """
    now = datetime.now(UTC)
    row = (
        await OutboxMessage.select()
        .where((OutboxMessage.id == message_id) & (OutboxMessage.status == PENDING))
        .first()
    )
    report = DeliveryReport()
    if row is not None:
        await _try(row, now, report)
    return report.sent == 1


async def _try(row: dict[str, Any], now: datetime, report: DeliveryReport) -> None:
    """Claim one try of ``row`` and send it through its channel."""
    if not await _claim(row, now):
        return
    service = runtime.active()
    tries = row["attempts"] + 1
    channel = service.channels.get(row["channel"])
    message = OutgoingMessage(
        id=row["id"],
        city=current_city().slug,
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
        provider_ref = await channel.send(message, service.context)
    except Rejected as exc:  # retrying cannot help, and each try may cost money
        await _failed(row["id"], MAX_ATTEMPTS, str(exc), now, report)
        return
    except DeliveryError as exc:
        await _failed(row["id"], tries, str(exc), now, report)
        return
    except Exception as exc:  # a broken adapter must not stop the others
        log.exception("notification %s: channel %s crashed", row["id"], row["channel"])
        await _failed(row["id"], tries, f"{type(exc).__name__}: {exc}", now, report)
        return
    changes: dict[Any, Any] = {
        OutboxMessage.status: SENT,
        OutboxMessage.sent_at: now,
        OutboxMessage.last_error: "",
    }
    if isinstance(provider_ref, str) and provider_ref:
        changes[OutboxMessage.provider_ref] = provider_ref[:64]
        changes[OutboxMessage.delivery] = ACCEPTED
    await OutboxMessage.update(changes).where(OutboxMessage.id == row["id"])
    report.sent += 1


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


async def poll_phone_reports(city: City | None = None, *, now: datetime | None = None) -> int:
    """Ask the phone providers what became of sent texts; returns how many were settled.

    A text stays ``accepted`` until its provider reports it ``delivered`` or
    ``undelivered``; one pass asks about up to :data:`BATCH` of them.
    """
    service = runtime.active()
    now = now or datetime.now(UTC)
    waiting = (
        await OutboxMessage.select(
            OutboxMessage.id, OutboxMessage.channel, OutboxMessage.provider_ref
        )
        .where(OutboxMessage.delivery == ACCEPTED)
        .order_by(OutboxMessage.id)
        .limit(BATCH)
    )
    settled = 0
    for row in waiting:
        channel = service.channels.get(row["channel"])
        ask = getattr(channel, "report", None)
        if ask is None:
            continue
        try:
            status = await ask(row["provider_ref"])
        except DeliveryError as exc:
            log.info("delivery report for notification %s not available: %s", row["id"], exc)
            continue
        if status != ACCEPTED:
            await OutboxMessage.update(
                {OutboxMessage.delivery: status, OutboxMessage.delivery_at: now}
            ).where(OutboxMessage.id == row["id"])
            settled += 1
    return settled


async def phone_reports_job(city: City, **kwargs: Any) -> None:
    """The ``notifications.phone_reports`` job: one pass of delivery reports for ``city``."""
    await poll_phone_reports(city)
