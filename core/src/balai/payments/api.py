"""The payments JSON API at ``/api/bayar/``: the gateway's callback endpoint."""

from __future__ import annotations

from dataclasses import dataclass

import msgspec
from litestar import Request, Response, post
from litestar.exceptions import NotFoundException
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIType, Operation, Parameter, RequestBody
from litestar.openapi.spec import Schema as S
from litestar.params import FromPath

from balai.payments.callbacks import AMOUNT, EVENT_ID, KINDS, handle_callback
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


_TEXT = S(type=OpenAPIType.STRING, min_length=1)
CALLBACK_FIELDS = ("eventId", "partnerServiceId", "partnerReferenceNo", "channel")
CALLBACK_FIELDS += ("latestTransactionStatus", "paidAmount")
# What the handler reads; it checks the signature over the raw body first.
CALLBACK_BODY = S(
    type=OpenAPIType.OBJECT,
    required=list(CALLBACK_FIELDS),
    properties={
        "eventId": S(type=OpenAPIType.STRING, pattern=EVENT_ID.pattern),
        "partnerServiceId": _TEXT,
        "partnerReferenceNo": _TEXT,
        "channel": _TEXT,
        "latestTransactionStatus": S(type=OpenAPIType.STRING, enum=sorted(KINDS)),
        "paidAmount": S(
            type=OpenAPIType.OBJECT,
            required=["value", "currency"],
            properties={
                "value": S(type=OpenAPIType.STRING, pattern=AMOUNT.pattern),
                "currency": S(type=OpenAPIType.STRING, enum=["IDR"]),
            },
        ),
    },
)
SIGNED_HEADERS = {
    "X-TIMESTAMP": "When it was sent: ISO 8601 with its zone offset, within 5 minutes of now.",
    "X-SIGNATURE": "HMAC-SHA512 of method, path, token, body hash and timestamp (SNAP).",
    "X-PARTNER-ID": "The city's partner id at the gateway.",
    "X-EXTERNAL-ID": "The gateway's id of this message.",
}


@dataclass
class CallbackOperation(Operation):
    """The callback's operation, with the signed headers and the JSON body it reads."""

    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            content={"application/json": OpenAPIMediaType(schema=CALLBACK_BODY)}, required=True
        )
        self.parameters = [
            *(self.parameters or []),
            *(
                Parameter(name=name, param_in="header", required=True, schema=_TEXT, description=d)
                for name, d in SIGNED_HEADERS.items()
            ),
        ]


@post(
    "/callback/{provider:str}",
    opt=CALLBACK_OPT,
    name="payments-callback",
    status_code=200,
    summary="Receive a payment gateway's signed callback",
    tags=["Payments"],
    responses=CALLBACK_RESPONSES,
    operation_class=CallbackOperation,
)
async def callback(request: Request, provider: FromPath[str]) -> Response[SnapAnswer]:
    """Receive a signed gateway callback (SNAP), verified over the raw body and applied once."""
    known = providers(request.app.state.ui.registry).get(provider)
    if known is None or not known.via_gateway:
        raise NotFoundException()
    answer = await handle_callback(request, provider)
    return Response(answer.body(), status_code=answer.status)
