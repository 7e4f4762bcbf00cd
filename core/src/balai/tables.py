"""The core's own tables (Piccolo app ``balai``).

Composite unique rules (one email per city, one grant per role) are unique
indexes made in the migration: SQLite cannot add table constraints later.
"""

from __future__ import annotations

from piccolo.columns import BigInt, Boolean, Bytea, ForeignKey, Integer, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from balai.db.tables import CityTable


class User(CityTable, tablename="balai_user"):
    """An account of one city: a citizen, an officer or a city admin."""

    name = Varchar(length=120)
    email = Varchar(length=254, null=True, default=None)
    phone = Varchar(length=20, null=True, default=None)
    password_hash = Varchar(length=255)
    is_active = Boolean(default=True)
    created_at = Timestamptz()
    last_login_at = Timestamptz(null=True, default=None)
    email_verified_at = Timestamptz(null=True, default=None)
    phone_verified_at = Timestamptz(null=True, default=None)
    totp_secret = Varchar(length=64, default="", secret=True)
    totp_enabled_at = Timestamptz(null=True, default=None)
    totp_last_step = BigInt(default=0)
    suspended_at = Timestamptz(null=True, default=None)
    deleted_at = Timestamptz(null=True, default=None)


class RoleGrant(CityTable, tablename="balai_role_grant"):
    """A role held by a user in their city."""

    user = ForeignKey(User, on_delete=OnDelete.cascade)
    role = Varchar(length=80)
    granted_at = Timestamptz()


class OneTimeCode(CityTable, tablename="balai_one_time_code"):
    """A code sent to an address to prove it is the account holder's (hash only)."""

    user = ForeignKey(User, on_delete=OnDelete.cascade)
    purpose = Varchar(length=20)
    channel = Varchar(length=40)
    address = Varchar(length=254)
    code_hash = Varchar(length=64)
    attempts = Integer(default=0)
    created_at = Timestamptz()
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)


class SignIn(CityTable, tablename="balai_sign_in"):
    """One sign-in of an account: the device's session, and its history."""

    user = ForeignKey(User, on_delete=OnDelete.cascade)
    created_at = Timestamptz()
    address = Varchar(length=64, default="")
    device = Varchar(length=200, default="")
    method = Varchar(length=20, default="password")
    ended_at = Timestamptz(null=True, default=None)
    ended_reason = Varchar(length=40, default="")


class RecoveryCode(CityTable, tablename="balai_recovery_code"):
    """A single-use code that replaces the second factor once (hash only)."""

    user = ForeignKey(User, on_delete=OnDelete.cascade)
    code_hash = Varchar(length=64)
    used_at = Timestamptz(null=True, default=None)


class SessionRecord(Table, tablename="balai_session"):
    """Server-side session data, keyed by an unguessable id (not city rows)."""

    key = Varchar(length=128, unique=True)
    data = Bytea()
    expires_at = Timestamptz(null=True, default=None, index=True)


class ThrottleCounter(Table, tablename="balai_throttle"):
    """Attempts counted per key within a window (login throttling); times in epoch seconds."""

    key = Varchar(length=200, unique=True)
    hits = Integer(default=0)
    window_ends = BigInt(default=0)
