"""The tables of PBJT (Piccolo app ``pajak_pbjt``).

Money is whole rupiah in ``BigInt`` (a hotel's monthly turnover passes what a
32-bit integer holds); rates are parts per million; times UTC, dates local.
"""

from __future__ import annotations

import enum

from balai import toolkit as tk
from piccolo.columns import BigInt, Boolean, Date, ForeignKey, Integer, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete


class ReturnStatus(enum.StrEnum):
    """Where a monthly return stands."""

    UNPAID = "unpaid"  # tax (or a fine) to pay
    PAID = "paid"
    NIL = "nil"  # nothing to pay: no turnover, filed on time
    REPLACED = "replaced"  # superseded by a correction (pembetulan)


class Business(tk.CityTable, tablename="pajak_pbjt_business"):
    """A business registered for PBJT (*wajib pajak*), with its NPWPD.

    ``owner_id`` is the citizen account that files its returns, linked with
    ``link_code``, which officers hand to the owner (cleared once used).
    """

    name = Varchar(length=200)
    npwpd = Varchar(length=30)
    kind = Varchar(length=20)
    address = Varchar(length=200, default="")
    district = Varchar(length=60, default="")
    started_on = Date()
    owner_id = Integer(null=True, default=None)
    link_code = Varchar(length=12, default="")
    is_active = Boolean(default=True)
    created_by = Integer(null=True, default=None)
    created_at = Timestamptz()


class TaxReturn(tk.CityTable, tablename="pajak_pbjt_return"):
    """One monthly return (*SPTPD*) of a business, frozen when filed.

    A correction (*pembetulan*) is a new return with ``replaces`` pointing at
    the old one, whose ``replaced_by`` is then set; each month has at most
    one current return (``replaced_by`` empty, a partial unique index).
    """

    business = ForeignKey(references=Business, on_delete=OnDelete.cascade)
    year = Integer()
    month = Integer()
    turnover = BigInt(default=0)
    rate_ppm = Integer(default=0)
    tax_due = BigInt(default=0)
    regulation = Varchar(length=200, default="")
    filing_deadline = Date()
    payment_deadline = Date()
    late_filing = Boolean(default=False)
    late_filing_fine = BigInt(default=0)
    status = Varchar(length=12, choices=ReturnStatus, default=ReturnStatus.UNPAID.value)
    replaces = Integer(null=True, default=None)
    replaced_by = Integer(null=True, default=None)
    correction_reason = Text(default="")
    filed_by = Integer(null=True, default=None)
    filed_at = Timestamptz()
    invoice_number = Varchar(length=40, default="")
    invoice_due_at = Timestamptz(null=True, default=None)
    paid_at = Timestamptz(null=True, default=None)
    paid_amount = BigInt(default=0)
    paid_penalty = BigInt(default=0)
    paid_channel = Varchar(length=20, default="")
