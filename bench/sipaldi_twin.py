"""The sipaldi household page's twin: "My tanks" with hand-written SQL, same template.

``GET /malang/sipaldi/tangki/`` runs the session and user statements of the
home twin (:mod:`bench.twin_db`, through :class:`bench.pajak_twin.PajakTwin`),
then the household's premises, the published visits of those premises and
its unpaid disposal fees (three statements, as the platform's page), turns
the rows into the template's context by hand (dates parsed, the latest visit
per premises kept) and renders ``sipaldi/my_tanks.html`` through the same
theme loader chain. The visit states' and tank types' names are the plugin's
(what the page shows, not platform machinery). Run by uvicorn as a factory
(``bench.sipaldi_twin:build``) with the environment of :mod:`bench.serve_balai`.
"""

from __future__ import annotations

from datetime import datetime

from litestar import Litestar, Request, Response, get

from bench.counting import BenchProbe, QueryLog
from bench.instance import CITY
from bench.pajak_twin import PajakTwin, _date
from bench.twin_app import Twin

PREMISES_SQL = (
    "SELECT id, address, kelurahan, tank_type, tank_litres, last_desludged, next_due "
    "FROM sipaldi_premises WHERE city = {0} AND owner_id = {1} ORDER BY next_due, id"
)
VISITS_SQL = (
    "SELECT id, premises_id, day, status FROM sipaldi_visit "
    "WHERE city = {0} AND premises_id IN ({ids}) AND status != 'proposed' ORDER BY day"
)
UNPAID_SQL = (
    "SELECT id, litres, amount FROM sipaldi_fee WHERE city = {0} AND owner_id = {1} AND paid = {2}"
)


def build() -> BenchProbe:
    """The sipaldi twin for uvicorn, with the query probe in front."""
    from balai.i18n import activate
    from balai_sipaldi.premises.routes import tank_type_labels
    from balai_sipaldi.visits import VISITS
    from balai_sipaldi.volumes import format_m3

    log = QueryLog()
    twin = Twin(log)
    side = PajakTwin(twin)

    async def start() -> None:
        import os

        from balai.config import load_config
        from balai.web.app import create_app

        from bench.serve_balai import plugin_list

        await twin.start()
        app = create_app(
            load_config(os.environ["BENCH_CONFIG"]),
            plugins=plugin_list(os.environ.get("BENCH_PLUGINS")),
        )
        side.catalogs = app.ui.catalogs

    @get(f"/{CITY}/sipaldi/tangki/")
    async def my_tanks(request: Request) -> Response:
        facts = twin.facts
        assert facts is not None
        city = facts.city
        activate(side.catalogs, city.locale)
        csrf_cookie, token, user, flashes = await side.visitor(request)
        if user is None:
            return Response("login", status_code=303, headers={"location": f"/{CITY}/masuk"})
        marks = side.marks(3)
        rows = await twin.db.fetch(PREMISES_SQL.format(*marks[:2]), CITY, user.id)
        tanks = [
            {
                "id": pid,
                "address": address,
                "kelurahan": kelurahan,
                "tank_type": tank_type,
                "tank_litres": litres,
                "last_desludged": _date(last) if last is not None else None,
                "next_due": _date(due) if due is not None else None,
                "visit": None,
            }
            for pid, address, kelurahan, tank_type, litres, last, due in rows
        ]
        if tanks:
            ids = side.marks(len(tanks), first=2)
            by_id = {t["id"]: t for t in tanks}
            sql = VISITS_SQL.format(marks[0], ids=", ".join(ids))
            for vid, premises_id, day, status in await twin.db.fetch(sql, CITY, *by_id):
                by_id[premises_id]["visit"] = {"id": vid, "day": _date(day), "status": status}
        unpaid_sql = UNPAID_SQL.format(*marks)
        unpaid = [
            {"id": fid, "litres": litres, "amount": amount}
            for fid, litres, amount in await twin.db.fetch(
                unpaid_sql, CITY, user.id, 0 if twin.db.is_sqlite else False
            )
        ]
        extra = {
            "tanks": tanks,
            "unpaid": unpaid,
            "labels": VISITS.labels(),
            "types": tank_type_labels(),
            "today": datetime.now(city.tz).date(),
            "m3": format_m3,
        }
        body = side.page(request, "sipaldi/my_tanks.html", token, user, flashes, extra)
        return twin.respond(body, csrf_cookie, token)

    app = Litestar(route_handlers=[my_tanks], on_startup=[start], on_shutdown=[twin.stop])
    return BenchProbe(app, log)
