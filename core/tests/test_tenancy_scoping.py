"""Tenant scoping: no query on a city's table runs without a city, none crosses cities."""

from __future__ import annotations

import inspect
from datetime import UTC, datetime

import pytest
from balai.db.tables import CityTable, CrossCityWriteError
from balai.plugins import BUILTIN_SLUGS
from balai.tables import User
from balai.tenants import NoCityError
from test_platform_uji_plugin import UjiNote, uji_registry


def _city_tables(app) -> list[type[CityTable]]:
    tables = [
        table
        for piccolo_app in app.ui.database.apps
        for table in piccolo_app.table_classes
        if issubclass(table, CityTable)
    ]
    assert tables, "no city-scoped table was found: the enumeration is broken"
    return tables


@pytest.fixture
def every_plugin_app(balai_app_factory):
    """The core, the test plugin and every installed plugin, each enabled in Malang."""
    registry = uji_registry(all_installed=True)
    plugins = [slug for slug in registry.plugins if slug not in BUILTIN_SLUGS]
    return balai_app_factory(cities={"malang": plugins, "semarang": []}, registry=registry)


def _constructors(table: type[CityTable]):
    row = table()
    return {
        "select": lambda: table.select(),
        "objects": lambda: table.objects(),
        "count": lambda: table.count(),
        "exists": lambda: table.exists(),
        "update": lambda: table.update({table.id: 1}),
        "delete": lambda: table.delete(force=True),
        "insert": lambda: table.insert(row),
    }


def test_every_city_table_refuses_every_query_outside_a_city(every_plugin_app):
    tables = _city_tables(every_plugin_app)
    assert User in tables and UjiNote in tables
    escaped = []
    for table in tables:
        for name, build in _constructors(table).items():
            try:
                build()
            except NoCityError:
                continue
            escaped.append(f"{table.__name__}.{name}")
    assert escaped == [], "queries that ran without a city"


def test_every_city_table_overrides_each_query_constructor(every_plugin_app):
    # A table class that redefines select() etc. itself would escape the scope.
    for table in _city_tables(every_plugin_app):
        for name in ("select", "objects", "count", "exists", "update", "delete", "insert"):
            owner = next(k for k in inspect.getmro(table) if name in vars(k))
            assert owner is CityTable, f"{table.__name__}.{name} is defined by {owner.__name__}"


def test_rows_of_one_city_are_invisible_in_another(client, city_run):
    async def seed(text):
        await UjiNote.insert(UjiNote(text=text))
        await User.insert(
            User(
                name=text,
                email=f"{text}@example.id",
                password_hash="x",
                created_at=datetime.now(UTC),
            )
        )

    city_run("semarang", seed, "semarang-only")
    city_run("malang", seed, "malang-only")

    async def look():
        return {
            "notes": [r["text"] for r in await UjiNote.select(UjiNote.text)],
            "objects": [n.text for n in await UjiNote.objects()],
            "users": [r["name"] for r in await User.select(User.name)],
            "count": await User.count(),
            "exists": await User.exists().where(User.name == "semarang-only"),
            "first": await User.select().where(User.email == "semarang-only@example.id").first(),
        }

    seen = city_run("malang", look)
    assert seen == {
        "notes": ["malang-only"],
        "objects": ["malang-only"],
        "users": ["malang-only"],
        "count": 1,
        "exists": False,
        "first": None,
    }


def test_updates_and_deletes_stay_inside_the_city(client, city_run):
    async def seed(text):
        await UjiNote.insert(UjiNote(text=text))

    city_run("semarang", seed, "kept")
    city_run("malang", seed, "mine")

    async def change():
        await UjiNote.update({UjiNote.text: "changed"}, force=True)
        await UjiNote.delete(force=True)

    city_run("malang", change)

    async def texts():
        return [r["text"] for r in await UjiNote.select(UjiNote.text)]

    assert city_run("semarang", texts) == ["kept"]
    assert city_run("malang", texts) == []


def test_a_row_cannot_be_written_for_another_city(client, city_run):
    async def insert_foreign():
        await UjiNote.insert(UjiNote(text="x", city="semarang"))

    async def move():
        await UjiNote.update({UjiNote.city: "semarang"}, force=True)

    async def move_by_keyword():
        await UjiNote.update(city="semarang", force=True)

    for attempt in (insert_foreign, move, move_by_keyword):
        with pytest.raises(CrossCityWriteError):
            city_run("malang", attempt)


def test_new_rows_take_the_current_city(client, city_run):
    async def add_and_read():
        await UjiNote.insert(UjiNote(text="hello"))
        return await UjiNote.select(UjiNote.city, UjiNote.text).first()

    assert city_run("malang", add_and_read) == {"city": "malang", "text": "hello"}
