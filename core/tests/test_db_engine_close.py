"""Closing the PostgreSQL pool never hangs on a connection someone still holds."""

from __future__ import annotations

import asyncio
import time

import pytest
from balai.db.engines import PooledPostgresEngine

pytestmark = pytest.mark.postgres


def test_closing_the_pool_terminates_a_connection_still_borrowed(postgres_url):
    async def scenario() -> tuple[float, bool]:
        import asyncpg

        engine = PooledPostgresEngine(config={"dsn": postgres_url})
        engine.close_timeout = 0.5
        await engine.open()
        pool = engine.pool
        held = await pool.acquire()  # like a job abandoned at shutdown
        assert await held.fetchval("SELECT 1") == 1
        started = time.monotonic()
        await engine.close()
        elapsed = time.monotonic() - started
        try:
            await held.fetchval("SELECT 1")
        except asyncpg.InterfaceError:
            return elapsed, True
        return elapsed, False

    # Bounded, so that a close that waits for the borrowed connection fails
    # the test instead of hanging it.
    elapsed, unusable = asyncio.run(asyncio.wait_for(scenario(), 20))
    assert elapsed < 5
    assert unusable, "the borrowed connection should have been terminated"


def test_closing_an_idle_pool_is_quick_and_closing_twice_is_harmless(postgres_url):
    async def scenario() -> None:
        engine = PooledPostgresEngine(config={"dsn": postgres_url})
        await engine.open()
        rows = await engine._run_in_pool("SELECT 1 AS one")
        assert [dict(row) for row in rows] == [{"one": 1}]
        await engine.close()
        assert engine.pool is None
        await engine.close()

    asyncio.run(scenario())
