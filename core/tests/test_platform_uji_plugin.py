"""A tiny plugin, ``uji``, that the core's tests register directly.

It has what a real plugin has: a page, a route that fails, a navigation entry,
one city-scoped table with its own Piccolo app and migration, a permission
with a role, and two spreadsheet importers of notes (an officer import
guarded by ``uji.import_notes``, and an owner import for accounts whose name
starts with "Pedagang"). It is
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
IMPORT_PERMISSION = "uji.import_notes"
IMPORT_ROLE = "uji.importer"
NOTES_IMPORTER = "uji.notes"
OWNER_IMPORTER = "uji.my_notes"
OWNER_PREFIX = "Pedagang"
NOTE_COLUMNS = (
    tk.ImportColumn("teks", "The note's text", required=True, example="Catatan pertama"),
    tk.ImportColumn("nomor", "A whole number", example="12"),
)


class SimulatedCrash(BaseException):
    """Raised by the notes importer at a chosen line: the worker "dies" there."""


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


async def owner_access(request: Request, user: tk.CurrentUser) -> dict | None:
    """The owner import's access callback: shop owners are the "Pedagang ..." accounts."""
    if not user.name.startswith(OWNER_PREFIX):
        return None
    return {"owner": user.id}


async def import_own_note(row: dict[str, str], context: tk.ImportContext) -> None:
    """A note of the uploading owner, prefixed with their id from the run's context."""
    await UjiNote.insert(UjiNote(text=f"{context.data['owner']}:{row['teks']}"))


class UjiPlugin:
    """The hook implementations of the ``uji`` plugin."""

    def __init__(self, extra_pages: tuple = (), extra_office: tuple = ()) -> None:
        self.extra_pages = extra_pages
        self.extra_office = extra_office
        self.started = 0
        self.crash_at_line: int | None = None

    async def import_note(self, row: dict[str, str], context: tk.ImportContext) -> None:
        """One note per row; it is written before the checks, so a rejected row must roll back."""
        if context.line == self.crash_at_line:
            raise SimulatedCrash(context.line)
        await UjiNote.insert(UjiNote(text=row["teks"]))
        if row["teks"] == "meledak":
            raise RuntimeError("a bug in the handler")
        problems = {}
        if row["nomor"] and not row["nomor"].isdigit():
            problems["nomor"] = tk._("Write a whole number.")
        if "GAGAL" in row["teks"]:
            problems["teks"] = tk._("Notes may not say GAGAL.")
        if problems:
            raise tk.RowError(errors=problems)

    @tk.hookimpl
    def permissions(self) -> list[tk.Permission]:
        return [tk.Permission(IMPORT_PERMISSION, "Import notes from a spreadsheet")]

    @tk.hookimpl
    def roles(self) -> list[tk.Role]:
        return [tk.Role(IMPORT_ROLE, "Note importer", (IMPORT_PERMISSION,))]

    @tk.hookimpl
    def spreadsheet_importers(self) -> list[tk.Importer]:
        return [
            tk.Importer(
                key=NOTES_IMPORTER,
                title="Notes",
                columns=NOTE_COLUMNS,
                handle_row=self.import_note,
                permission=IMPORT_PERMISSION,
                batch_size=2,
                max_rows=50,
                max_bytes=64 * 1024,
                back_url="/uji/",
            ),
            tk.Importer(
                key=OWNER_IMPORTER,
                title="My notes",
                columns=NOTE_COLUMNS[:1],
                handle_row=import_own_note,
                access=owner_access,
            ),
        ]

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
    def sealed_fields(self) -> list[tk.SealedField]:
        """Notes written with ``tk.seal(text, "uji.note")`` (the rotation tests' only)."""
        return [tk.SealedField(UjiNote, "text", "uji.note")]

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
