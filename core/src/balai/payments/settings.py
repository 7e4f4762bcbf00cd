"""A city's payment settings: merchant data for QRIS and the gateway partner id.

Built-in services are enabled everywhere, so their settings are read here
from ``[cities.<slug>.settings.payments]`` when present, with defaults
derived from the city otherwise.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta

import msgspec

from balai.config import Config
from balai.payments.qris import Merchant
from balai.tenants import City

GATEWAY_SECRET_ENV = "BALAI_GATEWAY_SECRET"  # noqa: S105 (a variable name)
DEVELOPMENT_GATEWAY_SECRET = "balai-sandbox-gateway-development-secret"  # noqa: S105 (development only)


class PaymentsSettings(msgspec.Struct, forbid_unknown_fields=True):
    """What a city may set for payments (every field has a default).

    Attributes:
        merchant_id: The 15-character QRIS merchant id (default: from the city slug).
        merchant_name: The name on QRIS codes (default: the city's name).
        merchant_city: The city on QRIS codes (default: the city's name without "Kota").
        postal_code: The merchant's postal code.
        mcc: Merchant category code (9399: government services).
        partner_id: The partner id the gateway knows this city by.
        va_prefix: The bank's company code that starts the city's VA numbers.
    """

    merchant_id: str = ""
    merchant_name: str = ""
    merchant_city: str = ""
    postal_code: str = "00000"
    mcc: str = "9399"
    partner_id: str = ""
    va_prefix: str = "8808"


def settings_for(config: Config, city: City) -> PaymentsSettings:
    """The city's payment settings with the derived defaults filled in.

    Raises:
        msgspec.ValidationError: the instance file's table is malformed.
    """
    raw = config.raw_settings.get(city.slug, {}).get("payments", {})
    settings = msgspec.convert(raw, PaymentsSettings, strict=False)
    letters = re.sub(r"[^A-Z0-9]", "", city.slug.upper())
    return msgspec.structs.replace(
        settings,
        merchant_id=settings.merchant_id or ("ID" + letters + "0" * 15)[:15],
        merchant_name=settings.merchant_name or city.name,
        merchant_city=settings.merchant_city
        or city.name.removeprefix("Kota ").strip()
        or city.name,
        partner_id=settings.partner_id or f"BALAI-{letters}"[:40],
    )


def merchant_of(settings: PaymentsSettings) -> Merchant:
    """The QRIS merchant data from a city's settings."""
    return Merchant(
        merchant_id=settings.merchant_id,
        name=settings.merchant_name,
        city=settings.merchant_city,
        postal_code=settings.postal_code,
        mcc=settings.mcc,
    )


def gateway_secret(config: Config) -> str | None:
    """The secret shared with the gateway: ``BALAI_GATEWAY_SECRET``.

    A development instance without it uses a fixed development secret; a
    production instance without it has no gateway (``None``).
    """
    secret = os.environ.get(GATEWAY_SECRET_ENV, "")
    if secret:
        return secret
    return DEVELOPMENT_GATEWAY_SECRET if config.development else None


INVOICE_MAX_LIFETIME = timedelta(days=400)
