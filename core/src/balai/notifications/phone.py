"""The phone channel: SMS or WhatsApp through a provider's gateway.

A provider is reached through a :class:`PhoneGateway`, two calls every SMS
and WhatsApp business API offers in some form: *submit* a text to a number
(answering the provider's message id) and *report* what became of it
(delivered, undelivered, still on its way). :class:`PhoneChannel` turns a
gateway into a notification channel: the outbox stores the provider's id,
and the ``notifications.phone_reports`` job polls the reports of sent
messages until each is delivered or undelivered.

A gateway raises :class:`RateLimited` when the provider refuses for now
(the outbox tries again later), :class:`Rejected` when it never will (an
invalid number: the message fails at once, without paying for retries), and
:class:`~balai.notifications.channels.DeliveryError` for other temporary
failures. The core ships a sandbox gateway that behaves like a provider
(:mod:`balai.notifications.phone_sandbox`); a real provider is one small
class with the same two methods, declared through ``notification_channels``
as ``PhoneChannel("sms", MyProviderGateway(...))``.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from balai.notifications.channels import ChannelContext, DeliveryError, OutgoingMessage, Recipient

ACCEPTED = "accepted"
DELIVERED = "delivered"
UNDELIVERED = "undelivered"
MAX_TEXT = 1000


class RateLimited(DeliveryError):
    """The provider refuses more messages for now; try again later."""


class Rejected(DeliveryError):
    """The provider will never deliver this message (invalid or barred number)."""


@runtime_checkable
class PhoneGateway(Protocol):
    """A messaging provider's API, as the phone channel uses it."""

    async def submit(self, to: str, text: str, reference: str) -> str:
        """Hand a text to the provider; returns the provider's message id.

        ``reference`` is the outbox's stable id: a provider that supports
        idempotency keys should use it, so a retried submit is not billed twice.

        Raises:
            RateLimited: the provider's rate limit; retried later.
            Rejected: the number can never be reached; not retried.
            DeliveryError: any other temporary failure.
        """
        ...

    async def report(self, provider_id: str) -> str:
        """What became of a submitted message: accepted, delivered or undelivered."""
        ...


class PhoneChannel:
    """A notification channel sending the subject and body as one text message."""

    def __init__(self, name: str, gateway: PhoneGateway) -> None:
        self.name = name
        self.gateway = gateway

    def address_for(self, recipient: Recipient) -> str | None:
        """The recipient's mobile number, if they gave one."""
        return recipient.phone or None

    async def send(self, message: OutgoingMessage, context: ChannelContext) -> str:
        """Submit the text; returns the provider's id for the delivery report."""
        if not message.address:
            raise Rejected("the recipient has no mobile number")
        text = f"{message.subject}\n{message.body}".strip()[:MAX_TEXT]
        return await self.gateway.submit(message.address, text, f"{message.city}-{message.id}")

    async def report(self, provider_id: str) -> str:
        """The provider's delivery report for one message."""
        return await self.gateway.report(provider_id)
