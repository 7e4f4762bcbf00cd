"""``balai makemigrations``: a scratch plugin's migrations, generated and applied.

A plugin package ``balai_kertas`` is written to a temporary folder with one
city table that declares a unique-per-city code and a per-city index. The
generator writes Piccolo's auto migration and, one step later, the index
step; the migrations run on SQLite (and PostgreSQL when
``BALAI_TEST_DATABASE_URL`` is set); then the table changes (a column added,
one index dropped, another declared) and the next generation applies on the
same database.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
import textwrap

import pytest
from balai import toolkit as tk
from balai.db.database import Database
from balai.db.fulltext import parse_text_query
from balai.db.makemigrations import (
    CityIndex,
    MakeMigrationsError,
    declared_indexes,
    make_migrations,
)
from balai.tenants import City, city_scope
from piccolo.apps.migrations.commands.backwards import run_backwards

APP = "balai_kertas.piccolo_app"

TABLES_V1 = """
    from balai import toolkit as tk
    from piccolo.columns import Integer, Varchar


    class Item(tk.CityTable, tablename="kertas_item"):
        code = Varchar(length=20)
        shelf = Varchar(length=40)
        weight = Integer(default=0)

        city_unique = (("code",),)
        city_indexes = (("shelf", "weight"),)
        full_text = ("code", "shelf")
"""

TABLES_V2 = """
    from balai import toolkit as tk
    from piccolo.columns import Integer, Varchar


    class Item(tk.CityTable, tablename="kertas_item"):
        code = Varchar(length=20)
        shelf = Varchar(length=40)
        weight = Integer(default=0)
        note = Varchar(length=100, default="")

        city_unique = (("code",), ("shelf", "note"))
        full_text = ("shelf", "note")
"""

PICCOLO_APP = """
    from pathlib import Path

    from balai_kertas.tables import Item
    from piccolo.conf.apps import AppConfig

    APP_CONFIG = AppConfig(
        app_name="kertas",
        migrations_folder_path=str(Path(__file__).parent / "migrations"),
        table_classes=[Item],
        migration_dependencies=["balai.piccolo_app"],
        commands=[],
    )
"""


def _forget_package() -> None:
    for name in [n for n in sys.modules if n == "balai_kertas" or n.startswith("balai_kertas.")]:
        del sys.modules[name]


@pytest.fixture
def package(tmp_path, monkeypatch):
    """The scratch plugin's folder (``balai_kertas/``), importable; tables at version 1."""
    root = tmp_path / "src" / "balai_kertas"
    root.mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "tables.py").write_text(textwrap.dedent(TABLES_V1))
    (root / "piccolo_app.py").write_text(textwrap.dedent(PICCOLO_APP))
    monkeypatch.syspath_prepend(str(tmp_path / "src"))
    _forget_package()
    yield root
    _forget_package()


def _generate(description: str = "") -> list:
    return list(asyncio.run(make_migrations(APP, description)).files)


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request, tmp_path) -> str:
    if request.param == "postgres":
        return request.getfixturevalue("postgres_url")
    return f"sqlite:///{tmp_path / 'kertas.db'}"


async def _indexes(database: Database) -> dict[str, str]:
    if database.is_sqlite:
        rows = await database.engine.run_ddl(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'kertas_item'"
        )
        return {r["name"]: r["sql"] or "" for r in rows}
    rows = await database.engine.run_ddl(
        "SELECT indexname AS name, indexdef AS sql FROM pg_indexes WHERE tablename = 'kertas_item'"
    )
    return {r["name"]: r["sql"] for r in rows}


def _found(city: str, words: str) -> list[str]:
    """Codes of the items of ``city`` whose full-text columns hold ``words``."""

    async def search() -> list[str]:
        item = importlib.import_module("balai_kertas.tables").Item
        with city_scope(City(slug=city, name=city)):
            rows = await item.select(item.code).where(item.text_match(parse_text_query(words)))
        return sorted(r["code"] for r in rows)

    return search


async def _insert(database: Database, city: str, code: str, shelf: str = "Rak Depan") -> None:
    await database.engine.run_ddl(
        "INSERT INTO kertas_item (city, code, shelf, weight) "
        f"VALUES ('{city}', '{code}', '{shelf}', 1)"
    )


def test_a_new_plugin_gets_its_table_then_its_per_city_indexes(package, database_url):
    first = _generate()
    assert len(first) == 2
    tables_step, index_step = (p.read_text() for p in first)
    assert 'tablename="kertas_item"' in tables_step and 'column_name="city"' in tables_step
    assert "CREATE" not in tables_step  # no raw index in the step that makes the table
    assert (
        "CREATE UNIQUE INDEX IF NOT EXISTS kertas_item_city_code ON kertas_item (city, code)"
        in index_step
    )
    assert "CREATE INDEX IF NOT EXISTS kertas_item_city_shelf_weight" in index_step
    assert "CREATE VIRTUAL TABLE IF NOT EXISTS kertas_item_fts USING fts5(code, shelf" in index_step
    assert "CREATE TABLE IF NOT EXISTS kertas_item_fts (row_id integer" in index_step
    assert first[0].name < first[1].name  # the index step runs after the table exists
    assert _generate() == []  # nothing changed since

    database = Database(database_url, ["balai.piccolo_app", APP])

    async def apply_v1() -> None:
        try:
            await database.migrate()
            indexes = await _indexes(database)
            assert "UNIQUE" in indexes["kertas_item_city_code"].upper()
            assert "(city, shelf, weight)" in indexes["kertas_item_city_shelf_weight"].replace(
                '"', ""
            )
            await _insert(database, "malang", "K-1")
            await _insert(database, "semarang", "K-1")  # another city may use the same code
            with pytest.raises(Exception, match=r"(?i)unique|duplicate"):
                await _insert(database, "malang", "K-1")
            await _insert(database, "malang", "K-2", shelf="Gudang Belakang")
            assert await _found("malang", "RAK dep")() == ["K-1"]
            assert await _found("malang", "k 2")() == ["K-2"]
            assert await _found("semarang", "gudang")() == []
        finally:
            await database.close()

    asyncio.run(apply_v1())

    # the table changes: a column, one index gone, a new unique pair
    (package / "tables.py").write_text(textwrap.dedent(TABLES_V2))
    _forget_package()
    second = _generate("notes on items")
    assert len(second) == 2
    column_step, index_step = (p.read_text() for p in second)
    assert "add_column" in column_step and 'column_name="note"' in column_step
    assert "DROP INDEX IF EXISTS kertas_item_city_shelf_weight" in index_step
    assert "kertas_item_city_shelf_note" in index_step
    assert "kertas_item_city_code" not in index_step  # made before, still declared
    assert "DROPPED_FULL_TEXT = {\n    'kertas_item_fts': ('kertas_item', ('code', 'shelf'))" in (
        index_step
    )  # its columns changed: dropped and made again
    assert _generate() == []

    database = Database(database_url, ["balai.piccolo_app", APP])

    async def apply_v2() -> None:
        try:
            await database.migrate()
            indexes = await _indexes(database)
            assert "kertas_item_city_shelf_weight" not in indexes
            assert "UNIQUE" in indexes["kertas_item_city_shelf_note"].upper()
            await database.engine.run_ddl(
                "UPDATE kertas_item SET note = 'catatan penting' WHERE code = 'K-2'"
            )
            assert await _found("malang", "catatan gudang")() == ["K-2"]
            assert await _found("malang", "k")() == []  # the code is no longer indexed
            database.bind()
            result = await run_backwards(app_name="kertas", migration_id="all", auto_agree=True)
            assert result.success, result.message
            assert await _indexes(database) == {}
            leftovers = await database.engine.run_ddl(
                "SELECT name FROM sqlite_master WHERE name LIKE 'kertas_item_fts%'"
                if database.is_sqlite
                else "SELECT tablename AS name FROM pg_tables "
                "WHERE tablename LIKE 'kertas_item_fts%'"
            )
            assert leftovers == []
        finally:
            await database.close()

    asyncio.run(apply_v2())


def test_an_index_on_an_unknown_column_is_refused(package):
    (package / "tables.py").write_text(
        textwrap.dedent(TABLES_V1).replace('(("code",),)', '(("kode",),)')
    )
    with pytest.raises(MakeMigrationsError, match="kode"):
        _generate()


def test_long_index_names_are_cut_to_postgresql_length():
    index = CityIndex(
        "a_very_long_plugin_name_with_a_long_table", ("first_col", "second_col"), True
    )
    assert len(index.name) == 63 and index.name.startswith("a_very_long_plugin_name")
    other = CityIndex(
        "a_very_long_plugin_name_with_a_long_table", ("first_col", "second_cox"), True
    )
    assert other.name != index.name


def test_only_city_tables_declare_indexes(package):
    tables = importlib.import_module("balai_kertas.tables")
    found = declared_indexes([tables.Item, object])
    assert sorted(found) == ["kertas_item_city_code", "kertas_item_city_shelf_weight"]
    assert tables.Item.full_text_index() == tk.FullTextIndex("kertas_item", ("code", "shelf"))


def test_the_command_writes_the_plugins_migrations(package, monkeypatch):
    import balai.web.app
    from balai.cli import main
    from balai.hookimpl import hookimpl
    from balai.plugins import PluginRegistry
    from balai.types import Dimension, PluginInfo
    from click.testing import CliRunner

    class Kertas:
        @hookimpl
        def plugin_info(self):
            return PluginInfo(
                slug="kertas", title="Paper", dimension=Dimension.GOVERNANCE, version="0.1"
            )

        @hookimpl
        def piccolo_apps(self):
            return [APP]

    def registry(plugins=None):
        found = PluginRegistry()
        found.register(Kertas(), "kertas")
        return found

    monkeypatch.setattr(balai.web.app, "build_registry", registry)
    runner = CliRunner()
    first = runner.invoke(main, ["makemigrations", "kertas"])
    assert first.exit_code == 0, first.output
    assert first.output.count("kertas: wrote") == 2
    assert sorted(p.name for p in (package / "migrations").glob("kertas_*.py")) == sorted(
        line.rsplit("/", 1)[1] for line in first.output.splitlines() if "wrote" in line
    )
    again = runner.invoke(main, ["makemigrations", "kertas"])
    assert again.exit_code == 0 and "kertas: no changes." in again.output
