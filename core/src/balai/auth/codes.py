"""One-time codes sent to an email address or a mobile number.

A code is six digits, valid for :data:`LIFETIME`, used once, and refused
after :data:`MAX_TRIES` wrong entries; only an HMAC of it (under the
instance's secret key) is stored. Issuing a code for a purpose makes the
earlier codes of that account and purpose stop working.

Sending is throttled before anything is sent, so that nobody can make the
city pay for texts in bulk: per account and purpose, per address, per client
address, and a daily budget of texts per city (``phone_codes_per_day``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from balai.audit.log import client_address
from balai.auth.settings import account_settings
from balai.auth.throttle import Throttle
from balai.i18n import current_locale
from balai.i18n import gettext as _
from balai.notifications.delivery import deliver_now
from balai.notifications.outbox import notify
from balai.tables import OneTimeCode
from balai.tenants import current_city

LIFETIME = timedelta(minutes=10)
MAX_TRIES = 5
PER_ACCOUNT = (3, 15 * 60)  # codes per account and purpose, per 15 minutes
PER_ADDRESS = (5, 60 * 60)  # codes to one address per hour, whoever asks
PER_CLIENT = (20, 60 * 60)  # codes asked from one client address per hour
DAY = 24 * 60 * 60


class Purpose(StrEnum):
    """What a code proves, and so which message carries it."""

    VERIFY = "verify"  # the contact given at registration
    CONTACT = "contact"  # a new email or number for the account
    RESET = "reset"  # the holder of a forgotten password
    CONFIRM = "confirm"  # a mobile number given without signing in (phone_confirm)


class Outcome(StrEnum):
    """What checking a code found."""

    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"
    USED = "used"
    TOO_MANY = "too_many"
    NONE = "none"


@dataclass(frozen=True)
class Checked:
    """The outcome of a check, and the address the code was sent to."""

    outcome: Outcome
    address: str = ""


def _digest(secret: str, user_id: int, purpose: str, code: str) -> str:
    message = f"{current_city().slug}:{user_id}:{purpose}:{code}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def is_phone(address: str) -> bool:
    """Whether an address is a mobile number (else an email address)."""
    return address.startswith("+")


def _throttles(base: Throttle) -> dict[str, Throttle]:
    return {
        "account": base.limited(*PER_ACCOUNT),
        "address": base.limited(*PER_ADDRESS),
        "client": base.limited(*PER_CLIENT),
        "texts": base.limited(account_settings().phone_codes_per_day, DAY),
    }


def _keys(user_id: int | None, purpose: str, address: str, request: Any) -> dict[str, str]:
    slug = current_city().slug
    # A login without an account is counted as an account of its own, so that
    # the limits (and so the answers) are the same whether the account exists.
    account = user_id if user_id is not None else f"?{address}"
    keys = {
        "account": f"code:{slug}:user:{account}:{purpose}",
        "address": f"code:{slug}:to:{address}",
        "client": f"code:{slug}:ip:{client_address(request)}",
    }
    if is_phone(address):
        keys["texts"] = f"code:{slug}:texts"
    return keys


async def allowed(request: Any, user_id: int | None, purpose: str, address: str) -> bool:
    """Count one request for a code; False when a limit is reached (send nothing then)."""
    throttles = _throttles(request.app.state.ui.throttle)
    keys = _keys(user_id, purpose, address, request)
    for name, key in keys.items():
        if await throttles[name].blocked(key):
            return False
    for name, key in keys.items():
        await throttles[name].hit(key)
    return True


async def issue(request: Any, user_id: int, purpose: Purpose, address: str) -> None:
    """Make a code for ``user_id`` and send it to ``address`` (call :func:`allowed` first).

    The message is queued in the outbox and tried at once; if that try
    fails, the delivery job retries it.
    """
    code = f"{secrets.randbelow(10**6):06d}"
    secret = request.app.state.ui.config.secret_key
    now = datetime.now(UTC)
    async with OneTimeCode._meta.db.transaction():
        await OneTimeCode.update({OneTimeCode.used_at: now}).where(
            (OneTimeCode.user == user_id)
            & (OneTimeCode.purpose == purpose.value)
            & OneTimeCode.used_at.is_null()
        )
        await OneTimeCode.insert(
            OneTimeCode(
                user=user_id,
                purpose=purpose.value,
                channel="phone" if is_phone(address) else "email",
                address=address,
                code_hash=_digest(secret, user_id, purpose.value, code),
                created_at=now,
                expires_at=now + LIFETIME,
            )
        )
        message_id = await notify(
            user_id,
            f"core.code_{purpose.value}",
            {"code": code, "minutes": int(LIFETIME.total_seconds() // 60)},
            locale=current_locale(),
            to=address,
        )
    await deliver_now(message_id)


async def check(request: Any, user_id: int, purpose: Purpose, code: str) -> Checked:
    """Check ``code`` against the account's latest code for ``purpose``; a right one is used up."""
    latest = (
        await OneTimeCode.select()
        .where((OneTimeCode.user == user_id) & (OneTimeCode.purpose == purpose.value))
        .order_by(OneTimeCode.id, ascending=False)
        .first()
    )
    if latest is None:
        return Checked(Outcome.NONE)
    now = datetime.now(UTC)
    if latest["used_at"] is not None:
        return Checked(Outcome.USED, latest["address"])
    if latest["attempts"] >= MAX_TRIES:
        return Checked(Outcome.TOO_MANY, latest["address"])
    if _aware(latest["expires_at"]) <= now:
        return Checked(Outcome.EXPIRED, latest["address"])
    secret = request.app.state.ui.config.secret_key
    wanted = _digest(secret, user_id, purpose.value, code.strip())
    if not hmac.compare_digest(wanted, latest["code_hash"]):
        await OneTimeCode.update({OneTimeCode.attempts: OneTimeCode.attempts + 1}).where(
            OneTimeCode.id == latest["id"]
        )
        if latest["attempts"] + 1 >= MAX_TRIES:
            return Checked(Outcome.TOO_MANY, latest["address"])
        return Checked(Outcome.WRONG, latest["address"])
    used = (
        await OneTimeCode.update({OneTimeCode.used_at: now})
        .where((OneTimeCode.id == latest["id"]) & OneTimeCode.used_at.is_null())
        .returning(OneTimeCode.id)
    )
    if not used:  # another request used it a moment ago
        return Checked(Outcome.USED, latest["address"])
    return Checked(Outcome.OK, latest["address"])


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def masked(address: str) -> str:
    """An address as shown back to the visitor: ``si***@contoh.id``, ``+62812****7890``."""
    if is_phone(address):
        return address[:6] + "*" * max(0, len(address) - 10) + address[-4:]
    name, _, domain = address.partition("@")
    return f"{name[:2]}***@{domain}"


def refusal_message(outcome: Outcome) -> str:
    """What to tell a visitor whose code was not accepted (translated)."""
    messages = {
        Outcome.WRONG: _("The code is wrong. Check it and try again."),
        Outcome.EXPIRED: _("The code has expired. Ask for a new one."),
        Outcome.USED: _("This code was already used. Ask for a new one."),
        Outcome.TOO_MANY: _("Too many wrong tries. Ask for a new code."),
        Outcome.NONE: _("No code has been sent yet. Ask for one."),
    }
    return messages[outcome]


def too_many_requests_message() -> str:
    """What to tell a visitor who asked for too many codes (translated)."""
    return _("Too many codes were asked for. Wait a while before asking again.")
