"""Checking a partner's request before anything is done with it.

**Access token** (``POST .../access-token/b2b``): headers ``X-CLIENT-KEY``
(the client id), ``X-TIMESTAMP`` and ``X-SIGNATURE``, the partner's
asymmetric signature over ``client_id|X-TIMESTAMP``
(:mod:`balai.partners.credentials`). A signature is accepted once.

**Transactions**: headers ``Authorization: Bearer <token>``, ``X-PARTNER-ID``
(the client id), ``X-TIMESTAMP``, ``X-EXTERNAL-ID``, ``CHANNEL-ID`` and
``X-SIGNATURE`` = HMAC-SHA512 with the client secret over
``METHOD:path:token:sha256(body):X-TIMESTAMP`` (the path with its query
string, if any, as sent) (:func:`balai.payments.snap.sign`,
the same primitive the payment gateway's callbacks use).

Order, each refusal changing nothing: mandatory headers (400); the client
is an active partner of this city and the caller's address is allowed
(401); the timestamp is readable (400) and within
:data:`~balai.payments.snap.MAX_CLOCK_SKEW` (401); the token (401, case 01)
and the signature (401); the service is one the partner may use (403);
then the external id is recorded, unique per partner per business day, so
a replay is refused (409). The refused check is logged, and the partner is
told only what it can fix.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from litestar import Request

from balai.partners import answers, credentials
from balai.partners.tables import Partner, PartnerMessage, PartnerToken
from balai.payments import snap
from balai.payments.ledger import is_unique_violation, now_utc
from balai.tenants import current_city

log = logging.getLogger("balai.partners.auth")

MAX_BODY = 16_384
# The headers' forms: a value of another form is a field error (400).
TIMESTAMP = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
    r"(\.[0-9]{1,6})?([+-][0-9]{2}:[0-9]{2}|Z)$"
)
HEADER_FORMS = {
    "x-timestamp": TIMESTAMP,
    "x-client-key": r"^[A-Za-z0-9]{1,64}$",
    "x-partner-id": r"^[A-Za-z0-9]{1,64}$",
    "x-external-id": r"^[A-Za-z0-9][A-Za-z0-9\-_.:]{0,63}$",
    "channel-id": r"^[A-Za-z0-9]{1,20}$",
    "x-signature": r"^[A-Za-z0-9+/=]{1,1400}$",
    "authorization": r"^Bearer [A-Za-z0-9\-_.~+/=]{1,200}$",
}
_FORMS = {name: re.compile(form) for name, form in HEADER_FORMS.items()}
TRANSACTION_HEADERS = (
    "authorization",
    "x-timestamp",
    "x-signature",
    "x-partner-id",
    "x-external-id",
    "channel-id",
)
TOKEN_HEADERS = ("x-timestamp", "x-client-key", "x-signature")


@dataclass(frozen=True)
class Verified:
    """A transaction request that passed every check."""

    partner: dict[str, Any]
    external_id: str
    raw_body: bytes
    day: str


def business_day(moment: datetime | None = None) -> str:
    """The city's calendar day of ``moment`` (now by default), ISO."""
    return (moment or now_utc()).astimezone(current_city().tz).date().isoformat()


def _headers(request: Request, names: tuple[str, ...], service: str) -> dict[str, str]:
    found = {}
    for name in names:
        value = request.headers.get(name, "")
        if not value.strip():
            raise answers.missing_field(service, name.upper())
        if not _FORMS[name].match(value):
            raise answers.invalid_field(service, name.upper())
        found[name] = value
    return found


def _when(stamp: str, service: str) -> datetime:
    try:
        sent = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError as exc:  # of the right form but no real moment (30 February)
        raise answers.unauthorized(service, "Timestamp is not a real moment") from exc
    if abs(now_utc() - sent) > snap.MAX_CLOCK_SKEW:
        raise answers.unauthorized(service, "Timestamp outside the allowed window")
    return sent


def address_allowed(allow_list: str, address: str) -> bool:
    """Whether ``address`` is in the partner's allow-list (an empty list allows any)."""
    entries = [line.strip() for line in allow_list.splitlines() if line.strip()]
    if not entries:
        return True
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for entry in entries:
        try:
            if ip in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


async def _partner(client_id: str, request: Request, service: str) -> dict[str, Any]:
    partner = await Partner.select().where(Partner.client_id == client_id).first()
    if partner is None or not partner["active"]:
        _log(request, service, f"unknown or inactive client {client_id[:40]!r}")
        raise answers.unauthorized(service, "Unknown client")
    address = request.client.host if request.client else ""
    if not address_allowed(partner["ip_allow"], address):
        _log(request, service, f"address {address} not allowed for {client_id}")
        raise answers.unauthorized(service, "Address not allowed")
    return partner


def _log(request: Request, service: str, reason: str) -> None:
    log.warning(
        "partner request refused (service %s) in %s from %s: %s",
        service,
        current_city().slug,
        request.client.host if request.client else "-",
        reason,
    )


async def _remember(
    partner_id: int, day: str, external_id: str, path: str, service: str, what: str
) -> None:
    try:
        await PartnerMessage(
            partner_id=partner_id,
            day=day,
            external_id=external_id,
            path=path[:200],
            received_at=now_utc(),
        ).save()
    except Exception as exc:
        if is_unique_violation(exc):
            raise answers.conflict(service, f"{what} was used before") from exc
        raise


async def token_request(request: Request) -> dict[str, Any]:
    """Check an access-token request; returns the partner row.

    Raises:
        Refused: see the module's order of checks.
    """
    service = answers.ACCESS
    found = _headers(request, TOKEN_HEADERS, service)
    _when(found["x-timestamp"], service)
    partner = await _partner(found["x-client-key"], request, service)
    if not credentials.verify_token_signature(
        partner["public_key"], partner["client_id"], found["x-timestamp"], found["x-signature"]
    ):
        _log(request, service, f"token signature of {partner['client_id']} does not verify")
        raise answers.unauthorized(service, "Signature")
    digest = hashlib.sha256(found["x-signature"].encode()).hexdigest()[:64]
    await _remember(
        partner["id"], business_day(), f"token:{digest}"[:64], "token", service, "This signature"
    )
    return partner


async def issue_token(partner: dict[str, Any]) -> tuple[str, int]:
    """A new access token of ``partner`` and its lifetime in seconds."""
    token = credentials.new_token()
    now = now_utc()
    await PartnerToken(
        partner_id=partner["id"],
        token_hash=credentials.token_hash(token),
        expires_at=now + credentials.TOKEN_LIFETIME,
        created_at=now,
    ).save()
    return token, int(credentials.TOKEN_LIFETIME.total_seconds())


async def transaction(
    request: Request, service: str, allowed: str, secret_key: str, *, max_body: int = MAX_BODY
) -> Verified:
    """Check a signed transaction request of a partner allowed ``allowed``.

    Args:
        request: The request.
        service: The SNAP service code (for the answers).
        allowed: The :class:`~balai.partners.types.PartnerService` it needs.
        secret_key: The instance secret that unseals client secrets.
        max_body: The largest body accepted (bytes).

    Raises:
        Refused: see the module's order of checks.
    """
    found = _headers(request, TRANSACTION_HEADERS, service)
    token = found["authorization"].removeprefix("Bearer ")
    raw = await request.body()
    if len(raw) > max_body:
        raise answers.too_large(service)
    _when(found["x-timestamp"], service)
    partner = await _partner(found["x-partner-id"], request, service)
    held = (
        await PartnerToken.select()
        .where(PartnerToken.token_hash == credentials.token_hash(token))
        .first()
    )
    if held is None or held["partner_id"] != partner["id"]:
        _log(request, service, f"unknown token for {partner['client_id']}")
        raise answers.invalid_token(service)
    if _aware(held["expires_at"]) <= now_utc():
        _log(request, service, f"expired token for {partner['client_id']}")
        raise answers.invalid_token(service)
    try:
        secret = credentials.unseal(
            secret_key, partner["secret_sealed"], client_id=partner["client_id"]
        )
    except ValueError:
        log.error(
            "the client secret of %s cannot be opened (instance secret changed?): issue a new one",
            partner["client_id"],
        )
        raise answers.unauthorized(service, "Credentials must be issued again") from None
    path = snap.request_path(request.scope)
    query = request.scope.get("query_string", b"")
    if query:  # a GET's parameters are signed with its path, as the partner sent them
        path += "?" + query.decode("latin-1")
    expected = snap.sign(secret, request.method, path, token, raw, found["x-timestamp"])
    if not hmac.compare_digest(found["x-signature"], expected):
        _log(request, service, f"signature of {partner['client_id']} does not match")
        raise answers.unauthorized(service, "Signature")
    if allowed not in partner["services"].split(","):
        _log(request, service, f"{partner['client_id']} may not use {allowed}")
        raise answers.not_permitted(service, "Service not enabled for this partner")
    day = business_day()
    await _remember(partner["id"], day, found["x-external-id"], path, service, "X-EXTERNAL-ID")
    return Verified(partner, found["x-external-id"], raw, day)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
