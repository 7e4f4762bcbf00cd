"""The dashboard's period: a range of whole days in the city's time zone.

A period is chosen with a preset (``7d``, ``30d``, ``month``, ``year``) or as
``custom`` with ``from``/``to`` dates. Its granularity (one point per day or
per month) follows from its length, so that a chart never has hundreds of
bars. :meth:`Period.previous` is the period of the same length just before,
used for the trend of a figure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from balai.i18n import gettext as _

Granularity = Literal["day", "month"]
PRESETS = ("7d", "30d", "month", "year", "custom")
DEFAULT_PRESET = "30d"
MAX_DAYS = 366 * 3
DAILY_UP_TO = 92  # longer periods are shown per month
WIB = ZoneInfo("Asia/Jakarta")


class PeriodError(ValueError):
    """The period asked for is malformed; the message is translated and says why."""


@dataclass(frozen=True)
class Period:
    """A range of whole days, both ends included, in the city's time zone.

    Attributes:
        start: The first day.
        end: The last day (included).
        granularity: ``day`` or ``month``: one chart point per day or month.
        preset: The preset it came from (``7d``, ``30d``, ``month``,
            ``year`` or ``custom``).
        tz: The city's time zone, in which the days are counted.
    """

    start: date
    end: date
    granularity: Granularity = "day"
    preset: str = "custom"
    tz: ZoneInfo = WIB

    @property
    def days(self) -> int:
        """How many days the period spans."""
        return (self.end - self.start).days + 1

    def buckets(self) -> list[date]:
        """The first day of each chart point: every day, or every month's first day."""
        if self.granularity == "day":
            return [self.start + timedelta(days=i) for i in range(self.days)]
        out: list[date] = []
        current = self.start.replace(day=1)
        while current <= self.end:
            out.append(current)
            current = _next_month(current)
        return out

    def bucket_of(self, day: date) -> date:
        """The bucket (first day of its chart point) that ``day`` falls in."""
        return day if self.granularity == "day" else day.replace(day=1)

    def label(self, bucket: date) -> str:
        """A short label for a bucket: ``2026-11-05`` or ``2026-11``."""
        return bucket.isoformat() if self.granularity == "day" else bucket.strftime("%Y-%m")

    def previous(self) -> Period:
        """The period of the same length ending the day before this one starts."""
        end = self.start - timedelta(days=1)
        start = end - timedelta(days=self.days - 1)
        return Period(start, end, self.granularity, "custom", self.tz)

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """The period as a UTC half-open interval ``[from, to)`` of instants."""
        first = datetime.combine(self.start, datetime.min.time(), self.tz)
        after = datetime.combine(self.end + timedelta(days=1), datetime.min.time(), self.tz)
        return first.astimezone(UTC), after.astimezone(UTC)

    def query(self) -> dict[str, str]:
        """The query arguments that select this period again (for links and forms)."""
        if self.preset != "custom":
            return {"period": self.preset}
        return {"period": "custom", "from": self.start.isoformat(), "to": self.end.isoformat()}


def _next_month(day: date) -> date:
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)


def granularity_for(start: date, end: date) -> Granularity:
    """Per day up to three months, per month beyond."""
    return "day" if (end - start).days + 1 <= DAILY_UP_TO else "month"


def today_in(tz: ZoneInfo, now: datetime | None = None) -> date:
    """The current date in ``tz``."""
    return (now or datetime.now(UTC)).astimezone(tz).date()


def preset_period(preset: str, tz: ZoneInfo, now: datetime | None = None) -> Period:
    """The period of a preset, ending today in ``tz``.

    Raises:
        PeriodError: for an unknown preset (``custom`` needs dates: use
            :func:`parse_period`).
    """
    today = today_in(tz, now)
    if preset == "7d":
        start = today - timedelta(days=6)
    elif preset == "30d":
        start = today - timedelta(days=29)
    elif preset == "month":
        start = today.replace(day=1)
    elif preset == "year":
        start = today.replace(month=1, day=1)
        return Period(start, today, "month", preset, tz)
    else:
        raise PeriodError(_("Unknown period. Choose one of the periods offered."))
    return Period(start, today, "day", preset, tz)


def _parse_day(value: str, message: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise PeriodError(message) from None


def parse_period(args: Mapping[str, str], tz: ZoneInfo, now: datetime | None = None) -> Period:
    """Read the period from query arguments ``period``, ``from`` and ``to``.

    No ``period`` means the default (the last 30 days).

    Raises:
        PeriodError: with a translated message saying what is wrong: an
            unknown preset, a malformed date, a start after the end, a range
            reaching past today or longer than three years.
    """
    preset = (args.get("period") or DEFAULT_PRESET).strip()
    if preset != "custom":
        if preset not in PRESETS:
            raise PeriodError(_("Unknown period. Choose one of the periods offered."))
        return preset_period(preset, tz, now)
    raw_from, raw_to = args.get("from") or "", args.get("to") or ""
    if not raw_from or not raw_to:
        raise PeriodError(_("A custom period needs both a start and an end date."))
    start = _parse_day(raw_from, _("The start date must be a date such as 2026-01-31."))
    end = _parse_day(raw_to, _("The end date must be a date such as 2026-01-31."))
    if start > end:
        raise PeriodError(_("The start date must not be after the end date."))
    if end > today_in(tz, now):
        raise PeriodError(_("The period cannot end in the future."))
    if (end - start).days + 1 > MAX_DAYS:
        raise PeriodError(_("A period can span at most three years."))
    return Period(start, end, granularity_for(start, end), "custom", tz)
