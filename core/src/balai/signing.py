"""Signed payloads a device can check without a connection (Ed25519).

A ticket's QR code, a partner's voucher: a few fields that a gate or a
partner's app must trust while offline. :func:`sign_payload` writes them as
one ASCII token, ``B1.<purpose>.<body>.<signature>``: ``body`` is the
base64url (unpadded) compact JSON of the fields plus the city's slug under
``"city"``; ``signature`` is the base64url Ed25519 signature over the
ASCII bytes of ``B1.<purpose>.<body>``.

Each city has its own key per purpose, derived (HKDF-SHA256) from the
instance secret ``BALAI_SECRET_KEY``: nothing to store, the same key on
every worker, and a token of one city never verifies in another. A verifier
downloads the public key once (:func:`public_key`; 32 raw bytes, base64url)
and checks tokens with any Ed25519 implementation (WebCrypto
``{name: "Ed25519"}`` in browsers). Changing ``BALAI_SECRET_KEY`` changes
every key: tokens signed before no longer verify.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from balai.tenants import current_city

VERSION = "B1"
MAX_TOKEN = 1000  # characters: a QR code a phone camera still reads comfortably
_PURPOSE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_B64 = re.compile(r"^[A-Za-z0-9_-]+$")
_secret: bytes | None = None


class SignatureError(ValueError):
    """A token cannot be trusted. ``reason`` says why, for the person checking it.

    Attributes:
        reason: ``malformed`` (not a token of this kind at all), ``other_city``
            (well formed, signed for another city) or ``forged`` (the
            signature does not match its content).
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


@dataclass(frozen=True)
class SignedPayload:
    """What a verified token says.

    Attributes:
        city: The slug of the city that signed it.
        purpose: What it is for (``wisata_heritage.ticket`` style, dots as ``_``).
        fields: The signed fields, as strings.
    """

    city: str
    purpose: str
    fields: dict[str, str]


@dataclass(frozen=True)
class PublicKey:
    """A city's public key for one purpose, for verifiers working offline.

    Attributes:
        key_id: A short fingerprint (first 12 base64url characters of its SHA-256).
        raw: The 32-byte raw key, base64url without padding.
    """

    key_id: str
    raw: str


def configure(secret_key: str) -> None:
    """Derive keys from this instance secret (called once by the application factory)."""
    global _secret
    _secret = secret_key.encode()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    if not _B64.match(text):
        raise SignatureError("malformed", "not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise SignatureError("malformed", "not base64url") from exc


def _check_purpose(purpose: str) -> None:
    if not _PURPOSE.match(purpose):
        raise ValueError(f"signing purpose {purpose!r}: lower-case letters, digits and _")


@lru_cache(maxsize=64)
def _private_key(secret: bytes, city: str, purpose: str) -> Ed25519PrivateKey:
    seed = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"balai-signed-payloads",
        info=f"ed25519:{city}:{purpose}".encode(),
    ).derive(secret)
    return Ed25519PrivateKey.from_private_bytes(seed)


def _key(city: str, purpose: str) -> Ed25519PrivateKey:
    if _secret is None:
        raise RuntimeError("signing is not configured (build the application first)")
    return _private_key(_secret, city, purpose)


def instance_key(purpose: str) -> Ed25519PrivateKey:
    """The instance's own key for ``purpose``, of no city (``balai backup`` signs with it).

    Derived from ``BALAI_SECRET_KEY`` like the cities' keys, under a name no
    city can have: another instance secret gives another key.
    """
    _check_purpose(purpose)
    return _key("", purpose)


def key_id(key: Ed25519PrivateKey) -> str:
    """A short public name of ``key``: the start of its public key's SHA-256, base64url."""
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return _b64(hashlib.sha256(raw).digest())[:12]


def public_key(purpose: str, city: str | None = None) -> PublicKey:
    """The current (or given) city's public key for ``purpose``."""
    _check_purpose(purpose)
    key = _key(city or current_city().slug, purpose)
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return PublicKey(key_id=key_id(key), raw=_b64(raw))


def sign_payload(purpose: str, fields: Mapping[str, str | int]) -> str:
    """A token carrying ``fields``, signed with the current city's key for ``purpose``.

    Args:
        purpose: What the token is for, e.g. ``heritage_ticket``; a verifier
            asks for the same purpose, so a token of one kind never passes
            for another.
        fields: Short names to strings or integers (kept as strings); the
            name ``city`` is reserved.

    Raises:
        ValueError: a bad purpose, a reserved field or a token longer than
            :data:`MAX_TOKEN`.
    """
    _check_purpose(purpose)
    if "city" in fields:
        raise ValueError("the field name 'city' is reserved")
    city = current_city().slug
    body = {"city": city, **{str(k): str(v) for k, v in fields.items()}}
    encoded = _b64(json.dumps(body, separators=(",", ":"), sort_keys=True).encode())
    signed = f"{VERSION}.{purpose}.{encoded}"
    token = f"{signed}.{_b64(_key(city, purpose).sign(signed.encode('ascii')))}"
    if len(token) > MAX_TOKEN:
        raise ValueError(f"a signed payload is at most {MAX_TOKEN} characters")
    return token


def verify_payload(token: str, purpose: str) -> SignedPayload:
    """The fields of ``token`` if it was signed by the current city for ``purpose``.

    Raises:
        SignatureError: ``malformed``, ``other_city`` or ``forged`` (see its reason).
    """
    _check_purpose(purpose)
    text = token.strip()
    parts = text.split(".")
    if len(text) > MAX_TOKEN or len(parts) != 4 or parts[0] != VERSION or parts[1] != purpose:
        raise SignatureError("malformed", "not a signed payload of this kind")
    body_bytes = _unb64(parts[2])
    signature = _unb64(parts[3])
    try:
        body = json.loads(body_bytes)
    except (UnicodeDecodeError, ValueError) as exc:
        raise SignatureError("malformed", "body is not JSON") from exc
    if not isinstance(body, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in body.items()
    ):
        raise SignatureError("malformed", "body is not a mapping of strings")
    city = current_city().slug
    if body.get("city") != city:
        raise SignatureError("other_city", str(body.get("city", ""))[:40])
    try:
        _key(city, purpose).public_key().verify(signature, ".".join(parts[:3]).encode("ascii"))
    except InvalidSignature as exc:
        raise SignatureError("forged") from exc
    fields = {k: v for k, v in body.items() if k != "city"}
    return SignedPayload(city=city, purpose=purpose, fields=fields)
