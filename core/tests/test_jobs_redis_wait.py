"""The job runner's blocking wait on an empty Redis queue ends on the server's side.

redis-py stops reading after the connection's socket timeout; a ``BLMOVE``
asked to block longer failed with ``TimeoutError`` on every quiet pass of
the runner (found by the two-server test). The app's client is built with
``REDIS_SOCKET_TIMEOUT`` and the queue never blocks that long.
"""

from __future__ import annotations

import asyncio
import time

from balai.config import REDIS_SOCKET_TIMEOUT
from balai.jobs.queue import RedisQueue, longest_block
from balai.testing import run_redis_prefix
from redis.asyncio import Redis


def test_no_wait_outlasts_the_clients_read_timeout():
    assert longest_block(0.5) == 0.5
    assert longest_block(3600) < REDIS_SOCKET_TIMEOUT


def test_a_long_wait_on_an_empty_queue_returns_nothing_without_an_error(redis_url):
    async def wait() -> tuple[list, float]:
        client = Redis.from_url(redis_url, socket_timeout=REDIS_SOCKET_TIMEOUT)
        queue = RedisQueue(client, "test-worker", prefix=f"{run_redis_prefix()}wait:")
        started = time.monotonic()
        try:
            return await queue.take(5, wait_seconds=60), time.monotonic() - started
        finally:
            await client.aclose()

    taken, waited = asyncio.run(wait())
    assert taken == []
    assert waited < REDIS_SOCKET_TIMEOUT
