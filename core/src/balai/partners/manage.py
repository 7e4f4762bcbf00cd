"""Adding partners, changing what they may do, and issuing their secrets.

Every function works in the current city. A new or rotated client secret
is returned once, to be shown once; only its sealed form is stored.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from balai.partners import credentials
from balai.partners.tables import Partner, PartnerToken
from balai.partners.types import PartnerService
from balai.payments.ledger import MAX_AMOUNT, now_utc

MAX_NAME = 120
MAX_ALLOW_LINES = 50


class PartnerError(ValueError):
    """A partner's settings are not acceptable; ``field`` names the form field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class PartnerSettings:
    """What an officer sets for a partner."""

    name: str
    services: tuple[str, ...]
    public_key: str
    ip_allow: str = ""
    fee_flat: int = 0


def check(settings: PartnerSettings) -> PartnerSettings:
    """The settings cleaned, or :class:`PartnerError` naming the first bad field."""
    name = " ".join(settings.name.split())
    if not name or len(name) > MAX_NAME:
        raise PartnerError("name", "a name of at most 120 characters")
    known = {s.value for s in PartnerService}
    services = tuple(sorted(set(settings.services)))
    if not services or not set(services) <= known:
        raise PartnerError("services", "choose at least one service from the list")
    try:
        credentials.load_public_key(settings.public_key)
    except credentials.PublicKeyError as exc:
        raise PartnerError("public_key", str(exc)) from exc
    lines = [line.strip() for line in settings.ip_allow.splitlines() if line.strip()]
    if len(lines) > MAX_ALLOW_LINES:
        raise PartnerError("ip_allow", "at most 50 addresses or networks")
    for line in lines:
        try:
            ipaddress.ip_network(line, strict=False)
        except ValueError as exc:
            raise PartnerError("ip_allow", f"not an address or network: {line[:50]}") from exc
    if not isinstance(settings.fee_flat, int) or not 0 <= settings.fee_flat <= MAX_AMOUNT:
        raise PartnerError("fee_flat", "a fee of zero or more whole rupiah")
    return PartnerSettings(
        name=name,
        services=services,
        public_key=settings.public_key.strip(),
        ip_allow="\n".join(lines),
        fee_flat=settings.fee_flat,
    )


async def create_partner(settings: PartnerSettings, *, instance_secret: str) -> tuple[int, str]:
    """Add a partner; returns its row id and its client secret (show it once)."""
    clean = check(settings)
    client_id = credentials.new_client_id()
    secret = credentials.new_secret()
    now = now_utc()
    row = Partner(
        client_id=client_id,
        name=clean.name,
        services=",".join(clean.services),
        ip_allow=clean.ip_allow,
        fee_flat=clean.fee_flat,
        public_key=clean.public_key,
        secret_sealed=credentials.seal(instance_secret, secret, client_id=client_id),
        secret_hint=secret[-4:],
        active=True,
        created_at=now,
        updated_at=now,
    )
    await row.save()
    return row.id, secret


async def update_partner(partner_id: int, settings: PartnerSettings) -> None:
    """Change a partner's name, services, key, allow-list and fee."""
    clean = check(settings)
    await Partner.update(
        {
            Partner.name: clean.name,
            Partner.services: ",".join(clean.services),
            Partner.public_key: clean.public_key,
            Partner.ip_allow: clean.ip_allow,
            Partner.fee_flat: clean.fee_flat,
            Partner.updated_at: now_utc(),
        }
    ).where(Partner.id == partner_id)


async def rotate_secret(partner_id: int, *, instance_secret: str) -> str:
    """A new client secret (the old one stops working, with every token); show it once."""
    row = await Partner.select(Partner.client_id).where(Partner.id == partner_id).first()
    if row is None:
        raise PartnerError("partner", "no such partner")
    secret = credentials.new_secret()
    await Partner.update(
        {
            Partner.secret_sealed: credentials.seal(
                instance_secret, secret, client_id=row["client_id"]
            ),
            Partner.secret_hint: secret[-4:],
            Partner.updated_at: now_utc(),
        }
    ).where(Partner.id == partner_id)
    await PartnerToken.delete().where(PartnerToken.partner_id == partner_id)
    return secret


async def set_active(partner_id: int, active: bool) -> None:
    """Suspend (tokens withdrawn) or resume a partner."""
    await Partner.update({Partner.active: active, Partner.updated_at: now_utc()}).where(
        Partner.id == partner_id
    )
    if not active:
        await PartnerToken.delete().where(PartnerToken.partner_id == partner_id)


async def partner_by_id(partner_id: int) -> dict[str, Any] | None:
    """The current city's partner row."""
    return await Partner.select().where(Partner.id == partner_id).first()
