"""Resolving the city of each request, in one ASGI layer in front of litestar.

A request's host names its city; on a single-address demo the first path
segment does (``/malang/...``), and that prefix becomes the ASGI
``root_path`` so that routes and generated URLs stay the same for both forms.
Requests for no known city go on with no city: only routes marked
``cityless`` (the city list, static files, health) answer them, the rest 404.

Outside development a request whose Host is none of the configured ones (a
city's ``hosts`` or the host of a city's ``base_url``, which is how the shared
address of the ``/<slug>/`` form is configured) is answered 400 here, before
anything else runs: a forged Host reaches no page and no link built from it.
"""

from __future__ import annotations

import json
from typing import Any

from litestar.types import ASGIApp, Receive, Scope, Send

from balai.config import Config
from balai.i18n import DEFAULT_LOCALE, LANGUAGES, Catalogs, activate
from balai.i18n import gettext as _
from balai.tenants import City, reset_current_city, set_current_city

CITY_SCOPE_KEY = "balai.city"
LANG_COOKIE = "balai_lang"


def request_host(scope: Scope) -> str:
    """The Host the request was sent to (the server's address when it names none)."""
    for name, value in scope.get("headers", []):
        if name == b"host":
            return value.decode("latin-1")
    server = scope.get("server")
    return server[0] if server else ""


def _cookie(scope: Scope, name: str) -> str | None:
    for header, value in scope.get("headers", []):
        if header == b"cookie":
            for part in value.decode("latin-1").split(";"):
                key, _, val = part.strip().partition("=")
                if key == name:
                    return val
    return None


class CityDispatcher:
    """ASGI middleware: find the city, set the root path, language and context."""

    def __init__(self, app: ASGIApp, config: Config, catalogs: Catalogs) -> None:
        self.app = app
        self.config = config
        self.catalogs = catalogs
        self.allowed = None if config.development else config.allowed_hosts()

    def resolve(self, scope: Scope) -> tuple[City | None, str]:
        """The request's city and the root path it is served under."""
        city = self.config.city_for_host(request_host(scope))
        root = scope.get("root_path", "")
        if city is not None:
            return city, root
        if self.config.path_prefix:
            path: str = scope["path"][len(root) :] if root else scope["path"]
            first = path.split("/", 2)[1] if path.startswith("/") else ""
            prefixed = self.config.cities.get(first)
            if prefixed is not None:
                return prefixed, f"{root}/{first}"
        return None, root

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI event."""
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        if (
            scope["type"] == "http"
            and self.allowed is not None
            and request_host(scope).split(":", 1)[0].lower() not in self.allowed
        ):
            activate(self.catalogs, DEFAULT_LOCALE)
            await _unknown_host(scope, send)
            return
        city, root = self.resolve(scope)
        if city is not None and root and scope["path"] == root:
            await _redirect(send, root + "/")
            return
        scope["root_path"] = root
        scope[CITY_SCOPE_KEY] = city  # type: ignore[literal-required]
        lang = _cookie(scope, LANG_COOKIE)
        if lang not in LANGUAGES:  # no cookie, or a stale/forged one: the city's default
            lang = city.locale if city else DEFAULT_LOCALE
        activate(self.catalogs, lang)
        token = set_current_city(city)
        try:
            await self.app(scope, receive, send)
        finally:
            reset_current_city(token)


async def _redirect(send: Send, location: str) -> None:
    headers: list[Any] = [(b"location", location.encode()), (b"content-length", b"0")]
    await send({"type": "http.response.start", "status": 308, "headers": headers})
    await send({"type": "http.response.body", "body": b""})


async def _unknown_host(scope: Scope, send: Send) -> None:
    title = _("Bad request")
    message = _("This site does not answer to that address.")
    # The JSON API (/api/... or /<city>/api/...) answers in its documented error body.
    if "api" in scope["path"].split("/")[1:3]:
        body = json.dumps({"status": 400, "error": title, "message": message}).encode()
        kind = b"application/json"
    else:
        body = (
            f'<!doctype html><html lang="{DEFAULT_LOCALE}"><meta charset="utf-8">'
            f"<title>400 {title}</title><h1>{title}</h1><p>{message}</p></html>"
        ).encode()
        kind = b"text/html; charset=utf-8"
    headers: list[Any] = [(b"content-type", kind), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 400, "headers": headers})
    await send({"type": "http.response.body", "body": body})
