"""Receiving the gateway's callbacks: verify, check against our invoice, settle once.

Order of checks, each refusal logged and changing nothing:

1. signature over the raw body, token and timestamp, and the partner id is
   this city's (401, always with the one message ``Unauthorized.``: which
   check failed is written to the log, not told to the sender);
3. the body is well-formed (400);
4. the attempt exists in this city (404) and was made through this provider (409);
5. the amount equals the invoice's (422).

Only then is the event recorded under its key (``<provider>:<eventId>``), so
that a replayed callback answers 200 and changes nothing. A failure or expiry
reported for an invoice that is no longer pending (paid meanwhile) is
recorded and ignored: the ledger marks it ``ignored`` and the attempt keeps
its status.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from typing import Any

from litestar import Request

from balai.payments import ledger, snap
from balai.payments.settings import gateway_secret, settings_for
from balai.payments.tables import PaymentAttempt
from balai.tenants import current_city

log = logging.getLogger("balai.payments.callbacks")

MAX_BODY = 16_384
KINDS = {"00": "paid", "05": "expired", "06": "failed"}
AMOUNT = re.compile(r"^(0|[1-9][0-9]{0,11})\.00$")
EVENT_ID = re.compile(r"^[A-Za-z0-9:\-_.]{1,80}$")


@dataclass(frozen=True)
class CallbackAnswer:
    """What to answer the gateway: HTTP status, SNAP response code and message."""

    status: int
    code: str
    message: str
    outcome: str = ""

    def body(self) -> dict[str, str]:
        """The JSON body."""
        return {"responseCode": self.code, "responseMessage": self.message}


UNAUTHORIZED = "Unauthorized."


def _refused(
    status: int, code: str, message: str, request: Request, provider: str
) -> CallbackAnswer:
    log.warning(
        "payment callback refused (%s %s) for %s in %s from %s: %s",
        status,
        code,
        provider,
        current_city().slug,
        request.client.host if request.client else "-",
        message,
    )
    return CallbackAnswer(status, code, UNAUTHORIZED if status == 401 else message)


async def handle_callback(request: Request, provider: str) -> CallbackAnswer:
    """Check and apply one callback of ``provider`` to the current city's ledger."""
    ui = request.app.state.ui
    city = current_city()
    secret = gateway_secret(ui.config)
    if secret is None:
        return _refused(503, "5030000", "No gateway configured", request, provider)
    raw = await request.body()
    if len(raw) > MAX_BODY:
        return _refused(413, "4130000", "Request too large", request, provider)
    try:
        headers = snap.verify(
            secret,
            method=request.method,
            path=snap.request_path(request.scope),
            headers=request.headers,
            raw_body=raw,
        )
    except snap.SignatureError as exc:
        return _refused(401, "4010000", str(exc), request, provider)
    settings = settings_for(ui.config, city)
    if headers.partner_id != settings.partner_id:
        return _refused(401, "4010000", "Callback for another partner (city)", request, provider)
    try:
        event = _parse(raw)
    except ValueError as exc:
        return _refused(400, "4000001", f"Invalid field format: {exc}", request, provider)
    if event["partnerServiceId"] != settings.partner_id:
        return _refused(403, "4030000", "Body names another partner (city)", request, provider)
    attempt = (
        await PaymentAttempt.select()
        .where(PaymentAttempt.reference == event["partnerReferenceNo"])
        .first()
    )
    if attempt is None:
        return _refused(
            404, "4040001", "Unknown partnerReferenceNo in this city", request, provider
        )
    if attempt["provider"] != provider or event["channel"] != provider:
        return _refused(409, "4090000", "Payment made through another provider", request, provider)
    invoice = await ledger.invoice_by_id(attempt["invoice_id"])
    if invoice is None:  # an attempt always has its invoice; guard against manual deletion
        return _refused(404, "4040001", "Invoice not found", request, provider)
    settlement_event = ledger.SettlementEvent(
        event_key=f"{provider}:{event['eventId']}",
        external_id=f"{provider}:{headers.external_id}",
        provider=provider,
        kind=event["kind"],
        amount=event["amount"],
        body=raw.decode("utf-8", "replace"),
        reference=attempt["reference"],
    )
    try:
        result = await ledger.settle(invoice, settlement_event, registry=ui.registry)
    except ledger.AmountMismatch as exc:
        return _refused(422, "4220000", f"Amount mismatch: {exc}", request, provider)
    if result.outcome == "noted":  # a failure or expiry while the invoice is still pending
        await PaymentAttempt.update({PaymentAttempt.status: event["kind"]}).where(
            PaymentAttempt.id == attempt["id"]
        )
    log.info(
        "payment callback %s for %s: %s", settlement_event.event_key, invoice.number, result.outcome
    )
    return CallbackAnswer(200, "2002500", "Successful", result.outcome)


def _parse(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise ValueError("body is not JSON") from exc
    if not isinstance(body, dict):
        raise ValueError("body must be an object")
    parsed: dict[str, Any] = {}
    for name in (
        "eventId",
        "partnerServiceId",
        "partnerReferenceNo",
        "channel",
        "latestTransactionStatus",
    ):
        value = body.get(name)
        if not isinstance(value, str) or not value:
            raise ValueError(f"{name} is missing")
        parsed[name] = value
    if not EVENT_ID.match(parsed["eventId"]):
        raise ValueError("eventId is malformed")
    if parsed["latestTransactionStatus"] not in KINDS:
        raise ValueError("latestTransactionStatus is unknown")
    parsed["kind"] = KINDS[parsed["latestTransactionStatus"]]
    paid = body.get("paidAmount")
    if not isinstance(paid, dict) or paid.get("currency") != "IDR":
        raise ValueError("paidAmount must be in IDR")
    value = paid.get("value")
    if not isinstance(value, str) or not AMOUNT.match(value):
        raise ValueError("paidAmount.value must be whole rupiah like 15000.00")
    parsed["amount"] = int(value[:-3])
    return parsed
