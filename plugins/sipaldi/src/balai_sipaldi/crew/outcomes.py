"""What follows a visit's move: the tank's new due day, or a new visit after a failed one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from balai import toolkit as tk

from balai_sipaldi.planning.service import PlacementError, place, working_days
from balai_sipaldi.premises.schedule import next_due
from balai_sipaldi.settings import settings_of
from balai_sipaldi.tables import Premises, Truck, Visit, VisitStatus

RETRY_DAYS = 14
METRIC_DONE = "sipaldi.visits_done"
METRIC_ON_SCHEDULE = "sipaldi.visits_on_schedule"


async def after_visit_move(record: dict[str, Any], step: Any) -> None:
    """In the move's transaction: a done visit resets the schedule, a failed one retries."""
    name = step.transition
    if name == "done":
        await tank_emptied(record)
    elif name in ("not_home", "refused"):
        await retry(record)


async def tank_emptied(visit: dict[str, Any]) -> None:
    """The premises was emptied on the visit's day: its next due day counts from there.

    Counted for the dashboard on the visit's day: a visit done, and one done
    on schedule (by the due day it was planned for, or with none known).
    """
    settings = settings_of(tk.current_city())
    day = visit["day"]
    await tk.bump_metric(METRIC_DONE, 1, day=day)
    if visit["due_day"] is None or day <= visit["due_day"]:
        await tk.bump_metric(METRIC_ON_SCHEDULE, 1, day=day)
    await Premises.update(
        {Premises.last_desludged: day, Premises.next_due: next_due(settings, day, day)}
    ).where(Premises.id == visit["premises_id"])


async def retry(visit: dict[str, Any]) -> int | None:
    """Plan the premises again on the same truck's first working day with room; the new visit's id.

    ``None`` when the truck has no room in the next two weeks: the premises
    stays due without an open visit, so the nightly planner takes it up.
    """
    truck = await Truck.select().where(Truck.id == visit["truck_id"]).first()
    if truck is None:
        return None
    candidate = {**visit, "id": -1}
    for day in working_days(visit["day"] + timedelta(days=1), RETRY_DAYS):
        try:
            trip, position = await place(candidate, truck, day)
        except PlacementError:
            continue
        rows = await Visit.insert(
            Visit(
                premises_id=visit["premises_id"],
                truck_id=truck["id"],
                day=day,
                trip=trip,
                position=position,
                planned_litres=visit["planned_litres"],
                due_day=visit["due_day"],
                status=VisitStatus.SCHEDULED.value,
                kind="retry",
                created_at=datetime.now(UTC),
            )
        ).returning(Visit.id)
        return rows[0]["id"]
    return None
