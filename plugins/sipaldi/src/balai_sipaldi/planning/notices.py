"""Households are told ahead of a visit: one message per ``notify_days`` entry (14 and 3 days).

A daily job finds the published visits (scheduled or confirmed) whose day
is that many days away or closer and that have not had that notice yet, and
queues the message through the core's notifications; ``Visit.notices_sent``
records which were sent (so a rerun sends nothing twice, and a visit moved
by the household is told again for its new day).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from balai import toolkit as tk

from balai_sipaldi.settings import settings_of
from balai_sipaldi.tables import Operator, Premises, Truck, Visit
from balai_sipaldi.visits import WAITING

KIND = "sipaldi.visit_notice"


def notices_due(days_ahead: int, notify_days: tuple[int, ...], sent: str) -> list[int]:
    """The notices (days before) a visit ``days_ahead`` away should have had and has not."""
    done = {int(part) for part in sent.split(",") if part.isdigit()}
    return sorted(n for n in notify_days if days_ahead <= n and n not in done)


async def send_notices(city: tk.City, **_kwargs: Any) -> int:
    """Queue the notices due today; how many messages were queued."""
    settings = settings_of(city)
    if not settings.notify_days:
        return 0
    today = datetime.now(city.tz).date()
    horizon = today + timedelta(days=max(settings.notify_days))
    visits = await Visit.select().where(
        Visit.status.is_in(list(WAITING)) & (Visit.day > today) & (Visit.day <= horizon)
    )
    sent = 0
    for visit in visits:
        due = notices_due((visit["day"] - today).days, settings.notify_days, visit["notices_sent"])
        if not due:
            continue
        premises = await Premises.select().where(Premises.id == visit["premises_id"]).first()
        truck = await Truck.select().where(Truck.id == visit["truck_id"]).first()
        operator = await Operator.select().where(Operator.id == truck["operator_id"]).first()
        if premises and premises["owner_id"]:
            await tk.notify(
                premises["owner_id"],
                KIND,
                {
                    "visit_id": visit["id"],
                    "address": premises["address"],
                    "day": visit["day"].strftime("%d-%m-%Y"),
                    "days": (visit["day"] - today).days,
                    "operator": operator["name"] if operator else "",
                    "service_fee": operator["service_fee"] if operator else 0,
                },
            )
            sent += 1
        done = sorted({*due, *(int(p) for p in visit["notices_sent"].split(",") if p.isdigit())})
        await Visit.update({Visit.notices_sent: ",".join(map(str, done))}).where(
            Visit.id == visit["id"]
        )
    return sent
