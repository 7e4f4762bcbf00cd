"""Bank virtual account, QRIS and e-wallet, all through the (sandbox) gateway."""

from __future__ import annotations

from balai.payments.gateway_client import GatewayClient, GatewayError
from balai.payments.qris import parse
from balai.payments.settings import gateway_secret, settings_for
from balai.payments.types import PaymentStart, StartContext

INSTRUCTIONS = {
    "va": "Transfer the exact amount to this virtual account number from any bank.",
    "qris": "Scan this QRIS code with any banking or e-wallet app.",
    "ewallet": "Approve the payment in your e-wallet.",
}


class GatewayProvider:
    """A channel of the gateway: ``va``, ``qris`` or ``ewallet``."""

    via_gateway = True

    def __init__(self, key: str, title: str) -> None:
        self.key = key
        self.title = title

    async def start(self, context: StartContext) -> PaymentStart:
        """Create the payment at the gateway and hand back what the payer needs.

        Raises:
            GatewayError: no gateway secret (production without
                ``BALAI_GATEWAY_SECRET``), or the gateway refused.
        """
        ui = context.app.state.ui
        secret = gateway_secret(ui.config)
        if secret is None:
            raise GatewayError("no gateway secret configured")
        settings = settings_for(ui.config, context.city)
        client = GatewayClient(secret=secret, partner_id=settings.partner_id, app=context.app)
        answer = await client.create_payment(
            self.key,
            reference=context.attempt_ref,
            amount=context.invoice.amount,
            callback_url=context.callback_url,
            return_url=context.return_url,
            merchant={
                "merchantId": settings.merchant_id,
                "name": settings.merchant_name,
                "city": settings.merchant_city,
                "postalCode": settings.postal_code,
                "mcc": settings.mcc,
            },
            va_prefix=settings.va_prefix,
        )
        qr_content = answer.get("qrContent", "")
        if qr_content:
            parse(qr_content)  # a gateway's broken code must not reach a payer
        return PaymentStart(
            provider=self.key,
            reference=str(answer.get("referenceNo", "")),
            va_number=str(answer.get("virtualAccountNo", "")),
            qris_payload=qr_content,
            redirect_url=str(answer.get("webRedirectUrl", "")),
            instructions=INSTRUCTIONS[self.key],
        )
