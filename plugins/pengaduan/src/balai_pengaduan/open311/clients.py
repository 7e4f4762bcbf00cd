"""The desk registers Open311 client applications: a key shown once, stored hashed; revoke."""

from __future__ import annotations

from datetime import UTC, datetime

from balai import toolkit as tk
from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect

from balai_pengaduan.open311 import keys
from balai_pengaduan.settings import ADMIN
from balai_pengaduan.tables import ApiClient

GUARD = [tk.require_permission(ADMIN)]
PATH = "/kelola/pengaduan/open311"


class ClientForm(tk.Form):
    """A client application to register."""

    name = tk.TextField("Application name", min_length=3, max_length=120)


async def _page(
    request: Request, form: ClientForm, new_key: str = "", status: int = 200
) -> Response:
    rows = await ApiClient.select(
        ApiClient.id,
        ApiClient.name,
        ApiClient.key_hint,
        ApiClient.created_at,
        ApiClient.revoked_at,
    ).order_by(ApiClient.id, ascending=False)
    return await tk.render(
        request,
        "pengaduan/office_clients.html",
        {
            "rows": rows,
            "form": form,
            "new_key": new_key,
            "endpoint": tk.absolute_url("/api/pengaduan/georeport/v2/"),
        },
        status_code=status,
    )


@get("/open311", guards=GUARD, name="pengaduan:clients")
async def clients(request: Request) -> Response:
    """The city's Open311 client applications (keys are never shown again)."""
    return await _page(request, ClientForm())


@post("/open311", guards=GUARD, name="pengaduan:clients-add")
async def clients_add(request: Request) -> Response:
    """Register an application: its key is on this answer only (``no-store``)."""
    form = ClientForm(await request.form())
    if not await form.validate():
        return await _page(request, form, status=400)
    user = await tk.current_user(request)
    row, key = await keys.register(form.clean["name"], user.id)
    await tk.audit_record(
        "pengaduan.client_registered",
        actor_id=user.id,
        request=request,
        subject=f"pengaduan.client:{row['id']}",
    )
    return await _page(request, ClientForm(), new_key=key)


@post("/open311/{client_id:int}/cabut", guards=GUARD, name="pengaduan:clients-revoke")
async def clients_revoke(request: Request, client_id: FromPath[int]) -> Response:
    """Revoke an application's key: its requests are refused from now on."""
    row = await ApiClient.select(ApiClient.id).where(ApiClient.id == client_id).first()
    if row is None:
        raise NotFoundException()
    await ApiClient.update({ApiClient.revoked_at: datetime.now(UTC)}).where(
        (ApiClient.id == client_id) & ApiClient.revoked_at.is_null()
    )
    user = await tk.current_user(request)
    await tk.audit_record(
        "pengaduan.client_revoked",
        actor_id=user.id,
        request=request,
        subject=f"pengaduan.client:{client_id}",
    )
    tk.flash(request, tk._("The key is revoked."), "success")
    return Redirect(tk.city_url(request, PATH), status_code=303)


OFFICE = [clients, clients_add, clients_revoke]
