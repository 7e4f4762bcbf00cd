"""The plugin's sealed identity numbers: purposes, sealing and indexing in one place."""

from __future__ import annotations

from balai import toolkit as tk

NIK_PURPOSE = "e_jkn.nik"
KK_PURPOSE = "e_jkn.kk"
CARD_PURPOSE = "e_jkn.card"


def nik_index(nik: str) -> str:
    """The current city's blind index of a checked NIK."""
    return tk.blind_index(nik, NIK_PURPOSE)


def kk_index(kk: str) -> str:
    """The current city's blind index of a checked KK number."""
    return tk.blind_index(kk, KK_PURPOSE)


def masked_nik(sealed: str) -> str:
    """A sealed NIK shown masked (``3573**********01``)."""
    return tk.mask_nik(tk.unseal(sealed, NIK_PURPOSE))


def masked_kk(sealed: str) -> str:
    """A sealed KK number shown masked."""
    return tk.mask_kk(tk.unseal(sealed, KK_PURPOSE)) if sealed else ""
