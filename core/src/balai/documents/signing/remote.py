"""The remote signing adapter: the digest goes out with the official's passphrase, CMS comes back.

Shaped like a remote signing service of a certification authority (BSrE's
for officials): the official's key stays with the service; the platform
sends the SHA-256 digest of the PDF's signed byte ranges, the certificate's
serial and the passphrase the official types, and receives a detached CMS
``SignedData`` (PAdES signed attributes) made with the key. The platform
then adds the RFC 3161 timestamp over the signature value (an unsigned
attribute) and pyHanko embeds it and the validation data as for a local
signature.

The service's HTTP API (the sandbox in :mod:`.remote_sandbox` speaks it):

* ``POST /v1/sign`` ``{"serial", "passphrase", "digest" (base64), "digest_algorithm":
  "sha256"}`` → 200 ``{"cms": base64}``; 401 ``WRONG_PASSPHRASE``; 423
  ``LOCKED`` (after repeated wrong passphrases); 403 ``CERTIFICATE_REVOKED``;
  404 ``UNKNOWN_CERTIFICATE``; 400 ``BAD_REQUEST``; 5xx when it is down.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import httpx
from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509 as crypto_x509
from pyhanko.sign import signers
from pyhanko.sign.general import SigningError
from pyhanko_certvalidator.registry import SimpleCertificateStore

from balai.documents.signing.tsa import asn1_cert

TIMEOUT = 15.0


class RemoteRefused(SigningError):
    """The service refused (wrong passphrase, locked, revoked); ``code`` is its reason."""

    def __init__(self, code: str) -> None:
        super().__init__(f"remote signing refused: {code}")
        self.code = code


class RemoteUnavailable(SigningError):
    """The service did not answer properly (down, timed out, malformed answer)."""


class RemoteSigningClient:
    """Speaks the remote signing API; ``transport`` lets tests reach an in-process sandbox."""

    def __init__(self, base_url: str, *, transport: httpx.AsyncBaseTransport | None = None):
        self.base_url = base_url.rstrip("/")
        self.transport = transport

    async def sign_digest(self, *, serial: str, passphrase: str, digest: bytes) -> cms.ContentInfo:
        """The service's CMS signature over ``digest`` (SHA-256) with the key of ``serial``.

        Raises:
            RemoteRefused: the service said no (its code says why).
            RemoteUnavailable: no proper answer.
        """
        body = {
            "serial": serial,
            "passphrase": passphrase,
            "digest": base64.b64encode(digest).decode(),
            "digest_algorithm": "sha256",
        }
        try:
            async with httpx.AsyncClient(transport=self.transport, timeout=TIMEOUT) as client:
                answer = await client.post(f"{self.base_url}/v1/sign", json=body)
        except httpx.HTTPError as exc:
            raise RemoteUnavailable(f"remote signing service unreachable: {exc}") from exc
        if answer.status_code >= 500:
            raise RemoteUnavailable(f"remote signing service answered {answer.status_code}")
        try:
            payload = answer.json()
        except ValueError as exc:
            raise RemoteUnavailable("remote signing service sent no JSON") from exc
        if answer.status_code != 200:
            raise RemoteRefused(str(payload.get("code", answer.status_code))[:40])
        try:
            signed = cms.ContentInfo.load(base64.b64decode(payload["cms"]))
            signed.native  # noqa: B018 - parse it all now
        except (KeyError, ValueError, TypeError) as exc:
            raise RemoteUnavailable("remote signing service sent a malformed CMS") from exc
        return signed


class RemoteSigner(signers.Signer):
    """A pyHanko signer whose signature is made by the remote service."""

    def __init__(
        self,
        client: RemoteSigningClient,
        *,
        serial: str,
        passphrase: str,
        signing_cert: asn1_x509.Certificate,
        chain: list[asn1_x509.Certificate],
    ) -> None:
        super().__init__(
            signing_cert=signing_cert, cert_registry=SimpleCertificateStore.from_certs(chain)
        )
        self.client = client
        self.serial = serial
        self.passphrase = passphrase

    async def async_sign_raw(
        self, data: bytes, digest_algorithm: str, dry_run: bool = False
    ) -> bytes:
        """A placeholder of the signature's size (only used to reserve space)."""
        if not dry_run:
            raise SigningError("the key is remote: raw signatures are made by the service")
        return bytes(self.signing_cert.public_key.bit_size // 8)

    async def async_sign(
        self,
        data_digest: bytes,
        digest_algorithm: str,
        dry_run: bool = False,
        use_pades: bool = False,
        timestamper: Any = None,
        **kwargs: Any,
    ) -> cms.ContentInfo:
        """Send the document digest out; timestamp the CMS signature that comes back."""
        if dry_run:
            return await super().async_sign(
                data_digest,
                digest_algorithm,
                dry_run=True,
                use_pades=use_pades,
                timestamper=timestamper,
                **kwargs,
            )
        if digest_algorithm != "sha256":
            raise SigningError("the remote service signs SHA-256 digests")
        signed = await self.client.sign_digest(
            serial=self.serial, passphrase=self.passphrase, digest=data_digest
        )
        if timestamper is None:
            return signed
        signer_info = signed["content"]["signer_infos"][0]
        token = await timestamper.async_timestamp(
            hashlib.sha256(signer_info["signature"].native).digest(), "sha256"
        )
        signer_info["unsigned_attrs"] = cms.CMSAttributes(
            [cms.CMSAttribute({"type": "signature_time_stamp_token", "values": [token]})]
        )
        return cms.ContentInfo.load(signed.dump(force=True))


class RemoteKeystore:
    """Signs through the remote service; the certificate row holds the certificate only."""

    def __init__(self, client: RemoteSigningClient, chain: list[Any]) -> None:
        self.client = client
        self.chain = chain

    async def signer_for(self, certificate: dict[str, Any], credentials: str) -> signers.Signer:
        """A remote signer for the official's certificate and passphrase."""
        cert = asn1_cert(crypto_x509.load_pem_x509_certificate(certificate["cert_pem"].encode()))
        return RemoteSigner(
            self.client,
            serial=certificate["serial"],
            passphrase=credentials,
            signing_cert=cert,
            chain=self.chain,
        )
