"""SNAP-style request signing (Bank Indonesia's open-API standard, symmetric form).

``X-SIGNATURE`` is HMAC-SHA512, keyed by the shared secret, over::

    METHOD:path:token:lowercase-hex(sha256(minified body)):X-TIMESTAMP

The sender minifies the JSON body before sending and signs exactly what it
sends; the receiver hashes the raw bytes it received, so a body changed in
transit (even by whitespace) fails verification. ``X-EXTERNAL-ID`` is unique
per request and lets the receiver drop replays.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

MAX_CLOCK_SKEW = timedelta(minutes=5)
WIB = timezone(timedelta(hours=7))


class SignatureError(ValueError):
    """A signed request fails verification; the message says why (for the log)."""


def minify(payload: Any) -> bytes:
    """The JSON body exactly as it is sent and signed: no spaces, keys in order."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def body_digest(raw_body: bytes) -> str:
    """Lower-case hex SHA-256 of the body bytes."""
    return hashlib.sha256(raw_body).hexdigest()


def string_to_sign(method: str, path: str, token: str, raw_body: bytes, timestamp: str) -> str:
    """The text that is signed."""
    return f"{method.upper()}:{path}:{token}:{body_digest(raw_body)}:{timestamp}"


def sign(secret: str, method: str, path: str, token: str, raw_body: bytes, timestamp: str) -> str:
    """The base64 HMAC-SHA512 signature of a request."""
    text = string_to_sign(method, path, token, raw_body, timestamp)
    mac = hmac.new(secret.encode(), text.encode(), hashlib.sha512).digest()
    return base64.b64encode(mac).decode("ascii")


def timestamp(now: datetime | None = None, *, millis: bool = False) -> str:
    """An ``X-TIMESTAMP``: ISO 8601 with the WIB offset, whole seconds or ``millis``.

    SNAP's form is ``yyyy-MM-ddTHH:mm:ss.SSS+07:00``; a partner signing its
    token request deterministically (RSA PKCS#1 v1.5) needs the
    milliseconds, or two honest requests in one second sign the same bytes
    and the second is refused as a replay.
    """
    moment = (now or datetime.now(UTC)).astimezone(WIB)
    if millis:
        return moment.isoformat(timespec="milliseconds")
    return moment.replace(microsecond=0).isoformat()


def external_id() -> str:
    """A fresh ``X-EXTERNAL-ID`` (numeric, 20 digits, as SNAP asks)."""
    return str(secrets.randbelow(10**20)).zfill(20)


def access_token(secret: str, partner_id: str) -> str:
    """The sandbox's static access token of a partner (stands in for SNAP's B2B token)."""
    return hmac.new(secret.encode(), f"token:{partner_id}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class SignedHeaders:
    """The SNAP headers of one request."""

    timestamp: str
    signature: str
    external_id: str
    partner_id: str
    token: str

    def as_dict(self) -> dict[str, str]:
        """The headers to send."""
        return {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {self.token}",
            "X-TIMESTAMP": self.timestamp,
            "X-SIGNATURE": self.signature,
            "X-EXTERNAL-ID": self.external_id,
            "X-PARTNER-ID": self.partner_id,
        }


def signed_headers(
    secret: str,
    partner_id: str,
    method: str,
    path: str,
    raw_body: bytes,
    *,
    now: datetime | None = None,
) -> SignedHeaders:
    """Sign a request of ``partner_id`` and return its headers."""
    token = access_token(secret, partner_id)
    stamp = timestamp(now)
    return SignedHeaders(
        timestamp=stamp,
        signature=sign(secret, method, path, token, raw_body, stamp),
        external_id=external_id(),
        partner_id=partner_id,
        token=token,
    )


def verify(
    secret: str,
    *,
    method: str,
    path: str,
    headers: Any,
    raw_body: bytes,
    now: datetime | None = None,
) -> SignedHeaders:
    """Check the SNAP headers of a received request against its raw body.

    Args:
        secret: The shared secret.
        method: The HTTP method received.
        path: The path that was signed (the path the sender addressed).
        headers: A case-insensitive mapping of the received headers.
        raw_body: The body bytes exactly as received.
        now: The current time (tests).

    Returns:
        The verified headers.

    Raises:
        SignatureError: a header is missing, the timestamp is unreadable or
            outside :data:`MAX_CLOCK_SKEW`, the token or the signature is wrong.
    """
    missing = [
        h
        for h in ("x-timestamp", "x-signature", "x-external-id", "x-partner-id")
        if not headers.get(h)
    ]
    if missing:
        raise SignatureError("missing header(s): " + ", ".join(missing))
    stamp = headers["x-timestamp"]
    try:
        sent = datetime.fromisoformat(stamp)
    except ValueError as exc:
        raise SignatureError(f"unreadable X-TIMESTAMP {stamp!r}") from exc
    if sent.tzinfo is None:
        raise SignatureError("X-TIMESTAMP has no zone offset")
    if abs((now or datetime.now(UTC)) - sent) > MAX_CLOCK_SKEW:
        raise SignatureError(f"stale X-TIMESTAMP {stamp}")
    partner = headers["x-partner-id"]
    token = access_token(secret, partner)
    given_token = headers.get("authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given_token, token):
        raise SignatureError("wrong access token")
    expected = sign(secret, method, path, token, raw_body, stamp)
    if not hmac.compare_digest(headers["x-signature"], expected):
        raise SignatureError("signature does not match")
    return SignedHeaders(stamp, headers["x-signature"], headers["x-external-id"], partner, token)


def request_path(scope: Any) -> str:
    """The path a sender addressed (and signed), with the city prefix, from an ASGI scope."""
    root = scope.get("root_path", "") or ""
    path = scope["path"]
    if not root or path == root or path.startswith(root + "/"):
        return path
    return root + path
