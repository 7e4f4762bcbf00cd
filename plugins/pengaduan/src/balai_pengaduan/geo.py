"""Points on the map: reading typed coordinates and measuring distances."""

from __future__ import annotations

import math
import re

from balai import toolkit as tk

EARTH_RADIUS_M = 6_371_008.8
_DEGREES = re.compile(r"^-?[0-9]{1,3}(\.[0-9]{1,9})?$")


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance between two points, in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def box_around(lat: float, lon: float, radius_m: float) -> tuple[float, float, float, float]:
    """A box (south, west, north, east) holding every point within ``radius_m``.

    Used to let the database narrow the candidates before the exact distance.
    """
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlon = dlat / max(math.cos(math.radians(lat)), 1e-6)
    return lat - dlat, lon - dlon, lat + dlat, lon + dlon


def read_degrees(text: str, limit: float) -> float:
    """Decimal degrees typed as ``-7.9666`` (ASCII digits, a dot), within ``±limit``.

    Raises:
        FieldError: not such a number.
    """
    if not _DEGREES.match(text):
        raise tk.FieldError(tk._("Write decimal degrees, such as -7.9666."))
    value = float(text)
    if abs(value) > limit:
        raise tk.FieldError(tk._("Write decimal degrees, such as -7.9666."))
    return value


class LatitudeField(tk.Field):
    """A latitude in decimal degrees (filled by the map, or typed)."""

    max_input = 20

    def parse(self, text: str) -> float:
        """The latitude, -90 to 90."""
        return read_degrees(text, 90)


class LongitudeField(tk.Field):
    """A longitude in decimal degrees (filled by the map, or typed)."""

    max_input = 20

    def parse(self, text: str) -> float:
        """The longitude, -180 to 180."""
        return read_degrees(text, 180)
