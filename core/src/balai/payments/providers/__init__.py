"""The payment providers the payments service ships."""

from balai.payments.providers.cash import CashProvider
from balai.payments.providers.gateway import GatewayProvider

__all__ = ["CashProvider", "GatewayProvider", "builtin_providers"]


def builtin_providers() -> list:
    """Cash at the counter, bank virtual account, QRIS and e-wallet."""
    return [
        CashProvider(),
        GatewayProvider("va", "Bank virtual account"),
        GatewayProvider("qris", "QRIS"),
        GatewayProvider("ewallet", "E-wallet"),
    ]
