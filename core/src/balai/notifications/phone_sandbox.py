"""A sandbox phone provider that behaves like a real one, for development and tests.

It serves as the ``sms`` channel when the instance is in development (or
``BALAI_PHONE_SANDBOX=1``) and no real SMS gateway is configured. What it
accepts is kept in ``balai_phone_sandbox`` and shown on the city's sandbox
inbox page (``/notifikasi/ponsel-uji``), the "phone" a tester reads codes
from. Like a provider it:

* answers each submit with its own message id, and a delivery report later
  (polled by the ``notifications.phone_reports`` job);
* rejects numbers that end in ``0000`` (an invalid number: the message fails
  at once) and reports numbers that end in ``9999`` as undelivered (a phone
  that stays off);
* rate-limits: at most :data:`PER_NUMBER` texts to one number in
  :data:`PER_NUMBER_WINDOW`, and :data:`PER_MINUTE` texts a minute per city.
"""

from __future__ import annotations

import os
import secrets
from datetime import UTC, datetime, timedelta

from balai.notifications.phone import ACCEPTED, DELIVERED, UNDELIVERED, RateLimited, Rejected
from balai.notifications.tables import PhoneSandboxMessage

SANDBOX_ENV = "BALAI_PHONE_SANDBOX"
PER_NUMBER = 5
PER_NUMBER_WINDOW = timedelta(minutes=10)
PER_MINUTE = 30
INVALID_SUFFIX = "0000"
SWITCHED_OFF_SUFFIX = "9999"


def sandbox_wanted(development: bool, environ: dict[str, str] | None = None) -> bool:
    """Whether the sandbox provider should serve: development, or ``BALAI_PHONE_SANDBOX=1``."""
    env = os.environ if environ is None else environ
    return development or env.get(SANDBOX_ENV) == "1"


class SandboxPhoneGateway:
    """The sandbox provider (a :class:`~balai.notifications.phone.PhoneGateway`)."""

    async def submit(self, to: str, text: str, reference: str) -> str:
        """Accept a text, unless the number is invalid or a rate limit is reached."""
        if to.endswith(INVALID_SUFFIX):
            raise Rejected(f"sandbox: {to} is not a valid mobile number")
        now = datetime.now(UTC)
        recent = await PhoneSandboxMessage.count().where(
            (PhoneSandboxMessage.phone == to)
            & (PhoneSandboxMessage.created_at > now - PER_NUMBER_WINDOW)
        )
        if recent >= PER_NUMBER:
            raise RateLimited(f"sandbox: more than {PER_NUMBER} texts to {to} in 10 minutes")
        last_minute = await PhoneSandboxMessage.count().where(
            PhoneSandboxMessage.created_at > now - timedelta(minutes=1)
        )
        if last_minute >= PER_MINUTE:
            raise RateLimited(f"sandbox: more than {PER_MINUTE} texts a minute")
        provider_id = "SBX" + secrets.token_hex(8).upper()
        await PhoneSandboxMessage.insert(
            PhoneSandboxMessage(
                provider_id=provider_id,
                phone=to,
                text=text,
                reference=reference[:80],
                status=ACCEPTED,
                created_at=now,
            )
        )
        return provider_id

    async def report(self, provider_id: str) -> str:
        """Delivered, or undelivered for numbers that stay switched off."""
        row = (
            await PhoneSandboxMessage.select(PhoneSandboxMessage.phone, PhoneSandboxMessage.status)
            .where(PhoneSandboxMessage.provider_id == provider_id)
            .first()
        )
        if row is None:
            return UNDELIVERED
        if row["status"] != ACCEPTED:
            return row["status"]
        status = UNDELIVERED if row["phone"].endswith(SWITCHED_OFF_SUFFIX) else DELIVERED
        await PhoneSandboxMessage.update(
            {PhoneSandboxMessage.status: status, PhoneSandboxMessage.reported_at: datetime.now(UTC)}
        ).where(PhoneSandboxMessage.provider_id == provider_id)
        return status


async def inbox(phone: str | None, limit: int = 20) -> list[dict]:
    """The newest texts the sandbox accepted in this city (to ``phone`` when given)."""
    query = PhoneSandboxMessage.select(
        PhoneSandboxMessage.phone,
        PhoneSandboxMessage.text,
        PhoneSandboxMessage.status,
        PhoneSandboxMessage.created_at,
    )
    if phone:
        query = query.where(PhoneSandboxMessage.phone == phone)
    return await query.order_by(PhoneSandboxMessage.id, ascending=False).limit(limit)
