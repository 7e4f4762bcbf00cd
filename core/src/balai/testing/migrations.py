"""Migrations forwards, backwards and forwards again, each step checked."""

from __future__ import annotations

from balai.db.database import Database


def expected_tables(database: Database) -> set[str]:
    """Every table the database's Piccolo apps declare."""
    return {t._meta.tablename for app in database.apps for t in app.table_classes}


async def existing_tables(database: Database) -> set[str]:
    """The tables in the database (on PostgreSQL: in the current schema)."""
    if database.is_sqlite:
        rows = await database.engine.run_ddl("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {r["name"] for r in rows if not r["name"].startswith("sqlite_")}
    rows = await database.engine.run_ddl(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    )
    return {r["tablename"] for r in rows}


async def check_migrations(database: Database) -> list[str]:
    """Migrate an empty ``database`` forwards, backwards, forwards; close it.

    Raises:
        AssertionError: a step left tables missing or behind, or migrations pending.

    Returns:
        The order the apps were migrated in.
    """
    expected = expected_tables(database)
    try:
        assert (await database.pending()).keys() == {app.app_name for app in database.apps}
        order = await database.migrate()
        missing = expected - await existing_tables(database)
        assert not missing, f"tables missing after migrating forwards: {sorted(missing)}"
        assert await database.pending() == {}
        assert set((await database.applied()).keys()) == set(order)

        undone = await database.rollback()
        assert undone == list(reversed(order)), f"rolled back in the order {undone}"
        left = (await existing_tables(database)) & expected
        assert not left, f"tables left after migrating backwards: {sorted(left)}"
        assert await database.applied() == {}

        await database.migrate()
        missing = expected - await existing_tables(database)
        assert not missing, f"tables missing after migrating forwards again: {sorted(missing)}"
        assert await database.pending() == {}
    finally:
        await database.close()
    return order
