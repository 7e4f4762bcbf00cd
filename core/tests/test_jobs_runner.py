"""The job runner: each due slot once across workers, failures recorded, one-off queue."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from balai import core_plugin
from balai.builtins import builtin_plugins
from balai.db.engines import KeptSQLiteEngine, close_engine
from balai.hookimpl import hookimpl
from balai.jobs.catalog import JobCatalog, UnknownJobError
from balai.jobs.runner import JobRunner
from balai.jobs.service import JobService, enqueue
from balai.jobs.tables import FAILED, OK, JobRun, QueuedJob
from balai.jobs.types import Job
from balai.plugins import CORE, PluginError, PluginRegistry
from balai.tenants import current_city
from balai.testing import TEST_SECRET_KEY, run_redis_prefix, write_config
from balai.types import Dimension, PluginInfo
from balai.web.app import StartupError, create_app

SLUG = "ronda"
NOW = datetime(2026, 8, 17, 3, 7, 42, tzinfo=UTC)


class Ronda:
    """A test plugin with an every-minute job, a daily job, a failing job and an on-demand one."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, dict[str, Any]]] = []
        self.fail = True

    @hookimpl
    def plugin_info(self):
        return PluginInfo(
            slug=SLUG, title="Night watch", dimension=Dimension.SOCIETY, version="1.0"
        )

    @hookimpl
    def scheduled_jobs(self):
        async def patrol(city, **kwargs):
            await asyncio.sleep(0)  # let a racing runner interleave
            self.calls.append(("patrol", current_city().slug, kwargs))

        async def report(city, **kwargs):
            self.calls.append(("report", city.slug, kwargs))

        async def broken(city, **kwargs):
            if self.fail:
                raise RuntimeError("the lantern is out")
            self.calls.append(("broken", city.slug, kwargs))

        async def wake(city, **kwargs):
            self.calls.append(("wake", current_city().slug, kwargs))

        return [
            Job("ronda.patrol", patrol, every=timedelta(minutes=1), description="Walk the block."),
            Job("ronda.report", report, daily_at=datetime.min.time(), description="Daily report."),
            Job("ronda.broken", broken, every=timedelta(minutes=1), description="Always fails."),
            Job("ronda.wake", wake, description="Wake the guard."),
        ]

    def count(self, what: str, city: str | None = None) -> int:
        return sum(1 for w, c, _ in self.calls if w == what and (city is None or c == city))


def ronda_registry(plugin: Ronda) -> PluginRegistry:
    """The built-in services plus the test plugin."""
    registry = PluginRegistry()
    for slug, obj in builtin_plugins().items():
        registry.register(obj, slug)
    registry.register(plugin, SLUG)
    return registry


@pytest.fixture
def ronda() -> Ronda:
    return Ronda()


@pytest.fixture
def jobs_app(balai_app_factory, ronda, tmp_path):
    """Malang enables ``ronda``, Semarang does not; no Redis even if the run has one."""
    config = write_config(
        tmp_path / "jobs",
        {"malang": [SLUG], "semarang": []},
        environ={"BALAI_SECRET_KEY": TEST_SECRET_KEY},
    )
    return balai_app_factory(config, registry=ronda_registry(ronda))


def on_loop(app: Any, fn: Any) -> Any:
    """Run ``fn()`` on a fresh loop with the app's database open, then close it."""

    async def main() -> Any:
        await app.ui.database.open()
        try:
            return await fn()
        finally:
            await app.ui.database.close()
            if isinstance(app.ui.database.engine, KeptSQLiteEngine):
                await close_engine(app.ui.database.engine)

    return asyncio.run(main())


def runner_for(app: Any, **kwargs: Any) -> JobRunner:
    kwargs.setdefault("redis_prefix", run_redis_prefix())
    return JobRunner(app.ui.jobs.catalog, app.ui.config.cities, **kwargs)


async def runs(**where: str) -> list[dict]:
    query = JobRun.select().order_by(JobRun.id)
    for key, value in where.items():
        query = query.where(getattr(JobRun, key) == value)
    return await query


# --- declarations ------------------------------------------------------------------


def test_jobs_run_only_in_cities_that_enable_their_plugin(jobs_app):
    catalog = jobs_app.ui.jobs.catalog
    cities = jobs_app.ui.config.cities
    malang = [j.name for j in catalog.for_city(cities["malang"])]
    semarang = [j.name for j in catalog.for_city(cities["semarang"])]
    assert {"ronda.patrol", "ronda.report", "jobs.prune_history"} <= set(malang)
    assert "jobs.prune_history" in semarang
    assert not [n for n in semarang if n.startswith("ronda.")]
    with pytest.raises(UnknownJobError):
        catalog.get("ronda.patrol", cities["semarang"])
    with pytest.raises(UnknownJobError):
        catalog.get("ronda.nothing", cities["malang"])


def test_a_job_outside_the_plugins_namespace_stops_startup(tmp_path):
    class Nakal(Ronda):
        @hookimpl
        def scheduled_jobs(self):
            return [Job("pajak.steal", _noop, every=timedelta(minutes=1))]

    config = write_config(tmp_path, {"malang": [SLUG]})
    with pytest.raises(StartupError, match=r"must be named 'ronda\.<what>'"):
        create_app(config, registry=ronda_registry(Nakal()))


def test_an_invalid_job_names_its_plugin():
    class Salah(Ronda):
        @hookimpl
        def scheduled_jobs(self):
            return [Job("ronda.fast", _noop, every=timedelta(seconds=1))]

    with pytest.raises(PluginError, match="ronda"):
        JobCatalog.from_registry(ronda_registry(Salah()))


def test_async_declarations_are_refused():
    class Async(Ronda):
        @hookimpl
        async def scheduled_jobs(self):
            return []

    with pytest.raises(PluginError, match="plain function"):
        JobCatalog.from_registry(ronda_registry(Async()))


async def _noop(city, **kwargs):
    return None


# --- scheduled runs ----------------------------------------------------------------


def test_a_due_slot_runs_once_and_is_recorded(jobs_app, ronda):
    runner = runner_for(jobs_app, worker="w1")

    async def scenario():
        first = await runner.run_due(NOW)
        again = await runner.run_due(NOW + timedelta(seconds=10))  # same minute: same slot
        return first, again, await runs(job="ronda.patrol")

    first, again, rows = on_loop(jobs_app, scenario)
    assert ronda.count("patrol") == 1
    assert ronda.calls[0][1] == "malang"  # ran inside the city's scope
    assert again == []
    assert len(rows) == 1
    row = rows[0]
    assert (row["city"], row["status"], row["worker"], row["kind"]) == (
        "malang",
        OK,
        "w1",
        "scheduled",
    )
    assert row["slot"] == datetime(2026, 8, 17, 3, 7, tzinfo=UTC)
    assert row["finished_at"] is not None
    # Built-in jobs run in every city, the plugin's only in Malang.
    done = {(r.job, r.city) for r in first}
    assert ("jobs.prune_history", "semarang") in done
    assert ("ronda.patrol", "semarang") not in done


def test_the_next_slot_runs_again(jobs_app, ronda):
    runner = runner_for(jobs_app)

    async def scenario():
        await runner.run_due(NOW)
        await runner.run_due(NOW + timedelta(minutes=1))
        await runner.run_due(NOW + timedelta(minutes=1, seconds=10))  # still 03:08

    on_loop(jobs_app, scenario)
    assert ronda.count("patrol") == 2
    assert ronda.count("report") == 1  # the daily slot did not change


def test_a_failure_is_recorded_and_does_not_stop_the_others(jobs_app, ronda):
    runner = runner_for(jobs_app)

    async def scenario():
        results = await runner.run_due(NOW)
        ronda.fail = False
        await runner.run_due(NOW + timedelta(minutes=1))  # retried at the next slot
        return results, await runs(job="ronda.broken")

    results, rows = on_loop(jobs_app, scenario)
    failed = [r for r in results if r.status == FAILED and r.job.startswith("ronda.")]
    assert [r.job for r in failed] == ["ronda.broken"]
    assert "RuntimeError: the lantern is out" in failed[0].error
    assert ronda.count("patrol") == 2 and ronda.count("report") == 1
    assert [r["status"] for r in rows] == [FAILED, OK]
    assert "the lantern is out" in rows[0]["error"]
    assert rows[1]["error"] == ""


def _race(app: Any, ronda: Ronda, make_runner: Any, rounds: int = 3) -> list[dict]:
    async def scenario():
        runners = [make_runner(f"w{i}") for i in range(4)]
        for n in range(rounds):
            now = NOW + timedelta(minutes=n)
            await asyncio.gather(*(r.run_due(now) for r in runners))
        return await runs(job="ronda.patrol")

    return on_loop(app, scenario)


def test_racing_runners_run_each_slot_once(jobs_app, ronda):
    rows = _race(jobs_app, ronda, lambda w: runner_for(jobs_app, worker=w))
    assert ronda.count("patrol") == 3
    assert len(rows) == 3
    assert len({r["slot"] for r in rows}) == 3


def test_racing_runners_on_postgres(postgres_url, balai_app_factory, ronda):
    app = balai_app_factory(
        cities={"malang": [SLUG], "semarang": []}, registry=ronda_registry(ronda)
    )
    assert not app.ui.database.is_sqlite
    rows = _race(app, ronda, lambda w: runner_for(app, worker=w))
    assert ronda.count("patrol") == 3 and len(rows) == 3


def test_racing_runners_with_redis_locks(redis_url, jobs_app, ronda):
    from redis.asyncio import Redis

    clients: list[Any] = []

    def make(worker: str) -> JobRunner:
        client = Redis.from_url(redis_url)
        clients.append(client)
        return runner_for(jobs_app, worker=worker, redis=client)

    rows = _race(jobs_app, ronda, make)
    assert ronda.count("patrol") == 3 and len(rows) == 3

    async def locks():
        client = Redis.from_url(redis_url)
        try:
            return [
                k
                async for k in client.scan_iter(
                    match=f"{run_redis_prefix()}jobs:lock:ronda.patrol|*"
                )
            ]
        finally:
            await client.aclose()

    assert len(asyncio.run(locks())) == 3


# --- one-off runs ------------------------------------------------------------------


def test_enqueue_runs_once_with_its_arguments_from_the_database_queue(jobs_app, ronda):
    malang = jobs_app.ui.config.cities["malang"]
    runner = runner_for(jobs_app, worker="w1")
    other = runner_for(jobs_app, worker="w2")

    async def scenario():
        token = await enqueue("ronda.wake", malang, guard_id=7)
        queued = await QueuedJob.select().where(QueuedJob.token == token).first()
        done = await asyncio.gather(runner.run_queued(), other.run_queued())
        later = await runner.run_queued()
        row = await QueuedJob.select().where(QueuedJob.token == token).first()
        return queued, done, later, row, await runs(job="ronda.wake")

    queued, done, later, row, rows = on_loop(jobs_app, scenario)
    assert queued["status"] == "queued"
    assert ronda.calls == [("wake", "malang", {"guard_id": 7})]
    assert sum(len(d) for d in done) == 1 and later == []
    assert row["status"] == "done" and row["attempts"] == 1
    assert [(r["kind"], r["status"]) for r in rows] == [("once", OK)]


def test_enqueue_refuses_unknown_jobs_other_cities_and_odd_arguments(jobs_app):
    cities = jobs_app.ui.config.cities

    async def scenario():
        with pytest.raises(UnknownJobError):
            await enqueue("ronda.wake", cities["semarang"])
        with pytest.raises(UnknownJobError):
            await enqueue("ronda.sleep", cities["malang"])
        with pytest.raises(TypeError, match="JSON"):
            await enqueue("ronda.wake", cities["malang"], when=datetime.now(UTC))
        return await QueuedJob.count()

    assert on_loop(jobs_app, scenario) == 0


def test_enqueue_through_redis(redis_url, balai_app_factory, ronda, tmp_path):
    config = write_config(
        tmp_path / "jobs",
        {"malang": [SLUG], "semarang": []},
        environ={
            "BALAI_SECRET_KEY": TEST_SECRET_KEY,
            "REDIS_URL": redis_url,
            "REDIS_KEY_PREFIX": run_redis_prefix(),
        },
    )
    app = balai_app_factory(config, registry=ronda_registry(ronda))
    assert app.ui.redis is not None
    malang = app.ui.config.cities["malang"]
    from redis.asyncio import Redis

    async def scenario():
        second = runner_for(app, redis=Redis.from_url(redis_url))
        await enqueue("ronda.wake", malang, n=1)
        await enqueue("ronda.wake", malang, n=2)
        in_db = await QueuedJob.count()
        done = await asyncio.gather(app.ui.jobs.runner.run_queued(), second.run_queued())
        left = await app.ui.redis.llen(f"{run_redis_prefix()}jobs:queue")
        processing = await app.ui.redis.llen(f"{run_redis_prefix()}jobs:processing:{second.worker}")
        await second.redis.aclose()
        await app.ui.redis.aclose()
        return in_db, done, left, processing

    in_db, done, left, processing = on_loop(app, scenario)
    assert in_db == 0  # the queue lives in Redis
    assert sorted(k["n"] for _, _, k in ronda.calls) == [1, 2]
    assert sum(len(d) for d in done) == 2
    assert left == 0 and processing == 0


def test_entries_of_a_dead_worker_are_recovered(redis_url, jobs_app, ronda):
    from balai.jobs.queue import QueueEntry, RedisQueue
    from redis.asyncio import Redis

    async def scenario():
        client = Redis.from_url(redis_url)
        dead = RedisQueue(client, "dead-worker", heartbeat_ms=50, prefix=run_redis_prefix())
        await dead.push(QueueEntry(job="ronda.wake", city="malang", kwargs={"n": 9}))
        assert len(await dead.take(5)) == 1  # taken, then the worker "dies"
        await asyncio.sleep(0.1)  # its heartbeat expires
        runner = runner_for(jobs_app, worker="alive", redis=client)
        assert await runner.queue.recover() == 1
        done = await runner.run_queued()
        await client.aclose()
        return done

    done = on_loop(jobs_app, scenario)
    assert [r.status for r in done] == [OK]
    assert ronda.calls == [("wake", "malang", {"n": 9})]


# --- the background task -----------------------------------------------------------


def test_the_app_starts_and_stops_the_runner_when_run_jobs_is_on(balai_app_factory, ronda):
    from balai.testing import open_client

    registry = PluginRegistry()  # the core, the jobs service and ronda: no other service's jobs
    registry.register(core_plugin, CORE)
    registry.register(builtin_plugins()["jobs"], "jobs")
    registry.register(ronda, SLUG)
    app = balai_app_factory(
        cities={"malang": [SLUG], "semarang": []},
        registry=registry,
        instance={"run_jobs": True},
    )
    with open_client(app) as client:
        runner = app.ui.jobs.runner
        assert runner.running
        deadline = time.monotonic() + 20
        while not ronda.count("patrol") and time.monotonic() < deadline:
            client.get("/health")  # the runner's task runs on the client's loop meanwhile
            time.sleep(0.05)
        assert ronda.count("patrol") == 1
    assert not runner.running


def test_tests_do_not_run_jobs_unless_asked(jobs_app):
    from balai.testing import open_client

    with open_client(jobs_app):
        assert not jobs_app.ui.jobs.runner.running
    assert isinstance(jobs_app.ui.jobs, JobService)


def test_rows_taken_by_a_dead_worker_are_queued_again_unless_their_run_started(jobs_app, ronda):
    from balai.jobs.queue import DatabaseQueue

    malang = jobs_app.ui.config.cities["malang"]

    async def scenario():
        first = await enqueue("ronda.wake", malang, n=1)
        second = await enqueue("ronda.wake", malang, n=2)
        dead = DatabaseQueue("dead-worker")
        taken = await dead.take(10)  # the worker takes both, then dies
        assert [e.token for e in taken] == [first, second]
        # It had claimed the second run before dying: that one may have run.
        await runner_for(jobs_app).claims.claim(
            key=f"once|{second}",
            job="ronda.wake",
            city="malang",
            kind="once",
            slot=NOW,
            ttl=timedelta(hours=1),
        )
        alive = runner_for(jobs_app, worker="alive")
        assert await alive.queue.recover() == 0  # not stale yet
        old = datetime.now(UTC) - timedelta(hours=1)
        await QueuedJob.update({QueuedJob.claimed_at: old}).where(QueuedJob.id > 0)
        assert await alive.queue.recover() == 1
        done = await alive.run_queued()
        statuses = {
            r["token"]: r["status"]
            for r in await QueuedJob.select(QueuedJob.token, QueuedJob.status)
        }
        return first, second, done, statuses

    first, second, done, statuses = on_loop(jobs_app, scenario)
    assert [r.status for r in done] == [OK]
    assert ronda.calls == [("wake", "malang", {"n": 1})]
    assert statuses == {first: "done", second: "running"}


def test_a_stuck_job_is_cancelled_at_its_timeout_and_recorded(balai_app_factory, tmp_path):
    class Lambat(Ronda):
        @hookimpl
        def scheduled_jobs(self):
            async def stuck(city, **kwargs):
                await asyncio.sleep(60)

            async def quick(city, **kwargs):
                self.calls.append(("quick", city.slug, kwargs))

            return [
                Job(
                    "ronda.stuck", stuck, every=timedelta(minutes=1), timeout=timedelta(seconds=0.2)
                ),
                Job("ronda.quick", quick, every=timedelta(minutes=1)),
            ]

    plugin = Lambat()
    config = write_config(
        tmp_path / "slow", {"malang": [SLUG]}, environ={"BALAI_SECRET_KEY": TEST_SECRET_KEY}
    )
    app = balai_app_factory(config, registry=ronda_registry(plugin))

    async def scenario():
        results = await runner_for(app).run_due(NOW)
        return results, await runs(job="ronda.stuck")

    results, rows = on_loop(app, scenario)
    assert plugin.count("quick") == 1
    assert [r["status"] for r in rows] == [FAILED]
    assert rows[0]["error"].startswith("TimeoutError: still running after 0:00:00.200000")
    assert any(r.job == "ronda.stuck" and r.status == FAILED for r in results)


def test_stop_gives_up_on_a_job_that_ignores_cancellation(jobs_app, caplog):
    runner = runner_for(jobs_app)

    async def scenario():
        release = asyncio.Event()

        async def stubborn():
            while not release.is_set():
                try:
                    await asyncio.sleep(10)
                except asyncio.CancelledError:
                    continue  # a badly written job swallowing its cancellation

        runner._task = asyncio.get_running_loop().create_task(stubborn())
        await asyncio.sleep(0)
        started = time.monotonic()
        await runner.stop(grace=0.2)
        waited = time.monotonic() - started
        release.set()
        return waited

    assert on_loop(jobs_app, scenario) < 5
    assert "did not stop within 0.2 s" in caplog.text
    assert not runner.running


# --- the job's context -------------------------------------------------------------


def test_a_job_that_names_context_gets_the_app_and_its_run(balai_app_factory, tmp_path):
    from balai.jobs.types import JobContext

    seen: list[tuple[Any, dict[str, Any]]] = []

    class Sadar(Ronda):
        @hookimpl
        def scheduled_jobs(self):
            async def look(city, *, context, **kwargs):
                seen.append((context, kwargs))

            return [Job("ronda.look", look, description="Look around.")]

    config = write_config(
        tmp_path / "ctx", {"malang": [SLUG]}, environ={"BALAI_SECRET_KEY": TEST_SECRET_KEY}
    )
    app = balai_app_factory(config, registry=ronda_registry(Sadar()))
    malang = app.ui.config.cities["malang"]

    async def scenario():
        with pytest.raises(TypeError, match="context"):
            await enqueue("ronda.look", malang, context="mine")
        result = await app.ui.jobs.runner.run_now("ronda.look", malang, n=3)
        return result, await runs(job="ronda.look")

    result, rows = on_loop(app, scenario)
    assert result.status == OK
    [(context, kwargs)] = seen
    assert isinstance(context, JobContext)
    assert kwargs == {"n": 3}
    assert context.app is app.litestar and context.ui is app.ui
    assert (context.city, context.job, context.run_id) == (malang, "ronda.look", rows[0]["id"])
    assert context.worker == app.ui.jobs.runner.worker


def test_the_run_of_a_worker_that_died_runs_again_once_its_lease_passes(jobs_app, ronda):
    """Killed mid-run (no shut-down): its slot and its one-off entry run again, once each."""
    malang = jobs_app.ui.config.cities["malang"]
    from balai.jobs.claims import once_key, scheduled_key
    from balai.jobs.runner import EXPIRED_ERROR
    from balai.jobs.slots import current_slot

    async def scenario():
        token = await enqueue("ronda.wake", malang, n=3)
        dead = runner_for(jobs_app, worker="dead", lease=timedelta(seconds=30))
        assert [e.token for e in await dead.queue.take(5)] == [token]
        # The dead worker claimed the one-off run and the current patrol slot, then died.
        slot = current_slot(jobs_app.ui.jobs.catalog.jobs["ronda.patrol"].job, malang.tz, NOW)
        for key, kind, at in (
            (once_key(token), "once", NOW),
            (scheduled_key("ronda.patrol", "malang", slot), "scheduled", slot),
        ):
            job = "ronda.wake" if kind == "once" else "ronda.patrol"
            assert await dead.claims.claim(
                key=key, job=job, city="malang", kind=kind, slot=at, ttl=timedelta(hours=1)
            )
        alive = runner_for(jobs_app, worker="alive", clock=lambda: NOW)
        assert await alive.expire_dead_runs() == 0  # leases still live: nothing moves
        assert await alive.queue.recover() == 0
        assert all(r.job != "ronda.patrol" for r in await alive.run_due())  # slot held
        await JobRun.update({JobRun.lease_until: datetime.now(UTC) - timedelta(seconds=1)}).where(
            JobRun.worker == "dead"
        )
        await QueuedJob.update(
            {QueuedJob.claimed_at: datetime.now(UTC) - timedelta(hours=1)}
        ).where(QueuedJob.token == token)
        assert await alive.expire_dead_runs() == 2
        assert await alive.expire_dead_runs() == 0  # freed once
        assert await alive.queue.recover() == 1
        done = await alive.run_queued() + await alive.run_due()
        again = await alive.run_queued() + await alive.run_due()
        return done, again, await runs()

    done, again, rows = on_loop(jobs_app, scenario)
    assert again == []
    assert ronda.count("wake") == 1 and ronda.count("patrol") == 1
    assert sorted(r.job for r in done if r.status == OK) == ["ronda.patrol", "ronda.wake"]
    stopped = [r for r in rows if r["worker"] == "dead"]
    assert [r["status"] for r in stopped] == ["stopped", "stopped"]
    assert all(r["error"] == EXPIRED_ERROR for r in stopped)
    assert all(r["lease_until"] is not None for r in rows)


def test_a_running_job_renews_its_lease(jobs_app, ronda):
    """A live worker keeps its run: another runner's expiry pass leaves it alone."""

    async def scenario():
        runner = runner_for(jobs_app, worker="slow", lease=timedelta(seconds=0.6))
        gate = asyncio.Event()

        async def slow(city, **kwargs):
            await gate.wait()

        item = jobs_app.ui.jobs.catalog.jobs["ronda.wake"]
        from dataclasses import replace

        slow_item = replace(item, job=replace(item.job, run=slow))
        malang = jobs_app.ui.config.cities["malang"]
        run_id = await runner.claims.claim(
            key="once|slow",
            job="ronda.wake",
            city="malang",
            kind="once",
            slot=NOW,
            ttl=timedelta(hours=1),
        )
        task = asyncio.create_task(runner._perform(slow_item, malang, NOW, run_id, {}, "once|slow"))
        await asyncio.sleep(1.5)  # more than twice the lease
        freed = await runner_for(jobs_app, worker="other").expire_dead_runs()
        gate.set()
        result = await task
        return freed, result

    freed, result = on_loop(jobs_app, scenario)
    assert freed == 0
    assert result.status == OK
