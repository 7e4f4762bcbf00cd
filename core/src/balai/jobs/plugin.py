"""The jobs service as the built-in plugin ``jobs``."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from balai import __version__
from balai.hookimpl import hookimpl
from balai.jobs.tables import DONE, FAILED, JobRun, QueuedJob
from balai.jobs.types import Job
from balai.tenants import City
from balai.types import Dimension, PluginInfo

SLUG = "jobs"
KEEP_RUNS = timedelta(days=90)


@hookimpl
def plugin_info() -> PluginInfo:
    """The jobs service."""
    return PluginInfo(
        slug=SLUG,
        title="Background jobs",
        dimension=Dimension.GOVERNANCE,
        version=__version__,
        description="Scheduled and one-off background work of the core and the plugins.",
    )


@hookimpl
def piccolo_apps() -> list[str]:
    """Job runs and the database queue."""
    return ["balai.jobs.piccolo_app"]


async def prune_history(city: City, **_: object) -> None:
    """Delete the city's run records and finished queue rows older than 90 days."""
    cutoff = datetime.now(UTC) - KEEP_RUNS
    await JobRun.delete().where((JobRun.city == city.slug) & (JobRun.started_at < cutoff))
    await QueuedJob.delete().where(
        (QueuedJob.city == city.slug)
        & (QueuedJob.enqueued_at < cutoff)
        & QueuedJob.status.is_in([DONE, FAILED])
    )


@hookimpl
def scheduled_jobs() -> list[Job]:
    """Keep the run history short."""
    return [
        Job(
            name="jobs.prune_history",
            run=prune_history,
            daily_at=time(3, 30),
            description="Delete job run records older than 90 days.",
        )
    ]
