"""A tiny plugin, ``uji``, that the core's tests register directly.

It has what a real plugin has: a page, a route that fails, a navigation entry
and one city-scoped table with its own Piccolo app and migration. It is
registered with ``PluginRegistry.register`` (no entry point), so it exists
only in the tests that ask for it. This module holds no tests itself.

Piccolo imports migrations by module name from a folder; the folder is made
once per process and holds a one-line module that re-exports the migration
defined here, so the migration's code stays readable in this file.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import msgspec
from balai import toolkit as tk
from balai.builtins import builtin_plugins
from balai.plugins import PluginRegistry
from balai.web.rendering import page_context
from litestar import Request, Response, get
from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import Varchar
from piccolo.conf.apps import AppConfig

SLUG = "uji"
PAGE_TEXT = "Halaman uji untuk kota"
FAILURE_MARKER = "uji-secret-failure-detail-7f3a"
NAV_LABEL = "Layanan Uji"
OFFICE_LABEL = "Meja Uji"
CONTEXT_MARKER = "uji-context-7c1e"


class UjiSettings(msgspec.Struct, forbid_unknown_fields=True):
    """What a city may set for the plugin."""

    greeting: str = "Selamat datang"
    max_notes: int = 10


class UjiNote(tk.CityTable, tablename="uji_note"):
    """A note of one city."""

    text = Varchar(length=200)


# --- the migration (re-exported from the migrations folder) ------------------

ID = "2026-11-22T23:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "The uji plugin's note table"


async def forwards() -> MigrationManager:
    """Create ``uji_note`` (and drop it when going backwards)."""
    manager = MigrationManager(migration_id=ID, app_name=SLUG, description=DESCRIPTION)
    manager.add_table(class_name="UjiNote", tablename="uji_note", schema=None, columns=None)
    manager.add_column(
        table_class_name="UjiNote",
        tablename="uji_note",
        column_name="city",
        db_column_name="city",
        column_class_name="Varchar",
        column_class=Varchar,
        params={"length": 40, "default": "", "null": False, "index": True},
    )
    manager.add_column(
        table_class_name="UjiNote",
        tablename="uji_note",
        column_name="text",
        db_column_name="text",
        column_class_name="Varchar",
        column_class=Varchar,
        params={"length": 200, "default": "", "null": False},
    )
    return manager


def _migrations_folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="balai-uji-migrations-"))
    atexit.register(shutil.rmtree, folder, True)
    (folder / "uji_2026_11_22t23_30_00_000000.py").write_text(
        f"from {__name__} import DESCRIPTION, ID, VERSION, forwards  # noqa: F401\n",
        encoding="utf-8",
    )
    return folder


APP_CONFIG = AppConfig(
    app_name=SLUG,
    migrations_folder_path=str(_migrations_folder()),
    table_classes=[UjiNote],
    migration_dependencies=["balai.piccolo_app"],
    commands=[],
)


# --- routes -------------------------------------------------------------------


@get("/", opt=tk.PUBLIC, name="uji-home")
async def uji_home() -> Response:
    """The plugin's one page."""
    return Response(f"<!doctype html><title>uji</title><p>{PAGE_TEXT}</p>", media_type="text/html")


@get("/rusak", opt=tk.PUBLIC, name="uji-broken")
async def uji_broken() -> Response:
    """A page whose code fails, to see the generic error page."""
    raise RuntimeError(FAILURE_MARKER)


@get("/catatan", opt=tk.PUBLIC, name="uji-api-notes")
async def uji_api_notes() -> list[dict]:
    """The city's notes as JSON."""
    return [{"text": n["text"]} for n in await UjiNote.select(UjiNote.text).order_by(UjiNote.id)]


@get("/rusak", opt=tk.PUBLIC, name="uji-api-broken")
async def uji_api_broken() -> dict:
    """A JSON endpoint whose code fails."""
    raise RuntimeError(FAILURE_MARKER)


@get("/konteks", opt=tk.PUBLIC, name="uji-context")
async def uji_context(request: Request) -> dict:
    """What the common page context holds here (to see template_context at work)."""
    context = await page_context(request, tk.current_city())
    return {"marker": context.get("uji_marker")}


class UjiPlugin:
    """The hook implementations of the ``uji`` plugin."""

    def __init__(self, extra_pages: tuple = (), extra_office: tuple = ()) -> None:
        self.extra_pages = extra_pages
        self.extra_office = extra_office
        self.started = 0

    @tk.hookimpl
    def plugin_info(self) -> tk.PluginInfo:
        return tk.PluginInfo(
            slug=SLUG, title="Test service", dimension=tk.Dimension.GOVERNANCE, version="0.0.1"
        )

    @tk.hookimpl
    def settings_schema(self) -> type[UjiSettings]:
        return UjiSettings

    @tk.hookimpl
    def piccolo_apps(self) -> list[str]:
        return [__name__]

    @tk.hookimpl
    def register_routes(self) -> tk.Routes:
        return tk.Routes(
            pages=[uji_home, uji_broken, uji_context, *self.extra_pages],
            office=self.extra_office,
            api=[uji_api_notes, uji_api_broken],
        )

    @tk.hookimpl
    def nav_items(self, request: object) -> list[tk.NavItem]:
        return [tk.NavItem(NAV_LABEL, "/uji/", order=10)]

    @tk.hookimpl
    def office_nav_items(self, request: object) -> list[tk.NavItem]:
        return [tk.NavItem(OFFICE_LABEL, "/kelola/pengguna", permission="core.manage_users")]

    @tk.hookimpl
    async def search(self, request: object, query: str) -> list[tk.SearchResult]:
        rows = await UjiNote.select(UjiNote.id, UjiNote.text)
        return [
            tk.SearchResult(title=r["text"], href=f"/uji/#{r['id']}", kind="uji")
            for r in rows
            if query.lower() in r["text"].lower()
        ]

    @tk.hookimpl
    async def startup(self, app: object) -> None:
        self.started += 1

    @tk.hookimpl
    def template_context(self, request: object) -> dict:
        return {"uji_marker": CONTEXT_MARKER}


def uji_registry(
    *, extra_pages: tuple = (), extra_office: tuple = (), all_installed: bool = False
) -> PluginRegistry:
    """A registry with the core, ``uji`` and, if asked, every installed plugin.

    ``extra_pages`` and ``extra_office`` add route handlers to the plugin.
    """
    registry = PluginRegistry()
    for slug, builtin in builtin_plugins().items():  # the core and its built-in services
        registry.register(builtin, slug)
    registry.load_entry_points(only=None if all_installed else [])
    registry.register(UjiPlugin(extra_pages, extra_office), SLUG)
    return registry
