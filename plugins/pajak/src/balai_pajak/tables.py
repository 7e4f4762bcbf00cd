"""The tables of the ``pajak`` plugin (Piccolo app ``pajak``)."""

from __future__ import annotations

from balai import toolkit as tk
from piccolo.columns import Integer, Varchar


class TaxObject(tk.CityTable, tablename="pajak_tax_object"):
    """A plot of land, with its building if any, registered for PBB-P2.

    ``nop`` holds the 18 digits of the *Nomor Objek Pajak* without dots or
    dashes; :func:`balai_pajak.nop.format_nop` shows it the usual way. One NOP
    per city (a unique index made in the migration). Areas are whole square
    metres.
    """

    nop = Varchar(length=18)
    address = Varchar(length=200)
    district = Varchar(length=60)
    village = Varchar(length=60)
    land_area = Integer(default=0)
    building_area = Integer(default=0)
