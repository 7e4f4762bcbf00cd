"""What the twin knows before the first request: fixed facts of the instance.

The twin's request path is bare (litestar, SQL, Jinja). Facts that do not
change between requests are gathered once at start-up, from the same sources
the platform uses: the configuration file, the theme folders and loader chain
(:class:`balai.web.themes.ThemeEnvironments`), the gettext catalogs, the
security headers, and the navigation entries, home tiles and template
extras that the enabled plugins' hooks contribute. A plugin whose hook output
depends on the request or the database would make the twin's HTML or query
count differ, and the check before timing says so.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import jinja2
from balai import __version__
from balai.tenants import City
from litestar import Request


@dataclass(frozen=True)
class NavEntry:
    """A navigation entry: translated label, absolute href, permission or None, icon name."""

    label: str
    href: str
    permission: str | None
    icon: str = ""


@dataclass
class PageFacts:
    """What the plugins' hooks contribute to the page for one kind of visitor."""

    nav: list[NavEntry] = field(default_factory=list)
    office_nav: list[NavEntry] = field(default_factory=list)
    tiles: list[dict[str, Any]] = field(default_factory=list)
    extra_context: dict[str, Any] = field(default_factory=dict)


@dataclass
class TwinFacts:
    """Everything the twin's page needs that is not read per request.

    ``anonymous`` and ``citizen`` hold the hooks' contributions for a visitor
    who is not logged in and for a logged-in user without roles (entries that
    need a permission are filtered per request, as the platform does).
    """

    city: City
    env: jinja2.Environment
    version: str
    secret_key: str
    headers: list[tuple[bytes, bytes]]
    anonymous: PageFacts
    citizen: PageFacts
    role_permissions: dict[str, frozenset[str]] = field(default_factory=dict)


def _citizen() -> tuple[str, Any]:
    """The scope key under which the core caches the request's user, and a citizen."""
    from balai.auth import access

    key = getattr(access, "_USER_KEY", "balai.user")
    return key, access.CurrentUser(0, "", None, None, frozenset(), frozenset())


def _stub_request(litestar: Any, city: City, logged_in: bool) -> Request:
    root = f"/{city.slug}"
    scope = {
        "type": "http",
        "method": "GET",
        "path": f"{root}/",
        "raw_path": f"{root}/".encode(),
        "root_path": root,
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1")],
        "app": litestar,
        "litestar_app": litestar,
        "state": {},
        "path_params": {},
        "server": ("127.0.0.1", 80),
        "client": ("127.0.0.1", 1),
        "scheme": "http",
        "balai.base_root": "",
        "balai.city": city,
    }
    if logged_in:
        key, user = _citizen()
        scope[key] = user
    return Request(scope)  # type: ignore[arg-type]


async def _hook_facts(app: Any, city: City, logged_in: bool) -> PageFacts:
    from balai.i18n import activate, gettext
    from balai.tenants import reset_current_city, set_current_city
    from balai.web.pages import tile_icon

    ui = app.ui
    request = _stub_request(app.litestar, city, logged_in)
    activate(ui.catalogs, city.locale)
    token = set_current_city(city)
    try:
        root = f"/{city.slug}"

        async def entries(hook: str) -> list[NavEntry]:
            items = await ui.registry.gather(city, hook, request=request)
            items.sort(key=lambda i: (i.order, i.label))
            href = lambda h: root + (h if h.startswith("/") else "/" + h)  # noqa: E731
            return [NavEntry(gettext(i.label), href(i.href), i.permission, i.icon) for i in items]

        tiles = await ui.registry.gather_from(city, "home_tiles", request=request)
        tiles.sort(key=lambda pair: (pair[1].order, pair[1].title))
        extras: dict[str, Any] = {}
        for extra in await ui.registry.gather(city, "template_context", request=request):
            extras.update(extra)
        return PageFacts(
            nav=await entries("nav_items"),
            office_nav=await entries("office_nav_items"),
            tiles=[
                {
                    "title": gettext(t.title),
                    "text": gettext(t.text),
                    "href": root + t.href,
                    "icon": tile_icon(request, slug, t.icon),
                }
                for slug, t in tiles
            ],
            extra_context=extras,
        )
    finally:
        reset_current_city(token)


def _role_permissions(app: Any, city: City) -> dict[str, frozenset[str]]:
    access = app.ui.access
    return {name: access.permissions_of([name], city) for name in [*access.roles, "city_admin"]}


async def gather_facts(city_slug: str) -> TwinFacts:
    """Build the facts from ``BENCH_CONFIG``/``BENCH_PLUGINS`` and the environment."""
    from balai.config import load_config
    from balai.web.app import create_app
    from balai.web.security import SecurityHeaders
    from balai.web.themes import ThemeEnvironments

    from bench.serve_balai import plugin_list

    config = load_config(os.environ["BENCH_CONFIG"])
    app = create_app(config, plugins=plugin_list(os.environ.get("BENCH_PLUGINS")))
    city = app.ui.config.cities[city_slug]
    translations = app.ui.catalogs.get(city.locale)
    themes = ThemeEnvironments(
        app.ui.themes.themes,
        app.ui.themes._plugin_dirs,
        gettext=translations.gettext,
        ngettext=translations.ngettext,
        auto_reload=False,
    )
    themes.filters.update(app.ui.themes.filters)
    themes.globals.update(app.ui.themes.globals)
    return TwinFacts(
        city=city,
        env=themes.get(city.theme),
        version=__version__,
        secret_key=app.ui.config.secret_key,
        headers=SecurityHeaders(app, hsts=not config.development).headers,
        anonymous=await _hook_facts(app, city, logged_in=False),
        citizen=await _hook_facts(app, city, logged_in=True),
        role_permissions=_role_permissions(app, city),
    )
