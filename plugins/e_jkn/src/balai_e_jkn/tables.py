"""The tables of the ``e_jkn`` plugin (Piccolo app ``e_jkn``).

Personal data: NIK, KK and card numbers are sealed (``tk.seal``) with blind
indexes beside them; applications are shown to their applicant and to health
cover officers only, never in public pages or search. Times are UTC.
"""

from __future__ import annotations

import enum

from balai import toolkit as tk
from piccolo.columns import Boolean, Date, Integer, Text, Timestamptz, Varchar


class Status(enum.StrEnum):
    """Where an application stands: with Dinsos, submitted, checked by Dinkes, active, rejected."""

    WELFARE = "welfare"  # a claimed priority group waits for Dinsos's welfare check
    SUBMITTED = "submitted"
    VERIFIED = "verified"
    APPROVED = "approved"
    REJECTED = "rejected"


class MemberState(enum.StrEnum):
    """Where one person of an application stands with BPJS."""

    WAITING = "waiting"  # not yet verified, or verified and waiting for the batch
    SENDING = "sending"  # claimed by a registration batch (sent or about to be)
    REGISTERED = "registered"  # BPJS gave a card number
    REFUSED = "refused"  # BPJS refused (reason kept)
    CLOSED = "closed"  # the application was rejected


class Enrolment(tk.CityTable, tablename="e_jkn_enrolment"):
    """A resident's application to enrol their family (one KK) in JKN, paid for by the city.

    ``applicant_name`` is the applicant's own name; ``kk_sealed`` the family
    card number (``tk.seal``, purpose ``e_jkn.kk``) and ``kk_index`` its
    blind index. ``ktp_file`` / ``kk_file`` are the files service's tokens of
    the photos (visible to the applicant and, through this plugin's pages,
    to its officers). ``active_at`` is when the last member became active.
    """

    applicant_name = Varchar(length=120)
    status = Varchar(length=20, choices=Status, default=Status.SUBMITTED.value, index=True)
    created_at = Timestamptz()
    number = Varchar(length=30, null=True, default=None)
    applicant_id = Integer(null=True, default=None)
    kk_sealed = Text(default="")
    kk_index = Varchar(length=64, default="")
    kecamatan = Varchar(length=60, default="")
    kelurahan = Varchar(length=60, default="")
    address = Varchar(length=200, default="")
    phone = Varchar(length=20, default="")
    ktp_file = Varchar(length=64, default="")
    kk_file = Varchar(length=64, default="")
    consent_at = Timestamptz(null=True, default=None)
    decided_at = Timestamptz(null=True, default=None)
    decided_by = Integer(null=True, default=None)
    reason = Varchar(length=300, default="")
    reason_code = Varchar(length=30, default="")
    active_at = Timestamptz(null=True, default=None)
    priority_group = Varchar(length=20, default="")
    welfare_decile = Integer(null=True, default=None)

    city_unique = (("number",),)
    city_indexes = (("applicant_id",), ("kk_index",))


class Member(tk.CityTable, tablename="e_jkn_member"):
    """One person of an application: identity (sealed), what BPJS answered.

    ``open_nik_index`` repeats ``nik_index`` while the person's application
    counts (submitted, verified, active) and is null once it is rejected: the
    per-city unique constraint on it refuses a second open application for
    the same NIK, even from two requests at once.
    """

    enrolment = Integer(index=True)
    position = Integer(default=0)
    name = Varchar(length=120)
    nik_sealed = Text()
    nik_index = Varchar(length=64, index=True)
    open_nik_index = Varchar(length=64, null=True, default=None)
    born = Date()
    female = Boolean(default=False)
    relation = Varchar(length=20, default="")
    jkn_known = Varchar(length=20, default="")
    state = Varchar(length=20, default=MemberState.WAITING.value, index=True)
    card_sealed = Text(default="")
    care_class = Integer(default=3)
    start_date = Date(null=True, default=None)
    bpjs_reason = Varchar(length=40, default="")
    attempts = Integer(default=0)

    city_unique = (("open_nik_index",),)
