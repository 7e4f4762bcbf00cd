"""The in-process job runner: due slots and queued runs, once across workers.

Every worker process runs one :class:`JobRunner` task (started by the
application's start-up when ``[instance] run_jobs`` is true). Each tick it
computes, for every city and every job that city runs, the current slot
(:mod:`balai.jobs.slots`); a slot with no run yet is claimed
(:mod:`balai.jobs.claims`) and, when the claim is won, run inside
``city_scope(city)``. Then it takes one-off runs from the queue. A job that
raises is recorded as ``failed`` with its error and is tried again at its next
slot; it never stops the other jobs or the runner.

A slot missed while no worker was up is run once when a worker next ticks
(the latest slot only: no back-filling of older ones).

A worker can die without stopping (kill -9, a lost host). While a run goes
on, its worker renews the run's lease (``lease_until``, every third of
``[instance] job_lease_seconds``) and its hold on the queue entry. Each pass,
every runner looks for ``running`` runs whose lease has passed
(:meth:`JobRunner.expire_dead_runs`): it records them ``stopped``, frees
their claim key and Redis lock, and the queue hands their entries out again,
so the job runs again, from the start of its slot or entry. Jobs are
written to resume: the importer applies only the rows still pending, the
PBB assessment continues after its cursor and never bills a NOP twice.

Stopping (the application's shut-down) is prompt and loses nothing: the run
in progress is cancelled and recorded as ``stopped``, and its claim is
released (the run row gives up its claim key, the Redis lock is deleted), so
the same slot can be claimed again; one-off entries this worker took are
handed back to the queue. Another worker (or this one's successor) then runs
them. A job that does not end within the grace period once cancelled is left
behind, its claim released all the same.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from balai.config import DEFAULT_REDIS_PREFIX
from balai.jobs.catalog import DeclaredJob, JobCatalog, UnknownJobError
from balai.jobs.claims import Claims, once_key, scheduled_key
from balai.jobs.queue import DatabaseQueue, JobQueue, QueueEntry, RedisQueue
from balai.jobs.slots import current_slot, slot_ttl
from balai.jobs.tables import FAILED, OK, ONCE, RUNNING, SCHEDULED, STOPPED, JobRun
from balai.jobs.types import JobContext
from balai.tenants import City, city_scope

log = logging.getLogger("balai.jobs")
ERROR_LIMIT = 4000
ONCE_TTL = timedelta(days=2)
CLEANUP_SECONDS = 5.0
STOPPED_ERROR = "stopped: the worker shut down during the run; released for another worker"
EXPIRED_ERROR = "stopped: the worker stopped renewing its lease (it died); released for another"
DEFAULT_LEASE = timedelta(minutes=2)


def new_worker_id() -> str:
    """A worker id: host, process and a random part (unique per runner)."""
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{secrets.token_hex(3)}"


def utc_now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class RunResult:
    """What became of one run this worker performed."""

    job: str
    city: str
    slot: datetime
    status: str
    error: str = ""
    run_id: int | None = None


def describe_error(exc: BaseException) -> str:
    """The error text stored on a failed run: the exception first, then its last frames."""
    head = f"{type(exc).__name__}: {exc}"
    frames = "".join(traceback.format_tb(exc.__traceback__, limit=-3)).rstrip()
    text = f"{head}\n{frames}" if frames else head
    return text if len(text) <= ERROR_LIMIT else text[: ERROR_LIMIT - 1] + "…"


class JobRunner:
    """Runs due and queued jobs for the cities of one instance.

    Args:
        catalog: The declared jobs.
        cities: The instance's cities by slug.
        redis: An async Redis client; with one, locks and the queue live in Redis.
        redis_prefix: The start of every Redis key the runner writes.
        worker: This runner's id (default: host-pid-random).
        tick: Seconds between scheduling passes.
        clock: Returns the current aware time (tests pass a fixed one).
        app: The litestar application, handed to jobs that take a
            :class:`~balai.jobs.types.JobContext`.
        grace: Seconds :meth:`stop` waits for a cancelled run to end.
        lease: How long a run stays with this worker without a renewal;
            renewed every third of it while the run goes on.
    """

    def __init__(
        self,
        catalog: JobCatalog,
        cities: dict[str, City],
        *,
        redis: Any = None,
        redis_prefix: str = DEFAULT_REDIS_PREFIX,
        worker: str | None = None,
        tick: float = 15.0,
        clock: Callable[[], datetime] = utc_now,
        app: Any = None,
        grace: float = 10.0,
        lease: timedelta = DEFAULT_LEASE,
    ) -> None:
        self.catalog = catalog
        self.cities = cities
        self.redis = redis
        self.worker = worker or new_worker_id()
        self.tick = tick
        self.clock = clock
        self.app = app
        self.grace = grace
        self.lease = lease
        self.claims = Claims(self.worker, redis, redis_prefix, lease)
        self.queue: JobQueue = (
            RedisQueue(
                redis,
                self.worker,
                heartbeat_ms=int(lease.total_seconds() * 1000),
                prefix=redis_prefix,
            )
            if redis is not None
            else DatabaseQueue(self.worker, stale_after=lease)
        )
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        # Runs in progress: run id -> (claim key, queue entry of a one-off run).
        self._current: dict[int, tuple[str, QueueEntry | None]] = {}
        # The last slot this runner claimed or saw taken, per (job, city): no
        # need to ask the database (or Redis) again every tick.
        self._decided: dict[tuple[str, str], datetime] = {}

    # --- one pass -------------------------------------------------------

    async def run_due(self, now: datetime | None = None) -> list[RunResult]:
        """Claim and run every slot due at ``now`` that no worker ran yet.

        Returns:
            The runs this worker performed (not those another worker had).
        """
        now = now or self.clock()
        results: list[RunResult] = []
        for city in self.cities.values():
            for item in self.catalog.for_city(city):
                if self._stopping:
                    return results
                slot = current_slot(item.job, city.tz, now)
                if slot is None or self._decided.get((item.name, city.slug)) == slot:
                    continue  # on demand only, or this worker already tried this slot
                key = scheduled_key(item.name, city.slug, slot)
                run_id = await self.claims.claim(
                    key=key,
                    job=item.name,
                    city=city.slug,
                    kind=SCHEDULED,
                    slot=slot,
                    ttl=slot_ttl(item.job),
                )
                self._decided[(item.name, city.slug)] = slot
                if run_id is not None:
                    results.append(await self._perform(item, city, slot, run_id, {}, key))
        return results

    async def run_queued(self, limit: int = 20, *, wait_seconds: float = 0) -> list[RunResult]:
        """Take up to ``limit`` one-off runs from the queue and perform them."""
        if isinstance(self.queue, RedisQueue):
            entries = await self.queue.take(limit, wait_seconds=wait_seconds)
        else:
            entries = await self.queue.take(limit)
        results: list[RunResult] = []
        for entry in entries:
            if self._stopping:
                break  # the rest goes back to the queue when the runner stops
            result = await self._run_entry(entry)
            await self.queue.finish(entry, result is not None and result.status == OK)
            if result is not None:
                results.append(result)
        return results

    async def _run_entry(self, entry: QueueEntry) -> RunResult | None:
        city = self.cities.get(entry.city)
        try:
            if city is None:
                raise UnknownJobError(f"no city {entry.city!r} in this instance")
            item = self.catalog.get(entry.job, city)
        except UnknownJobError as exc:
            log.error("queued run %s dropped: %s", entry.token, exc)
            return RunResult(entry.job, entry.city, entry.enqueued_at, FAILED, str(exc))
        key = once_key(entry.token)
        run_id = await self.claims.claim(
            key=key,
            job=item.name,
            city=city.slug,
            kind=ONCE,
            slot=entry.enqueued_at,
            ttl=ONCE_TTL,
        )
        if run_id is None:
            if await self._held_by_live_run(key):
                await self.queue.release(entry)  # recovered early; ask again next pass
            return None  # else delivered twice; the first delivery ran it
        return await self._perform(item, city, entry.enqueued_at, run_id, entry.kwargs, key, entry)

    async def _held_by_live_run(self, key: str) -> bool:
        """Whether the run holding ``key`` is still going under a live lease."""
        run = (
            await JobRun.select(JobRun.status, JobRun.lease_until)
            .where(JobRun.claim_key == key)
            .first()
        )
        if run is None or run["status"] != RUNNING:
            return False
        return run["lease_until"] is None or run["lease_until"] >= utc_now()

    async def expire_dead_runs(self) -> int:
        """Free the runs of workers that died mid-run; return how many.

        A ``running`` run whose lease has passed is recorded ``stopped``
        (with :data:`EXPIRED_ERROR`) under a claim key of its own, and its
        Redis lock is deleted: its slot can be claimed again at once (this
        runner forgets it decided the slot), and its one-off queue entry is
        handed out again by the queue's ``recover``.
        """
        now = utc_now()  # leases are real time, whatever the scheduling clock says
        dead = await JobRun.select(
            JobRun.id, JobRun.job, JobRun.city, JobRun.claim_key, JobRun.worker
        ).where((JobRun.status == RUNNING) & (JobRun.lease_until < now))
        freed = 0
        for run in dead:
            won = (
                await JobRun.update(
                    {
                        JobRun.status: STOPPED,
                        JobRun.error: EXPIRED_ERROR,
                        JobRun.finished_at: now,
                        JobRun.claim_key: f"{STOPPED}|{run['id']}",
                    }
                )
                .where(
                    (JobRun.id == run["id"])
                    & (JobRun.status == RUNNING)
                    & (JobRun.lease_until < now)
                )
                .returning(JobRun.id)
            )
            if not won:
                continue  # renewed meanwhile, or another runner freed it
            freed += 1
            log.warning(
                "run %s of %s for %s lost its worker %s; released",
                run["id"],
                run["job"],
                run["city"],
                run["worker"],
            )
            await self.claims.release_for(run["claim_key"], run["worker"])
            self._decided.pop((run["job"], run["city"]), None)
        return freed

    async def run_now(self, name: str, city: City, **kwargs: Any) -> RunResult:
        """Run job ``name`` for ``city`` at once, recorded as a one-off run (``balai jobs run``).

        Raises:
            UnknownJobError: no such job in ``city``.
        """
        item = self.catalog.get(name, city)
        entry = QueueEntry(job=name, city=city.slug, kwargs=kwargs)
        key = once_key(entry.token)
        run_id = await self.claims.claim(
            key=key,
            job=name,
            city=city.slug,
            kind=ONCE,
            slot=entry.enqueued_at,
            ttl=ONCE_TTL,
        )
        assert run_id is not None, "a fresh token cannot be taken"
        return await self._perform(item, city, entry.enqueued_at, run_id, kwargs, key)

    def context_for(self, item: DeclaredJob, city: City, run_id: int) -> JobContext:
        """The :class:`~balai.jobs.types.JobContext` of one run."""
        return JobContext(city=city, job=item.name, run_id=run_id, worker=self.worker, app=self.app)

    async def _perform(
        self,
        item: DeclaredJob,
        city: City,
        slot: datetime,
        run_id: int,
        kwargs: dict[str, Any],
        key: str,
        entry: QueueEntry | None = None,
    ) -> RunResult:
        status, error = OK, ""
        if item.takes_context:
            kwargs = {**kwargs, "context": self.context_for(item, city, run_id)}
        self._current[run_id] = (key, entry)
        keeper = asyncio.get_running_loop().create_task(
            self._keep_lease(run_id), name=f"balai-jobs-lease-{run_id}"
        )
        try:
            with city_scope(city):
                await asyncio.wait_for(
                    item.job.run(city, **kwargs), item.job.timeout.total_seconds()
                )
        except TimeoutError:
            status, error = (
                FAILED,
                f"TimeoutError: still running after {item.job.timeout}; cancelled",
            )
            log.error("job %s timed out for %s (slot %s)", item.name, city.slug, slot.isoformat())
        except asyncio.CancelledError:
            log.warning("job %s for %s stopped mid-run; released", item.name, city.slug)
            await self._release_bounded(run_id)
            raise
        except Exception as exc:  # one failing job must not stop the others
            status, error = FAILED, describe_error(exc)
            log.exception("job %s failed for %s (slot %s)", item.name, city.slug, slot.isoformat())
        finally:
            keeper.cancel()
        self._current.pop(run_id, None)
        await self._record(run_id, status, error)
        return RunResult(item.name, city.slug, slot, status, error, run_id)

    async def _keep_lease(self, run_id: int) -> None:
        """Renew the run's lease (and this worker's queue entries) every third of the lease."""
        every = self.lease.total_seconds() / 3
        while True:
            await asyncio.sleep(every)
            try:
                await JobRun.update({JobRun.lease_until: utc_now() + self.lease}).where(
                    (JobRun.id == run_id) & (JobRun.status == RUNNING)
                )
                await self.queue.renew()
            except Exception:  # the database or Redis hiccuped: try again next time
                log.exception("could not renew the lease of run %s", run_id)

    async def _record(self, run_id: int, status: str, error: str) -> None:
        # Only a run still ``running``: one released at shut-down keeps ``stopped``.
        await JobRun.update(
            {JobRun.status: status, JobRun.error: error, JobRun.finished_at: utc_now()}
        ).where((JobRun.id == run_id) & (JobRun.status == RUNNING))

    async def _release_bounded(self, run_id: int) -> None:
        """Release a run in progress (see :meth:`_release`), giving up after a few seconds."""
        claimed = self._current.pop(run_id, None)
        if claimed is None:
            return
        try:
            await asyncio.wait_for(self._release(run_id, *claimed), CLEANUP_SECONDS)
        except Exception:  # the database or Redis is gone: the claim expires the slow way
            log.exception("could not release run %s of worker %s", run_id, self.worker)

    async def _release(self, run_id: int, key: str, entry: QueueEntry | None) -> None:
        """Record the run as ``stopped`` and free its claim, so that another worker can run it.

        The run row keeps its history under a claim key of its own
        (``stopped|<id>``); the slot's key, the Redis lock and a one-off run's
        queue entry become available again.
        """
        await JobRun.update(
            {
                JobRun.status: STOPPED,
                JobRun.error: STOPPED_ERROR,
                JobRun.finished_at: utc_now(),
                JobRun.claim_key: f"{STOPPED}|{run_id}",
            }
        ).where((JobRun.id == run_id) & (JobRun.status == RUNNING))
        await self.claims.release(key)
        if entry is not None:
            await self.queue.release(entry)

    # --- the background task --------------------------------------------

    def start(self) -> None:
        """Start the runner's task on the running event loop."""
        if self._task is None or self._task.done():
            self._stopping = False
            self._task = asyncio.get_running_loop().create_task(
                self._loop(), name=f"balai-jobs-{self.worker}"
            )

    @property
    def running(self) -> bool:
        """Whether the background task is running."""
        return self._task is not None and not self._task.done()

    async def stop(self, grace: float | None = None) -> None:
        """Stop the task; what it was doing is left for another worker.

        A run in progress is cancelled, recorded as ``stopped`` and its claim
        released; queue entries this worker took and did not finish go back
        to the queue. Waits up to ``grace`` seconds (default: the runner's
        ``grace``) for the task to end; a job that ignores its cancellation
        is left behind with an error in the log, its claim released, rather
        than holding up the application's shut-down.
        """
        grace = self.grace if grace is None else grace
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping = True
        task.cancel()
        done, _ = await asyncio.wait({task}, timeout=grace)
        if not done:
            log.error("job runner %s did not stop within %s s", self.worker, grace)
            for run_id in list(self._current):
                await self._release_bounded(run_id)
            return
        try:
            await asyncio.wait_for(self.queue.hand_back(), CLEANUP_SECONDS)
        except Exception:  # the entries come back through recover() after a while
            log.exception("job runner %s could not hand its queue entries back", self.worker)
        with contextlib.suppress(asyncio.CancelledError):
            task.result()

    async def _loop(self) -> None:
        log.info("job runner %s started", self.worker)
        while not self._stopping:
            try:
                await self.expire_dead_runs()
                await self.run_due()
                await self.queue.recover()
                if isinstance(self.queue, RedisQueue):
                    await self.run_queued(wait_seconds=self.tick)
                    continue
                await self.run_queued()
            except asyncio.CancelledError:
                raise
            except Exception:  # the database or Redis was unreachable: try again next tick
                if self._stopping:
                    return
                log.exception("job runner pass failed; retrying in %s s", self.tick)
            await asyncio.sleep(self.tick)
