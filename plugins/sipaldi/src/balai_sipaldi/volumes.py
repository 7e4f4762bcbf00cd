"""Volumes of septage: stored as whole litres, typed and shown in m³.

Litres keep every sum and fee in integers: 2,5 m³ is 2500 litres.
"""

from __future__ import annotations

import re

from balai import toolkit as tk

LITRES_PER_M3 = 1000
_M3 = re.compile(r"^([0-9]{1,6})(?:[.,]([0-9]{1,3}))?$")


def parse_m3(text: str) -> int:
    """The litres in ``text``, a number of m³ with at most three decimals (``2,5`` or ``2.5``).

    Raises:
        ValueError: ``text`` is not such a number.
    """
    found = _M3.match(text.strip().removesuffix("m³").removesuffix("m3").strip())
    if not found:
        raise ValueError(text)
    whole, fraction = found.group(1), (found.group(2) or "").ljust(3, "0")
    return int(whole) * LITRES_PER_M3 + int(fraction)


def format_m3(litres: int) -> str:
    """``litres`` as m³ in the reader's notation, without trailing zeros: ``2,5`` (id)."""
    whole, rest = divmod(litres, LITRES_PER_M3)
    if not rest:
        return tk.format_number(whole)
    decimals = len(f"{rest:03d}".rstrip("0"))
    return tk.format_number(litres / LITRES_PER_M3, decimals=decimals)


class CubicMetreField(tk.Field):
    """A volume in m³ (``2,5``), parsed to whole litres, within ``min_litres``…``max_litres``."""

    inputmode = "decimal"
    max_input = 20

    def __init__(self, label: str, *, min_litres: int = 1, max_litres: int = 100_000, **options):
        super().__init__(label, **options)
        self.min_litres = min_litres
        self.max_litres = max_litres

    def parse(self, text: str) -> int:
        """The litres typed, refused outside the range with the range in m³."""
        try:
            litres = parse_m3(text)
        except ValueError:
            raise tk.FieldError(tk._("Enter a volume in m³ such as 2,5.")) from None
        if not self.min_litres <= litres <= self.max_litres:
            raise tk.FieldError(
                tk._(
                    "Enter a volume from %(low)s to %(high)s m³.",
                    low=format_m3(self.min_litres),
                    high=format_m3(self.max_litres),
                )
            )
        return litres

    def show(self, value) -> str:
        """Stored litres as m³ to put back in the input."""
        return format_m3(value) if isinstance(value, int) else super().show(value)
