"""The heritage pages' twin: a site's page and an event's page, hand-written SQL, same templates.

``GET /malang/wisata-heritage/situs/<id>`` and ``GET /malang/wisata-heritage/acara/<id>``
answer like the ``wisata_heritage`` plugin's pages: the session and user
statements of the home twin (:mod:`bench.twin_db`), then the page's own
statements written by hand for SQLite:

* site: the published site, its coming opening-hours exceptions (5), its
  coming published events (5) and its active ticket products (four statements);
* event: the public event joined with its site, and its active ticket
  products (two statements).

The results go through ``wisata_heritage/sites/site.html`` and
``wisata_heritage/events/event.html`` with the context the plugin builds; the
plugin's pure helpers (Markdown rendering, the opening-hours rule, labels) are
shared, since they are what the page shows. Run by uvicorn as a factory
(``bench.heritage_twin:build``) with the environment of :mod:`bench.serve_balai`.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime
from typing import Any

from litestar import Litestar, Request, Response, get
from litestar.middleware.csrf import generate_csrf_token
from litestar.params import FromPath

from bench.counting import BenchProbe, QueryLog
from bench.instance import CITY
from bench.twin_app import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    PageRequest,
    PageURL,
    Twin,
    TwinUser,
    _Flash,
    page_path,
)

BASE = f"/{CITY}/wisata-heritage/"
SITE_KEYS = (
    "id",
    "name",
    "description",
    "district",
    "opening_hours",
    "category",
    "registration_number",
    "decree",
    "protection",
    "legal_verified",
    "legal_source",
    "story_id",
    "story_en",
    "address",
    "latitude",
    "longitude",
    "facilities",
    "accessibility",
    "photo",
    "status",
    "updated_at",
)
SITE_SQL = (
    f"SELECT {', '.join(SITE_KEYS)} FROM wisata_heritage_site "
    "WHERE city = ? AND id = ? AND status = 'published'"
)
EXCEPTIONS_SQL = (
    "SELECT id, site, starts_on, ends_on, closed, hours, note FROM wisata_heritage_site_exception "
    "WHERE city = ? AND site = ? AND ends_on >= ? ORDER BY starts_on LIMIT 5"
)
SITE_EVENTS_SQL = (
    "SELECT id, title, starts_at FROM wisata_heritage_event WHERE city = ? AND site = ? "
    "AND status = 'published' AND ends_at >= ? ORDER BY starts_at LIMIT 5"
)
PRODUCTS_SQL = (
    "SELECT id, title FROM wisata_heritage_ticket_product WHERE city = ? AND is_active = 1 "
    "AND {column} = ? ORDER BY title"
)
EVENT_KEYS = (
    "id",
    "title",
    "kind",
    "starts_at",
    "ends_at",
    "summary",
    "venue",
    "status",
    "site.id",
    "site.name",
    "site.latitude",
    "site.longitude",
    "description_id",
    "description_en",
)
EVENT_SQL = (
    "SELECT e.id, e.title, e.kind, e.starts_at, e.ends_at, e.summary, e.venue, e.status, "
    "s.id, s.name, s.latitude, s.longitude, e.description_id, e.description_en "
    "FROM wisata_heritage_event e LEFT JOIN wisata_heritage_site s ON s.id = e.site "
    "WHERE e.city = ? AND e.id = ? AND e.status IN ('published', 'cancelled')"
)


def _when(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _day(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def build() -> BenchProbe:
    """The heritage pages' twin for uvicorn, with the query probe in front."""
    log = QueryLog()
    twin = Twin(log)
    state: dict[str, Any] = {}

    async def start() -> None:
        await twin.start()
        from balai.config import load_config
        from balai.web.app import create_app

        from bench.serve_balai import plugin_list

        app = create_app(
            load_config(os.environ["BENCH_CONFIG"]),
            plugins=plugin_list(os.environ.get("BENCH_PLUGINS")),
        )
        state["catalogs"] = app.ui.catalogs

    async def visitor(request: Request) -> tuple[str, str | None, TwinUser | None, list]:
        """The CSRF token, the CSRF cookie, the logged-in user and the flashes."""
        from balai.i18n import activate
        from balai.tenants import set_current_city

        facts = twin.facts
        activate(state["catalogs"], facts.city.locale)
        set_current_city(facts.city)  # dates are shown in the city's time zone
        cookies = request.cookies
        csrf_cookie = cookies.get(CSRF_COOKIE)
        token = csrf_cookie or generate_csrf_token(facts.secret_key)
        session_id = cookies.get(SESSION_COOKIE)
        session = None
        if session_id and session_id != "null":
            raw = await twin.db.load_session(session_id)
            session = json.loads(raw) if raw else None
        user = None
        if session is not None:
            found = await twin.db.load_user(CITY, session.get(f"user:{CITY}"))
            if found is not None:
                row, roles = found
                perms = frozenset().union(
                    *(facts.role_permissions.get(r, frozenset()) for r in roles)
                )
                user = TwinUser(row[0], row[1], row[2], row[3], frozenset(roles), perms)
        flashes = [_Flash(c, m) for c, m in session.pop("_flash", [])] if session else []
        return token, csrf_cookie, user, flashes

    def page_context(request: Request, token: str, user: TwinUser | None, flashes: list) -> dict:
        city = twin.facts.city
        context = twin.context(page_path(request), token, user, flashes)
        context.pop("tiles", None)
        context["request"] = PageRequest(PageURL(request.url.path))
        context["page_path"] = request.url.path
        tiles = {"tiles": city.map_tiles, "attribution": city.map_attribution}
        context["map_setup"] = lambda: tiles
        return context

    async def products(column: str, record_id: int) -> list[dict]:
        rows = await twin.db.fetch(PRODUCTS_SQL.format(column=column), CITY, record_id)
        return [{"id": r[0], "title": r[1]} for r in rows]

    @get(BASE + "situs/{site_id:int}")
    async def site(request: Request, site_id: FromPath[int]) -> Response:
        from balai_wisata_heritage.markdown import render_markdown
        from balai_wisata_heritage.sites import rules
        from balai_wisata_heritage.sites.public import usual_hours

        token, csrf_cookie, user, flashes = await visitor(request)
        city = twin.facts.city
        found = await twin.db.fetch(SITE_SQL, CITY, site_id)
        if not found:
            return Response("not found", status_code=404)
        row = dict(zip(SITE_KEYS, found[0], strict=True))
        row["legal_verified"] = bool(row["legal_verified"])
        row["updated_at"] = _when(row["updated_at"])
        today = datetime.now(city.tz).date()
        exceptions = [
            {
                "id": e[0],
                "site": e[1],
                "starts_on": _day(e[2]),
                "ends_on": _day(e[3]),
                "closed": bool(e[4]),
                "hours": e[5],
                "note": e[6],
            }
            for e in await twin.db.fetch(EXCEPTIONS_SQL, CITY, site_id, today.isoformat())
        ]
        hours = usual_hours(row, city)
        open_, hours_today, note = rules.hours_on(hours, exceptions, today)
        events = [
            {"id": e[0], "title": e[1], "starts_at": _when(e[2])}
            for e in await twin.db.fetch(SITE_EVENTS_SQL, CITY, site_id, str(datetime.now(UTC)))
        ]
        markers = (
            [{"lat": row["latitude"], "lon": row["longitude"], "label": row["name"], "href": ""}]
            if row["latitude"] is not None and row["longitude"] is not None
            else []
        )
        context = page_context(request, token, user, flashes)
        context.update(
            {
                "site": row,
                "usual_hours": hours,
                "open_today": open_,
                "hours_today": hours_today,
                "hours_note": note,
                "exceptions": exceptions,
                "story_id": render_markdown(row["story_id"]),
                "story_en": render_markdown(row["story_en"]),
                "category_label": rules.CATEGORY_LABELS.get(row["category"], row["category"]),
                "protection_label": rules.PROTECTION_LABELS.get(
                    row["protection"], row["protection"]
                ),
                "facilities": rules.facility_lines(row["facilities"]),
                "markers": markers,
                "photo_url": "",  # the bench site has no photo
                "events": events,
                "products": await products("site", site_id),
            }
        )
        body = twin.facts.env.get_template("wisata_heritage/sites/site.html").render(context)
        return twin.respond(body, csrf_cookie, token)

    @get(BASE + "acara/{event_id:int}")
    async def event(request: Request, event_id: FromPath[int]) -> Response:
        from balai_wisata_heritage.events import rules
        from balai_wisata_heritage.events.public import place_of
        from balai_wisata_heritage.markdown import render_markdown

        token, csrf_cookie, user, flashes = await visitor(request)
        found = await twin.db.fetch(EVENT_SQL, CITY, event_id)
        if not found:
            return Response("not found", status_code=404)
        row = dict(zip(EVENT_KEYS, found[0], strict=True))
        row["starts_at"], row["ends_at"] = _when(row["starts_at"]), _when(row["ends_at"])
        markers = []
        if row["site.latitude"] is not None:
            markers = [
                {
                    "lat": row["site.latitude"],
                    "lon": row["site.longitude"],
                    "label": row["site.name"],
                    "href": f"/{CITY}/wisata-heritage/situs/{row['site.id']}",
                }
            ]
        context = page_context(request, token, user, flashes)
        context.update(
            {
                "event": row,
                "place": place_of(row),
                "kind_label": rules.KIND_LABELS.get(row["kind"], row["kind"]),
                "description_id": render_markdown(row["description_id"]),
                "description_en": render_markdown(row["description_en"]),
                "markers": markers,
                "products": await products("event", event_id),
            }
        )
        body = twin.facts.env.get_template("wisata_heritage/events/event.html").render(context)
        return twin.respond(body, csrf_cookie, token)

    app = Litestar(
        route_handlers=[site, event],
        on_startup=[start],
        on_shutdown=[twin.stop],
        debug=False,
    )
    return BenchProbe(app, log)
