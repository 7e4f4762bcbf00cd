"""The sandbox bank's book and its callback delivery."""

from __future__ import annotations

import asyncio
import logging
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx

from balai.payments import snap
from balai.payments.inprocess import client_for
from balai.payments.ledger import is_unique_violation
from balai.payments.qris import Merchant, build_payload
from balai.payments.tables import SandboxTransaction

log = logging.getLogger("balai.payments.sandbox")

CHANNELS = ("va", "qris", "ewallet")
# SNAP transaction status codes sent in callbacks.
STATUS_CODES = {"paid": "00", "expired": "05", "failed": "06"}
MAX_DELIVERY_ATTEMPTS = 5
BACKOFF_SECONDS = 0.05
WIB = snap.WIB


async def pause(seconds: float) -> None:
    """Wait before the next delivery attempt (tests replace this)."""
    await asyncio.sleep(seconds)


def _now() -> datetime:
    return datetime.now(UTC)


class ReplayedRequest(ValueError):
    """A create request arrived again with an ``X-EXTERNAL-ID`` already used."""


async def open_transaction(
    channel: str, partner_id: str, payload: dict[str, Any], base_url: str, external_id: str
) -> dict[str, Any]:
    """Record a payment the bank is asked to collect and build the SNAP answer.

    Args:
        channel: ``va``, ``qris`` or ``ewallet``.
        partner_id: The verified partner.
        payload: The request body (already parsed and checked).
        base_url: Where the bank's own pages are (for the e-wallet redirect).
        external_id: The request's ``X-EXTERNAL-ID``.

    Raises:
        ReplayedRequest: that external id was used before (nothing is opened).
    """
    info = payload["additionalInfo"]
    amount = payload["_amount"]
    reference = "SBX" + secrets.token_hex(8).upper()
    va_number = ""
    answer: dict[str, Any] = {
        "responseCode": "2002700",
        "responseMessage": "Successful",
        "referenceNo": reference,
        "partnerReferenceNo": payload["partnerReferenceNo"],
    }
    if channel == "va":
        va_number = info.get("vaPrefix", "8808") + str(secrets.randbelow(10**12)).zfill(12)
        answer["virtualAccountNo"] = va_number
    elif channel == "qris":
        merchant = info["merchant"]
        answer["qrContent"] = build_payload(
            Merchant(
                merchant_id=merchant["merchantId"],
                name=merchant["name"],
                city=merchant["city"],
                postal_code=merchant["postalCode"],
                mcc=merchant["mcc"],
            ),
            amount=amount,
            bill_number=reference,
        )
    else:
        answer["webRedirectUrl"] = f"{base_url}/sandbox-bank/{reference}"
    if await SandboxTransaction.exists().where(SandboxTransaction.external_id == external_id):
        raise ReplayedRequest(external_id)
    try:
        await SandboxTransaction(
            external_id=external_id,
            reference=reference,
            partner_id=partner_id,
            partner_reference=payload["partnerReferenceNo"],
            channel=channel,
            amount=amount,
            va_number=va_number,
            callback_url=info["callbackUrl"],
            return_url=info.get("returnUrl", ""),
            status="open",
            created_at=_now(),
        ).save()
    except Exception as exc:
        if is_unique_violation(exc):  # the same request twice at once
            raise ReplayedRequest(external_id) from exc
        raise
    log.info("sandbox bank: %s payment %s opened for %s", channel, reference, partner_id)
    return answer


def callback_body(txn: dict[str, Any], outcome: str) -> dict[str, Any]:
    """The callback of ``txn`` reaching ``outcome``; one event id per (transaction, outcome)."""
    return {
        "eventId": f"{txn['reference']}-{outcome}",
        "partnerServiceId": txn["partner_id"],
        "partnerReferenceNo": txn["partner_reference"],
        "referenceNo": txn["reference"],
        "channel": txn["channel"],
        "latestTransactionStatus": STATUS_CODES[outcome],
        "paidAmount": {"value": f"{txn['amount']}.00", "currency": "IDR"},
        "transactionDate": (txn["settled_at"] or _now())
        .astimezone(WIB)
        .replace(microsecond=0)
        .isoformat(),
    }


async def deliver(
    app: Any,
    secret: str,
    txn: dict[str, Any],
    outcome: str,
    *,
    copies: int = 1,
) -> int:
    """Send the callback of ``txn``'s ``outcome`` to the partner, retrying with backoff.

    Each request is signed afresh (new timestamp and ``X-EXTERNAL-ID``); the
    event id stays the same, as with a real gateway's retries. ``copies`` > 1
    sends that many at once, as a gateway that duplicates does.

    Returns:
        The HTTP status of the last answer (0 if the partner never answered).
    """
    body = snap.minify(callback_body(txn, outcome))
    target = urlsplit(txn["callback_url"])
    base = f"{target.scheme}://{target.netloc}"
    status = 0
    async with client_for(app, base) as client:

        async def send_once() -> int:
            headers = snap.signed_headers(secret, txn["partner_id"], "POST", target.path, body)
            response = await client.post(target.path, content=body, headers=headers.as_dict())
            return response.status_code

        for attempt in range(MAX_DELIVERY_ATTEMPTS):
            try:
                answers = await asyncio.gather(*(send_once() for _ in range(copies)))
                status = max(answers)
            except httpx.HTTPError as exc:
                log.warning("sandbox bank: callback %s failed: %s", txn["reference"], exc)
                status = 0
            await SandboxTransaction.update(
                {SandboxTransaction.deliveries: SandboxTransaction.deliveries + copies}
            ).where(SandboxTransaction.reference == txn["reference"])
            if 200 <= status < 500 and status != 429:
                break
            if attempt + 1 < MAX_DELIVERY_ATTEMPTS:
                await pause(BACKOFF_SECONDS * 2**attempt)
            copies = 1
    log.info("sandbox bank: callback %s/%s answered %s", txn["reference"], outcome, status)
    return status


async def close_transaction(reference: str, outcome: str) -> dict[str, Any] | None:
    """Move an open transaction to ``paid``, ``failed`` or ``expired``; ``None`` if not open."""
    values: dict[Any, Any] = {SandboxTransaction.status: outcome}
    if outcome == "paid":
        values[SandboxTransaction.settled_at] = _now()
    changed = await (
        SandboxTransaction.update(values)
        .where((SandboxTransaction.reference == reference) & (SandboxTransaction.status == "open"))
        .returning(SandboxTransaction.id)
    )
    if not changed:
        return None
    return (
        await SandboxTransaction.select().where(SandboxTransaction.reference == reference).first()
    )


async def settlement_report(partner_id: str, day: str) -> list[dict[str, Any]]:
    """The partner's transactions paid on ``day`` (a WIB date ``YYYY-MM-DD``)."""
    # Bounds in UTC: SQLite compares stored times as text, all written in UTC.
    start = datetime.fromisoformat(day).replace(tzinfo=WIB).astimezone(UTC)
    rows = await SandboxTransaction.select().where(
        (SandboxTransaction.partner_id == partner_id)
        & (SandboxTransaction.status == "paid")
        & (SandboxTransaction.settled_at >= start)
        & (SandboxTransaction.settled_at < start + timedelta(days=1))
    )
    return [
        {
            "referenceNo": r["reference"],
            "partnerReferenceNo": r["partner_reference"],
            "channel": r["channel"],
            "amount": {"value": f"{r['amount']}.00", "currency": "IDR"},
            "settledAt": r["settled_at"].astimezone(WIB).isoformat(),
        }
        for r in rows
    ]
