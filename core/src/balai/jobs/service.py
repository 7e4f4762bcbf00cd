"""The jobs service of the running application, and ``toolkit.enqueue``.

:func:`balai.web.app.create_app` builds one :class:`JobService` per
application and makes it the active one (as it binds the database): the
facade function :func:`enqueue` reaches it without a request. The
factory then binds the service to the litestar application it built
(:meth:`JobService.bind`), which the runner hands to jobs that take a
``context`` (:class:`~balai.jobs.types.JobContext`): that is how a job
reaches the configuration and the plugin registry, in a server's worker as
under ``balai jobs run``. The application's start-up starts its runner when
``[instance] run_jobs`` is true and its shut-down stops it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from balai.config import Config
from balai.jobs.catalog import JobCatalog, UnknownJobError
from balai.jobs.queue import QueueEntry
from balai.jobs.runner import JobRunner
from balai.jobs.types import CONTEXT_PARAMETER
from balai.plugins import PluginRegistry
from balai.tenants import City

_active: JobService | None = None
TICK_SECONDS = 15.0


@dataclass
class JobService:
    """The declared jobs and this process's runner."""

    catalog: JobCatalog
    runner: JobRunner
    autostart: bool

    @classmethod
    def build(cls, registry: PluginRegistry, config: Config, redis: Any = None) -> JobService:
        """Collect the declared jobs and prepare (not start) a runner for ``config``."""
        catalog = JobCatalog.from_registry(registry)
        lease = timedelta(seconds=config.job_lease_seconds)
        runner = JobRunner(
            catalog,
            config.cities,
            redis=redis,
            redis_prefix=config.redis_prefix,
            lease=lease,
            # At least two passes per lease, so a dead worker's run is found soon after.
            tick=min(TICK_SECONDS, lease.total_seconds() / 2),
        )
        return cls(catalog=catalog, runner=runner, autostart=config.run_jobs)

    def bind(self, app: Any) -> None:
        """Give the runner the litestar ``app`` (for the jobs' ``JobContext.app``)."""
        self.runner.app = app

    def activate(self) -> None:
        """Make this the service :func:`enqueue` uses."""
        global _active
        _active = self

    async def start(self) -> None:
        """Start the runner if the instance runs jobs (application start-up)."""
        self.activate()
        if self.autostart:
            self.runner.start()

    async def stop(self) -> None:
        """Stop the runner (application shut-down)."""
        await self.runner.stop()


def active_service() -> JobService:
    """The jobs service of the application built last in this process.

    Raises:
        RuntimeError: no application was built.
    """
    if _active is None:
        raise RuntimeError("no Balai application has been built in this process")
    return _active


async def enqueue(job_name: str, city: City, **kwargs: Any) -> str:
    """Ask for one run of ``job_name`` for ``city`` soon, with ``kwargs``.

    The job's ``run(city, **kwargs)`` is called by a worker's runner, once.
    Without Redis the entry is a database row, written in the caller's
    transaction when one is open (so it is only queued if the change
    commits); with Redis it is pushed at once.

    Args:
        job_name: A declared job, ``<slug>.<what>``.
        city: The city to run it for; it must enable the job's plugin.
        **kwargs: JSON-serialisable arguments (ids, not personal data).

    Returns:
        The run's token (its run row has claim key ``once|<token>``).

    Raises:
        UnknownJobError: no such job, or the city does not run it.
        TypeError: an argument cannot be stored as JSON, or is named ``context``.
    """
    service = active_service()
    service.catalog.get(job_name, city)
    if CONTEXT_PARAMETER in kwargs:
        raise TypeError(f"{CONTEXT_PARAMETER!r} is given by the runner, not by enqueue")
    try:
        kwargs = json.loads(json.dumps(kwargs))
    except (TypeError, ValueError) as exc:
        raise TypeError(f"arguments of job {job_name!r} must be JSON-serialisable: {exc}") from exc
    entry = QueueEntry(job=job_name, city=city.slug, kwargs=kwargs)
    await service.runner.queue.push(entry)
    return entry.token


__all__ = ["JobService", "UnknownJobError", "active_service", "enqueue"]
