"""The tables of the ``pajak`` plugin's PBB-P2 part (Piccolo app ``pajak``).

Money is whole rupiah. NJOP values and the amounts derived from them are
``BigInt``: the NJOP of a large object passes the 2.1 billion a 32-bit
integer holds. Rates are parts per million (0.2% = 2000). Times are UTC,
dates are calendar dates of the city.
"""

from __future__ import annotations

import enum

from balai import toolkit as tk
from piccolo.columns import (
    BigInt,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete


class SpptStatus(enum.StrEnum):
    """Where a yearly PBB bill stands."""

    UNPAID = "unpaid"
    PAID = "paid"
    CANCELLED = "cancelled"


class RunStatus(enum.StrEnum):
    """Where a yearly assessment run stands."""

    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Taxpayer(tk.CityTable, tablename="pajak_taxpayer"):
    """Who owes PBB-P2 on one or more tax objects (*wajib pajak*).

    ``nik`` is personal data (16 digits, or empty when unknown): shown to tax
    officers only, never on public pages.
    """

    name = Varchar(length=200)
    nik = Varchar(length=16, default="")
    address = Text(default="")
    created_at = Timestamptz()


class TaxObject(tk.CityTable, tablename="pajak_tax_object"):
    """A plot of land, with its building if any, registered for PBB-P2.

    ``nop`` holds the 18 digits of the *Nomor Objek Pajak* without dots or
    dashes; ``tk.format_nop`` shows it the usual way. One NOP
    per city (a unique index made in the migration). Areas are whole square
    metres; ``land_class``/``building_class`` are the NJOP classes and
    ``*_njop_per_m2`` the NJOP per square metre of that class, in rupiah.
    """

    nop = Varchar(length=18)
    address = Varchar(length=200)
    district = Varchar(length=60)
    village = Varchar(length=60)
    land_area = Integer(default=0)
    building_area = Integer(default=0)
    land_class = Varchar(length=4, default="")
    building_class = Varchar(length=4, default="")
    land_njop_per_m2 = Integer(default=0)
    building_njop_per_m2 = Integer(default=0)
    taxpayer = ForeignKey(references=Taxpayer, null=True, on_delete=OnDelete.set_null)
    is_active = Boolean(default=True)
    updated_at = Timestamptz()


class Sppt(tk.CityTable, tablename="pajak_sppt"):
    """One yearly PBB-P2 bill (*SPPT*) of one tax object, frozen when assessed.

    The object's data and the rule's figures are copied in, so a bill keeps
    showing what it was computed from after the object is corrected.
    ``tax_due`` is the principal; the late penalty is never stored, it is
    recomputed for any day by :func:`balai_pajak.pbb.penalty.amount_owed`.
    ``notice_number`` is the signed notice's document number once issued
    (:mod:`balai_pajak.pbb.notices`).
    One bill per NOP and year in each city (a unique index).
    """

    tax_object = ForeignKey(references=TaxObject, on_delete=OnDelete.cascade)
    nop = Varchar(length=18)
    year = Integer()
    taxpayer = ForeignKey(references=Taxpayer, null=True, on_delete=OnDelete.set_null)
    taxpayer_name = Varchar(length=200, default="")
    land_area = Integer(default=0)
    building_area = Integer(default=0)
    njop_land = BigInt(default=0)
    njop_building = BigInt(default=0)
    njop_total = BigInt(default=0)
    njoptkp = BigInt(default=0)
    taxable_base = BigInt(default=0)
    rate_ppm = Integer(default=0)
    tax_due = BigInt(default=0)
    due_date = Date()
    regulation = Varchar(length=200, default="")
    status = Varchar(length=12, choices=SpptStatus, default=SpptStatus.UNPAID.value)
    paid_at = Timestamptz(null=True, default=None)
    paid_principal = BigInt(default=0)
    paid_penalty = BigInt(default=0)
    invoice_number = Varchar(length=40, default="")
    notice_number = Varchar(length=40, default="")
    created_at = Timestamptz()


class BillPaymentStatus(enum.StrEnum):
    """Where the invoice paying a bill stands, as this plugin was told."""

    PENDING = "pending"
    PAID = "paid"
    EXPIRED = "expired"
    REFUNDED = "refunded"


class BillPayment(tk.CityTable, tablename="pajak_bill_payment"):
    """Which bills one ledger invoice pays, and how much of each (principal, penalty).

    ``status`` follows the invoice (``invoice_settled``/``invoice_expired``/
    ``invoice_refunded``); a bill is in at most one ``pending`` row (a partial
    unique index), so it is never billed twice at once.
    """

    invoice_number = Varchar(length=40, index=True)
    sppt = ForeignKey(references=Sppt, on_delete=OnDelete.cascade)
    principal = BigInt(default=0)
    penalty = BigInt(default=0)
    created_at = Timestamptz()
    status = Varchar(length=12, choices=BillPaymentStatus, default=BillPaymentStatus.PENDING.value)


class NopLink(tk.CityTable, tablename="pajak_nop_link"):
    """A citizen's account linked to a tax object they own (unique per user and NOP)."""

    user_id = Integer()
    tax_object = ForeignKey(references=TaxObject, on_delete=OnDelete.cascade)
    nop = Varchar(length=18)
    created_at = Timestamptz()


class LinkAttempt(tk.CityTable, tablename="pajak_link_attempt"):
    """One attempt by a citizen to prove a NOP is theirs (the throttle counts the failures)."""

    user_id = Integer()
    nop = Varchar(length=18)
    succeeded = Boolean(default=False)
    created_at = Timestamptz()


class AssessmentRun(tk.CityTable, tablename="pajak_assessment_run"):
    """One yearly assessment run: its progress and the cursor it resumes from.

    The run walks the active tax objects by NOP; ``last_nop`` is the last NOP
    whose bill is settled, so a restarted run continues after it. ``done``
    counts the objects walked, ``created`` the bills made, ``kept`` the bills
    that already existed (paid or otherwise) and were left alone.
    ``updated_at`` is when the run last saved a batch (``None`` before the
    first): a running run that has not moved for a while lost its worker.
    """

    year = Integer()
    status = Varchar(length=12, choices=RunStatus, default=RunStatus.RUNNING.value)
    total = Integer(default=0)
    done = Integer(default=0)
    created = Integer(default=0)
    kept = Integer(default=0)
    last_nop = Varchar(length=18, default="")
    created_by = Integer(null=True, default=None)
    started_at = Timestamptz()
    finished_at = Timestamptz(null=True, default=None)
    message = Text(default="")
    updated_at = Timestamptz(null=True, default=None)


class ObjectCorrection(tk.CityTable, tablename="pajak_object_correction"):
    """One officer's correction of a tax object: what changed, why, by whom.

    ``changes`` is a JSON object ``{field: [before, after]}`` of the fields
    that changed.
    """

    tax_object = ForeignKey(references=TaxObject, on_delete=OnDelete.cascade)
    reason = Text()
    changes = Text(default="{}")
    officer_id = Integer(null=True, default=None)
    created_at = Timestamptz()
