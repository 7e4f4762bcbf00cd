"""The tables of the ``sipaldi`` plugin (Piccolo app ``sipaldi``)."""

from __future__ import annotations

import enum

from balai import toolkit as tk
from piccolo.columns import Date, Timestamptz, Varchar


class Status(enum.StrEnum):
    """Where a booking stands."""

    REQUESTED = "requested"
    SCHEDULED = "scheduled"
    DONE = "done"
    CANCELLED = "cancelled"


class Booking(tk.CityTable, tablename="sipaldi_booking"):
    """A household's request to have its septic tank emptied by the city's truck.

    ``address`` is personal data: shown to DLH officers only. The public
    page shows how many visits are planned per day and district.
    ``preferred_date`` is a calendar date in the city's zone; ``created_at``
    is stored in UTC.
    """

    address = Varchar(length=200)
    district = Varchar(length=60)
    preferred_date = Date()
    status = Varchar(length=20, choices=Status, default=Status.REQUESTED.value, index=True)
    created_at = Timestamptz()
