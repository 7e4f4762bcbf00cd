"""The dashboard's twin: ``GET /malang/dasbor/`` with hand-written SQL, same template.

The request path is bare: the session and user statements of the home twin
(:mod:`bench.twin_db`), then the platform's three dashboard statements in
hand-written SQL: every metric's totals over the period and the one before
(one ``GROUP BY metric``), the accounts metric's days of the period (the
chart), and the accounts registered before the previous period (the
cumulative figure). The widgets (the core's accounts, the payments service's
revenue and payments per channel) are computed from those rows in plain
Python, and ``dashboard/index.html`` rendered through the same theme loader
chain with the same context. The pure value types of the page (``Period``,
``Widget``) and the chart drawing are shared with the platform: they are what
the template renders, not platform machinery. Run by uvicorn as a factory
(``bench.dashboard_twin:build``) with the environment of
:mod:`bench.serve_balai`.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from litestar import Litestar, Request, Response, get
from litestar.middleware.csrf import generate_csrf_token

from bench.counting import BenchProbe, QueryLog
from bench.instance import CITY
from bench.twin_app import CSRF_COOKIE, SESSION_COOKIE, Twin, TwinUser, _Flash, page_path

DASHBOARD_PATH = f"/{CITY}/dasbor/"
ACCOUNTS = "core.accounts_registered"
PROVIDERS = ("cash", "va", "qris", "ewallet")
PROVIDER_TITLES = {
    "cash": "Cash",
    "va": "Bank virtual account",
    "qris": "QRIS",
    "ewallet": "E-wallet",
}
TOTALS_SQL = (
    "SELECT metric, SUM(CASE WHEN day >= {0} THEN value ELSE 0 END), "
    "SUM(CASE WHEN day < {0} THEN value ELSE 0 END) FROM balai_dashboard_daily "
    "WHERE city = {1} AND day >= {2} AND day <= {3} GROUP BY metric"
)
SERIES_SQL = (
    "SELECT day, value FROM balai_dashboard_daily "
    "WHERE city = {0} AND metric = {1} AND day >= {2} AND day <= {3}"
)
BEFORE_SQL = (
    "SELECT SUM(value) FROM balai_dashboard_daily WHERE city = {0} AND metric = {1} AND day < {2}"
)


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def widgets_from_rows(
    totals: dict[str, tuple[int, int]],
    series_rows: list[tuple[Any, int]],
    accounts_before: int,
    period: Any,
) -> list[Any]:
    """The page's widgets from the statements' rows, computed as the services compute them.

    Args:
        totals: metric -> (sum over the period, sum over the period before).
        series_rows: the accounts metric's (day, value) rows of the period.
        accounts_before: accounts registered before the previous period.
        period: the page's period.
    """
    from balai.dashboard.widgets import Widget
    from balai.i18n import rupiah
    from balai.payments.labels import provider_title
    from balai.types import Dimension

    now, then = totals.get(ACCOUNTS, (0, 0))
    series = dict.fromkeys(period.buckets(), 0)
    for day, value in series_rows:
        series[period.bucket_of(_day(day))] += int(value)
    widgets = [
        Widget.figure(
            "core.accounts_total",
            Dimension.GOVERNANCE,
            "Registered accounts",
            accounts_before + then + now,
            previous=accounts_before + then,
            note="Citizen and officer accounts at the end of the period.",
            order=10,
        ),
        Widget.figure(
            "core.accounts_new",
            Dimension.SOCIETY,
            "New accounts",
            now,
            previous=then,
            note="Accounts registered during the period.",
            order=10,
        ),
        Widget.chart(
            "core.accounts_per_day",
            Dimension.SOCIETY,
            "New accounts over the period",
            [(period.label(b), v) for b, v in series.items()],
            chart_type="bar",
            note="One bar per day, or per month for periods over three months.",
            order=20,
        ),
    ]
    revenue = previous = 0
    table = []
    for key in PROVIDERS:
        got, before = totals.get(f"payments.revenue.{key}", (0, 0))
        revenue += got
        previous += before
        table.append(
            [
                provider_title(key, PROVIDER_TITLES[key]),
                totals.get(f"payments.count.{key}", (0, 0))[0],
                rupiah(got),
            ]
        )
    widgets += [
        Widget.figure(
            "payments.revenue",
            Dimension.GOVERNANCE,
            "Revenue received",
            revenue,
            previous=previous,
            unit="rupiah",
            note="Payments for all city services, net of refunds.",
            order=40,
        ),
        Widget.table(
            "payments.per_channel",
            Dimension.GOVERNANCE,
            "Payments per channel",
            ("Channel", "Payments", "Revenue"),
            table,
            order=41,
        ),
    ]
    return sorted(widgets, key=lambda w: (w.order, w.key))


def build() -> BenchProbe:
    """The dashboard twin for uvicorn, with the query probe in front."""
    from urllib.parse import urlencode

    from balai.dashboard import collect
    from balai.dashboard.charts import format_value, render_chart
    from balai.dashboard.period import PRESETS, parse_period
    from balai.i18n import activate

    log = QueryLog()
    twin = Twin(log)
    state: dict[str, Any] = {}

    async def start() -> None:
        await twin.start()
        import os

        from balai.config import load_config
        from balai.i18n import Catalogs  # noqa: F401 (the platform's catalogs, read once)
        from balai.web.app import create_app

        from bench.serve_balai import plugin_list

        app = create_app(
            load_config(os.environ["BENCH_CONFIG"]),
            plugins=plugin_list(os.environ.get("BENCH_PLUGINS")),
        )
        state["catalogs"] = app.ui.catalogs
        marks = ("?", "?", "?", "?") if twin.db.is_sqlite else ("$1", "$2", "$3", "$4")
        # SQLite's ? marks are taken in order, so there the period's start is passed twice.
        state["totals_sql"] = TOTALS_SQL.format(*marks)
        state["series_sql"] = SERIES_SQL.format(*marks)
        state["before_sql"] = BEFORE_SQL.format(*marks)

    @get(DASHBOARD_PATH)
    async def dashboard(request: Request) -> Response:
        facts = twin.facts
        assert facts is not None
        city = facts.city
        activate(state["catalogs"], city.locale)
        cookies = request.cookies
        csrf_cookie = cookies.get(CSRF_COOKIE)
        token = csrf_cookie or generate_csrf_token(facts.secret_key)
        session_id = cookies.get(SESSION_COOKIE)
        session: dict[str, Any] | None = None
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
        if user is None or not user.can("dashboard.view"):
            return Response("forbidden", status_code=403)
        period = parse_period(
            {k: request.query_params.get(k) or "" for k in ("period", "from", "to")}, city.tz
        )
        start = period.previous().start
        if twin.db.is_sqlite:
            rows = await twin.db.fetch(
                state["totals_sql"], period.start, period.start, CITY, start, period.end
            )
        else:
            rows = await twin.db.fetch(state["totals_sql"], period.start, CITY, start, period.end)
        totals = {r[0]: (int(r[1] or 0), int(r[2] or 0)) for r in rows}
        series = await twin.db.fetch(state["series_sql"], CITY, ACCOUNTS, period.start, period.end)
        before = await twin.db.fetch(state["before_sql"], CITY, ACCOUNTS, start)
        widgets = widgets_from_rows(
            totals, [tuple(r) for r in series], int(before[0][0] or 0), period
        )
        query = urlencode(period.query())
        root = f"/{CITY}"
        flashes = [_Flash(c, m) for c, m in session.pop("_flash", [])] if session else []
        context = twin.context(page_path(request), token, user, flashes)
        context.pop("tiles", None)
        context.update(
            {
                "period": period,
                "presets": PRESETS,
                "widget_url": lambda w, suffix="": f"{root}/dasbor/widget/{w.key}{suffix}?{query}",
                "chart_svg": render_chart,
                "format_value": format_value,
                "dimension_titles": collect.DIMENSION_TITLES,
                "feeders": collect.FEEDERS,
                "error": "",
                "form": {
                    "period": period.preset,
                    "from": period.start.isoformat(),
                    "to": period.end.isoformat(),
                },
                "sections": collect.sections(widgets),
            }
        )
        body = facts.env.get_template("dashboard/index.html").render(context)
        return twin.respond(body, csrf_cookie, token)

    app = Litestar(
        route_handlers=[dashboard], on_startup=[start], on_shutdown=[twin.stop], debug=False
    )
    return BenchProbe(app, log)
