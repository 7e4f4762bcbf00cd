"""``cacat``: a plugin that breaks each rule the conformance suite checks, once.

Registered directly (no entry point) by ``test_conformance_suite.py``, whose
tests expect the suite to name each defect: a page that fails (5xx), pages
that read notes without the city (raw SQL is not scoped), a guard that lets
anyone in, and a form that saves whatever it gets. This module holds no tests.
"""

from __future__ import annotations

import atexit
import html
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from balai import toolkit as tk
from balai.builtins import builtin_plugins
from balai.plugins import PluginRegistry
from balai.web.rendering import csrf_input, csrf_token
from litestar import Request, Response, get, post
from litestar.connection import ASGIConnection
from litestar.params import FromPath
from litestar.response import Redirect
from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import Varchar
from piccolo.conf.apps import AppConfig

SLUG = "cacat"
ROLE = "cacat.officer"
MANAGE = "cacat.manage"


class CacatNote(tk.CityTable, tablename="cacat_note"):
    """A note of one city."""

    text = Varchar(length=200)


ID = "2026-12-07T16:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "The cacat plugin's note table"


async def forwards() -> MigrationManager:
    """Create ``cacat_note`` (and drop it going backwards)."""
    manager = MigrationManager(migration_id=ID, app_name=SLUG, description=DESCRIPTION)
    manager.add_table(class_name="CacatNote", tablename="cacat_note", schema=None, columns=None)
    for name, params in (
        ("city", {"length": 40, "default": "", "null": False, "index": True}),
        ("text", {"length": 200, "default": "", "null": False}),
    ):
        manager.add_column(
            table_class_name="CacatNote",
            tablename="cacat_note",
            column_name=name,
            db_column_name=name,
            column_class_name="Varchar",
            column_class=Varchar,
            params=params,
        )
    return manager


def _migrations_folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="balai-cacat-migrations-"))
    atexit.register(shutil.rmtree, folder, True)
    (folder / "cacat_2026_12_07t16_30_00_000000.py").write_text(
        f"from {__name__} import DESCRIPTION, ID, VERSION, forwards  # noqa: F401\n",
        encoding="utf-8",
    )
    return folder


APP_CONFIG = AppConfig(
    app_name=SLUG,
    migrations_folder_path=str(_migrations_folder()),
    table_classes=[CacatNote],
    migration_dependencies=["balai.piccolo_app"],
    commands=[],
)


def _page(body: str) -> Response:
    return Response(f"<!doctype html><title>cacat</title>{body}", media_type="text/html")


async def _anyone(connection: ASGIConnection[Any, Any, Any, Any], _: Any) -> None:
    """A guard that forgets to refuse anybody."""


@get("/", opt=tk.PUBLIC, name="cacat:index")
async def index(request: Request) -> Response:
    """The city's notes (scoped, as it should be) and the form to add one."""
    notes = await CacatNote.select(CacatNote.id, CacatNote.text).order_by(CacatNote.id)
    items = "".join(
        f'<li><a href="{tk.city_url(request, "/cacat/catatan/" + str(n["id"]))}">'
        f"{html.escape(n['text'])}</a></li>"
        for n in notes
    )
    form = (
        f'<form method="post" action="{tk.city_url(request, "/cacat/catatan")}">'
        f'{csrf_input(csrf_token(request))}<input name="text"><button>Simpan</button></form>'
    )
    return _page(f"<ul>{items}</ul>{form}")


@get("/semua", opt=tk.PUBLIC, name="cacat:all")
async def every_city(request: Request) -> Response:
    """Every note of every city: raw SQL is not scoped (the leak)."""
    rows = await CacatNote.raw("SELECT text FROM cacat_note ORDER BY id")
    return _page("".join(f"<p>{html.escape(r['text'])}</p>" for r in rows))


@get("/catatan/{note_id:int}", guards=[tk.require_login], name="cacat:note")
async def note(request: Request, note_id: FromPath[int]) -> Response:
    """One note, read by id alone (any city's)."""
    rows = await CacatNote.raw("SELECT text FROM cacat_note WHERE id = {}", note_id)
    return _page(f"<p>{html.escape(rows[0]['text'])}</p>" if rows else "<p>-</p>")


@get("/rusak/{note_id:int}", opt=tk.PUBLIC, name="cacat:broken")
async def broken(note_id: FromPath[int]) -> Response:
    """A page whose code fails."""
    raise RuntimeError("cacat fails here")


@get("/pintu", guards=[_anyone], name="cacat:door")
async def door() -> Response:
    """A guarded page whose guard lets everyone in."""
    return _page("<p>pintu terbuka</p>")


@post("/catatan", guards=[tk.require_login], name="cacat:add")
async def add(request: Request) -> Response:
    """Saves whatever it gets, cut to fit: empty, oversized, anything."""
    form = await request.form()
    await CacatNote.insert(CacatNote(text=str(form.get("text", ""))[:200]))
    return Redirect(tk.city_url(request, "/cacat/"), status_code=303)


@get("/kelola", guards=[tk.require_permission(MANAGE)], name="cacat:office")
async def office() -> Response:
    """The office page (correct)."""
    return _page(f"<p>{await CacatNote.count()} notes</p>")


@tk.hookimpl
def plugin_info() -> tk.PluginInfo:
    """Who the plugin is."""
    return tk.PluginInfo(
        slug=SLUG, title="Test service", dimension=tk.Dimension.GOVERNANCE, version="0.0.1"
    )


@tk.hookimpl
def piccolo_apps() -> list[str]:
    """This module is its own Piccolo app."""
    return [__name__]


@tk.hookimpl
def register_routes() -> tk.Routes:
    """The pages above."""
    return tk.Routes(pages=[index, every_city, note, broken, door, add], office=[office])


@tk.hookimpl
def permissions() -> list[tk.Permission]:
    """One permission."""
    return [tk.Permission(MANAGE, "Manage notes")]


@tk.hookimpl
def roles() -> list[tk.Role]:
    """One role."""
    return [tk.Role(ROLE, "Note officer", (MANAGE,))]


@tk.hookimpl
async def seed_demo(city: tk.City) -> tk.DemoReport:
    """Three notes that only this city has."""
    for number in (1, 2, 3):
        await CacatNote.insert(CacatNote(text=f"Catatan rahasia {city.slug} nomor {number}"))
    return tk.DemoReport(summary=["3 notes"])


def cacat_registry() -> PluginRegistry:
    """The core, its built-in services and ``cacat``."""
    registry = PluginRegistry()
    for slug, builtin in builtin_plugins().items():
        registry.register(builtin, slug)
    registry.register(sys.modules[__name__], SLUG)
    return registry
