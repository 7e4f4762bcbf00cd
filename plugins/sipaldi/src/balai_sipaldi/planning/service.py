"""Running the planner on the city's registry, and the officers' adjustments.

Reads plain tuples (two statements), plans in memory
(:func:`balai_sipaldi.planning.planner.plan`) and writes the proposals with
multi-row inserts. Visits an officer moves keep the same rules as the
planner: a trip never above the truck's capacity, a day never above its trips.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

from balai import toolkit as tk

from balai_sipaldi.planning.planner import Premises as PlanPremises
from balai_sipaldi.planning.planner import Truck as PlanTruck
from balai_sipaldi.planning.planner import plan
from balai_sipaldi.settings import settings_of
from balai_sipaldi.tables import OPEN_VISIT, Premises, ServiceArea, Truck, Visit

INSERT_BATCH = 1000
SUNDAY = 6


def working_days(start: date, count: int) -> list[date]:
    """``count`` days from ``start`` on, Sundays left out (crews rest)."""
    days: list[date] = []
    day = start
    while len(days) < count:
        if day.weekday() != SUNDAY:
            days.append(day)
        day += timedelta(days=1)
    return days


async def registry_due(last_day: date, lead_days: int) -> list[PlanPremises]:
    """The premises due by ``last_day + lead_days`` without an open visit, as planner tuples."""
    open_premises = Visit.select(Visit.premises_id).where(Visit.status.is_in(list(OPEN_VISIT)))
    rows = await (
        Premises.select(Premises.id, Premises.kelurahan, Premises.next_due, Premises.tank_litres)
        .where(Premises.next_due.is_not_null())
        .where(Premises.next_due <= last_day + timedelta(days=lead_days))
        .where(Premises.id.not_in(open_premises))
        .output(as_list=False)
    )
    return [(r["id"], r["kelurahan"], r["next_due"].toordinal(), r["tank_litres"]) for r in rows]


async def fleet() -> list[PlanTruck]:
    """The active trucks with the kelurahan their operator serves, as planner tuples."""
    areas: dict[int, set[str]] = defaultdict(set)
    for row in await ServiceArea.select(ServiceArea.operator_id, ServiceArea.kelurahan):
        areas[row["operator_id"]].add(row["kelurahan"])
    trucks = await Truck.select().where(Truck.active.eq(True)).order_by(Truck.id)
    return [
        (
            t["id"],
            frozenset(areas.get(t["operator_id"], ())),
            t["capacity_litres"],
            t["trips_per_day"],
        )
        for t in trucks
    ]


async def trips_in_use(first: date, last: date) -> dict[tuple[int, int], int]:
    """Per ``(day ordinal, truck id)``, the highest trip number of open visits in the range."""
    rows = await Visit.select(Visit.day, Visit.truck_id, Visit.trip).where(
        (Visit.day >= first) & (Visit.day <= last) & Visit.status.is_in(list(OPEN_VISIT))
    )
    used: dict[tuple[int, int], int] = {}
    for row in rows:
        key = (row["day"].toordinal(), row["truck_id"])
        used[key] = max(used.get(key, 0), row["trip"])
    return used


async def propose(start: date, count: int) -> dict[str, int]:
    """Plan ``count`` working days from ``start`` and store the proposals; what was done."""
    settings = settings_of(tk.current_city())
    days = working_days(start, count)
    premises = await registry_due(days[-1], settings.lead_days)
    trucks = await fleet()
    used = await trips_in_use(days[0], days[-1])
    stops, unplannable = plan(
        premises,
        trucks,
        [d.toordinal() for d in days],
        lead_days=settings.lead_days,
        used_trips=used,
    )
    due = {row[0]: date.fromordinal(row[2]) for row in premises}
    await insert_stops(stops, due)
    return {"proposed": len(stops), "unplannable": len(unplannable), "due": len(premises)}


async def insert_stops(
    stops: list[tuple[int, int, int, int, int, int]], due: dict[int, date]
) -> None:
    """Write planner stops as proposed visits with each premises' due day, 1,000 rows at a time."""
    now = datetime.now(UTC)
    for first in range(0, len(stops), INSERT_BATCH):
        await Visit.insert(
            *(
                Visit(
                    premises_id=premises_id,
                    truck_id=truck_id,
                    day=date.fromordinal(day),
                    trip=trip,
                    position=position,
                    planned_litres=litres,
                    due_day=due.get(premises_id),
                    created_at=now,
                )
                for day, truck_id, trip, position, premises_id, litres in stops[
                    first : first + INSERT_BATCH
                ]
            )
        )


async def run_planner(city: tk.City, **_kwargs: Any) -> dict[str, int]:
    """The nightly job: propose visits for the coming ``plan_days`` working days."""
    settings = settings_of(city)
    tomorrow = datetime.now(city.tz).date() + timedelta(days=1)
    return await propose(tomorrow, settings.plan_days)


class PlacementError(Exception):
    """A visit cannot go on that truck's day; ``str()`` is the translated reason."""


async def place(visit: dict[str, Any], truck: dict[str, Any], day: date) -> tuple[int, int]:
    """The trip and position for ``visit`` on ``truck``'s ``day``, within its capacity and trips.

    Joins the first trip with room for its volume, else opens the next trip.

    Raises:
        PlacementError: every trip of that day is full and no trip is left.
    """
    rows = await Visit.select(Visit.trip, Visit.position, Visit.planned_litres).where(
        (Visit.truck_id == truck["id"])
        & (Visit.day == day)
        & Visit.status.is_in(list(OPEN_VISIT))
        & (Visit.id != visit["id"])
    )
    load: dict[int, int] = defaultdict(int)
    last: dict[int, int] = defaultdict(int)
    for row in rows:
        load[row["trip"]] += row["planned_litres"]
        last[row["trip"]] = max(last[row["trip"]], row["position"])
    if visit["planned_litres"] > truck["capacity_litres"]:
        raise PlacementError(tk._("The tank is larger than this truck carries."))
    for trip in range(1, truck["trips_per_day"] + 1):
        if load[trip] + visit["planned_litres"] <= truck["capacity_litres"]:
            return trip, last[trip] + 1
    raise PlacementError(tk._("This truck has no room left on that day."))


async def move_visit(visit: dict[str, Any], truck: dict[str, Any], day: date) -> None:
    """Put ``visit`` on ``truck``'s ``day`` (checked by :func:`place`)."""
    trip, position = await place(visit, truck, day)
    await Visit.update(
        {Visit.truck_id: truck["id"], Visit.day: day, Visit.trip: trip, Visit.position: position}
    ).where(Visit.id == visit["id"])
