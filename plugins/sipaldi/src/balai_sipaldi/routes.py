"""The public desludging page: how the schedule works, the fee, and the way in.

The coming visits are counted per day and kecamatan, never with an
address: a household's tanks are on its own pages
(:mod:`balai_sipaldi.premises.routes`).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from balai import toolkit as tk
from litestar import Request, Response, get

from balai_sipaldi.dated import city_today
from balai_sipaldi.fees.tariff import disposal_fee, tariff_on
from balai_sipaldi.premises.schedule import interval_rule
from balai_sipaldi.settings import settings_of
from balai_sipaldi.tables import Premises, Visit
from balai_sipaldi.visits import WAITING

TYPICAL_TANK_LITRES = 2000
PLANNED_DAYS = 14


async def planned_visits(today: date) -> list[dict]:
    """Published visits of the coming two weeks, counted per day and kecamatan (no address)."""
    visits = await Visit.select(Visit.day, Visit.premises_id).where(
        Visit.status.is_in(list(WAITING))
        & (Visit.day >= today)
        & (Visit.day < today + timedelta(days=PLANNED_DAYS))
    )
    ids = list({v["premises_id"] for v in visits})
    kecamatan = {
        p["id"]: p["kecamatan"]
        for p in (
            await Premises.select(Premises.id, Premises.kecamatan).where(Premises.id.is_in(ids))
            if ids
            else []
        )
    }
    counts = Counter((v["day"], kecamatan.get(v["premises_id"], "")) for v in visits)
    return [
        {"day": day, "kecamatan": name, "visits": count}
        for (day, name), count in sorted(counts.items())
    ]


@get("/", opt=tk.PUBLIC, name="sipaldi:index")
async def index(request: Request) -> Response:
    """How often tanks are emptied, the disposal fee, and where to register a tank."""
    settings = settings_of(tk.current_city())
    today = city_today()
    tariff = tariff_on(settings, today)
    return await tk.render(
        request,
        "sipaldi/index.html",
        {
            "schedule": interval_rule(settings, today),
            "tariff": tariff,
            "typical_m3": TYPICAL_TANK_LITRES // 1000,
            "typical_fee": disposal_fee(TYPICAL_TANK_LITRES, tariff.per_m3) if tariff else None,
            "visits": await planned_visits(today),
        },
    )


PAGES = [index]
