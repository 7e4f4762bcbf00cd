"""Calling this application in-process, as another server would over HTTP.

The sandbox bank and the gateway client talk to the app through an
``httpx`` transport that calls the ASGI app directly: the requests go
through city dispatch, routing, CSRF rules and signature checks exactly like
requests from the network, with no socket and no network.
"""

from __future__ import annotations

from typing import Any

import httpx

from balai.web.rendering import BASE_ROOT_KEY
from balai.web.tenancy import CityDispatcher

TIMEOUT_SECONDS = 10.0


def _outer_app(litestar_app: Any) -> Any:
    ui = litestar_app.state.ui
    dispatcher = CityDispatcher(litestar_app, ui.config, ui.catalogs)

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            scope = {**scope, BASE_ROOT_KEY: scope.get("root_path", "")}
        await dispatcher(scope, receive, send)

    return app


def client_for(litestar_app: Any, base_url: str) -> httpx.AsyncClient:
    """An HTTP client for ``base_url`` that reaches ``litestar_app`` in-process."""
    transport = httpx.ASGITransport(app=_outer_app(litestar_app))
    return httpx.AsyncClient(transport=transport, base_url=base_url, timeout=TIMEOUT_SECONDS)
