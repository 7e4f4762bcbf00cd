"""Claiming a run so that exactly one worker performs it.

The durable claim is the run row itself: :class:`~balai.jobs.tables.JobRun`
has a unique ``claim_key``, and the insert uses ``ON CONFLICT DO NOTHING``,
so among workers sharing the database (SQLite or PostgreSQL) one insert wins
and the others see nothing inserted. With Redis, a ``SET key NX PX`` lock on
the same key is taken first; the losers then never touch the database.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from balai.config import DEFAULT_REDIS_PREFIX
from balai.jobs.tables import RUNNING, JobRun

# Delete the lock only if this worker still holds it (compare-and-delete).
_RELEASE = (
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
)


def scheduled_key(job_name: str, city_slug: str, slot: datetime) -> str:
    """The claim key of one scheduled slot of a job in a city."""
    return f"{job_name}|{city_slug}|{slot.astimezone(UTC).isoformat()}"


def once_key(token: str) -> str:
    """The claim key of one enqueued run."""
    return f"once|{token}"


class Claims:
    """Takes claims for one worker.

    Args:
        worker: This worker's id, stored on the run rows it claims.
        redis: An async Redis client, or ``None`` to claim through the database only.
        prefix: The instance's Redis key prefix; locks are ``<prefix>jobs:lock:<key>``.
        lease: The first lease of a claimed run (its worker renews it while running).
    """

    def __init__(
        self,
        worker: str,
        redis: Any = None,
        prefix: str = DEFAULT_REDIS_PREFIX,
        lease: timedelta = timedelta(minutes=2),
    ) -> None:
        self.worker = worker
        self.redis = redis
        self.lock_prefix = f"{prefix}jobs:lock:"
        self.lease = lease

    async def claim(
        self,
        *,
        key: str,
        job: str,
        city: str,
        kind: str,
        slot: datetime,
        ttl: timedelta,
    ) -> int | None:
        """Claim the run named ``key``; return the new run row's id, or ``None`` if taken.

        Args:
            key: The claim key (:func:`scheduled_key` or :func:`once_key`).
            job: The job's name.
            city: The city's slug.
            kind: ``scheduled`` or ``once``.
            slot: The scheduled time (the enqueue time for one-off runs), UTC.
            ttl: How long the Redis lock must outlive the slot.
        """
        if self.redis is not None:
            won = await self.redis.set(
                self.lock_prefix + key, self.worker, nx=True, px=int(ttl.total_seconds() * 1000)
            )
            if not won:
                return None
        now = datetime.now(UTC)
        row = JobRun(
            job=job,
            city=city,
            kind=kind,
            slot=slot,
            claim_key=key,
            status=RUNNING,
            worker=self.worker,
            started_at=now,
            lease_until=now + self.lease,
        )
        inserted = (
            await JobRun.insert(row)
            .on_conflict(target=JobRun.claim_key, action="DO NOTHING")
            .returning(JobRun.id)
        )
        return inserted[0]["id"] if inserted else None

    async def release(self, key: str) -> None:
        """Give up the Redis lock on ``key`` if this worker holds it (the runner frees the row)."""
        await self.release_for(key, self.worker)

    async def release_for(self, key: str, worker: str) -> None:
        """Give up the Redis lock on ``key`` if ``worker`` holds it (a dead worker's, too)."""
        if self.redis is not None:
            await self.redis.eval(_RELEASE, 1, self.lock_prefix + key, worker)
