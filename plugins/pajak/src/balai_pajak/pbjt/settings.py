"""A city's PBJT rules (``[cities.<city>.settings.pajak.pbjt]``), effective-dated.

Nothing here holds a city's numbers: without rules a city cannot take PBJT
returns, and the page says so. Malang's values are in ``examples/demo.toml``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec

Ppm = Annotated[int, msgspec.Meta(ge=0, le=1_000_000)]
Day = Annotated[int, msgspec.Meta(ge=1, le=28)]
Rupiah = Annotated[int, msgspec.Meta(ge=0, le=1_000_000_000)]


class PbjtRule(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The rates, deadlines and sanctions in force from ``effective_from``.

    Attributes:
        effective_from: First day of the first month taxed under this rule.
        regulation: The regulation the figures come from (shown on every return).
        verified: ``False`` while the figures are not checked against the
            regulation's text (shown to officers).
        restaurant_ppm, hotel_ppm, parking_ppm, entertainment_ppm: The rate
            per kind of business in parts per million of the turnover
            (10% = 100000); 0 means the kind is not taxed.
        filing_day: Day of the following month by which the return is due.
        payment_day: Day of the following month by which the tax is due.
        late_filing_fine: Fixed fine in rupiah for a return filed after its deadline.
        late_payment_ppm_per_month: Penalty per month (or part-month) of late
            payment, in parts per million of the tax (1% = 10000).
        late_payment_max_months: At most this many months are charged.
    """

    effective_from: date
    regulation: str
    verified: bool = False
    restaurant_ppm: Ppm = 0
    hotel_ppm: Ppm = 0
    parking_ppm: Ppm = 0
    entertainment_ppm: Ppm = 0
    filing_day: Day = 15
    payment_day: Day = 15
    late_filing_fine: Rupiah = 0
    late_payment_ppm_per_month: Ppm = 0
    late_payment_max_months: Annotated[int, msgspec.Meta(ge=0, le=120)] = 0


class PbjtSettings(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """PBJT settings of a city: its rules, each from a date on (in any order)."""

    rules: tuple[PbjtRule, ...] = ()

    def __post_init__(self) -> None:
        days = [r.effective_from for r in self.rules]
        if len(set(days)) != len(days):
            raise ValueError("two PBJT rules start on the same day")
