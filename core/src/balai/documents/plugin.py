"""The documents service as the built-in plugin ``documents`` (pages at ``/dokumen/``)."""

from __future__ import annotations

from typing import Any

from balai import __version__
from balai.auth.access import current_user
from balai.documents import office, pages
from balai.documents.settings import DocumentsSettings
from balai.documents.signing.queue import awaiting
from balai.documents.tables import Document
from balai.hookimpl import hookimpl
from balai.tenants import City
from balai.types import Dimension, NavItem, Permission, PluginInfo, Role, Routes

SLUG = "documents"
URL_PATH = "dokumen"


@hookimpl
def plugin_info() -> PluginInfo:
    """The documents service."""
    return PluginInfo(
        slug=SLUG,
        title="Documents",
        dimension=Dimension.GOVERNANCE,
        version=__version__,
        description="Official PDF documents, their signatures and their public verification.",
        path=URL_PATH,
    )


@hookimpl
def settings_schema() -> type:
    """Where signatures are timestamped."""
    return DocumentsSettings


@hookimpl
def piccolo_apps() -> list[str]:
    """Documents, the city's signing authority and the officials' certificates."""
    return ["balai.documents.piccolo_app"]


@hookimpl
def register_routes() -> Routes:
    """My documents, downloads, verification; the office list and signing queue."""
    return Routes(pages=[*pages.ROUTES, *office.QUEUE_ROUTES], office=office.ROUTES)


@hookimpl
def permissions() -> list[Permission]:
    """Seeing every document of the city."""
    return [Permission(pages.VIEW, "See and download every official document of the city")]


@hookimpl
def roles() -> list[Role]:
    """A records officer who sees all documents."""
    return [Role("documents.records", "Records officer", (pages.VIEW,), department="Sekretariat")]


@hookimpl
async def user_deleted(city: City, user_id: int) -> None:
    """Documents are kept for their retention period, without the link to the deleted account."""
    await Document.update({Document.subject_id: None}).where(Document.subject_id == user_id)


@hookimpl
async def office_nav_items(request: Any) -> list[NavItem]:
    """The documents list, and the signing queue for officials who have documents waiting."""
    items = [NavItem("Documents", "/kelola/dokumen/", 860, pages.VIEW)]
    user = await current_user(request)
    if user is not None and await awaiting(user, limit=1):
        items.append(NavItem("Signing queue", "/dokumen/tanda-tangan", 861))
    return items
