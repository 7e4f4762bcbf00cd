"""PBB-P2 arrears of a city: overdue unpaid bills summed by district or village.

The amounts are those :func:`balai_pajak.pbb.penalty.amount_owed` gives each
bill on the day, summed, without reading the bills one by one: the penalty
of a bill depends only on its unpaid principal and on (tax year, due date),
so the few distinct (year, due date) pairs are turned into a factor
(rate × months charged) in Python and the database sums
``principal × factor / 1,000,000`` per bill, rounded down per bill like
``amount_owed`` does.
"""

from __future__ import annotations

from datetime import date

from balai import toolkit as tk

from balai_pajak.pbb.calendar import months_after
from balai_pajak.pbb.rules import pbb_settings
from balai_pajak.tables import Sppt


def penalty_factor(year: int, due: date, on: date, city: tk.City) -> int:
    """Penalty in ppm of the principal for a bill of ``year`` due ``due``, on ``on``."""
    regime = pbb_settings(city).penalty_for(year)
    if regime is None:
        return 0
    months = months_after(due, on, part_counts_full=regime.part_month_counts_full)
    return regime.rate_ppm_per_month * min(months, regime.cap_months)


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


async def by_area(on: date, city: tk.City, district: str | None = None) -> list[dict]:
    """Overdue bills on ``on`` per district, or per village of ``district``.

    Each row: ``area``, ``bills``, ``objects``, ``principal``, ``penalty``, ``total``.
    """
    pairs = await Sppt.raw(
        "SELECT DISTINCT year, due_date FROM pajak_sppt"
        " WHERE city = {} AND status = 'unpaid' AND due_date < {}",
        city.slug,
        on,
    )
    factors = [
        (
            int(p["year"]),
            _as_date(p["due_date"]),
            penalty_factor(p["year"], _as_date(p["due_date"]), on, city),
        )
        for p in pairs
    ]
    cases = " ".join(
        f"WHEN s.year = {year} AND s.due_date = {{}} THEN {int(factor)}"
        for year, _, factor in factors
        if factor
    )
    case_args = [due for _, due, factor in factors if factor]
    penalty_sql = (
        f"SUM((s.tax_due - s.paid_principal) * (CASE {cases} ELSE 0 END) / 1000000)"
        if cases
        else "0"
    )
    area = "o.village" if district is not None else "o.district"
    where = "s.city = {} AND s.status = 'unpaid' AND s.due_date < {}"
    args: list = [*case_args, city.slug, on]
    if district is not None:
        where += " AND o.district = {}"
        args.append(district)
    # Only constants and integers computed here go into the text; values are parameters.
    statement = (
        f"SELECT {area} AS area, COUNT(*) AS bills, COUNT(DISTINCT s.tax_object) AS objects,"  # noqa: S608
        f" SUM(s.tax_due - s.paid_principal) AS principal, {penalty_sql} AS penalty"
        " FROM pajak_sppt s JOIN pajak_tax_object o ON o.id = s.tax_object"
        f" WHERE {where} GROUP BY {area} ORDER BY {area}"
    )
    rows = await Sppt.raw(statement, *args)
    return [
        {
            "area": r["area"],
            "bills": int(r["bills"]),
            "objects": int(r["objects"]),
            "principal": int(r["principal"] or 0),
            "penalty": int(r["penalty"] or 0),
            "total": int(r["principal"] or 0) + int(r["penalty"] or 0),
        }
        for r in rows
    ]


def total_of(rows: list[dict]) -> dict:
    """The rows added up (an object is in one district and one village)."""
    keys = ("bills", "objects", "principal", "penalty", "total")
    return {k: sum(r[k] for r in rows) for k in keys}
