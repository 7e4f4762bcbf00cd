"""The citizen's notification list (``/notifikasi/``)."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromQuery

from balai.auth.access import PUBLIC, current_user, require_login
from balai.auth.accounts import normalise_phone
from balai.i18n import gettext as _
from balai.notifications import phone_sandbox, runtime
from balai.notifications.tables import OutboxMessage
from balai.web.lists import Page, read_page
from balai.web.numbers import plain_int
from balai.web.rendering import city_url, render

PAGE_SIZE = 20
MAX_PAGE = 100_000
log = logging.getLogger("balai.notifications")


async def notifications_of(user_id: int, page: int, page_size: int = PAGE_SIZE) -> Page:
    """The user's notifications in the current city, newest first."""
    select = (
        OutboxMessage.select(
            OutboxMessage.id,
            OutboxMessage.kind,
            OutboxMessage.channel,
            OutboxMessage.subject,
            OutboxMessage.body,
            OutboxMessage.status,
            OutboxMessage.created_at,
            OutboxMessage.sent_at,
        )
        .where(OutboxMessage.user_id == user_id)
        .order_by(OutboxMessage.created_at, ascending=False)
        .order_by(OutboxMessage.id, ascending=False)
    )
    return await read_page(select, page, page_size)


@get("/", guards=[require_login], name="notifications")
async def my_notifications(request: Request) -> Response:
    """The visitor's notifications; an htmx request gets just the list."""
    raw = request.query_params.get("page", "")
    fragment = request.headers.get("hx-request") == "true"
    template = "notifications/_list.html" if fragment else "notifications/list.html"
    base = city_url(request, "/notifikasi/")
    context: dict[str, Any] = {"page_url": lambda p: f"{base}?page={p}", "errors": {}}
    page = plain_int(raw or "1")
    if page is None or not 1 <= page <= MAX_PAGE:
        log.info("400 on the notification list: bad page %r", raw[:40])
        context["errors"] = {"page": _("The page number must be a whole number from 1.")}
        return await render(request, template, {**context, "result": None}, status_code=400)
    user = await current_user(request)
    result = await notifications_of(user.id, page)
    return await render(request, template, {**context, "result": result})


@get("/ponsel-uji", opt=PUBLIC, name="phone-sandbox")
async def phone_sandbox_inbox(request: Request, nomor: FromQuery[str] = "") -> Response:
    """The sandbox provider's texts: the test phone of development and tests (404 elsewhere)."""
    if not runtime.phone_sandbox_active():
        raise NotFoundException()
    phone = normalise_phone(nomor[:40]) if nomor else None
    messages = await phone_sandbox.inbox(phone)
    return await render(
        request,
        "notifications/phone_sandbox.html",
        {"messages": messages, "phone": nomor[:40]},
    )


PAGES = [my_notifications, phone_sandbox_inbox]
