"""The twin: a bare litestar app serving the same page with hand-written SQL.

``GET /malang/`` runs the page's statements directly (session, user, roles,
session write-back) and renders ``core/home.html`` through the same loader
chain and context as the platform. Two controls frame it:
``GET /plaintext`` answers ``ok``; ``GET /fixed`` renders the same template
with fixed rows and no database. Run by uvicorn as a factory
(``bench.twin_app:build``) with the same environment as
:mod:`bench.serve_balai`.
"""

from __future__ import annotations

import html
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from litestar import Litestar, Request, Response, get
from litestar.datastructures import Cookie
from litestar.middleware.csrf import generate_csrf_token
from markupsafe import Markup

from bench.counting import BenchProbe, QueryLog
from bench.instance import CITY
from bench.twin_db import TwinDB
from bench.twin_facts import NavEntry, TwinFacts, gather_facts

SESSION_COOKIE = "balai_session"
CSRF_COOKIE = "balai_csrf"
SESSION_LIFETIME = timedelta(days=14)
LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}
FIXED_TOKEN = "f" * 128


@dataclass(frozen=True)
class TwinUser:
    """The logged-in user as the templates see it."""

    id: int
    name: str
    email: str | None
    phone: str | None
    roles: frozenset[str]
    permissions: frozenset[str]

    @property
    def display_name(self) -> str:
        """The name to show."""
        return self.name

    @property
    def login(self) -> str:
        """The email, or the phone when there is no email."""
        return self.email or self.phone or ""

    @property
    def is_officer(self) -> bool:
        """Whether the user holds any role."""
        return bool(self.roles)

    def can(self, permission: str) -> bool:
        """Whether the user holds ``permission``."""
        return permission in self.permissions


@dataclass(frozen=True)
class PageURL:
    """The part of a URL the templates read."""

    path: str


@dataclass(frozen=True)
class PageRequest:
    """The part of the request the templates read: ``request.url.path``."""

    url: PageURL


class Twin:
    """The twin's state: facts, database, and the context builder."""

    def __init__(self, log: QueryLog) -> None:
        self.log = log
        self.db = TwinDB(os.environ["DATABASE_URL"], log)
        self.facts: TwinFacts | None = None

    async def start(self) -> None:
        """Gather the facts and connect."""
        self.facts = await gather_facts(CITY)
        await self.db.open()

    async def stop(self) -> None:
        """Disconnect."""
        await self.db.close()

    def context(
        self, path: str, token: str, user: TwinUser | None, flashes: list[Any]
    ) -> dict[str, Any]:
        """The home page's template context, key for key as the platform builds it."""
        facts = self.facts
        assert facts is not None
        city = facts.city
        root = f"/{city.slug}"
        static_prefix = f"/static/t/{city.theme}/"
        version = facts.version
        page = facts.anonymous if user is None else facts.citizen

        def visible(entries: list[NavEntry]) -> list[NavEntry]:
            return [
                e
                for e in entries
                if e.permission is None or (user is not None and user.can(e.permission))
            ]

        context: dict[str, Any] = {
            "request": PageRequest(PageURL(path)),
            "page_path": path,
            "city": city,
            "lang": city.locale,
            "languages": LANGUAGES,
            "csrf_token": token,
            "csrf_input": Markup(
                f'<input type="hidden" name="_csrf_token" value="{html.escape(token)}">'
            ),
            "url": lambda p: root + (p if p.startswith("/") else "/" + p),
            "static": lambda p: f"{static_prefix}{p.lstrip('/')}?v={version}",
            "plugin_static": lambda slug, p: f"/static/p/{slug}/{p.lstrip('/')}?v={version}",
            "lang_switch_url": lambda code: f"{root}/bahasa/{code}?next={html.escape(path)}",
            "flashes": flashes,
            "user": user,
            "nav": visible(page.nav),
            "office_nav": visible(page.office_nav) if user is not None and user.is_officer else [],
            **page.extra_context,
            "tiles": page.tiles,
        }
        return context

    def render(self, context: dict[str, Any]) -> str:
        """Render the home page."""
        assert self.facts is not None
        return self.facts.env.get_template("core/home.html").render(context)

    def respond(
        self, body: str, csrf_cookie: str | None, token: str, session_id: str | None = None
    ) -> Response:
        """An HTML response with the platform's headers and cookies.

        Like the platform, the session cookie is sent again with every page
        that has a session, and the CSRF cookie when the browser had none.
        """
        assert self.facts is not None
        cookies = []
        if session_id:
            cookies.append(
                Cookie(
                    key=SESSION_COOKIE,
                    value=session_id,
                    max_age=int(SESSION_LIFETIME.total_seconds()),
                    httponly=True,
                    secure=True,
                    samesite="lax",
                )
            )
        if csrf_cookie is None:
            cookies.append(
                Cookie(key=CSRF_COOKIE, value=token, httponly=True, secure=True, samesite="lax")
            )
        headers = {k.decode(): v.decode() for k, v in self.facts.headers}
        return Response(body, media_type="text/html", headers=headers, cookies=cookies)


def page_path(request: Request) -> str:
    """The path as the browser sent it (litestar's ``url.path`` drops a trailing slash)."""
    raw = request.scope.get("raw_path")
    return raw.decode("latin-1") if raw else request.scope["path"]


class _Flash:
    def __init__(self, category: str, message: str) -> None:
        self.category = category
        self.message = message


async def plugin_visitor(
    twin: Twin, catalogs: Any, request: Request
) -> tuple[str, str | None, TwinUser | None, list, Any]:
    """A plugin page's visitor: the CSRF token and cookie, the user, the flashes, the user's row.

    Also activates the city's language (``catalogs``: the app's) and sets the
    current city, so that dates are shown in the city's time zone.
    """
    from balai.i18n import activate
    from balai.tenants import set_current_city

    facts = twin.facts
    assert facts is not None
    activate(catalogs, facts.city.locale)
    set_current_city(facts.city)
    cookies = request.cookies
    csrf_cookie = cookies.get(CSRF_COOKIE)
    token = csrf_cookie or generate_csrf_token(facts.secret_key)
    session_id = cookies.get(SESSION_COOKIE)
    session = None
    if session_id and session_id != "null":
        raw = await twin.db.load_session(session_id)
        session = json.loads(raw) if raw else None
    user = row = None
    if session is not None:
        found = await twin.db.load_user(CITY, session.get(f"user:{CITY}"))
        if found is not None:
            row, roles = found
            perms = frozenset().union(*(facts.role_permissions.get(r, frozenset()) for r in roles))
            user = TwinUser(row[0], row[1], row[2], row[3], frozenset(roles), perms)
    flashes = [_Flash(c, m) for c, m in session.pop("_flash", [])] if session else []
    return token, csrf_cookie, user, flashes, row


def build() -> BenchProbe:
    """The twin application for uvicorn, with the query probe in front."""
    log = QueryLog()
    twin = Twin(log)

    @get(f"/{CITY}/")
    async def home(request: Request) -> Response:
        facts = twin.facts
        assert facts is not None
        cookies = request.cookies
        csrf_cookie = cookies.get(CSRF_COOKIE)
        token = csrf_cookie or generate_csrf_token(facts.secret_key)
        session_id = cookies.get(SESSION_COOKIE)
        session: dict[str, Any] | None = None
        raw: bytes | None = None
        if session_id and session_id != "null":
            raw = await twin.db.load_session(session_id)
            session = json.loads(raw) if raw else None
        user = None
        if session is not None:
            user_id = session.get(f"user:{CITY}")
            if isinstance(user_id, int):
                found = await twin.db.load_user(CITY, user_id)
                if found is not None:
                    row, roles = found
                    perms = frozenset().union(
                        *(facts.role_permissions.get(r, frozenset()) for r in roles)
                    )
                    user = TwinUser(row[0], row[1], row[2], row[3], frozenset(roles), perms)
        flashes = [_Flash(c, m) for c, m in session.pop("_flash", [])] if session else []
        context = twin.context(page_path(request), token, user, flashes)
        body = twin.render(context)
        if session is not None and session_id and flashes:
            data = json.dumps(session, separators=(",", ":")).encode()
            await twin.db.save_session(session_id, data, datetime.now(UTC) + SESSION_LIFETIME)
            return twin.respond(body, csrf_cookie, token, session_id)
        return twin.respond(body, csrf_cookie, token)

    @get("/plaintext", sync_to_thread=False)
    def plaintext() -> Response:
        return Response("ok", media_type="text/plain")

    fixed_user = TwinUser(1, "Warga Tetap", "tetap@contoh.id", None, frozenset(), frozenset())

    @get("/fixed", sync_to_thread=False)
    def fixed() -> Response:
        context = twin.context(f"/{CITY}/", FIXED_TOKEN, fixed_user, [])
        return twin.respond(twin.render(context), FIXED_TOKEN, FIXED_TOKEN)

    app = Litestar(
        route_handlers=[home, plaintext, fixed],
        on_startup=[twin.start],
        on_shutdown=[twin.stop],
        debug=False,
    )
    return BenchProbe(app, log)
