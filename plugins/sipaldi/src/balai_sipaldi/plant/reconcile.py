"""Collected vs delivered, per truck and day: sludge that does not reach the plant is flagged.

Collected is what the crews recorded pumping on their done visits that day;
delivered what the plant measured from that truck that day. A day whose
delivered volume falls short of the collected by more than the city's
``gap_tolerance_percent`` of the collected is flagged (integer arithmetic:
``(collected - delivered) × 100 > tolerance × collected``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from balai_sipaldi.tables import Delivery, Truck, Visit, VisitStatus


@dataclass(frozen=True)
class TruckDay:
    """One truck's day at the plant."""

    day: date
    truck_id: int
    plate: str
    collected_litres: int
    delivered_litres: int
    flagged: bool

    @property
    def gap_litres(self) -> int:
        """Collected but not delivered (negative when more arrived than was recorded)."""
        return self.collected_litres - self.delivered_litres


def is_gap(collected: int, delivered: int, tolerance_percent: int) -> bool:
    """Whether ``delivered`` falls short of ``collected`` by more than the tolerance."""
    return (collected - delivered) * 100 > tolerance_percent * collected


async def truck_days(first: date, last: date, tolerance_percent: int) -> list[TruckDay]:
    """Every truck day from ``first`` to ``last`` with something collected or delivered."""
    collected: dict[tuple[date, int], int] = defaultdict(int)
    delivered: dict[tuple[date, int], int] = defaultdict(int)
    for visit in await Visit.select(Visit.day, Visit.truck_id, Visit.volume_litres).where(
        (Visit.day >= first) & (Visit.day <= last) & (Visit.status == VisitStatus.DONE.value)
    ):
        collected[(visit["day"], visit["truck_id"])] += visit["volume_litres"] or 0
    for row in await Delivery.select(Delivery.day, Delivery.truck_id, Delivery.volume_litres).where(
        (Delivery.day >= first) & (Delivery.day <= last)
    ):
        delivered[(row["day"], row["truck_id"])] += row["volume_litres"]
    plates = {t["id"]: t["plate"] for t in await Truck.select(Truck.id, Truck.plate)}
    keys = sorted(set(collected) | set(delivered))
    return [
        TruckDay(
            day=day,
            truck_id=truck_id,
            plate=plates.get(truck_id, "?"),
            collected_litres=collected[(day, truck_id)],
            delivered_litres=delivered[(day, truck_id)],
            flagged=is_gap(
                collected[(day, truck_id)], delivered[(day, truck_id)], tolerance_percent
            ),
        )
        for day, truck_id in keys
    ]
