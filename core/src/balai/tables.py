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


class RoleGrant(CityTable, tablename="balai_role_grant"):
    """A role held by a user in their city."""

    user = ForeignKey(User, on_delete=OnDelete.cascade)
    role = Varchar(length=80)
    granted_at = Timestamptz()


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
