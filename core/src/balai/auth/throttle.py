"""Login throttling that holds across workers.

Counts attempts per key (the client address, the login name) in a fixed
window. With Redis the count is an ``INCR`` shared by every worker; without
it, an atomic upsert in the database does the same.
"""

from __future__ import annotations

import time
from typing import Any

from piccolo.table import Table

from balai.config import DEFAULT_REDIS_PREFIX
from balai.tables import ThrottleCounter

_UPSERT = (
    "INSERT INTO balai_throttle (key, hits, window_ends) VALUES ({}, 1, {}) "
    "ON CONFLICT (key) DO UPDATE SET "
    "hits = CASE WHEN balai_throttle.window_ends <= {} THEN 1 ELSE balai_throttle.hits + 1 END, "
    "window_ends = CASE WHEN balai_throttle.window_ends <= {} THEN {} "
    "ELSE balai_throttle.window_ends END "
    "RETURNING hits"
)


class Throttle:
    """At most ``limit`` attempts per key in ``window`` seconds.

    With Redis, the counters are the keys ``<prefix>throttle:<key>``.
    """

    def __init__(
        self,
        *,
        limit: int = 5,
        window: int = 900,
        redis: Any = None,
        prefix: str = DEFAULT_REDIS_PREFIX,
    ) -> None:
        self.limit = limit
        self.window = window
        self.redis = redis
        self.redis_keys = f"{prefix}throttle:"

    def limited(self, limit: int, window: int) -> Throttle:
        """Another throttle with its own limit and window, counting in the same store."""
        other = Throttle(limit=limit, window=window, redis=self.redis)
        other.redis_keys = self.redis_keys
        return other

    async def hit(self, key: str) -> int:
        """Count one attempt for ``key``; returns the attempts in this window."""
        if self.redis is not None:
            full = self.redis_keys + key
            pipe = self.redis.pipeline()
            pipe.incr(full)
            pipe.expire(full, self.window, nx=True)
            count, _ = await pipe.execute()
            return int(count)
        now = int(time.time())
        table: type[Table] = ThrottleCounter
        rows = await table.raw(_UPSERT, key, now + self.window, now, now, now + self.window)
        return int(rows[0]["hits"])

    async def blocked(self, key: str) -> bool:
        """Whether ``key`` used up its attempts in the current window."""
        if self.redis is not None:
            value = await self.redis.get(self.redis_keys + key)
            return value is not None and int(value) >= self.limit
        row = (
            await ThrottleCounter.select(ThrottleCounter.hits, ThrottleCounter.window_ends)
            .where(ThrottleCounter.key == key)
            .first()
        )
        return bool(row and row["window_ends"] > time.time() and row["hits"] >= self.limit)

    async def reset(self, key: str) -> None:
        """Forget the attempts of ``key`` (after a successful login)."""
        if self.redis is not None:
            await self.redis.delete(self.redis_keys + key)
            return
        await ThrottleCounter.delete().where(ThrottleCounter.key == key)
