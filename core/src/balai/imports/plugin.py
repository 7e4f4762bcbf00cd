"""Spreadsheet imports as the built-in plugin ``imports`` (pages at ``/impor/``)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from balai import __version__
from balai.hookimpl import hookimpl
from balai.imports import processing, routes
from balai.imports.tables import KEEP_RUNS, ImportRow, ImportRun
from balai.jobs.types import Job
from balai.tenants import City
from balai.types import Dimension, PluginInfo, Routes

SLUG = "imports"


@hookimpl
def plugin_info() -> PluginInfo:
    """The imports service."""
    return PluginInfo(
        slug=SLUG,
        title="Spreadsheet imports",
        dimension=Dimension.GOVERNANCE,
        version=__version__,
        description="Rows from CSV and Excel files, applied in the background with a report.",
        path="impor",
    )


@hookimpl
def piccolo_apps() -> list[str]:
    """Runs and their rows."""
    return ["balai.imports.piccolo_app"]


@hookimpl
def register_routes() -> Routes:
    """Upload, progress, results and reports of every importer."""
    return Routes(pages=routes.PAGES)


async def prune_runs(city: City, **_: Any) -> None:
    """Delete the city's finished runs (and their rows, which may be personal) after 90 days."""
    cutoff = datetime.now(UTC) - KEEP_RUNS
    old = await ImportRun.select(ImportRun.id).where(ImportRun.created_at < cutoff)
    ids = [r["id"] for r in old]
    if ids:
        await ImportRow.delete().where(ImportRow.run.is_in(ids))
        await ImportRun.delete().where(ImportRun.id.is_in(ids))


@hookimpl
async def user_deleted(city: City, user_id: int) -> None:
    """Forget who uploaded the account's runs; the runs stay for the officers' records."""
    await ImportRun.update({ImportRun.user_id: None}).where(ImportRun.user_id == user_id)


@hookimpl
def scheduled_jobs() -> list[Job]:
    """Process uploads, resume interrupted runs, forget old ones."""
    return [
        Job(
            name="imports.process",
            run=processing.process_job,
            description="Apply the rows of an uploaded spreadsheet.",
            timeout=timedelta(hours=2),
        ),
        Job(
            name="imports.resume",
            run=processing.resume_job,
            every=timedelta(minutes=1),
            description="Continue spreadsheet imports that a stopped worker left unfinished.",
            timeout=timedelta(hours=2),
        ),
        Job(
            name="imports.prune",
            run=prune_runs,
            daily_at=time(3, 45),
            description="Delete spreadsheet import runs older than 90 days.",
        ),
    ]
