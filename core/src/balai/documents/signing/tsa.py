"""The local timestamp authority: RFC 3161 over HTTP, one path per city (``/<city>``).

``balai signing tsa`` runs it (the demo and a development machine); the
tests start it on loopback. It answers ``POST`` bodies of type
``application/timestamp-query`` with ``application/timestamp-reply``: a
``TimeStampResp`` whose token is signed by the city's TSA certificate (which
the city's CA issued), built with pyHanko's RFC 3161 responder code. A
malformed request gets a ``rejection`` status, as RFC 3161 §2.4.2 says.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import keys, tsp
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

from balai.documents.signing.authority import Authority

log = logging.getLogger("balai.documents.tsa")
MAX_REQUEST = 16 * 1024
QUERY_TYPE = "application/timestamp-query"
REPLY_TYPE = "application/timestamp-reply"


def asn1_cert(cert: object) -> asn1_x509.Certificate:
    """A ``cryptography`` certificate as asn1crypto's."""
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))  # type: ignore[attr-defined]


def asn1_key(key: object) -> keys.PrivateKeyInfo:
    """A ``cryptography`` private key as asn1crypto's (unencrypted, in memory only)."""
    der = key.private_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return keys.PrivateKeyInfo.load(der)


def rejection() -> bytes:
    """A ``TimeStampResp`` with status ``rejection`` / ``badRequest`` and no token (DER).

    asn1crypto's ``TimeStampResp`` insists on the token, which RFC 3161 leaves
    out of a refusal, so the one-field sequence is written here.
    """
    status = tsp.PKIStatusInfo(
        {"status": "rejection", "fail_info": tsp.PKIFailureInfo({"bad_request"})}
    ).dump()
    return b"\x30" + bytes([len(status)]) + status


@dataclass(frozen=True)
class CityStamper:
    """One city's responder."""

    stamper: DummyTimeStamper

    @classmethod
    def of(cls, authority: Authority) -> CityStamper:
        """The responder signing with ``authority``'s TSA key."""
        return cls(
            DummyTimeStamper(
                tsa_cert=asn1_cert(authority.tsa_cert),
                tsa_key=asn1_key(authority.tsa_key),
                certs_to_embed=[asn1_cert(authority.ca_cert)],
            )
        )

    def answer(self, body: bytes) -> bytes:
        """The DER ``TimeStampResp`` for a DER ``TimeStampReq``."""
        try:
            request = tsp.TimeStampReq.load(body)
            request.native  # noqa: B018 - parse everything now, not while signing
            algorithm = request["message_imprint"]["hash_algorithm"]["algorithm"].native
            if algorithm not in ("sha256", "sha384", "sha512"):
                raise ValueError(f"hash {algorithm} not accepted")
        except (ValueError, TypeError, KeyError) as exc:
            log.info("timestamp request refused: %s", exc)
            return rejection()
        self.stamper.fixed_dt = datetime.now(UTC)
        return self.stamper.request_tsa_response(request).dump()


class TimestampServer:
    """An HTTP server answering RFC 3161 requests for the cities it was given."""

    def __init__(
        self, stampers: Mapping[str, CityStamper], host: str = "127.0.0.1", port: int = 0
    ) -> None:
        self.stampers = dict(stampers)
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                city = self.path.strip("/").split("?", 1)[0]
                stamper = outer.stampers.get(city)
                length = int(self.headers.get("Content-Length") or 0)
                kind = (self.headers.get("Content-Type") or "").split(";", 1)[0].strip()
                if stamper is None:
                    self.send_error(404, "no timestamp authority for this city")
                    return
                if kind != QUERY_TYPE or not 0 < length <= MAX_REQUEST:
                    self.send_error(415 if kind != QUERY_TYPE else 413)
                    return
                body = self.rfile.read(length)
                with outer._lock:  # the stamper's time is set per answer
                    reply = stamper.answer(body)
                self.send_response(200)
                self.send_header("Content-Type", REPLY_TYPE)
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, format: str, *args: object) -> None:
                log.debug("tsa %s", format % args)

        self.httpd = ThreadingHTTPServer((host, port), Handler)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """``http://host:port`` (add ``/<city>``)."""
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> TimestampServer:
        """Serve in a background thread."""
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
