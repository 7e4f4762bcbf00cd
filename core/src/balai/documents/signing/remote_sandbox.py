"""A sandbox of the remote signing service: the API of :mod:`.remote`, behaving like the service.

It keeps each enrolled official's key to itself (an official is enrolled out
of band, as at a certification authority: :meth:`SandboxSigningService.enrol`
returns only the certificate), checks the passphrase (three wrong ones lock
the certificate), refuses a revoked certificate, and can be switched to an
outage (every request answers 503) or to slow answers. It is an ASGI
application: tests reach it in-process with ``httpx.ASGITransport``; it can
also be served on a port. Certificates come from the city's CA, as a
PSrE would issue them to the city's officials.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509 import ObjectIdentifier
from litestar import Litestar, Response, post
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from balai.documents.signing.authority import Authority, issue_leaf, subject_name
from balai.documents.signing.tsa import asn1_cert, asn1_key
from balai.tenants import City

MAX_FAILURES = 3
DOCUMENT_SIGNING = ObjectIdentifier("1.3.6.1.5.5.7.3.36")


@dataclass
class _Enrolled:
    key: rsa.RSAPrivateKey
    cert: Any
    passphrase_hash: bytes
    salt: bytes
    failures: int = 0
    revoked: bool = False


@dataclass
class SandboxSigningService:
    """The service's state: enrolled certificates, and the switches for outages."""

    authority: Authority
    city: City
    enrolled: dict[str, _Enrolled] = field(default_factory=dict)
    down: bool = False
    requests: int = 0

    def enrol(self, holder_name: str, position: str, passphrase: str, *, years: int = 2) -> Any:
        """Issue an official a certificate whose key stays here; return the certificate."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        now = datetime.now(UTC)
        cert = issue_leaf(
            subject=subject_name(holder_name, self.city, position),
            public_key=key.public_key(),
            issuer=self.authority.ca_cert,
            issuer_key=self.authority.ca_key,
            city=self.city,
            not_before=now - timedelta(minutes=5),
            not_after=now + timedelta(days=365 * years),
            usage=DOCUMENT_SIGNING,
        )
        salt = secrets.token_bytes(16)
        self.enrolled[format(cert.serial_number, "x")] = _Enrolled(
            key=key, cert=cert, passphrase_hash=_hash(passphrase, salt), salt=salt
        )
        return cert

    def revoke(self, serial: str) -> None:
        """Revoke at the service (the official reported a lost device)."""
        self.enrolled[serial].revoked = True

    async def sign(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Answer one ``/v1/sign`` request: (status, JSON)."""
        self.requests += 1
        if self.down:
            return 503, {"code": "SERVICE_UNAVAILABLE"}
        try:
            serial = str(body["serial"])
            passphrase = str(body["passphrase"])
            digest = base64.b64decode(str(body["digest"]), validate=True)
        except (KeyError, ValueError, TypeError):
            return 400, {"code": "BAD_REQUEST"}
        if body.get("digest_algorithm") != "sha256" or len(digest) != 32:
            return 400, {"code": "BAD_REQUEST"}
        entry = self.enrolled.get(serial)
        if entry is None:
            return 404, {"code": "UNKNOWN_CERTIFICATE"}
        if entry.revoked:
            return 403, {"code": "CERTIFICATE_REVOKED"}
        if entry.failures >= MAX_FAILURES:
            return 423, {"code": "LOCKED"}
        if not hmac.compare_digest(_hash(passphrase, entry.salt), entry.passphrase_hash):
            entry.failures += 1
            return (423 if entry.failures >= MAX_FAILURES else 401), {
                "code": "LOCKED" if entry.failures >= MAX_FAILURES else "WRONG_PASSPHRASE"
            }
        entry.failures = 0
        signer = signers.SimpleSigner(
            signing_cert=asn1_cert(entry.cert),
            signing_key=asn1_key(entry.key),
            cert_registry=SimpleCertificateStore.from_certs([asn1_cert(self.authority.ca_cert)]),
        )
        signed = await signer.async_sign(digest, "sha256", use_pades=True)
        return 200, {"cms": base64.b64encode(signed.dump()).decode()}

    def app(self) -> Litestar:
        """The service as an ASGI application."""

        @post("/v1/sign", status_code=200)
        async def sign_route(data: dict[str, Any]) -> Response:
            status, payload = await self.sign(data)
            return Response(payload, status_code=status)

        return Litestar(route_handlers=[sign_route])


def _hash(passphrase: str, salt: bytes) -> bytes:
    return hashlib.scrypt(passphrase.encode(), salt=salt, n=2**12, r=8, p=1)
