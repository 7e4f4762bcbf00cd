"""Queues of one-off runs: Redis when ``REDIS_URL`` is set, the database otherwise.

Both hand each entry to one worker. The database queue moves a row from
``queued`` to ``running`` in a conditional ``UPDATE`` that only one worker's
statement can win. The Redis queue is a reliable list queue: ``LMOVE``
takes an entry atomically into the worker's own processing list, which is
emptied when the run is recorded; the processing lists of workers whose
heartbeat expired are moved back to the queue by :meth:`RedisQueue.recover`.
Taken rows of a worker that died are queued again by
:meth:`DatabaseQueue.recover` once their ``claimed_at`` (renewed while the
run goes on) is older than the lease. In both, the run row's unique claim
key (``once|<token>``) makes a run happen at most once at a time even if an
entry is delivered twice; a run whose worker died gives its key up when its
lease expires, and the job runs again (jobs are written to resume).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from balai.config import DEFAULT_REDIS_PREFIX, REDIS_SOCKET_TIMEOUT
from balai.jobs.claims import once_key
from balai.jobs.tables import DONE, FAILED, QUEUED, RUNNING, JobRun, QueuedJob

STALE_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class QueueEntry:
    """One enqueued run."""

    job: str
    city: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    token: str = field(default_factory=lambda: secrets.token_hex(16))
    enqueued_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    raw: Any = None  # the Redis list item, kept to acknowledge it

    def to_json(self) -> str:
        """The entry as stored in Redis."""
        return json.dumps(
            {
                "job": self.job,
                "city": self.city,
                "kwargs": self.kwargs,
                "token": self.token,
                "enqueued_at": self.enqueued_at.isoformat(),
            }
        )

    @classmethod
    def from_json(cls, raw: bytes | str) -> QueueEntry:
        """Read an entry stored by :meth:`to_json`."""
        data = json.loads(raw)
        return cls(
            job=data["job"],
            city=data["city"],
            kwargs=data.get("kwargs") or {},
            token=data["token"],
            enqueued_at=datetime.fromisoformat(data["enqueued_at"]),
            raw=raw,
        )


class JobQueue(Protocol):
    """What the runner needs from a queue."""

    async def push(self, entry: QueueEntry) -> None:
        """Add ``entry``."""

    async def take(self, limit: int) -> list[QueueEntry]:
        """Hand up to ``limit`` entries to this worker (never to another)."""

    async def finish(self, entry: QueueEntry, ok: bool) -> None:
        """Acknowledge an entry taken by :meth:`take`."""

    async def renew(self) -> None:
        """Say this worker is alive: the entries it holds stay its own."""

    async def recover(self) -> int:
        """Hand back entries that dead workers took; return how many."""

    async def release(self, entry: QueueEntry) -> None:
        """Put an entry this worker took back in the queue (its run was stopped)."""

    async def hand_back(self) -> int:
        """Put every entry this worker still holds back in the queue (at shut-down)."""


class DatabaseQueue:
    """The queue in table ``balai_jobs_queue``, polled by the runner."""

    def __init__(self, worker: str, stale_after: timedelta = STALE_AFTER) -> None:
        self.worker = worker
        self.stale_after = stale_after

    async def push(self, entry: QueueEntry) -> None:
        """Insert the entry's row (inside the caller's transaction, if one is open)."""
        await QueuedJob.insert(
            QueuedJob(
                token=entry.token,
                job=entry.job,
                city=entry.city,
                kwargs=json.dumps(entry.kwargs),
                status=QUEUED,
                enqueued_at=entry.enqueued_at,
            )
        )

    async def take(self, limit: int) -> list[QueueEntry]:
        """Take the oldest queued rows one by one with a conditional update."""
        waiting = (
            await QueuedJob.select(QueuedJob.id)
            .where(QueuedJob.status == QUEUED)
            .order_by(QueuedJob.id)
            .limit(limit)
        )
        taken: list[QueueEntry] = []
        for row in waiting:
            won = (
                await QueuedJob.update(
                    {
                        QueuedJob.status: RUNNING,
                        QueuedJob.claimed_by: self.worker,
                        QueuedJob.claimed_at: datetime.now(UTC),
                        QueuedJob.attempts: QueuedJob.attempts + 1,
                    }
                )
                .where((QueuedJob.id == row["id"]) & (QueuedJob.status == QUEUED))
                .returning(
                    QueuedJob.token,
                    QueuedJob.job,
                    QueuedJob.city,
                    QueuedJob.kwargs,
                    QueuedJob.enqueued_at,
                )
            )
            for got in won:
                taken.append(
                    QueueEntry(
                        job=got["job"],
                        city=got["city"],
                        kwargs=json.loads(got["kwargs"] or "{}"),
                        token=got["token"],
                        enqueued_at=got["enqueued_at"],
                    )
                )
        return taken

    async def finish(self, entry: QueueEntry, ok: bool) -> None:
        """Mark the row done or failed."""
        await QueuedJob.update({QueuedJob.status: DONE if ok else FAILED}).where(
            QueuedJob.token == entry.token
        )

    async def renew(self) -> None:
        """Move ``claimed_at`` of this worker's rows on: :meth:`recover` leaves them alone."""
        await QueuedJob.update({QueuedJob.claimed_at: datetime.now(UTC)}).where(
            (QueuedJob.status == RUNNING) & (QueuedJob.claimed_by == self.worker)
        )

    async def release(self, entry: QueueEntry) -> None:
        """Queue the entry's row again (it was taken by this worker)."""
        await QueuedJob.update({QueuedJob.status: QUEUED, QueuedJob.claimed_by: ""}).where(
            (QueuedJob.token == entry.token)
            & (QueuedJob.status == RUNNING)
            & (QueuedJob.claimed_by == self.worker)
        )

    async def hand_back(self) -> int:
        """Queue again the rows this worker took and did not finish; return how many."""
        back = (
            await QueuedJob.update({QueuedJob.status: QUEUED, QueuedJob.claimed_by: ""})
            .where((QueuedJob.status == RUNNING) & (QueuedJob.claimed_by == self.worker))
            .returning(QueuedJob.id)
        )
        return len(back)

    async def recover(self, stale_after: timedelta | None = None) -> int:
        """Queue again the rows of workers that stopped renewing them; return how many.

        A row stays ``running`` when its worker died. If its run is still
        claimed (a run row with its key exists: finished, or running under a
        live lease), it is left alone (at most once); the run of a dead
        worker gives up its key when its lease expires
        (:meth:`balai.jobs.runner.JobRunner.expire_dead_runs`), and the row
        is queued again here.
        """
        cutoff = datetime.now(UTC) - (stale_after or self.stale_after)
        stale = await QueuedJob.select(QueuedJob.id, QueuedJob.token).where(
            (QueuedJob.status == RUNNING) & (QueuedJob.claimed_at < cutoff)
        )
        if not stale:
            return 0
        keys = [once_key(row["token"]) for row in stale]
        started = {
            r["claim_key"]
            for r in await JobRun.select(JobRun.claim_key).where(JobRun.claim_key.is_in(keys))
        }
        moved = 0
        for row in stale:
            if once_key(row["token"]) in started:
                continue
            back = (
                await QueuedJob.update({QueuedJob.status: QUEUED, QueuedJob.claimed_by: ""})
                .where((QueuedJob.id == row["id"]) & (QueuedJob.status == RUNNING))
                .returning(QueuedJob.id)
            )
            moved += len(back)
        return moved


# How much sooner than the client's read timeout a blocking wait ends on the server.
_BLOCK_MARGIN = 2.0


def longest_block(wait_seconds: float) -> float:
    """``wait_seconds``, shortened so that Redis answers before the client stops reading.

    A blocking ``BLMOVE`` longer than the connection's socket timeout
    (:data:`balai.config.REDIS_SOCKET_TIMEOUT`) would end in a client-side
    ``TimeoutError`` on every quiet pass of the job runner.
    """
    return min(wait_seconds, REDIS_SOCKET_TIMEOUT - _BLOCK_MARGIN)


class RedisQueue:
    """A reliable list queue in Redis (``LPUSH`` + ``LMOVE`` into a processing list).

    Its keys start with the instance's Redis key prefix (default ``balai:``):
    ``<prefix>jobs:queue``, ``<prefix>jobs:processing:<worker>`` and the
    heartbeats ``<prefix>jobs:worker:<worker>``.
    """

    def __init__(
        self,
        redis: Any,
        worker: str,
        *,
        heartbeat_ms: int = 60_000,
        prefix: str = DEFAULT_REDIS_PREFIX,
    ) -> None:
        self.redis = redis
        self.worker = worker
        self.queue_key = f"{prefix}jobs:queue"
        self.processing_prefix = f"{prefix}jobs:processing:"
        self.heartbeat_prefix = f"{prefix}jobs:worker:"
        self.processing = self.processing_prefix + worker
        self.heartbeat_ms = heartbeat_ms

    async def push(self, entry: QueueEntry) -> None:
        """Add the entry at the head of the queue."""
        await self.redis.lpush(self.queue_key, entry.to_json())

    async def beat(self) -> None:
        """Say this worker is alive (its processing list is not to be recovered)."""
        await self.redis.set(self.heartbeat_prefix + self.worker, "1", px=self.heartbeat_ms)

    async def take(self, limit: int, *, wait_seconds: float = 0) -> list[QueueEntry]:
        """Move up to ``limit`` entries from the tail of the queue into this worker's list.

        Args:
            limit: At most this many entries.
            wait_seconds: Block up to this long for the first entry (0: do not block).
        """
        await self.beat()
        taken: list[QueueEntry] = []
        while len(taken) < limit:
            if wait_seconds and not taken:
                raw = await self.redis.blmove(
                    self.queue_key, self.processing, longest_block(wait_seconds), "RIGHT", "LEFT"
                )
            else:
                raw = await self.redis.lmove(self.queue_key, self.processing, "RIGHT", "LEFT")
            if raw is None:
                break
            taken.append(QueueEntry.from_json(raw))
        return taken

    async def finish(self, entry: QueueEntry, ok: bool) -> None:
        """Drop the entry from this worker's processing list (the run row keeps the outcome)."""
        await self.redis.lrem(self.processing, 1, entry.raw)

    async def renew(self) -> None:
        """Renew this worker's heartbeat (its processing list stays its own)."""
        await self.beat()

    async def release(self, entry: QueueEntry) -> None:
        """Move the entry from this worker's list back to the end taken next."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.lrem(self.processing, 1, entry.raw)
            pipe.rpush(self.queue_key, entry.raw)
            removed, _ = await pipe.execute()
        if not removed:  # not ours any more (recovered meanwhile): undo the push
            await self.redis.lrem(self.queue_key, -1, entry.raw)

    async def hand_back(self) -> int:
        """Move everything left in this worker's list back to the queue, oldest taken next."""
        moved = 0
        while await self.redis.lmove(self.processing, self.queue_key, "LEFT", "RIGHT") is not None:
            moved += 1
        await self.redis.delete(self.heartbeat_prefix + self.worker)
        return moved

    async def recover(self) -> int:
        """Put back the entries of workers whose heartbeat expired; return how many."""
        moved = 0
        async for key in self.redis.scan_iter(match=self.processing_prefix + "*"):
            name = key.decode() if isinstance(key, bytes) else key
            worker = name[len(self.processing_prefix) :]
            if worker == self.worker or await self.redis.exists(self.heartbeat_prefix + worker):
                continue
            while await self.redis.lmove(name, self.queue_key, "RIGHT", "RIGHT") is not None:
                moved += 1
        return moved
