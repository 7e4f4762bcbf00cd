"""Cash at the counter (a bill) or on delivery (goods): an officer confirms the receipt.

The page names it after the invoice's kind (``balai.payments.labels.provider_title``).
"""

from __future__ import annotations

from balai.payments.types import PaymentStart, StartContext


class CashProvider:
    """Pay in cash; settled when an officer with ``payments.confirm_cash`` confirms it."""

    key = "cash"
    title = "Cash"
    via_gateway = False

    async def start(self, context: StartContext) -> PaymentStart:
        """Nothing to ask anyone: the payer shows the invoice number to an officer."""
        return PaymentStart(
            provider=self.key,
            reference=context.attempt_ref,
            instructions="Show this invoice number to the officer and pay the amount in cash.",
        )
