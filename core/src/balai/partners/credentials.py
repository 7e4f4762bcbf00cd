"""A partner's credentials: client id, client secret, public key, access tokens.

* The **client secret** keys the HMAC-SHA512 of every transaction request.
  The server needs it back to check a signature, so it is kept sealed
  (AES-256-GCM, key derived from the instance secret with HKDF) rather than
  hashed; officers see it once, when it is issued.
* The partner's **public key** (RSA of at least 2048 bits, or ECDSA P-256)
  checks its signature over ``client_id|X-TIMESTAMP`` when it asks for an
  access token (SHA256withRSA, PKCS #1 v1.5, or ECDSA with SHA-256).
* An **access token** lives :data:`TOKEN_LIFETIME`; only its SHA-256 is stored.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
from datetime import timedelta

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

TOKEN_LIFETIME = timedelta(minutes=15)
MIN_RSA_BITS = 2048
MAX_KEY_TEXT = 4000
_SEAL_INFO = b"balai partners: client secret"


class PublicKeyError(ValueError):
    """A public key an officer pasted cannot be used; the message says why."""


def new_client_id() -> str:
    """A fresh client id (``X-CLIENT-KEY`` / ``X-PARTNER-ID``): 20 upper-case letters and digits."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(20))


def new_secret() -> str:
    """A fresh client secret (shown once)."""
    return secrets.token_urlsafe(32)


def new_token() -> str:
    """A fresh access token."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What is stored of an access token."""
    return hashlib.sha256(token.encode()).hexdigest()


def _key(instance_secret: str) -> bytes:
    if not instance_secret:
        raise ValueError("the instance has no secret key")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_SEAL_INFO).derive(
        instance_secret.encode()
    )


def seal(instance_secret: str, secret: str, *, client_id: str) -> str:
    """``secret`` encrypted for storage, bound to ``client_id`` (nonce and ciphertext, base64)."""
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(_key(instance_secret)).encrypt(nonce, secret.encode(), client_id.encode())
    return base64.b64encode(nonce + sealed).decode("ascii")


def unseal(instance_secret: str, sealed: str, *, client_id: str) -> str:
    """The secret :func:`seal` stored; raises ``ValueError`` if it was not sealed for this id."""
    try:
        raw = base64.b64decode(sealed.encode("ascii"), validate=True)
        plain = AESGCM(_key(instance_secret)).decrypt(raw[:12], raw[12:], client_id.encode())
    except Exception as exc:  # InvalidTag, bad base64: the stored value is not ours
        raise ValueError("the stored secret cannot be opened with this instance's key") from exc
    return plain.decode()


def load_public_key(text: str) -> rsa.RSAPublicKey | ec.EllipticCurvePublicKey:
    """Read a PEM public key an officer pasted; RSA ≥ 2048 bits or ECDSA P-256 only.

    Raises:
        PublicKeyError: not a PEM public key, or another kind or size.
    """
    text = text.strip()
    if not text or len(text) > MAX_KEY_TEXT:
        raise PublicKeyError("paste the partner's public key in PEM form")
    try:
        key = serialization.load_pem_public_key(text.encode("ascii"))
    except (ValueError, UnicodeEncodeError, TypeError) as exc:
        raise PublicKeyError("not a PEM public key") from exc
    if isinstance(key, rsa.RSAPublicKey):
        if key.key_size < MIN_RSA_BITS:
            raise PublicKeyError(f"an RSA key needs at least {MIN_RSA_BITS} bits")
        return key
    if isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256R1):
        return key
    raise PublicKeyError("only RSA or ECDSA P-256 keys are accepted")


def token_request_text(client_id: str, timestamp: str) -> bytes:
    """What the partner signs to obtain an access token: ``client_id|X-TIMESTAMP``."""
    return f"{client_id}|{timestamp}".encode()


def verify_token_signature(
    public_key_pem: str, client_id: str, timestamp: str, signature: str
) -> bool:
    """Whether ``signature`` (base64) is the partner's over ``client_id|timestamp``."""
    try:
        key = load_public_key(public_key_pem)
        raw = base64.b64decode(signature.encode("ascii"), validate=True)
    except (PublicKeyError, binascii.Error, ValueError, UnicodeEncodeError):
        return False
    text = token_request_text(client_id, timestamp)
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(raw, text, padding.PKCS1v15(), hashes.SHA256())
        else:
            key.verify(raw, text, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False
    return True


def sign_token_request(private_key_pem: str, client_id: str, timestamp: str) -> str:
    """The partner's side: sign ``client_id|timestamp`` (simulator, contract tests, docs)."""
    key = serialization.load_pem_private_key(private_key_pem.encode("ascii"), password=None)
    text = token_request_text(client_id, timestamp)
    if isinstance(key, rsa.RSAPrivateKey):
        raw = key.sign(text, padding.PKCS1v15(), hashes.SHA256())
    elif isinstance(key, ec.EllipticCurvePrivateKey):
        raw = key.sign(text, ec.ECDSA(hashes.SHA256()))
    else:
        raise ValueError("only RSA or ECDSA keys sign token requests")
    return base64.b64encode(raw).decode("ascii")


def new_key_pair(kind: str = "rsa") -> tuple[str, str]:
    """A partner key pair as PEM (private, public): for the simulator and tests."""
    if kind == "ec":
        private: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey = ec.generate_private_key(
            ec.SECP256R1()
        )
    else:
        private = rsa.generate_private_key(public_exponent=65537, key_size=MIN_RSA_BITS)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )
    return private_pem, public_pem
