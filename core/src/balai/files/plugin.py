"""The files service as the built-in plugin ``files`` (pages at ``/berkas/``)."""

from __future__ import annotations

from datetime import time
from typing import Any

from balai import __version__
from balai.files import office, service, serving
from balai.files.tables import FileRecord
from balai.files.types import FilesSettings, Visibility
from balai.hookimpl import hookimpl
from balai.jobs.types import Job
from balai.tenants import City
from balai.types import Dimension, NavItem, Permission, PluginInfo, Role, Routes


@hookimpl
def plugin_info() -> PluginInfo:
    """The files service."""
    return PluginInfo(
        slug=service.SLUG,
        title="Files",
        dimension=Dimension.GOVERNANCE,
        version=__version__,
        description="Checked uploads, thumbnails and safe downloads.",
        path=service.URL_PATH,
    )


@hookimpl
def settings_schema() -> type:
    """Upload limits."""
    return FilesSettings


@hookimpl
def piccolo_apps() -> list[str]:
    """The stored files table."""
    return ["balai.files.piccolo_app"]


@hookimpl
def register_routes() -> Routes:
    """Downloads and thumbnails; the office upload page."""
    return Routes(pages=serving.ROUTES, office=office.ROUTES)


@hookimpl
def permissions() -> list[Permission]:
    """Managing the city's files."""
    return [Permission(serving.MANAGE, "Upload, see and delete the city's stored files")]


@hookimpl
def roles() -> list[Role]:
    """A file manager role."""
    return [Role("files.manager", "File manager", (serving.MANAGE,), department="Diskominfo")]


@hookimpl
def office_nav_items(request: Any) -> list[NavItem]:
    """The files page, for those who may manage files."""
    return [NavItem("Files", "/kelola/berkas/", 850, serving.MANAGE)]


@hookimpl
async def user_deleted(city: City, user_id: int) -> None:
    """Delete the account's private files; keep its public ones without the owner link."""
    private = await FileRecord.select(FileRecord.token).where(
        (FileRecord.owner_id == user_id) & (FileRecord.visibility != Visibility.PUBLIC.value)
    )
    for row in private:
        await service.delete_file(row["token"])
    await FileRecord.update({FileRecord.owner_id: None}).where(FileRecord.owner_id == user_id)


async def _sweep(city: City, **kwargs: Any) -> None:
    await service.sweep_orphans(city)


@hookimpl
def scheduled_jobs() -> list[Job]:
    """Remove stored bytes that no file row names (e.g. from rolled-back transactions)."""
    return [
        Job(
            name="files.sweep_orphans",
            run=_sweep,
            daily_at=time(4, 0),
            description="Delete stored file bytes that no file record names.",
        )
    ]
