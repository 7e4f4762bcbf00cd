"""The twin's database access: the page's statements in hand-written SQL.

One kept aiosqlite connection on SQLite, an asyncpg pool on PostgreSQL: the
same drivers the platform's engines use underneath, with nothing in between.
Every statement goes through :meth:`TwinDB.fetch` so that it is counted.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from bench.counting import QueryLog

SESSION_SQL = "SELECT data, expires_at FROM balai_session WHERE key = {0} LIMIT 1"
USER_SQL = (
    "SELECT u.id, u.name, u.email, u.phone, u.is_active, g.role FROM balai_user u "
    'LEFT JOIN balai_role_grant g ON g."user" = u.id AND g.city = u.city '
    "WHERE u.city = {0} AND u.id = {1}"
)
SAVE_SESSION_SQL = (
    "UPDATE balai_session SET data = {0}, expires_at = {1} WHERE key = {2} RETURNING id"
)


class TwinDB:
    """A connection (SQLite) or pool (PostgreSQL) and the page's statements."""

    def __init__(self, url: str, log: QueryLog) -> None:
        self.url = url
        self.log = log
        self.is_sqlite = urlsplit(url).scheme == "sqlite"
        self._conn: Any = None
        self._pool: Any = None
        marks = ("?", "?", "?") if self.is_sqlite else ("$1", "$2", "$3")
        self.session_sql = SESSION_SQL.format(*marks)
        self.user_sql = USER_SQL.format(*marks)
        self.save_session_sql = SAVE_SESSION_SQL.format(*marks)

    async def open(self) -> None:
        """Connect (at start-up)."""
        if self.is_sqlite:
            import aiosqlite

            self._conn = await aiosqlite.connect(
                self.url[len("sqlite:///") :], isolation_level=None
            )
            await self._conn.execute("PRAGMA foreign_keys = 1")
            await self._conn.execute("PRAGMA synchronous = NORMAL")
        else:
            import asyncpg

            self._pool = await asyncpg.create_pool(self.url, min_size=1, max_size=10)

    async def close(self) -> None:
        """Disconnect (at shutdown)."""
        if self._conn is not None:
            await self._conn.close()
        if self._pool is not None:
            await self._pool.close()

    async def fetch(self, sql: str, *args: Any) -> list[Any]:
        """Run one statement and return its rows (tuples or records)."""
        self.log.add(sql)
        if self._conn is not None:
            return await self._conn.execute_fetchall(sql, args)
        return await self._pool.fetch(sql, *args)

    async def load_session(self, key: str) -> bytes | None:
        """The stored session data, or ``None`` when missing or expired."""
        rows = await self.fetch(self.session_sql, key)
        if not rows:
            return None
        data, expires_at = rows[0][0], rows[0][1]
        if expires_at is not None:
            if isinstance(expires_at, str):
                expires_at = datetime.fromisoformat(expires_at)
            if expires_at <= datetime.now(UTC):
                return None
        return bytes(data)

    async def load_user(self, city: str, user_id: int) -> tuple[Any, list[str]] | None:
        """The user's row (id, name, email, phone, is_active) and role names, in one statement."""
        rows = await self.fetch(self.user_sql, city, user_id)
        if not rows or not rows[0][4]:
            return None
        return rows[0], [r[5] for r in rows if r[5]]

    async def save_session(self, key: str, data: bytes, expires_at: datetime) -> None:
        """Write the session back (only when it changed, as the platform does)."""
        when: Any = str(expires_at.astimezone(UTC)) if self.is_sqlite else expires_at
        await self.fetch(self.save_session_sql, data, when, key)
