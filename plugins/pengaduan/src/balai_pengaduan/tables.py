"""The tables of the ``pengaduan`` plugin (Piccolo app ``pengaduan``).

Every table is a ``tk.CityTable``: each query sees the current city's rows
only. Indexes are declared per city (``city_indexes``) for the lists that
must stay fast at a million reports: the queue (department, state, urgency,
age), the public board and the Open311 list (newest first, by category).
"""

from __future__ import annotations

from balai import toolkit as tk
from piccolo.columns import Boolean, Float, Integer, Text, Timestamptz, Varchar


class Report(tk.CityTable, tablename="pengaduan_report"):
    """A citizen's report (an Open311 *service request*).

    ``status`` is only changed through ``handling.workflow.FLOW``. The
    reporter is an account id (a signed-in citizen, or the account holding a
    number confirmed by code); it is never shown in public.
    """

    number = Varchar(length=30)
    category = Varchar(length=40)
    department = Varchar(length=40)
    urgent = Boolean(default=False)
    description = Text(default="")
    kelurahan = Varchar(length=80, default="")
    address = Varchar(length=200, default="")
    latitude = Float(null=True, default=None)
    longitude = Float(null=True, default=None)
    reporter_id = Integer(null=True, default=None)
    status = Varchar(length=20, default="new")
    assignee_id = Integer(null=True, default=None)
    merged_into = Varchar(length=30, default="")
    source = Varchar(length=20, default="web")
    client_id = Integer(null=True, default=None)
    created_at = Timestamptz()
    updated_at = Timestamptz()
    response_due = Timestamptz()
    resolution_due = Timestamptz()
    first_response_at = Timestamptz(null=True, default=None)
    resolved_at = Timestamptz(null=True, default=None)
    escalated_at = Timestamptz(null=True, default=None)

    city_unique = (("number",),)
    city_indexes = (
        ("created_at",),
        ("category", "created_at"),
        ("status", "created_at"),
        ("department", "status", "urgent", "created_at"),
        ("reporter_id",),
    )


class Photo(tk.CityTable, tablename="pengaduan_photo"):
    """A photo of a report: stored ``officer``-only, made public once ``cleared``."""

    report_id = Integer()
    file_id = Varchar(length=43)
    cleared = Boolean(default=False)
    created_at = Timestamptz()

    city_indexes = (("report_id",),)


class Note(tk.CityTable, tablename="pengaduan_note"):
    """An officers' internal comment on a report (public comments are workflow steps)."""

    report_id = Integer()
    author_id = Integer()
    body = Text()
    created_at = Timestamptz()

    city_indexes = (("report_id",),)


class Follower(tk.CityTable, tablename="pengaduan_follower"):
    """An account told of a report's public steps besides its reporter (a duplicate's)."""

    report_id = Integer()
    user_id = Integer()

    city_unique = (("report_id", "user_id"),)


class Member(tk.CityTable, tablename="pengaduan_member"):
    """An officer's place in a department; ``head`` receives the escalations."""

    user_id = Integer()
    department = Varchar(length=40)
    head = Boolean(default=False)

    city_unique = (("user_id", "department"),)


class ApiClient(tk.CityTable, tablename="pengaduan_api_client"):
    """An Open311 client application; only a SHA-256 of its key is kept."""

    name = Varchar(length=120)
    key_hash = Varchar(length=64)
    key_hint = Varchar(length=8)
    created_by = Integer()
    created_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)

    city_unique = (("key_hash",),)
