"""Notifications: an outbox written with the change that causes it, delivered by a job.

A built-in plugin (slug ``notifications``). Plugins call
:func:`balai.notifications.outbox.notify` (``toolkit.notify``); channels are
adapters declared through the ``notification_channels`` hook (see
:mod:`balai.notifications.channels`).
"""
