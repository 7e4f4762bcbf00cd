"""Delivery channels: the :class:`Channel` protocol and the adapters the core ships.

A channel takes one rendered message and delivers it, or raises
:class:`DeliveryError`; the delivery job retries with backoff. Plugins add
channels through the ``notification_channels`` hook. The core ships:

``file``
    Always available and the default: appends each message to
    ``<data_dir>/outbox/<city>.log`` (the console of a development setup).
``email``
    SMTP with the standard library, when ``BALAI_SMTP_URL`` is set, e.g.
    ``smtp://user:pass@mail.kota.go.id:587?from=layanan@kota.go.id&starttls=1``
    (``smtps://`` for implicit TLS).
``whatsapp`` / ``sms``
    The adapter points for messaging gateways: :class:`WebhookChannel` POSTs
    the message as JSON to ``BALAI_WHATSAPP_WEBHOOK_URL`` /
    ``BALAI_SMS_WEBHOOK_URL``, signed with HMAC-SHA256 of the body under
    ``BALAI_WEBHOOK_SECRET`` in the ``X-Balai-Signature`` header. A provider's
    own API (Meta Cloud API, a local SMS gateway) is a small class with the
    same two methods, or a relay that accepts this JSON. A provider with
    delivery reports is a :class:`~balai.notifications.phone.PhoneGateway`
    behind a :class:`~balai.notifications.phone.PhoneChannel`; in development
    the sandbox provider (:mod:`balai.notifications.phone_sandbox`) is ``sms``.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Protocol, runtime_checkable
from urllib.parse import parse_qs, unquote, urlsplit

import httpx

SMTP_ENV = "BALAI_SMTP_URL"
WEBHOOK_SECRET_ENV = "BALAI_WEBHOOK_SECRET"  # noqa: S105 (the variable's name, not a secret)
WEBHOOK_ENVS = {"whatsapp": "BALAI_WHATSAPP_WEBHOOK_URL", "sms": "BALAI_SMS_WEBHOOK_URL"}
SEND_TIMEOUT_SECONDS = 20


class DeliveryError(RuntimeError):
    """A channel could not deliver a message (the job retries it later)."""


@dataclass(frozen=True)
class Recipient:
    """Who a notification is for, as the channels see them."""

    id: int
    name: str
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class OutgoingMessage:
    """A rendered notification on its way out.

    Attributes:
        id: The outbox row id (a stable idempotency key for gateways).
        city: The city slug.
        kind: The notification kind (``core.welcome``).
        recipient_id: The user it is for.
        address: The channel's address for them (email, phone, ...).
        locale: The language it was rendered in.
        subject: The first line of the template.
        body: The rest.
    """

    id: int
    city: str
    kind: str
    recipient_id: int
    address: str
    locale: str
    subject: str
    body: str


@dataclass(frozen=True)
class ChannelContext:
    """What a channel may need from the instance: its data folder."""

    data_dir: Path


@runtime_checkable
class Channel(Protocol):
    """A way to reach people. Implement both methods; ``name`` is unique.

    ``address_for`` answers the address the channel would use for a
    recipient, or ``None`` when it cannot reach them (no email address, no
    phone): ``notify`` then refuses that channel for that user.
    ``send`` delivers or raises :class:`DeliveryError`; it must not block
    the event loop (run blocking libraries in a thread). Phone providers
    plug in as :class:`balai.notifications.phone.PhoneChannel`.
    """

    name: str

    def address_for(self, recipient: Recipient) -> str | None:
        """The address this channel uses for ``recipient``, if it can reach them."""
        ...

    async def send(self, message: OutgoingMessage, context: ChannelContext) -> str | None:
        """Deliver ``message`` or raise :class:`DeliveryError`.

        A channel whose provider reports delivery later returns the
        provider's message id and has an ``async report(provider_id)`` method
        (see :mod:`balai.notifications.phone`).
        """
        ...


class FileChannel:
    """Appends messages to ``<data_dir>/outbox/<city>.log`` (the default channel)."""

    name = "file"

    def address_for(self, recipient: Recipient) -> str | None:
        """Anyone can be written to the file; the address names the account."""
        return recipient.email or recipient.phone or f"user:{recipient.id}"

    async def send(self, message: OutgoingMessage, context: ChannelContext) -> None:
        """Append the message as a block of text."""
        folder = context.data_dir / "outbox"
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        text = (
            f"--- {stamp} #{message.id} {message.kind} [{message.locale}]\n"
            f"To: {message.address}\nSubject: {message.subject}\n\n{message.body.rstrip()}\n\n"
        )

        def append() -> None:
            folder.mkdir(parents=True, exist_ok=True)
            with (folder / f"{message.city}.log").open("a", encoding="utf-8") as handle:
                handle.write(text)

        try:
            await asyncio.to_thread(append)
        except OSError as exc:
            raise DeliveryError(f"cannot write the outbox file: {exc}") from exc


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send email, read from a ``smtp://`` URL."""

    host: str
    port: int
    username: str | None
    password: str | None
    sender: str
    implicit_tls: bool
    starttls: bool

    @classmethod
    def from_url(cls, url: str) -> SmtpSettings:
        """Read ``smtp[s]://[user:pass@]host[:port][?from=addr&starttls=1]``.

        Raises:
            ValueError: the URL is not an SMTP URL.
        """
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError(f"{SMTP_ENV} must look like smtp://user:pass@host:port")
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        implicit = parts.scheme == "smtps"
        return cls(
            host=parts.hostname,
            port=parts.port or (465 if implicit else 25),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            sender=query.get("from") or f"noreply@{parts.hostname}",
            implicit_tls=implicit,
            starttls=query.get("starttls", "0") in ("1", "true", "yes"),
        )


class EmailChannel:
    """Sends email through an SMTP server (``smtplib`` in a worker thread)."""

    name = "email"

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings

    def address_for(self, recipient: Recipient) -> str | None:
        """The recipient's email address, if they gave one."""
        return recipient.email or None

    def _message(self, message: OutgoingMessage) -> EmailMessage:
        email = EmailMessage()
        email["From"] = self.settings.sender
        email["To"] = message.address
        email["Subject"] = message.subject
        email["Message-ID"] = make_msgid(idstring=f"{message.city}.{message.id}")
        email.set_content(message.body)
        email["Content-Language"] = message.locale  # after set_content, which resets Content-*
        return email

    def _send_blocking(self, email: EmailMessage) -> None:
        s = self.settings
        if s.implicit_tls:
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                s.host, s.port, timeout=SEND_TIMEOUT_SECONDS, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(s.host, s.port, timeout=SEND_TIMEOUT_SECONDS)
        with client:
            if s.starttls:
                client.starttls(context=ssl.create_default_context())
            if s.username:
                client.login(s.username, s.password or "")
            client.send_message(email)

    async def send(self, message: OutgoingMessage, context: ChannelContext) -> None:
        """Send one email; SMTP and network errors become :class:`DeliveryError`."""
        if not message.address:
            raise DeliveryError("the recipient has no email address")
        try:
            await asyncio.to_thread(self._send_blocking, self._message(message))
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"SMTP: {type(exc).__name__}: {exc}") from exc


class WebhookChannel:
    """POSTs messages as signed JSON to a gateway (the WhatsApp/SMS adapter point).

    The JSON body has ``id``, ``city``, ``kind``, ``to`` (the phone number),
    ``locale``, ``subject`` and ``text``; a 2xx answer means delivered.
    """

    def __init__(self, name: str, url: str, secret: str = "") -> None:
        self.name = name
        self.url = url
        self.secret = secret

    def address_for(self, recipient: Recipient) -> str | None:
        """The recipient's mobile number, if they gave one."""
        return recipient.phone or None

    def signature(self, body: bytes) -> str:
        """HMAC-SHA256 of ``body`` under the shared secret (hex)."""
        return hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()

    async def send(self, message: OutgoingMessage, context: ChannelContext) -> None:
        """POST the message; any non-2xx answer or network error is a failure."""
        payload = {
            "id": f"{message.city}-{message.id}",
            "city": message.city,
            "kind": message.kind,
            "to": message.address,
            "locale": message.locale,
            "subject": message.subject,
            "text": message.body,
        }
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        headers = {"content-type": "application/json"}
        if self.secret:
            headers["x-balai-signature"] = self.signature(body)
        try:
            async with httpx.AsyncClient(timeout=SEND_TIMEOUT_SECONDS) as client:
                response = await client.post(self.url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"{self.name} gateway: {type(exc).__name__}: {exc}") from exc
        if not 200 <= response.status_code < 300:
            raise DeliveryError(f"{self.name} gateway answered {response.status_code}")


def channels_from_environment(environ: Mapping[str, str] | None = None) -> list[Channel]:
    """The core's channels, as the environment configures them (``file`` always)."""
    env = os.environ if environ is None else environ
    found: list[Channel] = [FileChannel()]
    if env.get(SMTP_ENV):
        found.append(EmailChannel(SmtpSettings.from_url(env[SMTP_ENV])))
    for name, variable in WEBHOOK_ENVS.items():
        if env.get(variable):
            found.append(WebhookChannel(name, env[variable], env.get(WEBHOOK_SECRET_ENV, "")))
    return found
