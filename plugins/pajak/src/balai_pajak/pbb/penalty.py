"""What a PBB-P2 bill costs on a given day: the principal and the late penalty.

Pure: nothing is stored, so the amount owed on any day can always be
computed again from the bill and the city's penalty regimes.

The regime is the one in force for the bill's **tax year**
(:meth:`balai_pajak.pbb.rules.PbbSettings.penalty_for`): bills of years
before a city switched to HKPD keep the old 2 % a month, later ones 1 %.
Months are counted from the day after the due date
(:func:`balai_pajak.pbb.calendar.months_after`); with
``part_month_counts_full`` the first day late already costs a month, and
month *n* ends on the due date's day *n* months later (due 31 August: the
first month ends 30 September). At most ``cap_months`` are charged. The
penalty is ``principal × rate × months``, rounded down to whole rupiah.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from balai import toolkit as tk

from balai_pajak.pbb.calendar import months_after
from balai_pajak.pbb.rules import PPM, pbb_settings


@dataclass(frozen=True)
class OwedLine:
    """One line of the itemised amount: what it is and how much."""

    label: str
    amount: int


@dataclass(frozen=True)
class Owed:
    """The amount owed on one bill on one day.

    Attributes:
        principal: The unpaid principal (0 for a paid or cancelled bill).
        penalty: The late penalty on that day.
        months_late: Months late on that day, before the cap.
        penalty_months: Months charged (``months_late`` capped).
        rate_ppm_per_month: The regime's rate (0 without a regime).
        regulation: The regime's citation ('' without one).
        lines: The itemised amount (principal, then penalty when there is one).
    """

    principal: int
    penalty: int
    months_late: int
    penalty_months: int
    rate_ppm_per_month: int
    regulation: str = ""
    lines: tuple[OwedLine, ...] = field(default=())

    @property
    def total(self) -> int:
        """Principal and penalty together."""
        return self.principal + self.penalty


def rate_text(ppm: int) -> str:
    """A rate in ppm as a percentage, ``2%``, ``0.055%`` (``0,055%`` in Indonesian)."""
    whole, rest = divmod(ppm, 10_000)
    if not rest:
        return f"{whole}%"
    decimals = f"{rest:04d}".rstrip("0")
    return f"{whole}{tk.pgettext('decimal separator', '.')}{decimals}%"


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def amount_owed(bill: Mapping, on: date, city: tk.City) -> Owed:
    """The itemised amount owed on ``on`` for ``bill`` in ``city``.

    Args:
        bill: An ``Sppt`` row (or the same keys): ``year``, ``tax_due``,
            ``due_date``, ``status``, and ``paid_principal`` when there is one.
        on: The day, in the city's calendar.
        city: The city whose penalty regimes apply.
    """
    if bill["status"] != "unpaid":
        return Owed(0, 0, 0, 0, 0)
    year = bill["year"]
    principal = max(0, bill["tax_due"] - (bill.get("paid_principal") or 0))
    regime = pbb_settings(city).penalty_for(year)
    principal_line = OwedLine(tk._("PBB-P2 %(year)s principal", year=year), principal)
    if regime is None:
        return Owed(principal, 0, 0, 0, 0, lines=(principal_line,))
    late = months_after(
        _as_date(bill["due_date"]), on, part_counts_full=regime.part_month_counts_full
    )
    charged = min(late, regime.cap_months)
    penalty = principal * regime.rate_ppm_per_month * charged // PPM
    lines = [principal_line]
    if penalty:
        lines.append(
            OwedLine(
                tk.ngettext(
                    "Late penalty: %(rate)s a month × %(num)d month (%(regulation)s)",
                    "Late penalty: %(rate)s a month × %(num)d months (%(regulation)s)",
                    charged,
                    rate=rate_text(regime.rate_ppm_per_month),
                    regulation=regime.regulation,
                ),
                penalty,
            )
        )
    return Owed(
        principal=principal,
        penalty=penalty,
        months_late=late,
        penalty_months=charged,
        rate_ppm_per_month=regime.rate_ppm_per_month,
        regulation=regime.regulation,
        lines=tuple(lines),
    )
