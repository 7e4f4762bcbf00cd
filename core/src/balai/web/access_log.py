"""The access log: one line per request, naming the city that answered it.

uvicorn's own access line shows only the path, so on an instance serving its
cities on their own host names nothing said which city a request was for.
:class:`AccessLog` sits outside the city dispatch and, once the answer is
sent, logs to ``balai.access``::

    127.0.0.1:50412 - malang "GET malang.kota.go.id/bayar/ HTTP/1.1" 200 12ms
    127.0.0.1:50413 - malang "GET 127.0.0.1:8000/malang/bayar/ HTTP/1.1" 200 9ms
    127.0.0.1:50414 - - "GET unknown.example/ HTTP/1.1" 404 1ms

The client, the city's slug (``-`` for none), the request line with the Host
it came to (so both forms, host and path prefix, show), the status and the
time taken. ``balai serve`` and ``balai demo`` print it instead of uvicorn's.
"""

from __future__ import annotations

import copy
import logging
import time
from typing import Any

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from balai.web.tenancy import CITY_SCOPE_KEY, request_host

log = logging.getLogger("balai.access")


class AccessLog:
    """ASGI middleware writing the access line of each HTTP request (see the module)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI event, logging it once answered when it is an HTTP request."""
        if scope["type"] != "http" or not log.isEnabledFor(logging.INFO):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        query = (scope.get("query_string") or b"").decode("latin-1")
        target = scope["path"] + ("?" + query if query else "")
        status = 500  # what the server answers when the app fails before starting a response

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            city = scope.get(CITY_SCOPE_KEY)
            client = scope.get("client")
            log.info(
                '%s - %s "%s %s%s HTTP/%s" %d %dms',
                f"{client[0]}:{client[1]}" if client else "-",
                city.slug if city is not None else "-",
                scope["method"],
                request_host(scope),
                target,
                scope.get("http_version", "1.1"),
                status,
                round((time.perf_counter() - started) * 1000),
            )


def uvicorn_log_config() -> dict[str, Any]:
    """The logging configuration of uvicorn with ``balai.access`` printed where its access log was.

    Pass it with ``access_log=False`` so that each request is logged once.
    """
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["handlers"]["balai_access"] = {
        "formatter": "default",
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stdout",
    }
    config["loggers"]["balai.access"] = {
        "handlers": ["balai_access"],
        "level": "INFO",
        "propagate": False,
    }
    return config
