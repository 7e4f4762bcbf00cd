"""Shutting down an app whose job runner is busy: bounded, and the work is left resumable.

The app runs the real runner (``run_jobs = true``) with every built-in
service's jobs plus a test plugin whose jobs can be made to sleep mid-run.
Leaving the test client runs the app's shut-down; it must end promptly, and
another worker must then be able to run what was interrupted or still waiting.
"""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from balai.builtins import builtin_plugins
from balai.db.engines import KeptSQLiteEngine, close_engine
from balai.hookimpl import hookimpl
from balai.jobs.runner import JobRunner
from balai.jobs.service import enqueue
from balai.jobs.tables import OK, STOPPED, JobRun, QueuedJob
from balai.jobs.types import Job
from balai.plugins import PluginRegistry
from balai.testing import open_client, run_in_city
from balai.types import Dimension, PluginInfo

SLUG = "tidur"
SHUTDOWN_BOUND = 6.0  # seconds: the runner's grace (1 s here) and the clean-up


class Tidur:
    """A scheduled job (``nap``) and an on-demand one (``errand``); the first run of one sleeps."""

    def __init__(self, sleeper: str, slow_to_stop: bool = False) -> None:
        self.sleeper = sleeper  # "nap" or "errand": whose first run sleeps for an hour
        self.slow_to_stop = slow_to_stop  # it then takes 30 s to give up when cancelled
        self.started = threading.Event()
        self.finished: list[tuple[str, dict[str, Any]]] = []
        self.slept = False

    @hookimpl
    def plugin_info(self):
        return PluginInfo(slug=SLUG, title="Siesta", dimension=Dimension.SOCIETY, version="1.0")

    async def _work(self, what: str, kwargs: dict[str, Any]) -> None:
        if what == self.sleeper and not self.slept:
            self.slept = True
            self.started.set()
            try:
                await asyncio.sleep(3600)  # mid-run when the app shuts down
            except asyncio.CancelledError:
                if self.slow_to_stop:
                    await asyncio.sleep(30)  # e.g. finishing a batch before it stops
                raise
        self.finished.append((what, kwargs))

    @hookimpl
    def scheduled_jobs(self):
        async def nap(city, **kwargs):
            await self._work("nap", kwargs)

        async def errand(city, **kwargs):
            await self._work("errand", kwargs)

        return [
            Job("tidur.nap", nap, every=timedelta(minutes=1), description="Nap."),
            Job("tidur.errand", errand, description="Run an errand."),
        ]


def tidur_registry(plugin: Tidur) -> PluginRegistry:
    registry = PluginRegistry()
    for slug, obj in builtin_plugins().items():
        registry.register(obj, slug)
    registry.register(plugin, SLUG)
    return registry


def wait_for(predicate: Any, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


def after_shutdown(app: Any, fn: Any) -> Any:
    """Run ``fn(redis)`` as another worker would: a fresh loop, its own connections."""

    async def main() -> Any:
        redis = None
        if app.ui.config.redis_url:
            from redis.asyncio import Redis

            redis = Redis.from_url(app.ui.config.redis_url)
        await app.ui.database.open()
        try:
            return await fn(redis)
        finally:
            if redis is not None:
                await redis.aclose()
            await app.ui.database.close()
            if isinstance(app.ui.database.engine, KeptSQLiteEngine):
                await close_engine(app.ui.database.engine)

    return asyncio.run(main())


@pytest.mark.parametrize(
    ("sleeper", "slow_to_stop"), [("nap", False), ("errand", False), ("nap", True)]
)
def test_shutdown_with_a_job_mid_run_is_prompt_and_leaves_the_work_resumable(
    balai_app_factory, sleeper, slow_to_stop
):
    plugin = Tidur(sleeper, slow_to_stop)
    app = balai_app_factory(
        cities={"malang": [SLUG], "semarang": []},
        registry=tidur_registry(plugin),
        instance={"run_jobs": True},
    )
    runner = app.ui.jobs.runner
    runner.tick = 0.1
    runner.grace = 1.0  # how long stop() waits for a cancelled run before leaving it behind
    malang = app.ui.config.cities["malang"]

    async def queue_errands() -> None:
        await enqueue("tidur.errand", malang, n=1)
        await enqueue("tidur.errand", malang, n=2)

    with open_client(app) as client:
        assert runner.running
        if sleeper == "errand":
            run_in_city(app, "malang", queue_errands)
        plugin.started.wait(30)
        assert plugin.started.is_set(), "the sleeping job never started"
        if sleeper == "nap":
            run_in_city(app, "malang", queue_errands)  # waits behind the sleeping run
        assert client.get("/healthz").status_code == 200  # the app still serves meanwhile
        leaving = time.monotonic()
    took = time.monotonic() - leaving
    assert took < SHUTDOWN_BOUND, f"shut-down took {took:.1f} s"
    assert not runner.running

    async def resume(redis: Any) -> tuple[list[Any], list[dict], int]:
        cut = await JobRun.select().where(JobRun.status == STOPPED)
        other = JobRunner(
            app.ui.jobs.catalog,
            app.ui.config.cities,
            redis=redis,
            redis_prefix=app.ui.config.redis_prefix,
            worker="next",
        )
        done: list[Any] = []
        for row in cut:
            if row["kind"] == "scheduled":
                done += await other.run_due(row["slot"])
        for _ in range(3):
            done += await other.run_queued()
        waiting = await QueuedJob.count().where(QueuedJob.status.is_in(["queued", "running"]))
        return done, await JobRun.select().where(JobRun.job.like("tidur.%")), waiting

    done, rows, waiting = after_shutdown(app, resume)
    interrupted = [r for r in rows if r["status"] == STOPPED]
    assert len(interrupted) == 1, rows
    assert interrupted[0]["job"] == f"tidur.{sleeper}"
    assert "shut down" in interrupted[0]["error"]
    assert interrupted[0]["finished_at"] is not None
    # Another worker ran the interrupted run and every waiting errand, once each.
    assert sorted(p[1].get("n", 0) for p in plugin.finished if p[0] == "errand") == [1, 2]
    if sleeper == "nap":
        resumed = [
            r for r in rows if r["job"] == "tidur.nap" and r["slot"] == interrupted[0]["slot"]
        ]
        assert sorted(r["status"] for r in resumed) == sorted([STOPPED, OK])
        assert any(r.job == "tidur.nap" and r.status == OK for r in done)
    assert waiting == 0
    assert all(r.status == OK for r in done if r.job.startswith("tidur."))
