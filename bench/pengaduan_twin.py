"""The complaint pages' twin: the public board and a report page, hand-written SQL, same templates.

``GET /malang/pengaduan/?page=…`` and ``GET /malang/pengaduan/laporan/<number>``
answer like the ``pengaduan`` plugin's pages for what the bench asks (no
filter; a page number): the session and user statements of the home twin
(:mod:`bench.twin_db`), then the page's own statements written by hand for
SQLite:

* board: the city's reports counted, then one page of them, newest first
  (two statements, as ``tk.paginate`` runs);
* report: the report by its number, its cleared photos, its workflow history,
  and whether the visitor follows it (four statements).

The results go through ``pengaduan/board.html`` and ``pengaduan/report.html``
with the same context as the plugin builds. The plugin's state labels
(``FLOW.labels``) and the city's categories and departments (read once at
start-up) are shared, since they are what the template shows. Run by
uvicorn as a factory (``bench.pengaduan_twin:build``) with the environment
of :mod:`bench.serve_balai`.
"""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

from litestar import Litestar, Request, Response, get
from litestar.params import FromPath

from bench.counting import BenchProbe, QueryLog
from bench.instance import CITY
from bench.twin_app import (
    PageRequest,
    PageURL,
    Twin,
    TwinUser,
    page_path,
    plugin_visitor,
)

BOARD = f"/{CITY}/pengaduan/"
COUNT_SQL = "SELECT COUNT(*) FROM pengaduan_report WHERE city = ?"
BOARD_SQL = (
    "SELECT number, category, status, kelurahan, urgent, created_at, latitude, longitude "
    "FROM pengaduan_report WHERE city = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?"
)
BOARD_KEYS = (
    "number",
    "category",
    "status",
    "kelurahan",
    "urgent",
    "created_at",
    "latitude",
    "longitude",
)
REPORT_SQL = (
    "SELECT id, number, category, department, urgent, description, kelurahan, address, "
    "latitude, longitude, reporter_id, status, created_at FROM pengaduan_report "
    "WHERE city = ? AND number = ?"
)
REPORT_KEYS = (
    "id",
    "number",
    "category",
    "department",
    "urgent",
    "description",
    "kelurahan",
    "address",
    "latitude",
    "longitude",
    "reporter_id",
    "status",
    "created_at",
)
PHOTOS_SQL = "SELECT file_id FROM pengaduan_photo WHERE city = ? AND report_id = ? AND cleared = 1"
HISTORY_SQL = (
    "SELECT transition, to_state, comment, created_at FROM balai_workflow_step "
    "WHERE city = ? AND workflow = ? AND record_id = ? ORDER BY created_at, id"
)
# The home twin's user statement, with whether the account is verified: the report
# page asks it (a verified account may report, follow, confirm), in the same statement.
USER_SQL = (
    "SELECT u.id, u.name, u.email, u.phone, u.is_active, g.role, "
    "u.email_verified_at IS NOT NULL OR u.phone_verified_at IS NOT NULL FROM balai_user u "
    'LEFT JOIN balai_role_grant g ON g."user" = u.id AND g.city = u.city '
    "WHERE u.city = ? AND u.id = ?"
)
FOLLOWS_SQL = (
    "SELECT 1 FROM pengaduan_follower WHERE city = ? AND report_id = ? AND user_id = ? LIMIT 1"
)


def _when(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def build() -> BenchProbe:
    """The complaint pages' twin for uvicorn, with the query probe in front."""
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
        from balai_pengaduan.settings import Settings

        state["settings"] = twin.facts.city.settings_for("pengaduan") or Settings()

    async def visitor(request: Request) -> tuple[str, str | None, TwinUser | None, list, bool]:
        """The CSRF token, the CSRF cookie, the user, the flashes, whether the user is verified."""
        token, csrf_cookie, user, flashes, row = await plugin_visitor(
            twin, state["catalogs"], request
        )
        return token, csrf_cookie, user, flashes, bool(row and row[6])

    def page_context(request: Request, token: str, user: TwinUser | None, flashes: list) -> dict:
        city = twin.facts.city
        context = twin.context(page_path(request), token, user, flashes)
        context.pop("tiles", None)
        # base.html compares nav links with the platform's page_path, which is
        # litestar's url.path: no trailing slash
        context["request"] = PageRequest(PageURL(request.url.path))
        context["page_path"] = request.url.path
        tiles = {"tiles": city.map_tiles, "attribution": city.map_attribution}
        context["map_setup"] = lambda: tiles
        return context

    @get(BOARD)
    async def board(request: Request) -> Response:
        from balai.web.lists import Page
        from balai_pengaduan.handling.workflow import FLOW

        token, csrf_cookie, user, flashes, _verified = await visitor(request)
        settings = state["settings"]
        per_page = settings.per_page
        raw_page = request.query_params.get("page") or "1"
        asked = int(raw_page) if raw_page.isdigit() and int(raw_page) >= 1 else 1
        (total,) = (await twin.db.fetch(COUNT_SQL, CITY))[0]
        pages = max(1, -(-total // per_page))
        number = min(asked, pages)
        rows = [
            {**dict(zip(BOARD_KEYS, r, strict=True)), "created_at": _when(r[5])}
            for r in await twin.db.fetch(BOARD_SQL, CITY, per_page, (number - 1) * per_page)
        ]
        names = {c.code: c.name for c in settings.categories}
        markers = [
            {
                "lat": r["latitude"],
                "lon": r["longitude"],
                "label": f"{r['number']} · {names.get(r['category'], r['category'])}",
                "href": f"/{CITY}/pengaduan/laporan/{r['number']}",
            }
            for r in rows
            if r["latitude"] is not None and r["longitude"] is not None
        ]
        found = Page(rows, number, pages, total, per_page, BOARD)
        context = page_context(request, token, user, flashes)
        context.update(
            {
                "found": found,
                "markers": markers,
                "names": names,
                "categories": settings.categories,
                "kategori": "",
                "status": "",
                "labels": FLOW.labels(),
                "emergency_number": settings.emergency_number,
            }
        )
        body = twin.facts.env.get_template("pengaduan/board.html").render(context)
        return twin.respond(body, csrf_cookie, token)

    @get(BOARD + "laporan/{number:str}")
    async def report(request: Request, number: FromPath[str]) -> Response:
        from balai_pengaduan.handling.workflow import FLOW

        token, csrf_cookie, user, flashes, verified = await visitor(request)
        settings = state["settings"]
        found = await twin.db.fetch(REPORT_SQL, CITY, number)
        if not found:
            return Response("not found", status_code=404)
        row = dict(zip(REPORT_KEYS, found[0], strict=True))
        row["created_at"] = _when(row["created_at"])
        photos = await twin.db.fetch(PHOTOS_SQL, CITY, row["id"])
        history = [
            {"to_state": h[1], "comment": h[2], "created_at": _when(h[3])}
            for h in await twin.db.fetch(HISTORY_SQL, CITY, FLOW.key, row["id"])
            if h[0] != "internal"
        ]
        # An account reports (and follows) once verified; a number confirmed by code in
        # this browser's session would too, which the bench citizen has not done.
        who = user.id if user is not None and verified else None
        is_reporter = who is not None and who == row["reporter_id"]
        following = False
        if who is not None and not is_reporter:
            following = bool(await twin.db.fetch(FOLLOWS_SQL, CITY, row["id"], who))
        category = settings.category(row["category"])
        department = settings.department(row["department"])
        context = page_context(request, token, user, flashes)
        context.update(
            {
                "report": row,
                "category_name": category.name if category else row["category"],
                "department_name": department.name if department else row["department"],
                "photos": [p[0] for p in photos],
                "history": history,
                "labels": FLOW.labels(),
                "steps": [],
                "is_reporter": is_reporter,
                "following": following,
                "who": who,
            }
        )
        body = twin.facts.env.get_template("pengaduan/report.html").render(context)
        return twin.respond(body, csrf_cookie, token)

    app = Litestar(
        route_handlers=[board, report],
        on_startup=[start],
        on_shutdown=[twin.stop],
        debug=False,
    )
    return BenchProbe(app, log)
