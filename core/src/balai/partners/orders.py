"""Partners' orders of the catalogue feed: place, read, cancel (``.../catalogue/orders``).

A delivery partner with the ``catalogue`` service orders products of one
merchant of the feed for its customer. The core checks the request's form
and hands it to the source that owns the merchant (the plugin answering
``partner_catalogue`` whose slug prefixes the ids), which reserves the
stock and writes the order in its own order flow (channel ``partner``),
idempotent by the partner's ``partnerReferenceNo``.

The partner pays: it collects from its customer and settles with the shop
outside the platform, so no ledger invoice is made and the bills'
reconciliation does not include these orders; the order (its number,
total and the partner's reference) is the record.

Refusals (SNAP-style, nothing written): 400 field errors; 404 unknown
merchant (case 08: another city's, or one not publishing) or product (case
12), unknown order (case 01); 409 out of stock (case 01), a price other
than today's (case 02, with ``productId`` and ``currentPrice``), an order
the merchant accepted (case 03, cancel), a reference reused for another
order (case 04). Service codes 62 (order), 63 (status), 64 (cancel) are
this platform's choice, unverified against SNAP.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from litestar import Request, Response
from litestar.openapi.spec import OpenAPIType
from litestar.openapi.spec import Schema as S

from balai.partners import answers, api, auth
from balai.partners.bills import REQUEST_ID, read_body, text_field
from balai.partners.catalogue import sources
from balai.partners.feed_types import (
    CatalogueSource,
    PartnerOrder,
    PartnerOrderLine,
    PartnerOrderRefused,
    PartnerOrderState,
)
from balai.partners.types import PartnerService
from balai.tenants import current_city

log = logging.getLogger("balai.partners.orders")

ORDER = "62"
STATUS = "63"
CANCEL = "64"
MAX_LINES = 50
MAX_QUANTITY = 99
MAX_PRICE = 1_000_000_000
ITEM_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}:[0-9]{1,12}$")
PHONE = re.compile(r"^\+?[0-9][0-9 \-]{6,18}[0-9]$")
TEXT_LIMITS = {"name": 120, "address": 500}
MAX_NOTE = 300


def _item_id(value: Any, name: str, service: str) -> tuple[str, int]:
    if value is None or value == "":
        raise answers.missing_field(service, name)
    if not isinstance(value, str) or not ITEM_ID.match(value):
        raise answers.invalid_field(service, name)
    slug, ref = value.split(":")
    return slug, int(ref)


def _whole(value: Any, name: str, low: int, high: int, service: str) -> int:
    if value is None:
        raise answers.missing_field(service, name)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise answers.invalid_field(service, name)
    return value


def _text(body: dict[str, Any], name: str, limit: int, service: str, *, required: bool) -> str:
    value = body.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise answers.missing_field(service, name)
        return ""
    if not isinstance(value, str) or len(value) > limit or "\x00" in value:
        raise answers.invalid_field(service, name)
    return " ".join(value.split()) if name != "address" else value.strip()


def parse_order(raw: bytes, partner: dict[str, Any]) -> tuple[str, PartnerOrder]:
    """The source slug and the order of a request body; a form error is a 400."""
    service = ORDER
    body = read_body(raw, service)
    reference = text_field(body, "partnerReferenceNo", REQUEST_ID, service)
    slug, merchant = _item_id(body.get("merchantId"), "merchantId", service)
    items = body.get("items")
    if items is None:
        raise answers.missing_field(service, "items")
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_LINES:
        raise answers.invalid_field(service, "items")
    lines: list[PartnerOrderLine] = []
    for item in items:
        if not isinstance(item, dict):
            raise answers.invalid_field(service, "items")
        item_slug, ref = _item_id(item.get("productId"), "items.productId", service)
        if item_slug != slug or any(line.product_ref == ref for line in lines):
            raise answers.invalid_field(service, "items.productId")
        quantity = _whole(item.get("quantity"), "items.quantity", 1, MAX_QUANTITY, service)
        price = _whole(item.get("price"), "items.price", 0, MAX_PRICE, service)
        lines.append(PartnerOrderLine(ref, quantity, price))
    customer = body.get("customer")
    if customer is None:
        raise answers.missing_field(service, "customer")
    if not isinstance(customer, dict):
        raise answers.invalid_field(service, "customer")
    name = _text(customer, "name", TEXT_LIMITS["name"], service, required=True)
    phone = customer.get("phone")
    if phone is None or phone == "":
        raise answers.missing_field(service, "customer.phone")
    if not isinstance(phone, str) or not PHONE.match(phone):
        raise answers.invalid_field(service, "customer.phone")
    address = _text(customer, "address", TEXT_LIMITS["address"], service, required=True)
    note = _text(body, "note", MAX_NOTE, service, required=False)
    return slug, PartnerOrder(
        partner_id=partner["id"],
        partner_name=partner["name"],
        reference=reference,
        merchant_ref=merchant,
        lines=tuple(lines),
        customer_name=name,
        customer_phone=phone,
        address=address,
        note=note,
    )


def state_json(slug: str, state: PartnerOrderState) -> dict[str, Any]:
    """An order as the partner reads it."""
    return {
        "order": {
            "partnerReferenceNo": state.reference,
            "orderNo": state.number,
            "merchantId": f"{slug}:{state.merchant_ref}",
            "status": state.status,
            "accepted": state.accepted,
            "totalAmount": state.total,
            "currency": "IDR",
            "createdAt": state.created_at.isoformat(),
        }
    }


_REFUSALS = {
    "unknown_merchant": (404, "08", "Invalid Merchant"),
    "unknown_product": (404, "12", "Invalid Product [Not Found]"),
    "out_of_stock": (409, "01", "Out of Stock"),
    "price_changed": (409, "02", "Price Changed"),
    "not_cancellable": (409, "03", "Not Cancellable. The merchant accepted the order"),
    "inconsistent": (
        409,
        "04",
        "Inconsistent Request. partnerReferenceNo was used for another order",
    ),
}


def refusal(service: str, slug: str, refused: PartnerOrderRefused) -> answers.Refused:
    """The SNAP answer of a source's refusal."""
    status, case, message = _REFUSALS.get(refused.reason, (409, "00", "Conflict"))
    answer = answers.Refused(status, service, case, message)
    if refused.product_ref is not None:
        data: dict[str, Any] = {"productId": f"{slug}:{refused.product_ref}"}
        if refused.reason == "price_changed":
            data["currentPrice"] = refused.current_price
        answer.answer = answers.Answer(answer.answer.status, answer.answer.code, message, data)
    return answer


def order_not_found(service: str) -> answers.Refused:
    """404, case 01: the partner has no order of this reference."""
    return answers.Refused(404, service, "01", "Order Not Found")


async def _source(registry: Any, slug: str, service: str) -> CatalogueSource:
    found = await sources(registry, current_city())
    if slug not in found:
        raise answers.Refused(404, service, "08", "Invalid Merchant")
    return found[slug]


async def place(verified: auth.Verified, registry: Any) -> answers.Answer:
    """Place the partner's order (or answer the first one placed under its reference)."""
    slug, order = parse_order(verified.raw_body, verified.partner)
    source = await _source(registry, slug, ORDER)
    try:
        state = await source.place_order(order)
    except PartnerOrderRefused as refused:
        raise refusal(ORDER, slug, refused) from refused
    log.info(
        "partner order %s of %s: %s", order.reference, verified.partner["client_id"], state.number
    )
    return answers.success(ORDER, state_json(slug, state))


def _reference(raw: bytes, service: str) -> str:
    return text_field(read_body(raw, service), "partnerReferenceNo", REQUEST_ID, service)


async def status(verified: auth.Verified, registry: Any) -> answers.Answer:
    """Where the partner's order stands (whichever source holds it)."""
    reference = _reference(verified.raw_body, STATUS)
    for slug, source in sorted((await sources(registry, current_city())).items()):
        state = await source.order_state(verified.partner["id"], reference)
        if state is not None:
            return answers.success(STATUS, state_json(slug, state))
    raise order_not_found(STATUS)


async def cancel(verified: auth.Verified, registry: Any) -> answers.Answer:
    """Cancel the partner's order before the merchant accepts it."""
    reference = _reference(verified.raw_body, CANCEL)
    for slug, source in sorted((await sources(registry, current_city())).items()):
        try:
            state = await source.cancel_order(verified.partner["id"], reference)
        except PartnerOrderRefused as refused:
            raise refusal(CANCEL, slug, refused) from refused
        if state is not None:
            return answers.success(CANCEL, state_json(slug, state))
    raise order_not_found(CANCEL)


# --- routes ------------------------------------------------------------------------

_ID = S(type=OpenAPIType.STRING, pattern=ITEM_ID.pattern)
_REF = S(type=OpenAPIType.STRING, pattern=REQUEST_ID.pattern)
ORDER_BODY = S(
    type=OpenAPIType.OBJECT,
    required=["partnerReferenceNo", "merchantId", "items", "customer"],
    properties={
        "partnerReferenceNo": _REF,
        "merchantId": _ID,
        "items": S(
            type=OpenAPIType.ARRAY,
            min_items=1,
            max_items=MAX_LINES,
            items=S(
                type=OpenAPIType.OBJECT,
                required=["productId", "quantity", "price"],
                properties={
                    "productId": _ID,
                    "quantity": S(type=OpenAPIType.INTEGER, minimum=1, maximum=MAX_QUANTITY),
                    "price": S(type=OpenAPIType.INTEGER, minimum=0, maximum=MAX_PRICE),
                },
            ),
        ),
        "customer": S(
            type=OpenAPIType.OBJECT,
            required=["name", "phone", "address"],
            properties={
                "name": S(type=OpenAPIType.STRING, min_length=1, max_length=TEXT_LIMITS["name"]),
                "phone": S(type=OpenAPIType.STRING, pattern=PHONE.pattern),
                "address": S(
                    type=OpenAPIType.STRING, min_length=1, max_length=TEXT_LIMITS["address"]
                ),
            },
        ),
        "note": S(type=OpenAPIType.STRING, max_length=MAX_NOTE),
    },
)
REFERENCE_BODY = S(
    type=OpenAPIType.OBJECT,
    required=["partnerReferenceNo"],
    properties={"partnerReferenceNo": _REF},
)


@api._snap_post(
    "/v1.0/catalogue/orders",
    "partners-order",
    "Order products of the catalogue feed (idempotent by partnerReferenceNo)",
    ORDER_BODY,
    api.SIGNED_HEADERS,
)
async def order_place(request: Request) -> Response[api.SnapBody]:
    """The order enters the merchant's queue with channel ``partner``; stock is reserved."""
    return await api._signed(request, ORDER, PartnerService.CATALOGUE, place)


@api._snap_post(
    "/v1.0/catalogue/orders/status",
    "partners-order-status",
    "Where a partner's order stands",
    REFERENCE_BODY,
    api.SIGNED_HEADERS,
)
async def order_status(request: Request) -> Response[api.SnapBody]:
    """The order's status and whether the merchant accepted it."""
    return await api._signed(request, STATUS, PartnerService.CATALOGUE, status)


@api._snap_post(
    "/v1.0/catalogue/orders/cancel",
    "partners-order-cancel",
    "Cancel a partner's order before the merchant accepts it",
    REFERENCE_BODY,
    api.SIGNED_HEADERS,
)
async def order_cancel(request: Request) -> Response[api.SnapBody]:
    """Cancel (stock given back); refused once the merchant accepted."""
    return await api._signed(request, CANCEL, PartnerService.CATALOGUE, cancel)


ROUTES = [order_place, order_status, order_cancel]
