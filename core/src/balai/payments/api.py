"""The payments JSON API at ``/api/bayar/``: the gateway's callback endpoint."""

from __future__ import annotations

import msgspec
from litestar import Request, Response, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from balai.payments.callbacks import handle_callback
from balai.payments.service import providers
from balai.web.api_docs import ApiError, error_responses

CALLBACK_OPT = {"public": True, "exclude_from_csrf": True}


class SnapAnswer(msgspec.Struct):
    """The gateway's answer (SNAP): a response code and message."""

    responseCode: str
    responseMessage: str


# The handler's own refusals (SNAP bodies): 401 for any authentication failure,
# 403 another partner's body, 409 another provider's payment, 413 too large,
# 422 amount mismatch, 503 no gateway; 400 and 404 come from it or the platform.
CALLBACK_RESPONSES = {
    **error_responses(400, 404, 413, body=SnapAnswer | ApiError),
    **error_responses(401, 403, 409, 422, 503, body=SnapAnswer),
}


@post(
    "/callback/{provider:str}",
    opt=CALLBACK_OPT,
    name="payments-callback",
    status_code=200,
    summary="Receive a payment gateway's signed callback",
    tags=["Payments"],
    responses=CALLBACK_RESPONSES,
)
async def callback(request: Request, provider: FromPath[str]) -> Response[SnapAnswer]:
    """Receive a signed gateway callback (SNAP), verified over the raw body and applied once."""
    known = providers(request.app.state.ui.registry).get(provider)
    if known is None or not known.via_gateway:
        raise NotFoundException()
    answer = await handle_callback(request, provider)
    return Response(answer.body(), status_code=answer.status)
