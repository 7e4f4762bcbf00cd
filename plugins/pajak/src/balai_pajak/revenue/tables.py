"""The monthly revenue summary (Piccolo app ``pajak_revenue``)."""

from __future__ import annotations

from balai import toolkit as tk
from piccolo.columns import BigInt, Integer, Varchar


class RevenueMonth(tk.CityTable, tablename="pajak_revenue_month"):
    """Rupiah received and payments counted per month, tax type and district.

    Kept up to date in the transaction that settles each payment, so the
    dashboard and the open datasets read a few rows instead of the bills.
    One row per (city, year, month, tax type, district), a unique index.
    """

    year = Integer()
    month = Integer()
    tax_type = Varchar(length=12)
    district = Varchar(length=60, default="")
    amount = BigInt(default=0)
    payments = Integer(default=0)
