"""Calendar months for PBB due dates and late penalties: adding and counting them.

A month after 31 August is 30 September (the day is clipped to the end of a
shorter month), and a month after 29 February 2024 is 29 March; twelve
months after 29 February 2024 is 28 February 2025. Months are always added
to the original date, so two months after 31 August is 31 October.
"""

from __future__ import annotations

import calendar
from datetime import date


def add_months(start: date, months: int) -> date:
    """``start`` moved by whole calendar months, the day clipped to the month's end."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last))


def months_after(start: date, end: date, *, part_counts_full: bool = True) -> int:
    """How many months ``end`` lies after ``start`` (0 when it is not after it).

    With ``part_counts_full`` a started month counts as a whole one: the day
    after ``start`` is month 1, and month ``n`` ends on
    ``add_months(start, n)``. Without it only completed months count: ``n``
    months have passed once ``end`` reaches ``add_months(start, n)``.
    """
    if end <= start:
        return 0
    # A first guess from the calendar, then corrected by at most one month.
    n = (end.year - start.year) * 12 + (end.month - start.month)
    if part_counts_full:
        while add_months(start, n) < end:
            n += 1
        while n > 1 and add_months(start, n - 1) >= end:
            n -= 1
        return n
    while n > 0 and add_months(start, n) > end:
        n -= 1
    while add_months(start, n + 1) <= end:
        n += 1
    return n
