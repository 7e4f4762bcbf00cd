"""Seal and unseal personal fields (AES-256-GCM) and compute their blind indexes (HMAC-SHA256).

A sealed value is text, ``v1:<key id>:<base64url(nonce ‖ ciphertext ‖ tag)>``,
so it fits a ``Text`` column on SQLite and PostgreSQL alike and names the key
that sealed it. The associated data binds it to its city and purpose
(``e_jkn.nik``): a value copied to another city's row or another column fails
to unseal instead of showing the wrong person.

A blind index is ``HMAC-SHA256(index key, city ‖ purpose ‖ value)`` in hex:
equal values of one city and purpose give equal indexes (for look-ups and a
unique constraint), and nothing about the value can be read from it without
the key. The caller normalises the value first (``tk.parse_nik``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from balai.crypto.keys import KeyringError, current_keyring
from balai.tenants import current_city

VERSION = "v1"
NONCE_BYTES = 12
INDEX_LENGTH = 64  # hex characters of an HMAC-SHA256


class SealError(ValueError):
    """A sealed value is malformed, was tampered with, or belongs elsewhere."""


def _associated(city_slug: str, purpose: str) -> bytes:
    return f"{VERSION}\x00{city_slug}\x00{purpose}".encode()


def seal(value: str, purpose: str, *, city_slug: str | None = None) -> str:
    """Encrypt ``value`` for the current city (or ``city_slug``) and ``purpose``.

    Raises:
        KeyringError: the instance has no data keys.
    """
    key_id, key = current_keyring().active()
    slug = city_slug or current_city().slug
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, value.encode(), _associated(slug, purpose))
    return f"{VERSION}:{key_id}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def key_id_of(token: str) -> str:
    """The id of the key that sealed ``token``.

    Raises:
        SealError: ``token`` is not a sealed value.
    """
    version, _, rest = token.partition(":")
    key_id, sep, _ = rest.partition(":")
    if version != VERSION or not sep or not key_id:
        raise SealError("not a sealed value")
    return key_id


def unseal(token: str, purpose: str, *, city_slug: str | None = None) -> str:
    """The value sealed in ``token`` for the current city (or ``city_slug``) and ``purpose``.

    Raises:
        SealError: malformed, altered, or sealed for another city or purpose.
        KeyringError: the key that sealed it is no longer configured.
    """
    key = current_keyring().key(key_id_of(token))
    try:
        raw = base64.urlsafe_b64decode(token.split(":", 2)[2])
    except ValueError as exc:
        raise SealError("not a sealed value") from exc
    slug = city_slug or current_city().slug
    try:
        plain = AESGCM(key).decrypt(
            raw[:NONCE_BYTES], raw[NONCE_BYTES:], _associated(slug, purpose)
        )
    except InvalidTag as exc:
        raise SealError("sealed value altered or sealed for another city or field") from exc
    return plain.decode()


def blind_index(value: str, purpose: str, *, city_slug: str | None = None) -> str:
    """The keyed index of ``value`` for equality look-ups in one city and purpose.

    Raises:
        KeyringError: the instance has no index key.
    """
    slug = city_slug or current_city().slug
    message = f"{slug}\x00{purpose}\x00{value}".encode()
    return hmac.new(current_keyring().blind_key(), message, hashlib.sha256).hexdigest()


__all__ = ["KeyringError", "SealError", "blind_index", "key_id_of", "seal", "unseal"]
