"""The tables of e-Retribusi (Piccolo app ``pajak_retribusi``): markets, stalls, monthly bills."""

from __future__ import annotations

import enum

from balai import toolkit as tk
from piccolo.columns import BigInt, Boolean, Date, ForeignKey, Integer, Timestamptz, Varchar
from piccolo.columns.base import OnDelete


class BillStatus(enum.StrEnum):
    """Where a stall's monthly bill stands."""

    UNPAID = "unpaid"
    PAID = "paid"


class Market(tk.CityTable, tablename="pajak_retribusi_market"):
    """A city market (*pasar*) whose stalls pay a monthly fee."""

    name = Varchar(length=120)
    district = Varchar(length=60, default="")
    address = Varchar(length=200, default="")
    created_at = Timestamptz()


class Stall(tk.CityTable, tablename="pajak_retribusi_stall"):
    """A stall (*kios*, *los*) of a market, its holder and monthly fee in rupiah.

    ``holder_id`` is the holder's citizen account once linked with
    ``link_code``; ``holder_name`` is the name on the permit. One stall
    number per market (a unique index).
    """

    market = ForeignKey(references=Market, on_delete=OnDelete.cascade)
    number = Varchar(length=20)
    size_m2 = Integer(default=0)
    holder_name = Varchar(length=120, default="")
    holder_id = Integer(null=True, default=None)
    link_code = Varchar(length=12, default="")
    monthly_fee = BigInt(default=0)
    is_active = Boolean(default=True)
    created_at = Timestamptz()


class StallBill(tk.CityTable, tablename="pajak_retribusi_bill"):
    """One month's fee of one stall, made by the monthly job (one per stall and month).

    Paid online (``invoice_number``, the ledger's channel in
    ``paid_channel``) or in cash to a collector (``collected_by``,
    ``paid_channel`` ``collector`` and a ``receipt_number``).
    """

    stall = ForeignKey(references=Stall, on_delete=OnDelete.cascade)
    market = Integer()
    year = Integer()
    month = Integer()
    amount = BigInt(default=0)
    due_date = Date()
    status = Varchar(length=12, choices=BillStatus, default=BillStatus.UNPAID.value)
    invoice_number = Varchar(length=40, default="")
    invoice_due_at = Timestamptz(null=True, default=None)
    paid_at = Timestamptz(null=True, default=None)
    paid_channel = Varchar(length=20, default="")
    receipt_number = Varchar(length=30, default="")
    collected_by = Integer(null=True, default=None)
    created_at = Timestamptz()
