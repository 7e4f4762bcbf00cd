"""Counting the SQL statements a server process runs, and answering the harness.

Both bench servers mount :class:`BenchProbe` in front of their application:
``GET /__bench__/queries`` returns how many statements ran so far and the
last few of them, so the harness can take the difference around a page.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

PROBE_PATH = "/__bench__/queries"
START_PATH = "/__bench__/start-profile"
DUMP_PATH = "/__bench__/dump-profile"


class QueryLog:
    """A running count of statements with the most recent ones kept for display."""

    def __init__(self, keep: int = 20) -> None:
        self.count = 0
        self.recent: deque[Any] = deque(maxlen=keep)

    def add(self, statement: Any) -> None:
        """Record one statement (SQL text, or an object whose ``str`` is the SQL)."""
        self.count += 1
        self.recent.append(statement)

    def snapshot(self) -> dict[str, Any]:
        """What the probe route answers."""
        return {"count": self.count, "recent": [" ".join(str(s).split()) for s in self.recent]}


class BenchProbe:
    """ASGI wrapper: answers the probe path, passes everything else through."""

    def __init__(
        self,
        app: Callable[..., Awaitable[None]],
        log: QueryLog,
        profile: dict[str, Callable[[], None]] | None = None,
    ) -> None:
        self.app = app
        self.log = log
        self.actions = {
            path: (profile or {}).get(name)
            for path, name in ((START_PATH, "start"), (DUMP_PATH, "dump"))
        }

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        """Handle one ASGI event."""
        if scope["type"] == "http" and scope["path"] in (PROBE_PATH, START_PATH, DUMP_PATH):
            action = self.actions.get(scope["path"])
            if action is not None:
                action()
            body = json.dumps(self.log.snapshot()).encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)
