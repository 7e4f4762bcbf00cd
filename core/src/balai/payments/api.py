"""The payments JSON API at ``/api/bayar/``: the gateway's callback endpoint."""

from __future__ import annotations

from litestar import Request, Response, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from balai.payments.callbacks import handle_callback
from balai.payments.service import providers

CALLBACK_OPT = {"public": True, "exclude_from_csrf": True}


@post("/callback/{provider:str}", opt=CALLBACK_OPT, name="payments-callback", status_code=200)
async def callback(request: Request, provider: FromPath[str]) -> Response:
    """Receive a signed gateway callback (SNAP), verified over the raw body and applied once."""
    known = providers(request.app.state.ui.registry).get(provider)
    if known is None or not known.via_gateway:
        raise NotFoundException()
    answer = await handle_callback(request, provider)
    return Response(answer.body(), status_code=answer.status)
