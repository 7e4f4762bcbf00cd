"""The tables of the ``e_jkn`` plugin (Piccolo app ``e_jkn``)."""

from __future__ import annotations

import enum

from balai import toolkit as tk
from piccolo.columns import Timestamptz, Varchar


class Status(enum.StrEnum):
    """Where an enrolment stands: submitted, checked by Dinkes, then decided."""

    SUBMITTED = "submitted"
    VERIFIED = "verified"
    APPROVED = "approved"
    REJECTED = "rejected"


class Enrolment(tk.CityTable, tablename="e_jkn_enrolment"):
    """A resident's application to be enrolled in JKN, paid for by the city.

    Personal data: shown to health-cover officers only, never in public pages
    or search. The skeleton holds no NIK; identity checks come with the
    plugin's own issue. ``created_at`` is stored in UTC.
    """

    applicant_name = Varchar(length=120)
    status = Varchar(length=20, choices=Status, default=Status.SUBMITTED.value, index=True)
    created_at = Timestamptz()
