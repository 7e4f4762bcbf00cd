"""Writing the outbox: :func:`notify` (``toolkit.notify``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from balai.i18n import DEFAULT_LOCALE, LANGUAGES
from balai.notifications import runtime, templates
from balai.notifications.channels import Recipient
from balai.notifications.tables import PENDING, OutboxMessage
from balai.tables import User
from balai.tenants import current_city

MAX_SUBJECT = 200


class UnknownRecipientError(LookupError):
    """``notify`` named a user who is not an account of the current city."""


async def recipient(user_id: int) -> Recipient:
    """The account ``user_id`` of the current city, as channels see it.

    Raises:
        UnknownRecipientError: no such account in this city.
    """
    row = (
        await User.select(User.id, User.name, User.email, User.phone)
        .where(User.id == user_id)
        .first()
    )
    if row is None:
        raise UnknownRecipientError(f"no user {user_id} in {current_city().slug}")
    return Recipient(id=row["id"], name=row["name"], email=row["email"], phone=row["phone"])


async def notify(
    user_id: int,
    kind: str,
    context: dict,
    *,
    channel: str | None = None,
    locale: str | None = None,
    to: str | None = None,
) -> int:
    """Queue a notification for ``user_id`` of the current city.

    The message is rendered now, in the recipient's language, from the
    kind's template (see :mod:`balai.notifications.templates`), and written
    to the outbox. When the caller has a transaction open
    (``async with Table._meta.db.transaction():``), the row is part of it: a
    rollback leaves no message behind. The delivery job sends it within
    about 30 seconds and retries failures with backoff.

    Args:
        user_id: The recipient, an account of the current city.
        kind: ``<slug>.<what>``, naming the template (``core.welcome``).
        context: Values for the template. Keep personal data to what the
            message needs: the rendered text is stored until delivered.
        channel: A declared channel name (``email``, ``file``, ``whatsapp``
            ...); default: email when the recipient has an address and email
            is configured, else the file channel.
        locale: The language to write in; default: the city's language.
        to: An email address or ``+62`` mobile number to write to instead of
            the account's own (a new contact being verified).

    Returns:
        The outbox message's id.

    Raises:
        UnknownRecipientError: the user is not an account of this city.
        UnknownChannelError: the channel is not declared or cannot reach them.
        TemplateMissingError: the kind has no template.
    """
    if "." not in kind:
        raise ValueError(f"notification kind {kind!r} must be namespaced, like 'core.welcome'")
    city = current_city()
    service = runtime.active()
    who = await recipient(user_id)
    if to:
        who = (
            replace(who, email=to, phone=None) if "@" in to else replace(who, email=None, phone=to)
        )
    chosen = service.pick(who, channel)
    wanted = locale if locale in LANGUAGES else city.locale
    values: dict[str, Any] = {
        **context,
        "recipient": who,
        "city": city,
        "url": city.absolute_url,
    }
    subject, body, used = templates.render(
        service.themes,
        service.catalogs,
        theme=city.theme,
        kind=kind,
        channel=chosen.name,
        locale=wanted,
        fallback_locales=[city.locale, DEFAULT_LOCALE],
        context=values,
    )
    now = datetime.now(UTC)
    rows = await OutboxMessage.insert(
        OutboxMessage(
            user_id=who.id,
            channel=chosen.name,
            kind=kind,
            locale=used,
            address=chosen.address_for(who) or "",
            subject=subject[:MAX_SUBJECT],
            body=body,
            status=PENDING,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
    )
    return rows[0]["id"]
