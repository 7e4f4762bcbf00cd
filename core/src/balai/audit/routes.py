"""Audit pages: the officers' search (``/kelola/audit/``) and a citizen's "who viewed my data"."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from litestar import Request, Response, get

from balai.audit import search
from balai.auth.access import current_user, require_login, require_permission
from balai.web.rendering import city_url, render

VIEW = "audit.view"
log = logging.getLogger("balai.audit")


@get("/", guards=[require_permission(VIEW)], name="audit-office")
async def office_log(request: Request) -> Response:
    """Search the city's audit log by action, actor, subject and date range."""
    filters, errors = search.parse_filters(request.query_params)
    actions = await search.known_actions()
    base = city_url(request, "/kelola/audit/")
    context = {
        "filters": filters,
        "actions": actions,
        "errors": errors,
        "page_url": lambda p: base + "?" + urlencode(filters.query_args(p)),
    }
    if errors:
        log.info("400 on the audit search: %s", sorted(errors))
        return await render(
            request, "audit/office.html", {**context, "result": None}, status_code=400
        )
    result = await search.search(filters)
    return await render(request, "audit/office.html", {**context, "result": result})


@get("/data-saya", guards=[require_login], name="audit-my-data")
async def my_data_views(request: Request) -> Response:
    """Who viewed the visitor's personal data, when and doing what."""
    page, error = search.parse_page(request.query_params.get("page"))
    base = city_url(request, "/audit/data-saya")
    context = {"page_url": lambda p: f"{base}?page={p}", "errors": {"page": error} if error else {}}
    if error:
        log.info("400 on who-viewed-my-data: bad page %r", request.query_params.get("page"))
        return await render(
            request, "audit/my_data.html", {**context, "result": None}, status_code=400
        )
    user = await current_user(request)
    result = await search.viewed_data_of(user.id, page)
    return await render(request, "audit/my_data.html", {**context, "result": result})


PAGES = [my_data_views]
OFFICE = [office_log]
