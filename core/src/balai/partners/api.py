"""The partners' signed JSON API at ``/api/mitra/v1.0/`` (SNAP-style), listed in OpenAPI.

``access-token/b2b`` gives a token for an asymmetric signature;
``transfer-va/inquiry``, ``transfer-va/payment`` and ``transfer-va/reversal``
are the biller cycle (:mod:`balai.partners.bills`). Every answer, success or
refusal, is a SNAP body (``responseCode``, ``responseMessage``, data);
:mod:`balai.partners.auth` checks each request before anything is read.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import msgspec
from litestar import Request, Response, post
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIType, Operation, Parameter, RequestBody
from litestar.openapi.spec import Schema as S

from balai.partners import answers, auth, bills, lookup, recon_api, tickets
from balai.partners.types import PartnerService
from balai.web.api_docs import ApiError, error_responses

log = logging.getLogger("balai.partners.api")

OPEN = {"public": True, "exclude_from_csrf": True}


class SnapBody(msgspec.Struct):
    """A SNAP answer: response code and message (data beside them on success)."""

    responseCode: str
    responseMessage: str


class TokenBody(msgspec.Struct):
    """The access-token answer."""

    responseCode: str
    responseMessage: str
    accessToken: str
    tokenType: str
    expiresIn: str


RESPONSES = {
    **error_responses(400, 413, body=SnapBody | ApiError),
    **error_responses(401, 403, 404, 409, body=SnapBody),
}

_ID = S(type=OpenAPIType.STRING, pattern=bills.REQUEST_ID.pattern)
_CUSTOMER = S(type=OpenAPIType.STRING, pattern=lookup.CUSTOMER_NUMBER.pattern)
_MONEY = S(
    type=OpenAPIType.OBJECT,
    required=["value", "currency"],
    properties={
        "value": S(type=OpenAPIType.STRING, pattern=bills.AMOUNT.pattern),
        "currency": S(type=OpenAPIType.STRING, enum=["IDR"]),
    },
)
TOKEN_HEADERS = {
    "X-TIMESTAMP": "When it was sent: ISO 8601 with its zone offset, within 5 minutes of now.",
    "X-CLIENT-KEY": "The partner's client id.",
    "X-SIGNATURE": "Base64 SHA256withRSA (or ECDSA P-256) signature of client id|X-TIMESTAMP.",
}
SIGNED_HEADERS = {
    "Authorization": "Bearer and the access token.",
    "X-TIMESTAMP": "When it was sent: ISO 8601 with its zone offset, within 5 minutes of now.",
    "X-PARTNER-ID": "The partner's client id.",
    "X-EXTERNAL-ID": "Unique per partner and business day; a replay is refused.",
    "CHANNEL-ID": "The partner's channel.",
    "X-SIGNATURE": "Base64 HMAC-SHA512 of method, path, token, body hash and timestamp.",
}


def _operation(body: S, headers: dict[str, str]) -> type[Operation]:
    @dataclass
    class SignedOperation(Operation):
        """An operation with its SNAP headers and its JSON body."""

        def __post_init__(self) -> None:
            self.request_body = RequestBody(
                content={"application/json": OpenAPIMediaType(schema=body)}, required=True
            )
            self.parameters = [
                *(self.parameters or []),
                *(
                    Parameter(
                        name=n,
                        param_in="header",
                        required=True,
                        schema=S(type=OpenAPIType.STRING, pattern=auth.HEADER_FORMS[n.lower()]),
                        description=d,
                    )
                    for n, d in headers.items()
                ),
            ]

    return SignedOperation


def _object(required: dict[str, S]) -> S:
    return S(type=OpenAPIType.OBJECT, required=list(required), properties=required)


def _snap_post(path: str, name: str, summary: str, body: S, headers: dict[str, str]) -> Any:
    """The route decorator of a SNAP operation: open (each handler checks the signature).

    Listed in the OpenAPI document with its headers, its JSON body and the
    SNAP answers.
    """
    return post(
        path,
        opt=OPEN,
        name=name,
        status_code=200,
        summary=summary,
        tags=["Partners"],
        responses=RESPONSES,
        operation_class=_operation(body, headers),
    )


def _reply(answer: answers.Answer) -> Response[Any]:
    return Response(answer.body(), status_code=answer.status)


async def _signed(
    request: Request,
    service: str,
    allowed: PartnerService,
    handle: Callable[[auth.Verified, Any], Awaitable[answers.Answer]],
    *,
    max_body: int = auth.MAX_BODY,
) -> Response[Any]:
    ui = request.app.state.ui
    try:
        verified = await auth.transaction(
            request, service, allowed.value, ui.config.secret_key, max_body=max_body
        )
        return _reply(await handle(verified, ui.registry))
    except answers.Refused as refused:
        log.info("partner request answered %s", refused.answer.code)
        return _reply(refused.answer)


@_snap_post(
    "/v1.0/access-token/b2b",
    "partners-token",
    "Obtain an access token (SNAP B2B) with an asymmetric signature",
    _object({"grantType": S(type=OpenAPIType.STRING, enum=["client_credentials"])}),
    TOKEN_HEADERS,
)
async def token(request: Request) -> Response[TokenBody]:
    """Give a partner an access token, after its signature over client id and timestamp."""
    service = answers.ACCESS
    try:
        partner = await auth.token_request(request)
        raw = await request.body()
        try:
            grant = json.loads(raw).get("grantType")
        except (ValueError, AttributeError):
            grant = None
        if grant != "client_credentials":
            raise answers.invalid_field(service, "grantType")
        issued, lifetime = await auth.issue_token(partner)
    except answers.Refused as refused:
        return _reply(refused.answer)
    body = answers.success(
        service, {"accessToken": issued, "tokenType": "Bearer", "expiresIn": str(lifetime)}
    ).body()
    return Response(body, status_code=200)


@_snap_post(
    "/v1.0/transfer-va/inquiry",
    "partners-inquiry",
    "Inquire what a customer number owes today (bill inquiry)",
    _object({"customerNo": _CUSTOMER, "inquiryRequestId": _ID}),
    SIGNED_HEADERS,
)
async def inquiry(request: Request) -> Response[SnapBody]:
    """The amount due today, a masked name and the lines of a bill."""
    return await _signed(request, answers.INQUIRY, PartnerService.BILLS, bills.inquire)


@_snap_post(
    "/v1.0/transfer-va/payment",
    "partners-payment",
    "Pay an inquired bill, exactly once per paymentRequestId",
    _object(
        {
            "customerNo": _CUSTOMER,
            "inquiryRequestId": _ID,
            "paymentRequestId": _ID,
            "paidAmount": _MONEY,
        }
    ),
    SIGNED_HEADERS,
)
async def payment(request: Request) -> Response[SnapBody]:
    """Settle a partner's payment through the ledger (channel ``partner``)."""
    return await _signed(request, answers.PAYMENT, PartnerService.BILLS, bills.pay)


@_snap_post(
    "/v1.0/transfer-va/reversal",
    "partners-reversal",
    "Void a payment on its business day",
    _object({"paymentRequestId": _ID}),
    SIGNED_HEADERS,
)
async def reversal(request: Request) -> Response[SnapBody]:
    """Reverse a paid payment the same business day; a second reversal is refused."""
    return await _signed(request, answers.REVERSAL, PartnerService.BILLS, bills.reverse)


_DAY = S(type=OpenAPIType.STRING, pattern=recon_api.DAY.pattern)


@_snap_post(
    "/v1.0/reconciliation/file",
    "partners-recon-file",
    "Our file of a business day: the partner's paid and reversed payments",
    _object({"day": _DAY}),
    SIGNED_HEADERS,
)
async def recon_file(request: Request) -> Response[SnapBody]:
    """The day's payments of the asking partner, as the platform recorded them."""
    return await _signed(request, answers.RECONCILIATION, PartnerService.BILLS, recon_api.our_file)


_THEIR_PAYMENT = _object(
    {
        "paymentRequestId": _ID,
        "amount": _MONEY,
        "status": S(type=OpenAPIType.STRING, enum=["paid", "reversed"]),
    }
)


@_snap_post(
    "/v1.0/reconciliation/report",
    "partners-recon-report",
    "The partner's file of a business day, compared with ours",
    _object(
        {
            "day": _DAY,
            "payments": S(
                type=OpenAPIType.ARRAY, items=_THEIR_PAYMENT, max_items=recon_api.MAX_PAYMENTS
            ),
        }
    ),
    SIGNED_HEADERS,
)
async def recon_report(request: Request) -> Response[SnapBody]:
    """Reconcile the day: answers how many matched and each difference (kept for officers)."""
    return await _signed(
        request,
        answers.RECONCILIATION,
        PartnerService.BILLS,
        recon_api.their_report,
        max_body=recon_api.MAX_BODY,
    )


_REFERENCE = {"partnerReferenceNo": _ID}
_INT = OpenAPIType.INTEGER


@_snap_post(
    "/v1.0/tickets/list",
    "partners-tickets-list",
    "The ticket slots partners may sell, with places left in their quota and prices",
    S(type=OpenAPIType.OBJECT, properties={}),
    SIGNED_HEADERS,
)
async def tickets_list(request: Request) -> Response[SnapBody]:
    """Every slot still to begin that partners may sell."""
    return await _signed(request, answers.TICKET_LIST, PartnerService.TICKETS, tickets.offers)


@_snap_post(
    "/v1.0/tickets/hold",
    "partners-tickets-hold",
    "Hold places of a slot for some minutes, once per partnerReferenceNo",
    S(
        type=OpenAPIType.OBJECT,
        required=["partnerReferenceNo", "slotId", "quantities"],
        properties={
            **_REFERENCE,
            "slotId": S(type=OpenAPIType.STRING, pattern=tickets.SLOT_ID.pattern),
            "quantities": S(
                type=OpenAPIType.OBJECT,
                min_properties=1,
                max_properties=tickets.MAX_CATEGORIES,
                property_names=S(type=OpenAPIType.STRING, pattern=tickets.CATEGORY.pattern),
                additional_properties=S(type=_INT, minimum=0, maximum=tickets.MAX_TICKETS),
            ),
            "customerName": S(type=OpenAPIType.STRING, min_length=1, max_length=120),
            "holdMinutes": S(
                type=_INT, minimum=tickets.HOLD_MINUTES[0], maximum=tickets.HOLD_MINUTES[1]
            ),
        },
    ),
    SIGNED_HEADERS,
)
async def tickets_hold(request: Request) -> Response[SnapBody]:
    """Reserve places in the partners' quota; they lapse unless confirmed in time."""
    return await _signed(request, answers.TICKET_HOLD, PartnerService.TICKETS, tickets.hold)


@_snap_post(
    "/v1.0/tickets/confirm",
    "partners-tickets-confirm",
    "Confirm a hold as paid by the partner, exactly once; answers the signed tickets",
    _object({**_REFERENCE, "paymentRequestId": _ID, "paidAmount": _MONEY}),
    SIGNED_HEADERS,
)
async def tickets_confirm(request: Request) -> Response[SnapBody]:
    """Settle the hold's invoice through the ledger (channel ``partner``) and issue its tickets."""
    return await _signed(request, answers.TICKET_CONFIRM, PartnerService.TICKETS, tickets.confirm)


@_snap_post(
    "/v1.0/tickets/cancel",
    "partners-tickets-cancel",
    "Cancel a hold that is not confirmed; its places are for sale again",
    _object(_REFERENCE),
    SIGNED_HEADERS,
)
async def tickets_cancel(request: Request) -> Response[SnapBody]:
    """Release a hold's places at once."""
    return await _signed(request, answers.TICKET_CANCEL, PartnerService.TICKETS, tickets.cancel)


ROUTES = [
    token,
    inquiry,
    payment,
    reversal,
    recon_file,
    recon_report,
    tickets_list,
    tickets_hold,
    tickets_confirm,
    tickets_cancel,
]
