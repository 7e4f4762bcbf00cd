"""Erasure on request: the citizen asks, a data-protection officer reviews, the account is erased.

The citizen sees on ``/akun/data`` what each service keeps and what it
erases, and asks there. The officer (``audit.review_erasure``) opens the
request, sees the same sections (a view of the citizen's personal data,
audited), and either erases the account (what ``/akun/hapus`` does: every
service answers ``user_deleted``, keeping what the law requires, then the
account is pseudonymised) or declines with a reason the citizen reads.
"""

from __future__ import annotations

from datetime import UTC, datetime

from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect

from balai.audit.log import record
from balai.audit.tables import ErasureRequest
from balai.auth.access import current_user, require_login, require_permission
from balai.auth.account_pages import delete_account
from balai.auth.data_pages import collect
from balai.auth.pages import field
from balai.i18n import gettext as _
from balai.tables import User
from balai.web.rendering import city_url, flash, render

REVIEW = "audit.review_erasure"
PENDING = "pending"
MAX_NOTE = 300


async def open_request(user_id: int) -> dict | None:
    """The account's latest erasure request, if any."""
    return await (
        ErasureRequest.select()
        .where(ErasureRequest.user_id == user_id)
        .order_by(ErasureRequest.id, ascending=False)
        .first()
    )


@post("/hapus-data", guards=[require_login], name="audit-erasure-request")
async def ask(request: Request) -> Response:
    """The citizen asks for their data to be erased (after reading what is kept)."""
    user = await current_user(request)
    form = await request.form()
    back = city_url(request, "/akun/data")
    if user.is_officer:
        flash(request, _("An officer account is closed by the city administrator."), "error")
        return Redirect(back, status_code=303)
    if field(form, "confirm") != "1":
        flash(request, _("Tick the box to confirm the request."), "error")
        return Redirect(back, status_code=303)
    latest = await open_request(user.id)
    if latest is None or latest["status"] != PENDING:
        await ErasureRequest.insert(ErasureRequest(user_id=user.id, requested_at=datetime.now(UTC)))
        await record("audit.erasure_requested", actor_id=user.id, request=request)
    flash(request, _("Your request is sent; an officer reviews it."), "success")
    return Redirect(back, status_code=303)


@get("/penghapusan", guards=[require_permission(REVIEW)], name="audit-erasures")
async def queue(request: Request) -> Response:
    """Requests waiting for review, oldest first."""
    rows = await (
        ErasureRequest.select(
            ErasureRequest.id, ErasureRequest.user_id, ErasureRequest.requested_at
        )
        .where(ErasureRequest.status == PENDING)
        .order_by(ErasureRequest.requested_at)
    )
    return await render(request, "audit/erasures.html", {"requests": rows})


async def _pending(request_id: int) -> dict:
    row = await ErasureRequest.select().where(ErasureRequest.id == request_id).first()
    if row is None or row["status"] != PENDING:
        raise NotFoundException()
    return row


async def _review_page(request: Request, row: dict, errors: dict, status: int = 200) -> Response:
    officer = await current_user(request)
    person = await User.select(User.name).where(User.id == row["user_id"]).first()
    await record(
        "audit.erasure_reviewed",
        actor_id=officer.id,
        request=request,
        subject=f"erasure:{row['id']}",
        personal_data_of=row["user_id"],
    )
    return await render(
        request,
        "audit/erasure.html",
        {
            "erasure": row,
            "name": person["name"] if person else "",
            "sections": await collect(request, row["user_id"]),
            "errors": errors,
        },
        status_code=status,
    )


@get("/penghapusan/{request_id:int}", guards=[require_permission(REVIEW)], name="audit-erasure")
async def review(request: Request, request_id: FromPath[int]) -> Response:
    """One request: what each service keeps and erases, and the decision."""
    return await _review_page(request, await _pending(request_id), {})


@post(
    "/penghapusan/{request_id:int}",
    guards=[require_permission(REVIEW)],
    name="audit-erasure-decide",
)
async def decide(request: Request, request_id: FromPath[int]) -> Response:
    """Erase the account, or decline with a reason."""
    row = await _pending(request_id)
    officer = await current_user(request)
    form = await request.form()
    decision, note = field(form, "decision"), " ".join(field(form, "note").split())
    if decision not in ("erase", "decline"):
        return await _review_page(
            request, row, {"decision": _("Choose to erase or to decline.")}, status=400
        )
    if len(note) > MAX_NOTE or (decision == "decline" and not note):
        message = _("Write the reason for declining (at most 300 characters).")
        return await _review_page(request, row, {"note": message}, status=400)
    if decision == "erase":
        await delete_account(request, row["user_id"])
    await ErasureRequest.update(
        {
            ErasureRequest.status: "erased" if decision == "erase" else "declined",
            ErasureRequest.decided_at: datetime.now(UTC),
            ErasureRequest.decided_by: officer.id,
            ErasureRequest.note: note,
        }
    ).where(ErasureRequest.id == row["id"])
    await record(
        f"audit.erasure_{'done' if decision == 'erase' else 'declined'}",
        actor_id=officer.id,
        request=request,
        subject=f"erasure:{row['id']}",
    )
    flash(request, _("The request is decided."), "success")
    return Redirect(city_url(request, "/kelola/audit/penghapusan"), status_code=303)


PAGES = [ask]
OFFICE = [queue, review, decide]
