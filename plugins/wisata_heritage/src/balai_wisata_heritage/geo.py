"""Coordinates: checking them, and distances between them (sites, walk stops, near me)."""

from __future__ import annotations

import math
import re

from balai import toolkit as tk

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG), metres
# Decimal degrees as people paste them from a map: "-7.9666", "112.6326".
_DEGREES = re.compile(r"^[+-]?\d{1,3}(\.\d{1,8})?$", re.ASCII)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two points (haversine formula)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def read_degrees(text: str | None, limit: int) -> float | None:
    """Decimal degrees in ``-limit`` … ``limit`` from ``text``, or ``None``.

    Only ASCII digits with a dot and at most eight decimals (about a
    millimetre): ``nan``, ``1e3``, ``inf`` and other scripts' digits are
    refused.
    """
    if text is None or not _DEGREES.match(text.strip()):
        return None
    value = float(text)
    return value if -limit <= value <= limit else None


class LatitudeField(tk.Field):
    """A latitude in decimal degrees, -90 … 90.

    A plain text input: phones' decimal keypads often have no minus sign, and
    every latitude in Indonesia south of the equator is negative.
    """

    limit = 90

    def parse(self, text: str) -> float:
        """The latitude, or a field error saying the expected form."""
        value = read_degrees(text, self.limit)
        if value is None:
            raise tk.FieldError(
                tk._("Write decimal degrees from -%(n)s to %(n)s, e.g. -7.9666.", n=self.limit)
            )
        return value


class LongitudeField(LatitudeField):
    """A longitude in decimal degrees, -180 … 180."""

    limit = 180
