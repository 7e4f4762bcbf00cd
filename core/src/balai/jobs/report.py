"""What ``balai jobs`` shows: the declared jobs and the last run of each per city."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from balai.i18n import gettext as _
from balai.jobs.catalog import JobCatalog
from balai.jobs.tables import JobRun
from balai.jobs.types import Job, span_text
from balai.tenants import City


@dataclass(frozen=True)
class LastRun:
    """The latest run of a job in a city (``None`` fields: never run)."""

    job: str
    city: City
    status: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    error: str = ""
    worker: str = ""


async def last_runs(catalog: JobCatalog, cities: dict[str, City]) -> list[LastRun]:
    """The latest run of every job in every city that runs it, by job then city."""
    found: list[LastRun] = []
    for name in sorted(catalog.jobs):
        item = catalog.jobs[name]
        for city in cities.values():
            if not catalog.runs_in(item, city):
                continue
            row = (
                await JobRun.select(
                    JobRun.status,
                    JobRun.started_at,
                    JobRun.finished_at,
                    JobRun.error,
                    JobRun.worker,
                )
                .where((JobRun.job == name) & (JobRun.city == city.slug))
                .order_by(JobRun.started_at, ascending=False)
                .order_by(JobRun.id, ascending=False)
                .first()
            )
            if row is None:
                found.append(LastRun(name, city))
            else:
                found.append(
                    LastRun(
                        name,
                        city,
                        row["status"],
                        row["started_at"],
                        row["finished_at"],
                        row["error"] or "",
                        row["worker"] or "",
                    )
                )
    return found


def first_line(text: str, limit: int = 80) -> str:
    """The first line of an error, cut to ``limit`` characters."""
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def schedule_label(job: Job) -> str:
    """The job's schedule in the current language (``every 5m``, ``daily 02:00``)."""
    if job.every is not None:
        return _("every %(span)s", span=span_text(job.every))
    if job.daily_at is not None:
        return _("daily %(time)s", time=job.daily_at.strftime("%H:%M"))
    return _("on demand")
