"""The partner's side of the protocol: how a partner signs its requests.

Used by the simulator (``balai partner-sim``), by the contract tests a real
partner adapter must pass, and as the reference in ``docs/operations.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from balai.partners import credentials
from balai.payments import snap

TOKEN_PATH = "/api/mitra/v1.0/access-token/b2b"  # noqa: S105 (a path, not a password)
INQUIRY_PATH = "/api/mitra/v1.0/transfer-va/inquiry"
PAYMENT_PATH = "/api/mitra/v1.0/transfer-va/payment"
REVERSAL_PATH = "/api/mitra/v1.0/transfer-va/reversal"
RECON_FILE_PATH = "/api/mitra/v1.0/reconciliation/file"
RECON_REPORT_PATH = "/api/mitra/v1.0/reconciliation/report"
TICKETS_LIST_PATH = "/api/mitra/v1.0/tickets/list"
TICKETS_HOLD_PATH = "/api/mitra/v1.0/tickets/hold"
TICKETS_CONFIRM_PATH = "/api/mitra/v1.0/tickets/confirm"
TICKETS_CANCEL_PATH = "/api/mitra/v1.0/tickets/cancel"
CATALOGUE_PATH = "/api/mitra/v1.0/catalogue/products"
ORDER_PATH = "/api/mitra/v1.0/catalogue/orders"
ORDER_STATUS_PATH = "/api/mitra/v1.0/catalogue/orders/status"
ORDER_CANCEL_PATH = "/api/mitra/v1.0/catalogue/orders/cancel"


@dataclass(frozen=True)
class PartnerKeys:
    """What a partner holds: its client id, the client secret and its private key (PEM)."""

    client_id: str
    secret: str
    private_key: str


def token_request(
    keys: PartnerKeys, *, now: datetime | None = None
) -> tuple[bytes, dict[str, str]]:
    """The body and headers of an access-token request (timestamp to the millisecond)."""
    stamp = snap.timestamp(now, millis=True)
    body = snap.minify({"grantType": "client_credentials"})
    headers = {
        "Content-Type": "application/json",
        "X-TIMESTAMP": stamp,
        "X-CLIENT-KEY": keys.client_id,
        "X-SIGNATURE": credentials.sign_token_request(keys.private_key, keys.client_id, stamp),
    }
    return body, headers


def transaction_request(
    keys: PartnerKeys,
    token: str,
    path: str,
    payload: Any,
    *,
    external_id: str | None = None,
    now: datetime | None = None,
    channel: str = "95221",
    method: str = "POST",
) -> tuple[bytes, dict[str, str]]:
    """The minified body and signed headers of a transaction request to ``path``.

    ``path`` is the full path the partner addresses (with the city prefix
    and, for a ``GET``, its query string), which is what is signed. A
    ``GET`` (``payload`` ``None``) has an empty body.
    """
    body = b"" if payload is None else snap.minify(payload)
    stamp = snap.timestamp(now)  # to the second: the external id makes each request unique
    headers = {
        "Content-Type": "application/json",
        "Authorization": f"Bearer {token}",
        "X-TIMESTAMP": stamp,
        "X-PARTNER-ID": keys.client_id,
        "X-EXTERNAL-ID": external_id or snap.external_id(),
        "CHANNEL-ID": channel,
        "X-SIGNATURE": snap.sign(keys.secret, method, path, token, body, stamp),
    }
    return body, headers
