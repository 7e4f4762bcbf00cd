"""The notification service of the running application.

:func:`balai.web.app.create_app` calls :func:`activate` with the new
application's parts (as it binds the database), so that ``notify`` and the
delivery job reach the themes, catalogs, data folder and channels without a
request. The application built last in a process is the active one.
Without a declared ``sms`` channel, a development instance (or one with
``BALAI_PHONE_SANDBOX=1``) texts through the sandbox phone provider.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from balai.notifications.channels import Channel, ChannelContext, Recipient
from balai.notifications.phone import PhoneChannel
from balai.notifications.phone_sandbox import SandboxPhoneGateway, sandbox_wanted

DEFAULT_CHANNEL = "file"
PREFERRED_CHANNEL = "email"
PHONE_CHANNEL = "sms"


class UnknownChannelError(ValueError):
    """``notify`` named a channel no plugin declared, or one that cannot reach the user."""


@dataclass
class NotificationService:
    """What notifications need from the application."""

    themes: Any
    catalogs: Any
    data_dir: Path
    channels: dict[str, Channel] = field(default_factory=dict)

    @property
    def context(self) -> ChannelContext:
        """What channels get when they send."""
        return ChannelContext(data_dir=self.data_dir)

    def pick(self, recipient: Recipient, name: str | None) -> Channel:
        """The channel to use: ``name``, or email or else SMS when it reaches them, else ``file``.

        Raises:
            UnknownChannelError: ``name`` is not declared or cannot reach them.
        """
        if name is None:
            for preferred in (PREFERRED_CHANNEL, PHONE_CHANNEL):
                channel = self.channels.get(preferred)
                if channel is not None and channel.address_for(recipient):
                    return channel
            return self.channels[DEFAULT_CHANNEL]
        channel = self.channels.get(name)
        if channel is None:
            raise UnknownChannelError(
                f"no notification channel {name!r} (have: {', '.join(sorted(self.channels))})"
            )
        if not channel.address_for(recipient):
            raise UnknownChannelError(f"channel {name!r} cannot reach user {recipient.id}")
        return channel


_active: NotificationService | None = None


def collect_channels(registry: Any) -> dict[str, Channel]:
    """Every declared channel by name; a plugin cannot replace another's.

    Raises:
        ValueError: a declared object is not a channel, or a name is taken twice.
    """
    channels: dict[str, Channel] = {}
    for slug, declared in registry.declared("notification_channels").items():
        for channel in declared or ():
            if not isinstance(channel, Channel) or not inspect.iscoroutinefunction(channel.send):
                raise ValueError(f"plugin {slug!r}: {channel!r} is not a notification channel")
            if channel.name in channels:
                raise ValueError(
                    f"plugin {slug!r}: notification channel {channel.name!r} is declared twice"
                )
            channels[channel.name] = channel
    return channels


def activate(ui: Any) -> NotificationService:
    """Make a service for the application ``ui`` belongs to the active one."""
    global _active
    channels = collect_channels(ui.registry)
    if PHONE_CHANNEL not in channels and sandbox_wanted(ui.config.development):
        channels[PHONE_CHANNEL] = PhoneChannel(PHONE_CHANNEL, SandboxPhoneGateway())
    _active = NotificationService(
        themes=ui.themes,
        catalogs=ui.catalogs,
        data_dir=Path(ui.config.data_dir),
        channels=channels,
    )
    return _active


def phone_sandbox_active() -> bool:
    """Whether texts go to the sandbox provider (its inbox page is then open)."""
    channel = active().channels.get(PHONE_CHANNEL)
    return isinstance(channel, PhoneChannel) and isinstance(channel.gateway, SandboxPhoneGateway)


def active() -> NotificationService:
    """The service of the application built last in this process.

    Raises:
        RuntimeError: no application was built.
    """
    if _active is None:
        raise RuntimeError("no Balai application has been built in this process")
    return _active
