"""Our side of the payment gateway: SNAP-signed requests to create payments and read reports.

The gateway is the sandbox bank served by this very application (reached
in-process), or a real one at ``BALAI_GATEWAY_URL``.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from balai.payments import snap
from balai.payments.inprocess import client_for

log = logging.getLogger("balai.payments.gateway")

GATEWAY_URL_ENV = "BALAI_GATEWAY_URL"
INPROCESS_BASE = "http://gateway.invalid"
API_ROOT = "/api/sandbox-bank/v1.0"
CREATE_PATHS = {
    "va": "/transfer-va/create-va",
    "qris": "/qr/qr-mpm-generate",
    "ewallet": "/debit/payment-host-to-host",
}
REPORT_PATH = "/settlement-report"


class GatewayError(RuntimeError):
    """The gateway refused a request or could not be reached."""


@dataclass(frozen=True)
class GatewayClient:
    """Signed requests from one city (partner) to the gateway.

    Attributes:
        secret: The shared secret.
        partner_id: The city's partner id at the gateway.
        app: The running litestar app (for the in-process sandbox).
    """

    secret: str
    partner_id: str
    app: Any

    def _client(self) -> httpx.AsyncClient:
        base = os.environ.get(GATEWAY_URL_ENV, "")
        if base:
            return httpx.AsyncClient(base_url=base, timeout=10.0)
        return client_for(self.app, INPROCESS_BASE)

    async def post(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Send ``payload`` signed to ``API_ROOT + path`` and return the JSON answer.

        Raises:
            GatewayError: the gateway answered with an error or not at all.
        """
        body = snap.minify(payload)
        async with self._client() as client:
            full = urlsplit(str(client.base_url)).path.rstrip("/") + API_ROOT + path
            headers = snap.signed_headers(self.secret, self.partner_id, "POST", full, body)
            try:
                response = await client.post(full, content=body, headers=headers.as_dict())
            except httpx.HTTPError as exc:
                raise GatewayError(f"gateway unreachable: {exc}") from exc
        if response.status_code >= 300:
            log.warning(
                "gateway refused %s: %s %s", path, response.status_code, response.text[:200]
            )
            raise GatewayError(f"gateway answered {response.status_code}")
        return response.json()

    async def create_payment(
        self,
        channel: str,
        *,
        reference: str,
        amount: int,
        callback_url: str,
        return_url: str,
        merchant: dict[str, str],
        va_prefix: str,
    ) -> dict[str, Any]:
        """Ask the gateway to collect ``amount`` through ``channel``; returns its answer."""
        payload = {
            "partnerReferenceNo": reference,
            "amount": {"value": f"{amount}.00", "currency": "IDR"},
            "additionalInfo": {
                "callbackUrl": callback_url,
                "returnUrl": return_url,
                "merchant": merchant,
                "vaPrefix": va_prefix,
            },
        }
        return await self.post(CREATE_PATHS[channel], payload)

    async def settlement_report(self, day: str) -> list[dict[str, Any]]:
        """Transactions the gateway settled for this partner on ``day`` (``YYYY-MM-DD``, WIB)."""
        answer = await self.post(REPORT_PATH, {"settlementDate": day})
        return list(answer.get("transactions", []))
