"""The e_jkn enrolment page's twin: the application form with hand-written SQL, same template.

``GET /malang/e-jkn/daftar`` answers like the ``e_jkn`` plugin's form for a
verified citizen (one person block): the session and user statements of the
home twin (:mod:`bench.twin_db`, with whether the account is verified, as the
plugin's ``require_verified`` guard asks), then the year's places taken
written by hand for SQLite (members with an open NIK in applications made
since 1 January, city time). The result goes through ``e_jkn/apply.html``
with the context the plugin builds. The form's declared fields
(``balai_e_jkn.enrolment.form.family_form``: the labels, choices and limits
the page shows) and the city's e_jkn settings (quota rules, districts) are
shared, since they are what the page shows, not platform machinery. Run by
uvicorn as a factory (``bench.e_jkn_twin:build``) with the environment of
:mod:`bench.serve_balai`.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from typing import Any

from litestar import Litestar, Request, Response, get
from litestar.middleware.csrf import generate_csrf_token

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

APPLY = f"/{CITY}/e-jkn/daftar"
# The home twin's user statement, with whether the account is verified.
USER_SQL = (
    "SELECT u.id, u.name, u.email, u.phone, u.is_active, g.role, "
    "u.email_verified_at IS NOT NULL OR u.phone_verified_at IS NOT NULL FROM balai_user u "
    'LEFT JOIN balai_role_grant g ON g."user" = u.id AND g.city = u.city '
    "WHERE u.city = ? AND u.id = ?"
)
TAKEN_SQL = (
    "SELECT COUNT(*) FROM e_jkn_member WHERE city = ? AND open_nik_index IS NOT NULL "
    "AND enrolment IN (SELECT id FROM e_jkn_enrolment WHERE city = ? AND created_at >= ?)"
)


def build() -> BenchProbe:
    """The enrolment page's twin for uvicorn, with the query probe in front."""
    log = QueryLog()
    twin = Twin(log)
    state: dict[str, Any] = {}

    async def start() -> None:
        await twin.start()
        twin.db.user_sql = USER_SQL
        from balai.config import load_config
        from balai.web.app import create_app

        from bench.serve_balai import plugin_list

        app = create_app(
            load_config(os.environ["BENCH_CONFIG"]),
            plugins=plugin_list(os.environ.get("BENCH_PLUGINS")),
        )
        state["catalogs"] = app.ui.catalogs

    @get(APPLY)
    async def apply(request: Request) -> Response:
        from balai.i18n import activate
        from balai.tenants import set_current_city
        from balai_e_jkn.enrolment.form import (
            family_form,
            household_fields,
            member_blocks,
            settings,
        )

        facts = twin.facts
        city = facts.city
        activate(state["catalogs"], city.locale)
        set_current_city(city)
        cookies = request.cookies
        csrf_cookie = cookies.get(CSRF_COOKIE)
        token = csrf_cookie or generate_csrf_token(facts.secret_key)
        session_id = cookies.get(SESSION_COOKIE)
        session = None
        if session_id and session_id != "null":
            raw = await twin.db.load_session(session_id)
            session = json.loads(raw) if raw else None
        found = None
        if session is not None:
            found = await twin.db.load_user(CITY, session.get(f"user:{CITY}"))
        if found is None or not found[0][6]:
            return Response("verified citizens only", status_code=403)
        row, roles = found
        perms = frozenset().union(*(facts.role_permissions.get(r, frozenset()) for r in roles))
        user = TwinUser(row[0], row[1], row[2], row[3], frozenset(roles), perms)
        flashes = [_Flash(c, m) for c, m in session.pop("_flash", [])]
        today = datetime.now(city.tz).date()
        year_start = datetime(today.year, 1, 1, tzinfo=city.tz).astimezone(UTC)
        (taken,) = (await twin.db.fetch(TAKEN_SQL, CITY, CITY, year_start.isoformat()))[0]
        city_settings = settings()
        places_left = max(city_settings.rules_on(today).annual_quota - taken, 0)
        form = family_form(1)()
        context = twin.context(page_path(request), token, user, flashes)
        context.pop("tiles", None)
        context["request"] = PageRequest(PageURL(request.url.path))
        context["page_path"] = request.url.path
        context.update(
            {
                "form": form,
                "count": 1,
                "max_members": city_settings.max_members,
                "household": household_fields(form),
                "blocks": member_blocks(form, 1),
                "places_left": places_left,
            }
        )
        body = facts.env.get_template("e_jkn/apply.html").render(context)
        return twin.respond(body, csrf_cookie, token)

    app = Litestar(
        route_handlers=[apply],
        on_startup=[start],
        on_shutdown=[twin.stop],
        debug=False,
    )
    return BenchProbe(app, log)
