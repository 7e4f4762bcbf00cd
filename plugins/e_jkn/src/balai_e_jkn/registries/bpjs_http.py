"""BPJS's participant service over HTTP, with the request signing of BPJS's web services.

BPJS Kesehatan's bridging web services (VClaim, PCare) authenticate each
request with three headers: ``X-cons-id`` (the consumer id BPJS gives),
``X-timestamp`` (seconds since 1970-01-01 UTC) and ``X-signature``: the
base64 of HMAC-SHA256 over ``"<cons id>&<timestamp>"`` keyed with the
consumer secret. That much follows BPJS's published bridging documentation
as understood here (belum diverifikasi / unverified); the paths and bodies
below are this plugin's own shape, not BPJS's (the participant-registration
service for local governments is not public), so a real adapter maps them.

:class:`HttpBpjs` is the adapter (stdlib HTTP in a worker thread);
:class:`BpjsHttpSandbox` serves a :class:`~.sandboxes.BpjsSandbox` on
loopback, refusing unsigned, wrongly signed or stale requests (401), so the
contract suite runs over the wire as it would against BPJS's test service.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.error
import urllib.request
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from balai_e_jkn.registries.sandboxes import BpjsSandbox
from balai_e_jkn.registries.types import (
    Applicant,
    ParticipantStatus,
    RefusalReason,
    Registration,
    RegistrationRefused,
    RegistryUnavailable,
    Segment,
)

MAX_SKEW = 300  # seconds a request's timestamp may differ from the server's clock
TIMEOUT = 10.0


def signature(cons_id: str, secret: str, timestamp: str) -> str:
    """``X-signature``: base64(HMAC-SHA256(secret, "<cons id>&<timestamp>"))."""
    digest = hmac.new(secret.encode(), f"{cons_id}&{timestamp}".encode(), hashlib.sha256)
    return base64.b64encode(digest.digest()).decode()


def signed_headers(cons_id: str, secret: str, now: float | None = None) -> dict[str, str]:
    """The three authentication headers of one request."""
    timestamp = str(int(time.time() if now is None else now))
    return {
        "X-cons-id": cons_id,
        "X-timestamp": timestamp,
        "X-signature": signature(cons_id, secret, timestamp),
    }


class HttpBpjs:
    """The BPJS adapter over HTTP (see the module for what is unverified)."""

    def __init__(self, base_url: str, cons_id: str, secret: str) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"BPJS URL {base_url!r}: http:// or https:// only")
        self.base_url = base_url.rstrip("/")
        self.cons_id = cons_id
        self.secret = secret

    def _call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(  # noqa: S310 (http/https only, see __init__)
            self.base_url + path,
            data=data,
            method=method,
            headers={
                **signed_headers(self.cons_id, self.secret),
                "Content-Type": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:  # noqa: S310
                return answer.status, json.loads(answer.read() or b"{}")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")
        except (OSError, ValueError) as error:
            raise RegistryUnavailable(f"BPJS: {error}") from None

    async def _ask(self, method: str, path: str, body: dict | None = None) -> dict:
        status, answer = await asyncio.to_thread(self._call, method, path, body)
        if status == 422:
            raise RegistrationRefused(RefusalReason(answer["refusal"]))
        if status != 200:
            raise RegistryUnavailable(f"BPJS answered {status}: {answer.get('message', '')}")
        return answer

    async def status(self, nik: str) -> ParticipantStatus:
        """See :meth:`balai_e_jkn.registries.types.Bpjs.status`."""
        found = await self._ask("GET", f"/peserta/{nik}")
        segment = Segment(found["segment"]) if found.get("segment") else None
        return ParticipantStatus(
            found["participant"], found["active"], segment, found.get("card_number")
        )

    async def register(self, applicant: Applicant) -> Registration:
        """See :meth:`balai_e_jkn.registries.types.Bpjs.register`."""
        body = {
            "nik": applicant.nik,
            "kk": applicant.kk,
            "name": applicant.name,
            "born": applicant.born.isoformat(),
            "female": applicant.female,
        }
        made = await self._ask("POST", "/peserta", body)
        return Registration(
            made["card_number"], date.fromisoformat(made["start_date"]), made["care_class"]
        )

    async def deactivate(self, nik: str) -> None:
        """See :meth:`balai_e_jkn.registries.types.Bpjs.deactivate`."""
        await self._ask("DELETE", f"/peserta/{nik}")


class BpjsHttpSandbox:
    """A :class:`BpjsSandbox` served over HTTP on loopback, checking the signed headers.

    ``consumers`` maps consumer ids to their secrets. Start with :meth:`start`
    (returns self; ``url`` is then set), stop with :meth:`stop`.
    """

    def __init__(self, sandbox: BpjsSandbox, consumers: dict[str, str]) -> None:
        self.sandbox = sandbox
        self.consumers = consumers
        self.url = ""
        self._server: ThreadingHTTPServer | None = None

    def authentic(self, headers: Any) -> bool:
        """Whether the request carries a known consumer's valid, fresh signature."""
        cons_id = headers.get("X-cons-id", "")
        timestamp = headers.get("X-timestamp", "")
        secret = self.consumers.get(cons_id)
        if secret is None or not timestamp.isdigit():
            return False
        if abs(time.time() - int(timestamp)) > MAX_SKEW:
            return False
        expected = signature(cons_id, secret, timestamp)
        return hmac.compare_digest(expected, headers.get("X-signature", ""))

    async def answer(self, method: str, path: str, body: dict) -> tuple[int, dict]:
        """The status and JSON body for one authenticated request."""
        parts = path.strip("/").split("/")
        try:
            if method == "GET" and len(parts) == 2 and parts[0] == "peserta":
                found = await self.sandbox.status(parts[1])
                return 200, {
                    "participant": found.participant,
                    "active": found.active,
                    "segment": found.segment.value if found.segment else None,
                    "card_number": found.card_number,
                }
            if method == "POST" and parts == ["peserta"]:
                applicant = Applicant(
                    body["nik"],
                    body["kk"],
                    body["name"],
                    date.fromisoformat(body["born"]),
                    bool(body["female"]),
                )
                made = await self.sandbox.register(applicant)
                return 200, {
                    "card_number": made.card_number,
                    "start_date": made.start_date.isoformat(),
                    "care_class": made.care_class,
                }
            if method == "DELETE" and len(parts) == 2 and parts[0] == "peserta":
                await self.sandbox.deactivate(parts[1])
                return 200, {}
        except RegistrationRefused as refused:
            return 422, {"refusal": refused.reason.value}
        except RegistryUnavailable:
            return 503, {"message": "service unavailable"}
        except (KeyError, TypeError, ValueError):
            return 400, {"message": "bad request"}
        return 404, {"message": "not found"}

    def start(self) -> BpjsHttpSandbox:
        """Serve on a free loopback port in a background thread."""
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                if not outer.authentic(self.headers):
                    status, body = 401, {"message": "signature refused"}
                else:
                    length = int(self.headers.get("Content-Length") or 0)
                    raw = self.rfile.read(length) if length else b""
                    try:
                        sent = json.loads(raw) if raw else {}
                    except ValueError:
                        sent = None
                    if not isinstance(sent, dict):
                        status, body = 400, {"message": "bad request"}
                    else:
                        status, body = asyncio.run(outer.answer(self.command, self.path, sent))
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_DELETE = _handle

            def log_message(self, *args: Any) -> None:
                """Quiet."""

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
