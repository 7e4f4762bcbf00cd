"""An iCalendar (RFC 5545) feed of a city's heritage events, written by hand.

The format is small and fixed, so it is written here rather than pulling a
library into every deployment; the tests parse every feed with the
``icalendar`` package (a development dependency) to prove it is valid.
Rules applied: CRLF line ends, content lines folded at 75 octets without
splitting a UTF-8 character (§3.1), TEXT values escaped (§3.3.11), times
in UTC (``…Z``), a stable ``UID`` per event and a ``DTSTAMP`` on each.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

LINE_OCTETS = 75


def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon, comma and line ends escaped (RFC 5545 §3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """One content line folded into chunks of at most 75 octets, joined by CRLF + space."""
    data = line.encode("utf-8")
    if len(data) <= LINE_OCTETS:
        return line
    chunks: list[bytes] = []
    limit = LINE_OCTETS
    while data:
        cut = min(limit, len(data))
        while cut < len(data) and (data[cut] & 0xC0) == 0x80:  # inside a UTF-8 character
            cut -= 1
        chunks.append(data[:cut])
        data = data[cut:]
        limit = LINE_OCTETS - 1  # continuation lines start with a space
    return "\r\n ".join(chunk.decode("utf-8") for chunk in chunks)


def utc_stamp(moment: datetime) -> str:
    """A DATE-TIME in UTC form (``20261207T021500Z``)."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def vevent(
    *,
    uid: str,
    stamp: datetime,
    starts_at: datetime,
    ends_at: datetime,
    summary: str,
    description: str = "",
    location: str = "",
    geo: tuple[float, float] | None = None,
    url: str = "",
    cancelled: bool = False,
    categories: str = "",
) -> list[str]:
    """The content lines of one VEVENT."""
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{utc_stamp(stamp)}",
        f"DTSTART:{utc_stamp(starts_at)}",
        f"DTEND:{utc_stamp(ends_at)}",
        f"SUMMARY:{escape_text(summary)}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
    ]
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if geo is not None:
        lines.append(f"GEO:{geo[0]:.6f};{geo[1]:.6f}")
    if url.startswith(("http://", "https://")):
        lines.append(f"URL:{url}")
    if categories:
        lines.append(f"CATEGORIES:{escape_text(categories)}")
    lines.append("END:VEVENT")
    return lines


def calendar(name: str, timezone: str, events: Iterable[list[str]]) -> str:
    """A whole VCALENDAR with ``events`` (each the lines of :func:`vevent`)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Balai//wisata_heritage events//ID",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        f"X-WR-TIMEZONE:{timezone}",
    ]
    for event in events:
        lines.extend(event)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
