"""Reading the fields of the PBJT and market forms (shared helpers, no database)."""

from __future__ import annotations

from balai import toolkit as tk

from balai_pajak.months import Month, MonthError

# Read by the toolkit's rupiah field; the pages say what they expect in their own words.
_AMOUNT = tk.RupiahField("Amount", max_value=10**15 - 1)


def text(form, name: str, limit: int) -> str:
    """A text field, whitespace collapsed, cut at ``limit`` characters (see :func:`too_long`)."""
    return " ".join(str(form.get(name, "")).split())[:limit]


def too_long(form, limits: dict[str, int]) -> dict[str, str]:
    """An error for each field longer than its limit: a form that saves must not cut text."""
    return {
        name: tk._("Use at most %(n)s characters.", n=limit)
        for name, limit in limits.items()
        if len(" ".join(str(form.get(name, "")).split())) > limit
    }


def rupiah(typed: str) -> int | None:
    """Whole rupiah typed as ``1500000``, ``1.500.000`` or ``Rp1.500.000``; ``None`` otherwise."""
    try:
        return _AMOUNT.parse(typed.strip())
    except tk.FieldError:
        return None


def month(typed: str) -> Month | None:
    """A month typed as ``2026-03`` (the month input's format); ``None`` otherwise."""
    try:
        return Month.parse(typed)
    except MonthError:
        return None


def month_label(value: Month) -> str:
    """The month as people read it (``Maret 2026``)."""
    names = (
        tk._("January"),
        tk._("February"),
        tk._("March"),
        tk._("April"),
        tk._("May"),
        tk._("June"),
        tk._("July"),
        tk._("August"),
        tk._("September"),
        tk._("October"),
        tk._("November"),
        tk._("December"),
    )
    return f"{names[value.month - 1]} {value.year}"
