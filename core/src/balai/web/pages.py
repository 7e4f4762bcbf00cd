"""The core's public pages: city list, city home, search, language, health."""

from __future__ import annotations

from litestar import Request, Response, get
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from balai.auth.access import PUBLIC
from balai.i18n import LANGUAGES, current_locale, translations
from balai.tenants import current_city_or_none
from balai.web.rendering import base_url, plugin_static_url, render, safe_next, static_url
from balai.web.tenancy import LANG_COOKIE

CITYLESS_PUBLIC = {"public": True, "cityless": True}
MAX_QUERY = 100


@get("/", opt=CITYLESS_PUBLIC, name="home")
async def home(request: Request) -> Response:
    """The city home page, or the list of cities where no city is named."""
    city = current_city_or_none()
    ui = request.app.state.ui
    if city is None:
        cities = [
            {
                "name": c.name,
                "url": base_url(request, f"/{c.slug}/"),
                "plugins_count": len(c.plugins),
            }
            for c in ui.config.cities.values()
        ]
        env = ui.themes.get("default")
        body = env.get_template("core/city_list.html").render(
            cities=cities,
            lang=current_locale(),
            static_root=static_url(request, "default", "").split("?")[0].rstrip("/"),
        )
        return Response(body, media_type="text/html")
    tiles = await ui.registry.gather_from(city, "home_tiles", request=request)
    tiles.sort(key=lambda pair: (pair[1].order, pair[1].title))
    translate = translations().gettext  # one lookup for every tile's texts
    root = request.scope["root_path"]
    shown = [
        {
            "title": translate(t.title),
            "text": translate(t.text),
            "href": root + t.href,
            "icon": tile_icon(request, slug, t.icon),
        }
        for slug, t in tiles
    ]
    return await render(request, "core/home.html", {"tiles": shown})


def tile_icon(request: Request, slug: str, icon: str) -> str:
    """A tile's icon as the template takes it: a theme icon's name, or a URL.

    An ``icon`` ending in ``.svg`` names a file in the plugin's static folder.
    """
    return plugin_static_url(request, slug, icon) if icon.endswith(".svg") else icon


@get("/cari", opt=PUBLIC, name="search")
async def search(request: Request, q: FromQuery[str] = "") -> Response:
    """Site-wide search over what the city's plugins offer."""
    query = " ".join(q.split())[:MAX_QUERY]
    results = []
    if len(query) >= 2:
        city = current_city_or_none()
        found = await request.app.state.ui.registry.gather(
            city, "search", request=request, query=query
        )
        results = [
            {
                "title": r.title,
                "href": request.scope["root_path"] + r.href,
                "snippet": r.snippet,
                "kind": r.kind,
            }
            for r in found
        ]
    return await render(request, "core/search.html", {"query": query, "results": results})


@get("/bahasa/{code:str}", opt=PUBLIC, name="language")
async def switch_language(
    request: Request,
    code: FromPath[str],
    next: FromQuery[str] = "",
) -> Response:
    """Remember the chosen language and go back where the visitor was."""
    response = Redirect(safe_next(request, next), status_code=303)
    if code in LANGUAGES:
        response.set_cookie(
            LANG_COOKIE,
            code,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="lax",
            path=request.app.state.ui.config.root_path or "/",
            secure=not request.app.state.ui.config.development,
        )
    return response


@get("/healthz", opt=CITYLESS_PUBLIC, name="health", include_in_schema=False)
async def health(request: Request) -> dict[str, str]:
    """Liveness and database check for load balancers."""
    await request.app.state.ui.database.engine.run_ddl("SELECT 1")
    return {"status": "ok"}


ROUTES = [home, search, switch_language, health]
