"""Schedule slots: which run of a job is due at a given moment.

A slot is the UTC start time of one scheduled run. Every worker computes the
same slots from the clock alone, so the slot (with the job and the city)
names a run uniquely and can be claimed once. Indonesian zones (WIB, WITA,
WIT) have no daylight saving; for zones that do, a ``daily_at`` time that
does not exist on a day falls to the next valid instant (``zoneinfo``'s fold
rules).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from balai.jobs.types import Job

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def current_slot(job: Job, tz: ZoneInfo, now: datetime) -> datetime | None:
    """The start (UTC) of the latest slot of ``job`` at or before ``now``.

    Args:
        job: The job.
        tz: The city's zone (used by ``daily_at``).
        now: An aware datetime.

    Returns:
        ``None`` for a job that only runs when enqueued.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    now = now.astimezone(UTC)
    if job.every is not None:
        step = int(job.every.total_seconds() * 1_000_000)
        elapsed = (now - EPOCH) // timedelta(microseconds=1)
        return EPOCH + timedelta(microseconds=elapsed - elapsed % step)
    if job.daily_at is not None:
        local_day = now.astimezone(tz).date()
        for day in (local_day, local_day - timedelta(days=1)):
            candidate = datetime.combine(day, job.daily_at, tzinfo=tz).astimezone(UTC)
            if candidate <= now:
                return candidate
        raise AssertionError("unreachable: yesterday's time is always in the past")
    return None


def next_slot(job: Job, tz: ZoneInfo, now: datetime) -> datetime | None:
    """The start (UTC) of the first slot of ``job`` strictly after ``now``."""
    slot = current_slot(job, tz, now)
    if slot is None:
        return None
    if job.every is not None:
        return slot + job.every
    local = slot.astimezone(tz).date() + timedelta(days=1)
    return datetime.combine(local, job.daily_at, tzinfo=tz).astimezone(UTC)  # type: ignore[arg-type]


def slot_ttl(job: Job) -> timedelta:
    """How long a claim on one slot must outlive it: the slot's length plus an hour."""
    length = job.every if job.every is not None else timedelta(days=1)
    return length + timedelta(hours=1)
