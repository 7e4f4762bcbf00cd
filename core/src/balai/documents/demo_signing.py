"""Signing in the demo: each city's CA, its officials' certificates and a running TSA.

``balai demo`` calls :func:`prepare_signing` after seeding, so that a demo
official can sign a queued document at once (after enrolling a second
factor, which signing always asks for). The timestamp authority runs in the
demo's own process (:func:`demo_timestamps` points every city at it).
Everything here is idempotent: a second start finds the CA and the valid
certificates and makes nothing new.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from balai.auth.accounts import find_login
from balai.config import Config
from balai.documents import service
from balai.documents.signing import authority
from balai.documents.signing.tsa import CityStamper
from balai.i18n import gettext as _
from balai.tables import User
from balai.tenants import City, city_scope


def demo_timestamps(config: Config, tsa_url: str) -> Config:
    """``config`` with every city's ``timestamp_url`` at ``tsa_url`` unless the file sets one."""
    raw = {}
    for slug in config.cities:
        settings = dict(config.raw_settings.get(slug, {}))
        documents = dict(settings.get("documents", {}))
        documents.setdefault("timestamp_url", tsa_url)
        settings["documents"] = documents
        raw[slug] = settings
    return replace(config, raw_settings=raw)


def signer_roles(city: City) -> dict[str, str]:
    """Role → printed position of the document types ``city``'s plugins declare."""
    roles: dict[str, str] = {}
    for doc_type in service.active().catalog.types.values():
        if doc_type.signer_role and city.enables(doc_type.owner):
            roles.setdefault(doc_type.signer_role, doc_type.signer_position or doc_type.signer_role)
    return roles


async def prepare_city(secret: str, city: City, say: Callable[[str], None]) -> CityStamper | None:
    """The current city's CA and signers' certificates (made if missing); its TSA responder."""
    roles = signer_roles(city)
    if not roles:
        return None
    if not await authority.ca_certificate():
        await authority.init_ca(secret)
        say(_("%(city)s: signing CA created", city=city.name))
    for role, position in sorted(roles.items()):
        account = await find_login(f"{role}@{city.slug}.test")
        if account is None or await authority.valid_certificate(account["id"]):
            continue
        holder = await User.select(User.name).where(User.id == account["id"]).first()
        await authority.issue_certificate(
            secret, user_id=account["id"], holder_name=holder["name"], position=position
        )
        say(_("%(city)s: signing certificate for %(role)s", city=city.name, role=role))
    return CityStamper.of(await authority.open_authority(secret))


async def prepare_signing(app: Any, say: Callable[[str], None]) -> dict[str, CityStamper]:
    """Give every city that has signed document types a CA and its signers certificates.

    The signers are the demo accounts named after the roles
    (``pajak.head@malang.test``). Returns the timestamp responder per city
    slug, for the demo's TSA.
    """
    from balai.asgi import connected

    secret = app.ui.config.secret_key
    stampers: dict[str, CityStamper] = {}
    async with connected(app):
        for city in app.ui.config.cities.values():
            with city_scope(city):
                stamper = await prepare_city(secret, city, say)
            if stamper is not None:
                stampers[city.slug] = stamper
    return stampers
