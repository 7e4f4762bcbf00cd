"""A walk's legs: distance between consecutive stops and the time to walk and visit them."""

from __future__ import annotations

import math
from dataclasses import dataclass

from balai_wisata_heritage.geo import distance_m

#: An unhurried walking pace through a kampung, with crossings (km/h).
WALKING_KMH = 4.0
#: Straight-line distance times this is the street distance (streets are not straight).
DETOUR = 1.25


@dataclass(frozen=True)
class Leg:
    """One stop with the walk to it from the previous stop (0 for the first)."""

    stop: dict
    metres: int
    walk_minutes: int


def walking_minutes(metres: float) -> int:
    """Minutes to walk ``metres`` at :data:`WALKING_KMH`, rounded up."""
    return math.ceil(metres / (WALKING_KMH * 1000 / 60)) if metres > 0 else 0


def legs(stops: list[dict]) -> list[Leg]:
    """The legs of ``stops`` in order (each with ``latitude``/``longitude`` and ``minutes``).

    A leg to or from a stop without coordinates counts 0 m: the officer sees
    such stops flagged on the edit page.
    """
    found: list[Leg] = []
    previous: dict | None = None
    for stop in stops:
        metres = 0.0
        if previous is not None and _placed(previous) and _placed(stop):
            straight = distance_m(
                previous["latitude"], previous["longitude"], stop["latitude"], stop["longitude"]
            )
            metres = straight * DETOUR
        found.append(Leg(stop, round(metres), walking_minutes(metres)))
        previous = stop
    return found


def totals(route: list[Leg]) -> tuple[int, int]:
    """The walk's whole distance (m) and time (min): walking plus the time at each stop."""
    metres = sum(leg.metres for leg in route)
    minutes = sum(leg.walk_minutes + int(leg.stop["minutes"]) for leg in route)
    return metres, minutes


def _placed(stop: dict) -> bool:
    return stop["latitude"] is not None and stop["longitude"] is not None
