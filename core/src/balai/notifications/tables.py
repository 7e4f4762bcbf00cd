"""The outbox (Piccolo app ``notifications``)."""

from __future__ import annotations

from piccolo.columns import Integer, Text, Timestamptz, Varchar

from balai.db.tables import CityTable

PENDING = "pending"
SENT = "sent"
FAILED = "failed"


class OutboxMessage(CityTable, tablename="balai_notifications_outbox"):
    """One notification for one user: rendered, then delivered (or given up on)."""

    user_id = Integer(index=True)
    channel = Varchar(length=40)
    kind = Varchar(length=80)
    locale = Varchar(length=8, default="id")
    address = Varchar(length=254, default="")
    subject = Varchar(length=200, default="")
    body = Text(default="")
    status = Varchar(length=12, default=PENDING, index=True)
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz(index=True)
    last_error = Varchar(length=300, default="")
    created_at = Timestamptz()
    sent_at = Timestamptz(null=True, default=None)
    provider_ref = Varchar(length=64, default="")
    delivery = Varchar(length=12, default="")
    delivery_at = Timestamptz(null=True, default=None)


class PhoneSandboxMessage(CityTable, tablename="balai_phone_sandbox"):
    """A text the sandbox phone provider accepted: what a test phone would receive."""

    provider_id = Varchar(length=32, unique=True)
    phone = Varchar(length=20, index=True)
    text = Text(default="")
    reference = Varchar(length=80, default="")
    status = Varchar(length=12, default="accepted")
    created_at = Timestamptz()
    reported_at = Timestamptz(null=True, default=None)
