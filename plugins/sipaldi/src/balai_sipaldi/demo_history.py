"""Three years of demo history: every demo tank's last emptying as a done visit, delivered.

Deterministic (seeded by the city). Each premises emptied in the last three
years gets a done visit on that day by a truck serving its kecamatan; each
truck's visits of a day go to the plant in loads within its capacity. About
one truck day in twelve delivers less than was pumped (beyond the tolerance),
so the reconciliation and the mayor's dashboard have gaps to flag; about
one visit in seven was late (done after the tank's due day), the rest on
schedule, so the mayor's "on schedule" figure means something in any month. The daily
metrics are counted as the real moves count them, and the disposal fees are
billed as the gate bills them (none paid: the demo citizen has one to pay).
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from balai import toolkit as tk

from balai_sipaldi.crew.outcomes import METRIC_DONE, METRIC_ON_SCHEDULE
from balai_sipaldi.fees.billing import bill_delivery
from balai_sipaldi.plant.gate import METRIC_DELIVERED
from balai_sipaldi.tables import Delivery, Premises, ServiceArea, Truck, Visit, VisitStatus

HISTORY_DAYS = 3 * 365
GAP_EVERY = 12  # about one truck day in twelve loses a part of its load
GAP_SHARE = 0.7  # what such a day delivers of what was pumped
LATE_SHARE = 0.15  # visits done after the tank's due day; the rest by it (mostly on schedule)


async def seed_history(rng: random.Random) -> dict[str, int]:
    """Done visits, deliveries, fees and metrics of the tanks emptied in the last three years."""
    city = tk.current_city()
    today = datetime.now(city.tz).date()
    trucks = {t["id"]: t for t in await Truck.select()}
    serving: dict[str, list[int]] = defaultdict(list)
    areas = await ServiceArea.select(ServiceArea.operator_id, ServiceArea.kecamatan).distinct()
    for area in areas:
        for truck in trucks.values():
            if truck["operator_id"] == area["operator_id"]:
                serving[area["kecamatan"]].append(truck["id"])
    premises = await (
        Premises.select()
        .where(Premises.last_desludged >= today - timedelta(days=HISTORY_DAYS))
        .order_by(Premises.id)
    )
    now = datetime.now(UTC)
    by_truck_day: dict[tuple, list[dict]] = defaultdict(list)
    for row in premises:
        choices = serving.get(row["kecamatan"])
        if not choices:
            continue
        truck = trucks[rng.choice(sorted(set(choices)))]
        day = row["last_desludged"]
        litres = min(
            truck["capacity_litres"], round(row["tank_litres"] * rng.uniform(0.8, 1.0), -1)
        )
        visit = Visit(
            premises_id=row["id"],
            truck_id=truck["id"],
            day=day,
            planned_litres=row["tank_litres"],
            due_day=due_day(rng, day),
            status=VisitStatus.DONE.value,
            volume_litres=int(litres),
            done_at=datetime.combine(day, time(10), city.tz).astimezone(UTC),
            created_at=now,
        )
        by_truck_day[(day, truck["id"])].append(visit)
    visits = deliveries = gaps = 0
    for number, ((day, truck_id), day_visits) in enumerate(sorted(by_truck_day.items())):
        await Visit.insert(*day_visits)
        stored = await (
            Visit.select()
            .where((Visit.day == day) & (Visit.truck_id == truck_id) & Visit.delivery_id.is_null())
            .where(Visit.status == VisitStatus.DONE.value)
            .order_by(Visit.id)
        )
        gap = number % GAP_EVERY == GAP_EVERY - 1
        gaps += gap
        for trip, load in enumerate(loads(stored, trucks[truck_id]["capacity_litres"]), start=1):
            pumped = sum(v["volume_litres"] for v in load)
            delivered = int(pumped * GAP_SHARE) if gap else pumped
            arrived = datetime.combine(day, time(12 + trip), city.tz).astimezone(UTC)
            rows = await Delivery.insert(
                Delivery(
                    truck_id=truck_id,
                    day=day,
                    arrived_at=arrived,
                    volume_litres=delivered,
                    collected_litres=pumped,
                )
            ).returning(Delivery.id)
            delivery_id = rows[0]["id"]
            await Visit.update({Visit.delivery_id: delivery_id, Visit.trip: trip}).where(
                Visit.id.is_in([v["id"] for v in load])
            )
            await bill_delivery(delivery_id, day, truck_id, delivered, load)
            await tk.bump_metric(METRIC_DELIVERED, delivered, day=day)
            deliveries += 1
        for visit in stored:
            await tk.bump_metric(METRIC_DONE, 1, day=day)
            if day <= visit["due_day"]:
                await tk.bump_metric(METRIC_ON_SCHEDULE, 1, day=day)
            visits += 1
    return {"visits": visits, "deliveries": deliveries, "gap_days": gaps}


def due_day(rng: random.Random, day: date) -> date:
    """The due day of a history visit done on ``day``: mostly days after it, some before (late)."""
    if rng.random() < LATE_SHARE:
        return day - timedelta(days=rng.randint(1, 25))
    return day + timedelta(days=rng.randint(0, 30))


def loads(visits: list[dict], capacity: int) -> list[list[dict]]:
    """The visits split into truck loads in order, each within ``capacity``."""
    out: list[list[dict]] = []
    room = 0
    for visit in visits:
        if not out or visit["volume_litres"] > room:
            out.append([])
            room = capacity
        out[-1].append(visit)
        room -= visit["volume_litres"]
    return out
