"""The public board: the city's reports, newest first, with state, category and kelurahan.

No reporter is named; photos show only once an officer cleared them (on the
report's own page). The reports with a map point are drawn on the city's map
(the theme's ``ui.map``) with JavaScript; the table lists them all anyway.
Paged with ``?page=``; filtered by ``?kategori=`` and ``?status=open|closed``.
"""

from __future__ import annotations

from balai import toolkit as tk
from litestar import Request, Response, get
from litestar.params import FromQuery

from balai_pengaduan.handling.workflow import CLOSED_STATES, FLOW, OPEN_STATES
from balai_pengaduan.settings import city_settings
from balai_pengaduan.tables import Report


def board_select(category: str, status: str):
    """The board's query: one index (city, created_at) or (city, category, created_at)."""
    query = Report.select(
        Report.number,
        Report.category,
        Report.status,
        Report.kelurahan,
        Report.urgent,
        Report.created_at,
        Report.latitude,
        Report.longitude,
    )
    if category:
        query = query.where(Report.category == category)
    if status == "open":
        query = query.where(Report.status.is_in(list(OPEN_STATES)))
    elif status == "closed":
        query = query.where(Report.status.is_in(list(CLOSED_STATES)))
    return query.order_by(Report.created_at, ascending=False).order_by(Report.id, ascending=False)


@get("/", opt=tk.PUBLIC, name="pengaduan:board")
async def board(
    request: Request, kategori: FromQuery[str] = "", status: FromQuery[str] = ""
) -> Response:
    """The board, with the way to report and the emergency number first."""
    settings = city_settings()
    category = kategori if settings.category(kategori) else ""
    state = status if status in ("open", "closed") else ""
    found = await tk.paginate(
        request,
        board_select(category, state),
        per_page=settings.per_page,
        keep={"kategori": category, "status": state},
    )
    names = {c.code: c.name for c in settings.categories}
    markers = [
        {
            "lat": r["latitude"],
            "lon": r["longitude"],
            "label": f"{r['number']} · {names.get(r['category'], r['category'])}",
            "href": tk.city_url(request, f"/pengaduan/laporan/{r['number']}"),
        }
        for r in found.rows
        if r["latitude"] is not None and r["longitude"] is not None
    ]
    return await tk.render(
        request,
        "pengaduan/board.html",
        {
            "found": found,
            "markers": markers,
            "names": names,
            "categories": settings.categories,
            "kategori": category,
            "status": state,
            "labels": FLOW.labels(),
            "emergency_number": settings.emergency_number,
        },
    )


PAGES = [board]
