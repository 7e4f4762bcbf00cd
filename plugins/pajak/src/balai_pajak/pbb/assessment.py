"""Computing a yearly PBB-P2 bill (SPPT) from a tax object and the year's rule.

Pure functions, no database: the yearly run, the demo data and the tests
call them with plain rows.

    NJOP land      = land area × land NJOP per m²
    NJOP building  = building area × building NJOP per m²
    NJOP           = NJOP land + NJOP building
    NJOPTKP        = the rule's NJOPTKP, only on the taxpayer's largest object,
                     never more than that object's NJOP
    taxable base   = (NJOP − NJOPTKP) × assessed share
    tax            = taxable base × rate, rounded by the rule, raised to the
                     rule's minimum tax when the object has any NJOP

The rate is the single rate, or the rate of the band the object's NJOP falls
in, applied to the whole taxable base (see :mod:`balai_pajak.pbb.rules`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from balai_pajak.pbb.rules import PbbRule


class SpptFigures(NamedTuple):
    """The computed part of one bill (what the ``Sppt`` row stores besides the object).

    A named tuple: a yearly run makes one per tax object, and tuples are cheap.
    """

    njop_land: int
    njop_building: int
    njop_total: int
    njoptkp: int
    taxable_base: int
    rate_ppm: int
    tax_due: int
    due_date: date
    regulation: str


@lru_cache(maxsize=64)
def _due_date(rule: PbbRule, year: int, issued_on: date) -> date:
    """The rule's due date, computed once per run instead of once per object."""
    return rule.due_date(year, issued_on)


def njop_of(obj: Mapping) -> tuple[int, int, int]:
    """NJOP of the land, of the building and in total, of a tax object row."""
    land = obj["land_area"] * obj["land_njop_per_m2"]
    building = obj["building_area"] * obj["building_njop_per_m2"]
    return land, building, land + building


def njoptkp_holders(objects: Iterable[tuple[str, int | None, int]]) -> set[str]:
    """The NOPs that get the NJOPTKP: each taxpayer's largest object.

    ``objects`` are ``(nop, taxpayer_id, njop_total)``. The largest NJOP wins;
    between equal NJOPs, the lowest NOP. An object without a registered
    taxpayer counts as its own taxpayer's only object.
    """
    best: dict[int, tuple[int, str]] = {}
    holders: set[str] = set()
    for nop, taxpayer, njop in objects:
        if taxpayer is None:
            holders.add(nop)
            continue
        current = best.get(taxpayer)
        if current is None or njop > current[0] or (njop == current[0] and nop < current[1]):
            best[taxpayer] = (njop, nop)
    holders.update(nop for _, nop in best.values())
    return holders


def assess(
    obj: Mapping, rule: PbbRule, year: int, *, issued_on: date, gets_njoptkp: bool
) -> SpptFigures:
    """The bill of tax object ``obj`` for ``year`` under ``rule``.

    Args:
        obj: A tax object row (areas and NJOP per m² of land and building).
        rule: The rule in force for ``year``.
        year: The tax year.
        issued_on: The day the bill is issued (for due dates counted from it).
        gets_njoptkp: Whether this is the taxpayer's largest object.
    """
    land, building, total = njop_of(obj)
    njoptkp = min(rule.njoptkp, total) if gets_njoptkp else 0
    taxable = (total - njoptkp) * rule.assessed_percent // 100
    rate = rule.rate_for(total)
    tax = rule.round_tax(taxable * rate)
    if total > 0:
        tax = max(tax, rule.minimum_tax)
    return SpptFigures(
        njop_land=land,
        njop_building=building,
        njop_total=total,
        njoptkp=njoptkp,
        taxable_base=taxable,
        rate_ppm=rate,
        tax_due=tax,
        due_date=_due_date(rule, year, issued_on),
        regulation=rule.regulation,
    )
