"""The test kit itself: each test starts on an empty, migrated database."""

from __future__ import annotations

import asyncio

import pytest
from balai.tables import User
from balai.testing import build_app, write_config
from test_platform_uji_plugin import UjiNote


@pytest.mark.parametrize("run", [1, 2, 3])
def test_each_test_starts_with_empty_tables(balai_app, city_run, run):
    async def add_and_count():
        await UjiNote.insert(UjiNote(text=f"run {run}"))
        rows = await UjiNote.select(UjiNote.id, UjiNote.text)
        return rows, await User.count()

    rows, users = city_run("malang", add_and_count)
    assert rows == [{"id": 1, "text": f"run {run}"}]  # identities restart too
    assert users == 0


def test_a_rolled_back_database_is_migrated_again(
    tmp_path, balai_database_url, balai_test_databases
):
    config = write_config(tmp_path / "kit", {"malang": [], "semarang": []})
    app = build_app(config, balai_test_databases, database_url=balai_database_url)

    async def roll_back():
        try:
            await app.ui.database.rollback()
        finally:
            await app.ui.database.close()

    asyncio.run(roll_back())
    again = build_app(config, balai_test_databases, database_url=balai_database_url)

    async def pending():
        try:
            return await again.ui.database.pending()
        finally:
            await again.ui.database.close()

    assert asyncio.run(pending()) == {}
