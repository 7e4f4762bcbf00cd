"""Dashboard pages: the page, one widget's card (htmx refresh) and one widget's CSV."""

from __future__ import annotations

import csv
import io
import logging
from urllib.parse import urlencode

from litestar import Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from balai.auth.access import require_permission
from balai.dashboard import collect
from balai.dashboard.charts import format_value, render_chart
from balai.dashboard.period import PRESETS, Period, PeriodError, parse_period
from balai.dashboard.widgets import Widget
from balai.i18n import gettext as _
from balai.tenants import current_city
from balai.web.rendering import city_url, render

VIEW = "dashboard.view"
CSV_SUFFIX = ".csv"
MAX_QUERY_VALUE = 40
log = logging.getLogger("balai.dashboard")


def _period(request: Request) -> Period:
    args = {k: request.query_params.get(k) or "" for k in ("period", "from", "to")}
    if any(len(v) > MAX_QUERY_VALUE for v in args.values()):
        raise PeriodError(_("The period is too long to be a date range."))
    return parse_period(args, current_city().tz)


def _helpers(request: Request, period: Period | None) -> dict:
    query = urlencode(period.query()) if period else ""

    def widget_url(widget: Widget, suffix: str = "") -> str:
        return city_url(request, f"/dasbor/widget/{widget.key}{suffix}") + (
            f"?{query}" if query else ""
        )

    return {
        "period": period,
        "presets": PRESETS,
        "widget_url": widget_url,
        "chart_svg": render_chart,
        "format_value": format_value,
        "dimension_titles": collect.DIMENSION_TITLES,
        "feeders": collect.FEEDERS,
    }


def _bad_period(request: Request, exc: PeriodError) -> None:
    log.info("dashboard: refused period %s: %s", dict(request.query_params), exc)


@get("/", guards=[require_permission(VIEW)], name="dashboard", include_in_schema=False)
async def dashboard_page(request: Request) -> Response:
    """The mayor's dashboard for a period (default: the last 30 days)."""
    args = {
        k: (request.query_params.get(k) or "")[:MAX_QUERY_VALUE] for k in ("period", "from", "to")
    }
    try:
        period = _period(request)
    except PeriodError as exc:
        _bad_period(request, exc)
        context = {**_helpers(request, None), "error": str(exc), "form": args, "sections": []}
        return await render(request, "dashboard/index.html", context, status_code=400)
    widgets = await collect.gather_widgets(request, period)
    form = {"period": period.preset, "from": period.start.isoformat(), "to": period.end.isoformat()}
    context = {
        **_helpers(request, period),
        "error": "",
        "form": form,
        "sections": collect.sections(widgets),
    }
    return await render(request, "dashboard/index.html", context)


@get(
    "/widget/{name:str}",
    guards=[require_permission(VIEW)],
    name="dashboard-widget",
    include_in_schema=False,
)
async def widget_part(request: Request, name: FromPath[str]) -> Response:
    """One widget: its card alone (``<key>``, for htmx) or its numbers as CSV (``<key>.csv``)."""
    as_csv = name.endswith(CSV_SUFFIX)
    key = name[: -len(CSV_SUFFIX)] if as_csv else name
    try:
        period = _period(request)
    except PeriodError as exc:
        _bad_period(request, exc)
        return Response(str(exc), status_code=400, media_type="text/plain")
    widget = next((w for w in await collect.gather_widgets(request, period) if w.key == key), None)
    if widget is None:
        raise NotFoundException(f"no dashboard widget {key!r}")
    if as_csv:
        return csv_response(widget, period)
    return await render(
        request, "dashboard/_widget.html", {**_helpers(request, period), "widget": widget}
    )


def csv_response(widget: Widget, period: Period) -> Response:
    """The widget's numbers as a CSV download named after its key and period."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(widget.csv_rows())
    filename = f"{widget.key}_{period.start.isoformat()}_{period.end.isoformat()}.csv"
    return Response(
        buffer.getvalue(),
        media_type="text/csv",
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )


PAGES = [dashboard_page, widget_part]
