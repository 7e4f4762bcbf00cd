"""Reads from a PostgreSQL streaming replica, for the pages that only read.

When ``DATABASE_REPLICA_URL`` names a hot standby of the primary, a request
whose method is ``GET`` or ``HEAD`` may run its plain ``SELECT`` statements
there (:class:`ReadRouting` opens a :class:`ReadScope` for it; the engine,
:class:`balai.db.engines.PooledPostgresEngine`, asks :class:`ReplicaRoute`).
Everything else goes to the primary:

- every statement that is not a plain ``SELECT`` (writes, DDL, ``FOR
  UPDATE``, sequence and advisory-lock functions), every statement inside a
  transaction, and every statement of a request that already wrote;
- every statement of other methods (forms, API writes) and of work outside
  requests (jobs, commands);
- every read while the replica is down, is not a standby, or replays more
  than ``replica_max_lag_seconds`` behind (checked at most once a second
  per worker); a statement that fails on the replica is run again on the
  primary.

Reading one's own writes: a request that wrote sets the ``balai_primary``
cookie for ``replica_sticky_seconds``; while a browser carries it, its
requests read from the primary, so a citizen who just paid sees the bill
paid. Another person's write may show up to the lag limit later.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import re
import time
from collections.abc import Sequence
from typing import Any

import asyncpg

log = logging.getLogger("balai.db.replica")

#: The cookie that keeps a browser on the primary after it wrote.
STICKY_COOKIE = "balai_primary"

#: Statements that may run on the replica: one SELECT (or WITH … SELECT) that
#: locks nothing and calls no function with a side effect.
_READ = re.compile(r"^\s*(SELECT|WITH)\b", re.IGNORECASE)
_NOT_READ = re.compile(
    r"\bFOR\s+(UPDATE|SHARE|NO\s+KEY|KEY)\b|\b(INSERT|UPDATE|DELETE|MERGE)\b|nextval|setval"
    r"|advisory|set_config|pg_notify|txid_current|pg_current_xact_id",
    re.IGNORECASE,
)

# Caught up with what it received: no lag, while its WAL receiver streams. With no
# receiver (the link to the primary is down), the replica may be behind without
# knowing it: the age of its last replayed transaction stands for the lag.
_LAG_SQL = """
SELECT pg_is_in_recovery() AS standby,
       CASE WHEN EXISTS (SELECT 1 FROM pg_stat_wal_receiver)
                 AND pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn()
            THEN 0
            ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 1e9)
       END::float8 AS lag
"""


def is_plain_read(sql: str) -> bool:
    """Whether ``sql`` is a plain read that a standby can answer with no effect."""
    return bool(_READ.match(sql)) and not _NOT_READ.search(sql)


class ReadScope:
    """What one request may read from the replica, and whether it wrote."""

    __slots__ = ("replica_ok", "wrote")

    def __init__(self, replica_ok: bool) -> None:
        self.replica_ok = replica_ok
        self.wrote = False

    def written(self) -> None:
        """The request wrote: its later reads (and the browser's next ones) use the primary."""
        self.wrote = True
        self.replica_ok = False


#: The running request's scope (``None`` outside requests: the primary only).
READ_SCOPE: contextvars.ContextVar[ReadScope | None] = contextvars.ContextVar(
    "balai_read_scope", default=None
)


class ReplicaRoute:
    """The replica's pool in one worker, its health, and what it served.

    Attributes:
        max_lag_seconds: Reads go to the primary while the replica replays
            further behind than this.
        check_seconds: How long a health check's answer is kept.
        served: Statements the replica answered.
        fell_back: Reads sent to the primary because the replica was down,
            lagging or failed the statement.
    """

    def __init__(self, url: str, *, max_lag_seconds: float, check_seconds: float = 1.0) -> None:
        self.dsn = url.replace("postgres://", "postgresql://", 1)
        self.max_lag_seconds = max_lag_seconds
        self.check_seconds = check_seconds
        self.pool: asyncpg.Pool | None = None
        self.served = 0
        self.fell_back = 0
        self._checked_at = float("-inf")
        self._usable = False

    async def open(self) -> None:
        """Create the pool (it connects on first use: a replica that is down stops nothing)."""
        if self.pool is None:
            self.pool = await asyncpg.create_pool(
                dsn=self.dsn,
                min_size=0,
                max_size=10,
                timeout=2,
                server_settings={"application_name": "balai-replica-read"},
            )
        self._checked_at = float("-inf")

    async def close(self) -> None:
        """Close the pool (terminating it when connections do not come back in time)."""
        pool, self.pool = self.pool, None
        if pool is None:
            return
        try:
            await asyncio.wait_for(pool.close(), 5)
        except TimeoutError:
            pool.terminate()

    def forget_health(self) -> None:
        """Check the replica again before the next read (after a setting changed)."""
        self._checked_at = float("-inf")

    async def lag_seconds(self) -> float | None:
        """How far the replica's replay is behind (``None``: down or not a standby)."""
        if self.pool is None:
            return None
        try:
            async with asyncio.timeout(2):
                row = await self.pool.fetchrow(_LAG_SQL)
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            log.warning("read replica unreachable, reading from the primary: %s", exc)
            return None
        if not row["standby"]:
            log.warning("the read replica is not in recovery (promoted?); reading from the primary")
            return None
        return float(row["lag"])

    async def usable(self) -> bool:
        """Whether reads may go to the replica now (cached for :attr:`check_seconds`)."""
        now = time.monotonic()
        if now - self._checked_at < self.check_seconds:
            return self._usable
        self._checked_at = now
        lag = await self.lag_seconds()
        usable = lag is not None and lag <= self.max_lag_seconds
        if lag is not None and not usable:
            log.info(
                "read replica %.1fs behind (limit %ss): reading from the primary",
                lag,
                self.max_lag_seconds,
            )
        self._usable = usable
        return usable

    async def fetch(self, sql: str, args: Sequence[Any]) -> list[Any] | None:
        """Run a read on the replica; ``None`` when the primary must answer it instead."""
        if self.pool is None or not await self.usable():
            self.fell_back += 1
            return None
        try:
            async with self.pool.acquire() as connection:
                rows = await connection.fetch(sql, *args)
        except asyncpg.PostgresError as exc:
            # A statement the standby refuses (a conflict with recovery, a
            # table a migration just made): the primary answers it, and
            # raises it again if it is a real error.
            log.info("read replica refused a statement, reading from the primary: %s", exc)
            self.fell_back += 1
            return None
        except (OSError, TimeoutError, asyncpg.InterfaceError) as exc:
            log.warning("read replica lost, reading from the primary: %s", exc)
            self._usable = False
            self._checked_at = time.monotonic()
            self.fell_back += 1
            return None
        self.served += 1
        return rows


def _sticky_until(headers: Sequence[tuple[bytes, bytes]]) -> float:
    for name, value in headers:
        if name != b"cookie":
            continue
        for part in value.decode("latin-1").split(";"):
            key, _, raw = part.strip().partition("=")
            if key == STICKY_COOKIE:
                with contextlib.suppress(ValueError):
                    return float(raw)
    return 0.0


class ReadRouting:
    """ASGI middleware: a :class:`ReadScope` per HTTP request; the sticky cookie after a write."""

    def __init__(self, app: Any, *, sticky_seconds: int, cookie_path: str, secure: bool) -> None:
        self.app = app
        self.sticky_seconds = sticky_seconds
        attributes = f"Path={cookie_path}; Max-Age={sticky_seconds}; HttpOnly; SameSite=Lax"
        self._attributes = attributes + ("; Secure" if secure else "")

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Handle one ASGI event."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        reading = scope["method"] in ("GET", "HEAD")
        read_scope = ReadScope(reading and _sticky_until(scope["headers"]) <= time.time())
        token = READ_SCOPE.set(read_scope)

        async def send_sticky(message: Any) -> None:
            if message["type"] == "http.response.start" and read_scope.wrote:
                until = int(time.time()) + self.sticky_seconds
                cookie = f"{STICKY_COOKIE}={until}; {self._attributes}".encode("latin-1")
                headers = [*message.get("headers", []), (b"set-cookie", cookie)]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_sticky)
        finally:
            READ_SCOPE.reset(token)
