"""Calendar months of PBJT and retribusi: a month of a year, and months late.

(Rebuilt by PA after PA's file of the same name overwrote PC's untracked
original by mistake; PC: check it against what you had.)
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

_TYPED = re.compile(r"^([0-9]{4})-([0-9]{2})$")


class MonthError(ValueError):
    """Text that is not a month written ``YYYY-MM``."""


@dataclass(frozen=True, order=True)
class Month:
    """One calendar month of one year (``Month(2026, 3)`` is March 2026)."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is not 1-12")

    @classmethod
    def of(cls, day: date) -> Month:
        """The month ``day`` falls in."""
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, text: str) -> Month:
        """A month written ``2026-03`` (the month input's format).

        Raises:
            MonthError: anything else.
        """
        found = _TYPED.match((text or "").strip())
        if not found or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 1900:
            raise MonthError(text)
        return cls(int(found.group(1)), int(found.group(2)))

    @property
    def first_day(self) -> date:
        """The month's first day."""
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        """The month's last day."""
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def day(self, number: int) -> date:
        """Day ``number`` of the month, clipped to its last day (31 → 30 April)."""
        return date(self.year, self.month, min(number, self.last_day.day))

    def next(self) -> Month:
        """The month after this one."""
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)

    def previous(self) -> Month:
        """The month before this one."""
        return Month(self.year - 1, 12) if self.month == 1 else Month(self.year, self.month - 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def months_late(deadline: date, on: date) -> int:
    """Started months after ``deadline`` on day ``on`` (a part-month counts as a whole one).

    The day after the deadline is month 1; month ``n`` ends on the deadline's
    day ``n`` months later, clipped to the month's end (31 August → 30 September).
    """
    if on <= deadline:
        return 0
    n = max(1, (on.year - deadline.year) * 12 + (on.month - deadline.month))
    while _shifted(deadline, n) < on:
        n += 1
    while n > 1 and _shifted(deadline, n - 1) >= on:
        n -= 1
    return n


def _shifted(start: date, months: int) -> date:
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(start.day, calendar.monthrange(year, month + 1)[1]))


def local_today(tz: tzinfo) -> date:
    """Today's date in the zone ``tz`` (the city's)."""
    return datetime.now(UTC).astimezone(tz).date()


def local_date(moment: datetime, tz: tzinfo) -> date:
    """The date of ``moment`` in the zone ``tz`` (a naive moment is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(tz).date()
