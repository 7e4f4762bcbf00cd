"""The planner: each day's visits per truck for the premises due, zone by zone.

Pure Python over plain tuples, so that a year for 200,000 premises plans in
seconds (``bench/sipaldi_plan_run.py``). The rules it keeps, whatever the
registry (``tests/test_planner.py`` checks them over random registries):

* a truck's trip never carries more than its capacity (the tanks' volumes
  add up to at most ``capacity``), and a truck never makes more than its
  ``trips_per_day`` trips in a day;
* a truck only visits the zones (kelurahan) its operator serves;
* a premises is visited at most once, never more than ``lead_days``
  before it is due;
* a truck works zone by zone: it stays in the zone it is in while that zone
  has premises ready, and otherwise moves to the zone whose first premises is
  the most overdue.

A premises whose tank is larger than every truck serving its zone cannot be
planned; it is returned as such, for officers to arrange by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

#: (premises id, zone, due day as a date ordinal, tank litres)
Premises = tuple[int, str, int, int]
#: (truck id, zones served, capacity litres, trips per day)
Truck = tuple[int, frozenset[str], int, int]
#: (day ordinal, truck id, trip from 1, position in the trip from 1, premises id, litres)
Stop = tuple[int, int, int, int, int, int]

#: How far past the head of a zone's queue a trip looks for a tank that still fits.
FIT_WINDOW = 8


class _Zone:
    """The premises of one zone, by due day, with a cursor past the ones taken."""

    __slots__ = ("due", "head", "ids", "litres", "taken")

    def __init__(self, rows: list[Premises]) -> None:
        rows.sort(key=lambda row: (row[2], row[0]))
        self.ids = [row[0] for row in rows]
        self.due = [row[2] for row in rows]
        self.litres = [row[3] for row in rows]
        self.taken = [False] * len(rows)
        self.head = 0

    def first_due(self) -> int | None:
        """The due day of the first premises not yet taken (``None`` when all are)."""
        taken, head = self.taken, self.head
        while head < len(taken) and taken[head]:
            head += 1
        self.head = head
        return self.due[head] if head < len(taken) else None


def plan(
    premises: Iterable[Premises],
    trucks: Sequence[Truck],
    days: Sequence[int],
    *,
    lead_days: int = 0,
    used_trips: Mapping[tuple[int, int], int] | None = None,
) -> tuple[list[Stop], list[int]]:
    """Plan visits on ``days`` (date ordinals, in order) for ``premises`` with ``trucks``.

    ``used_trips`` gives, per ``(day, truck id)``, the trips already planned
    earlier (visits kept from an earlier run): new trips are numbered after
    them and count against ``trips_per_day``.

    Returns:
        The stops, by day, truck, trip and position; and the ids of the
        premises no truck serving their zone can hold (too large, or no truck).
    """
    largest: dict[str, int] = {}
    for _id, zones, capacity, trips in trucks:
        if trips < 1 or capacity < 1:
            continue
        for zone in zones:
            largest[zone] = max(largest.get(zone, 0), capacity)
    by_zone: dict[str, list[Premises]] = {}
    unplannable: list[int] = []
    for row in premises:
        if row[3] > largest.get(row[1], 0):
            unplannable.append(row[0])
        else:
            by_zone.setdefault(row[1], []).append(row)
    zones = {name: _Zone(rows) for name, rows in by_zone.items()}
    served = [
        (truck_id, sorted(z for z in truck_zones if z in zones), capacity, trips)
        for truck_id, truck_zones, capacity, trips in sorted(trucks)
        if trips >= 1 and capacity >= 1
    ]
    stops: list[Stop] = []
    current: dict[int, str] = {}
    for day in days:
        ready_by = day + lead_days
        for truck_id, truck_zones, capacity, trips in served:
            left = truck_zones
            first = (used_trips.get((day, truck_id), 0) if used_trips else 0) + 1
            for trip in range(first, trips + 1):
                loaded: list[tuple[int, int]] = []
                while not loaded:
                    zone = _choose_zone(zones, left, current.get(truck_id), ready_by)
                    if zone is None:
                        break
                    current[truck_id] = zone
                    loaded = _load_trip(zones[zone], capacity, ready_by)
                    if not loaded:  # only tanks too large for this truck are ready there
                        left = [name for name in left if name != zone]
                if not loaded:
                    break
                stops.extend(
                    (day, truck_id, trip, position, premises_id, litres)
                    for position, (premises_id, litres) in enumerate(loaded, start=1)
                )
    return stops, unplannable


def _choose_zone(
    zones: dict[str, _Zone], truck_zones: list[str], current: str | None, ready_by: int
) -> str | None:
    """The zone the truck works next: the one it is in while ready, else the most overdue."""
    if current is not None and current in truck_zones:
        due = zones[current].first_due()
        if due is not None and due <= ready_by:
            return current
    best, best_due = None, None
    for name in truck_zones:
        due = zones[name].first_due()
        if due is not None and due <= ready_by and (best_due is None or due < best_due):
            best, best_due = name, due
    return best


def _load_trip(zone: _Zone, capacity: int, ready_by: int) -> list[tuple[int, int]]:
    """Take the zone's ready premises in due order while they fit one trip of ``capacity``.

    A tank that does not fit what is left is passed over for the next few
    (``FIT_WINDOW``), so that one large tank does not end a trip half empty;
    an empty trip looks as far as it must for a tank it can hold.
    """
    loaded: list[tuple[int, int]] = []
    room = capacity
    index, skipped = zone.head, 0
    ids, due, litres, taken = zone.ids, zone.due, zone.litres, zone.taken
    while index < len(ids) and skipped <= FIT_WINDOW and room > 0:
        if due[index] > ready_by:
            break
        if not taken[index]:
            if litres[index] <= room:
                taken[index] = True
                room -= litres[index]
                loaded.append((ids[index], litres[index]))
            elif loaded:  # an empty trip looks on until a tank fits
                skipped += 1
        index += 1
    return loaded
