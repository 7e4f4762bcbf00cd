"""PBB-P2 rules of a city: effective-dated data read from its settings.

``[cities.<c>.settings.pajak.pbb]`` holds two lists, each entry citing its
regulation and starting in a tax year (``valid_from``):

* ``rules``: how a year's bill (SPPT) is computed — the tariff (one rate, or
  bands chosen by the object's NJOP), the NJOPTKP, the assessed share of
  NJOP, rounding, the minimum tax and the due date;
* ``penalties``: the late-payment penalty regime — rate per month, the cap
  in months, whether a started month counts as a whole one.

The entry in force for a tax year is the one with the latest ``valid_from``
not after it. No city's figures are defaults in code: a city without rules
cannot assess (:class:`NoRuleError`), and a city without penalty regimes
charges no penalty.

Tariff bands: PBB-P2 bands pick **one rate for the whole taxable base** by
the bracket the object's total NJOP (before the NJOPTKP) falls in; they are
not marginal rates like income tax.
"""

from __future__ import annotations

import calendar
import itertools
from datetime import date
from typing import Annotated, Literal

import msgspec

from balai_pajak.pbb.calendar import add_months

SLUG = "pajak"
PPM = 1_000_000  # parts per million: 0.2% = 2000 ppm

Year = Annotated[int, msgspec.Meta(ge=1990, le=2100)]
Rupiah = Annotated[int, msgspec.Meta(ge=0, le=10**15)]
# Rates are capped by law (0.3% under UU 28/2009, 0.5% under HKPD); 5% leaves room.
RatePpm = Annotated[int, msgspec.Meta(ge=0, le=50_000)]
Citation = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class NoRuleError(LookupError):
    """The city has no PBB-P2 rule in force for that tax year."""

    def __init__(self, year: int) -> None:
        super().__init__(f"no PBB-P2 rule in force for {year}")
        self.year = year


class RateBand(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One tariff bracket: objects whose NJOP is at most ``up_to`` pay ``rate_ppm``.

    The last band has no ``up_to`` (it holds every larger NJOP).
    """

    rate_ppm: RatePpm
    up_to: Rupiah | None = None


class PbbRule(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """How the SPPT of a tax year from ``valid_from`` on is computed.

    Attributes:
        valid_from: The first tax year the rule applies to.
        regulation: The citation printed on the bill (``Perda Kota Malang 1/2025``).
        rate_ppm: A single rate for every object (parts per million), or
        bands: tariff bands by NJOP, ascending, the last one open-ended.
            Give exactly one of ``rate_ppm`` and ``bands``.
        njoptkp: The NJOP not taxed (*NJOP tidak kena pajak*), deducted once
            per taxpayer, on their largest object.
        assessed_percent: The share of (NJOP − NJOPTKP) that is taxed (HKPD: 20–100).
        rounding: ``down``, ``nearest`` or ``up`` to a multiple of ``rounding_unit``.
        rounding_unit: Rupiah the tax is rounded to (1, 100, 1000 ...).
        minimum_tax: The least a bill can be; a smaller computed tax (even
            zero, when the NJOPTKP covers the object) is raised to it.
        due_month, due_day: The bill falls due on this day of the tax year
            (the day clipped to the month's end), or
        due_months_after_issue: it falls due this many months after the day
            the bill is issued. Give exactly one of the two ways.
        note: Free text for officers (e.g. which figures are unverified).
    """

    valid_from: Year
    regulation: Citation
    njoptkp: Rupiah
    rate_ppm: RatePpm | None = None
    bands: tuple[RateBand, ...] = ()
    assessed_percent: Annotated[int, msgspec.Meta(ge=1, le=100)] = 100
    rounding: Literal["down", "nearest", "up"] = "down"
    rounding_unit: Annotated[int, msgspec.Meta(ge=1, le=100_000)] = 1
    minimum_tax: Rupiah = 0
    due_month: Annotated[int, msgspec.Meta(ge=1, le=12)] | None = None
    due_day: Annotated[int, msgspec.Meta(ge=1, le=31)] | None = None
    due_months_after_issue: Annotated[int, msgspec.Meta(ge=1, le=24)] | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if (self.rate_ppm is None) == (not self.bands):
            raise ValueError(f"rule of {self.valid_from}: give either rate_ppm or bands, not both")
        if self.bands:
            bounds = [b.up_to for b in self.bands]
            if bounds[-1] is not None:
                raise ValueError(f"rule of {self.valid_from}: the last band must have no up_to")
            inner = bounds[:-1]
            if any(b is None for b in inner):
                raise ValueError(f"rule of {self.valid_from}: only the last band may omit up_to")
            if any(a >= b for a, b in itertools.pairwise(inner)):
                raise ValueError(f"rule of {self.valid_from}: band up_to values must increase")
        by_date = self.due_month is not None or self.due_day is not None
        if by_date and (self.due_month is None or self.due_day is None):
            raise ValueError(f"rule of {self.valid_from}: give due_month and due_day together")
        if by_date == (self.due_months_after_issue is not None):
            raise ValueError(
                f"rule of {self.valid_from}: give either due_month/due_day"
                " or due_months_after_issue"
            )

    def rate_for(self, njop_total: int) -> int:
        """The rate (ppm) for an object of this NJOP: the single rate or its band's."""
        if self.rate_ppm is not None:
            return self.rate_ppm
        for band in self.bands:
            if band.up_to is None or njop_total <= band.up_to:
                return band.rate_ppm
        raise AssertionError("the last band is open-ended")  # checked in __post_init__

    def round_tax(self, amount_ppm: int) -> int:
        """Whole rupiah from an amount in millionths of a rupiah, by the rule's rounding."""
        unit = self.rounding_unit * PPM
        if self.rounding == "down":
            steps = amount_ppm // unit
        elif self.rounding == "up":
            steps = -(-amount_ppm // unit)
        else:
            steps = (amount_ppm + unit // 2) // unit
        return steps * self.rounding_unit

    def due_date(self, year: int, issued_on: date) -> date:
        """When the bill of ``year`` issued on ``issued_on`` falls due."""
        if self.due_months_after_issue is not None:
            return add_months(issued_on, self.due_months_after_issue)
        assert self.due_month is not None and self.due_day is not None
        last = calendar.monthrange(year, self.due_month)[1]
        return date(year, self.due_month, min(self.due_day, last))


class PenaltyRegime(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """The late-payment penalty for bills of tax years from ``valid_from`` on.

    Attributes:
        valid_from: The first tax year whose bills follow this regime.
        regulation: The citation shown next to the penalty.
        rate_ppm_per_month: Penalty per month late, in ppm of the unpaid principal
            (2% = 20000).
        cap_months: At most this many months are charged.
        part_month_counts_full: A started month counts as a whole one.
    """

    valid_from: Year
    regulation: Citation
    rate_ppm_per_month: Annotated[int, msgspec.Meta(ge=0, le=100_000)]
    cap_months: Annotated[int, msgspec.Meta(ge=0, le=120)]
    part_month_counts_full: bool = True


class PbbSettings(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A city's PBB-P2 rules and penalty regimes (``[cities.<c>.settings.pajak.pbb]``)."""

    rules: tuple[PbbRule, ...] = ()
    penalties: tuple[PenaltyRegime, ...] = ()

    def __post_init__(self) -> None:
        for name, entries in (("rules", self.rules), ("penalties", self.penalties)):
            years = [e.valid_from for e in entries]
            if len(set(years)) != len(years):
                raise ValueError(f"two {name} start in the same year")

    def rule_for(self, year: int) -> PbbRule:
        """The rule in force for tax year ``year``.

        Raises:
            NoRuleError: no rule starts in or before ``year``.
        """
        started = [r for r in self.rules if r.valid_from <= year]
        if not started:
            raise NoRuleError(year)
        return max(started, key=lambda r: r.valid_from)

    def penalty_for(self, year: int) -> PenaltyRegime | None:
        """The penalty regime of bills of tax year ``year`` (``None``: no penalty)."""
        started = [p for p in self.penalties if p.valid_from <= year]
        return max(started, key=lambda p: p.valid_from) if started else None


def pbb_settings(city) -> PbbSettings:
    """The PBB-P2 settings of ``city`` (empty when it sets none)."""
    settings = city.settings_for(SLUG)
    pbb = getattr(settings, "pbb", None)
    return pbb if pbb is not None else PbbSettings()
