"""Migrations of every package forwards, backwards and forwards again; the engines."""

from __future__ import annotations

import asyncio

import pytest
from balai.db.database import Database
from balai.db.engines import KeptSQLiteEngine, PooledPostgresEngine
from balai.testing.migrations import check_migrations, existing_tables, expected_tables
from test_platform_uji_plugin import uji_registry


def _all_app_modules() -> list[str]:
    registry = uji_registry(all_installed=True)
    assert not registry.failed, f"installed plugins failed to load: {registry.failed}"
    return [m for found in registry.each("piccolo_apps").values() for m in (found or [])]


async def _forwards_backwards_forwards(database: Database) -> None:
    assert {"balai_user", "balai_session", "uji_note"} <= expected_tables(database)
    order = await check_migrations(database)
    assert order.index("balai") < order.index("uji")  # dependencies first


def test_migrations_forwards_backwards_forwards_on_sqlite(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'migrations.db'}", _all_app_modules())
    asyncio.run(_forwards_backwards_forwards(database))


@pytest.mark.postgres
def test_migrations_forwards_backwards_forwards_on_postgres(postgres_url):
    database = Database(postgres_url, _all_app_modules())

    async def run() -> None:
        for table in await existing_tables(database):
            await database.engine.run_ddl(f'DROP TABLE IF EXISTS "{table}" CASCADE')
        await _forwards_backwards_forwards(database)

    asyncio.run(run())


def test_sqlite_keeps_one_connection_with_wal_and_foreign_keys(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'kept.db'}", ["balai.piccolo_app"])
    engine = database.engine
    assert isinstance(engine, KeptSQLiteEngine)

    async def run() -> tuple[list, list, int, int]:
        try:
            await database.migrate()
            for _ in range(5):
                await engine.run_ddl("SELECT COUNT(*) AS n FROM balai_user")
            mode = await engine.run_ddl("PRAGMA journal_mode")
            keys = await engine.run_ddl("PRAGMA foreign_keys")
            kept_while_open = len(engine._kept)
        finally:
            await database.close()
        return mode, keys, kept_while_open, len(engine._kept)

    mode, keys, kept_while_open, kept_after_close = asyncio.run(run())
    assert mode == [{"journal_mode": "wal"}]
    assert keys == [{"foreign_keys": 1}]
    assert kept_while_open == 1
    assert kept_after_close == 0


def test_the_running_app_reuses_its_database_connection(client, balai_app, city_run, login_as):
    engine = balai_app.ui.database.engine
    login_as(None)  # a logged-in visitor's pages read the account on each request
    for path in ("/malang/", "/malang/akun/", "/malang/cari?q=pajak", "/malang/akun/"):
        page = client.get(path)
        assert page.status_code == 200
        assert "Tester" in page.text
    if isinstance(engine, KeptSQLiteEngine):
        assert len(engine._kept) == 1  # one connection for the app's event loop
        mode = city_run("malang", lambda: engine.run_ddl("PRAGMA journal_mode"))
        assert mode == [{"journal_mode": "wal"}]
        assert len(engine._kept) == 1  # city_run shares the app's loop and connection
    else:
        assert isinstance(engine, PooledPostgresEngine)
        assert engine.pool is not None  # started at start-up, once per worker


def test_raw_migration_steps_reach_each_database_migrated_in_turn(tmp_path):
    # Migration modules are imported once per process; a raw step (unique
    # indexes) must still run on the database being migrated now.
    async def indexes(url: str) -> set[str]:
        database = Database(url, ["balai.piccolo_app"])
        try:
            await database.migrate()
            rows = await database.engine.run_ddl("PRAGMA index_list(balai_user)")
            return {r["name"] for r in rows}
        finally:
            await database.close()

    first = asyncio.run(indexes(f"sqlite:///{tmp_path / 'first.db'}"))
    second = asyncio.run(indexes(f"sqlite:///{tmp_path / 'second.db'}"))
    assert "balai_user_city_email" in first
    assert "balai_user_city_email" in second


def test_one_email_per_city_is_enforced_by_the_database(balai_app, city_run):
    from datetime import UTC, datetime

    from balai.tables import User

    async def add(email: str) -> None:
        now = datetime.now(UTC)
        await User.insert(User(name="Dup", email=email, password_hash="x", created_at=now))

    city_run("malang", add, "sama@example.id")
    with pytest.raises(Exception, match=r"(?i)unique"):
        city_run("malang", add, "sama@example.id")
    city_run("semarang", add, "sama@example.id")  # another city's accounts
