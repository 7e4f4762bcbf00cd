"""The sandbox bank's HTTP face: its SNAP API and the pages that play the bank."""

from __future__ import annotations

import json
import logging
import os
import re
from typing import Any

from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect

from balai.i18n import gettext as _
from balai.payments import snap
from balai.payments.sandbox import bank
from balai.payments.settings import gateway_secret
from balai.payments.tables import SandboxTransaction
from balai.web.rendering import base_url, flash, render

log = logging.getLogger("balai.payments.sandbox")

SANDBOX_ENV = "BALAI_SANDBOX_BANK"
PUBLIC_CITYLESS = {"public": True, "cityless": True}
# Its API stands in for a bank's: not Balai's JSON API, so left out of the OpenAPI document.
API_OPT = {**PUBLIC_CITYLESS, "exclude_from_csrf": True}
MAX_BODY = 16_384
_AMOUNT = re.compile(r"^[1-9][0-9]{0,11}\.00$")
_REFERENCE = re.compile(r"^[A-Za-z0-9\-]{1,40}$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def sandbox_enabled(request: Request) -> bool:
    """Whether the sandbox bank serves here: development, or ``BALAI_SANDBOX_BANK=1``."""
    return request.app.state.ui.config.development or os.environ.get(SANDBOX_ENV) == "1"


def _refuse(status: int, code: str, message: str) -> Response:
    return Response({"responseCode": code, "responseMessage": message}, status_code=status)


async def _verified(request: Request) -> tuple[str, snap.SignedHeaders, bytes] | Response:
    """(secret, verified headers, raw body) of a correctly signed request, or the refusal."""
    if not sandbox_enabled(request):
        raise NotFoundException()
    secret = gateway_secret(request.app.state.ui.config)
    if secret is None:
        raise NotFoundException()
    raw = await request.body()
    if len(raw) > MAX_BODY:
        log.warning("sandbox bank: oversized request to %s", request.url.path)
        return _refuse(413, "4130000", "Request too large")
    try:
        headers = snap.verify(
            secret,
            method=request.method,
            path=snap.request_path(request.scope),
            headers=request.headers,
            raw_body=raw,
        )
    except snap.SignatureError as exc:
        log.warning("sandbox bank: refused %s: %s", request.url.path, exc)
        return _refuse(401, "4010000", "Unauthorized. " + str(exc))
    return secret, headers, raw


def _parse_create(raw: bytes, channel: str) -> dict[str, Any]:
    payload = json.loads(raw)
    if not isinstance(payload, dict):
        raise ValueError("body must be an object")
    reference = payload.get("partnerReferenceNo")
    if not isinstance(reference, str) or not _REFERENCE.match(reference):
        raise ValueError("partnerReferenceNo is invalid")
    amount = payload.get("amount") or {}
    if amount.get("currency") != "IDR" or not _AMOUNT.match(str(amount.get("value", ""))):
        raise ValueError("amount must be whole rupiah in IDR, like 15000.00")
    info = payload.get("additionalInfo") or {}
    callback = info.get("callbackUrl")
    if (
        not isinstance(callback, str)
        or not re.match(r"^https?://[^/\s]+/\S*$", callback)
        or len(callback) > 400
    ):
        raise ValueError("additionalInfo.callbackUrl must be an absolute http(s) URL")
    if channel == "qris" and not isinstance(info.get("merchant"), dict):
        raise ValueError("additionalInfo.merchant is required for QRIS")
    payload["_amount"] = int(amount["value"][:-3])
    return payload


async def _create(request: Request, channel: str) -> Response:
    verified = await _verified(request)
    if isinstance(verified, Response):
        return verified
    _secret, headers, raw = verified
    try:
        payload = _parse_create(raw, channel)
        answer = await bank.open_transaction(
            channel, headers.partner_id, payload, base_url(request, ""), headers.external_id
        )
    except bank.ReplayedRequest:
        log.warning("sandbox bank: replayed %s request %s refused", channel, headers.external_id)
        return _refuse(409, "4090000", "Conflict: X-EXTERNAL-ID already used")
    except (ValueError, KeyError, TypeError) as exc:
        log.warning("sandbox bank: bad %s request: %s", channel, exc)
        return _refuse(400, "4000001", f"Invalid field format: {exc}")
    return Response(answer, status_code=200)


@post(
    "/v1.0/transfer-va/create-va",
    opt=API_OPT,
    include_in_schema=False,
    name="sandbox-create-va",
    status_code=200,
)
async def create_va(request: Request) -> Response:
    """SNAP "create virtual account": a VA number the payer transfers to."""
    return await _create(request, "va")


@post(
    "/v1.0/qr/qr-mpm-generate",
    opt=API_OPT,
    include_in_schema=False,
    name="sandbox-create-qris",
    status_code=200,
)
async def create_qris(request: Request) -> Response:
    """SNAP "generate QR MPM": a dynamic QRIS payload for the amount."""
    return await _create(request, "qris")


@post(
    "/v1.0/debit/payment-host-to-host",
    opt=API_OPT,
    include_in_schema=False,
    name="sandbox-create-ewallet",
    status_code=200,
)
async def create_ewallet(request: Request) -> Response:
    """SNAP direct debit: a page where the payer approves the e-wallet payment."""
    return await _create(request, "ewallet")


@post(
    "/v1.0/settlement-report",
    opt=API_OPT,
    include_in_schema=False,
    name="sandbox-settlement-report",
    status_code=200,
)
async def settlement_report(request: Request) -> Response:
    """The partner's settled transactions of one (WIB) day."""
    verified = await _verified(request)
    if isinstance(verified, Response):
        return verified
    _secret, headers, raw = verified
    partner = headers.partner_id
    try:
        day = json.loads(raw).get("settlementDate", "")
    except (ValueError, AttributeError):
        day = ""
    if not isinstance(day, str) or not _DAY.match(day):
        return _refuse(400, "4000001", "settlementDate must be YYYY-MM-DD")
    rows = await bank.settlement_report(partner, day)
    return Response(
        {"responseCode": "2000000", "settlementDate": day, "transactions": rows}, status_code=200
    )


# --- the pages that play the bank ---------------------------------------------------


async def _transaction(request: Request, reference: str) -> dict[str, Any]:
    if not sandbox_enabled(request) or not _REFERENCE.match(reference):
        raise NotFoundException()
    row = await SandboxTransaction.select().where(SandboxTransaction.reference == reference).first()
    if row is None:
        raise NotFoundException()
    return row


@get("/{reference:str}", opt=PUBLIC_CITYLESS, name="sandbox-bank-page")
async def bank_page(request: Request, reference: FromPath[str]) -> Response:
    """The bank's page for one payment: what to pay, and buttons to pay, fail or expire it."""
    txn = await _transaction(request, reference)
    return await render(request, "payments/sandbox_bank.html", {"txn": txn})


ACTIONS = {"pay": "paid", "fail": "failed", "expire": "expired"}


@post("/{reference:str}/{action:str}", opt=PUBLIC_CITYLESS, name="sandbox-bank-action")
async def bank_action(
    request: Request, reference: FromPath[str], action: FromPath[str]
) -> Response:
    """Play the bank: pay, fail or expire (then call back), or send the callback again."""
    txn = await _transaction(request, reference)
    secret = gateway_secret(request.app.state.ui.config)
    if secret is None:
        raise NotFoundException()
    page = base_url(request, f"/sandbox-bank/{reference}")
    if action == "resend":
        if txn["status"] == "open":
            flash(request, _("Nothing to send again: the payment is still open."), "error")
            return Redirect(page, status_code=303)
        status = await bank.deliver(request.app, secret, txn, txn["status"], copies=2)
    elif action in ACTIONS:
        closed = await bank.close_transaction(reference, ACTIONS[action])
        if closed is None:
            log.warning(
                "sandbox bank: %s on %s refused, it is %s", action, reference, txn["status"]
            )
            flash(request, _("This payment is already closed."), "error")
            return Redirect(page, status_code=303)
        status = await bank.deliver(request.app, secret, closed, ACTIONS[action])
        txn = closed
    else:
        raise NotFoundException()
    if 200 <= status < 300:
        flash(request, _("The bank notified the merchant."), "success")
    else:
        flash(
            request,
            _("The merchant did not accept the notification (status %(status)s).", status=status),
            "error",
        )
    if action == "pay" and txn["channel"] == "ewallet" and txn["return_url"]:
        return Redirect(txn["return_url"], status_code=303)
    return Redirect(page, status_code=303)
