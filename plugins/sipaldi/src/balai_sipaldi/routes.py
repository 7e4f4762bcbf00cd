"""The public desludging page: how the schedule works, the fee, and the way in.

No addresses here: a household's tanks are on its own pages
(:mod:`balai_sipaldi.premises.routes`).
"""

from __future__ import annotations

from balai import toolkit as tk
from litestar import Request, Response, get

from balai_sipaldi.dated import city_today
from balai_sipaldi.fees.tariff import disposal_fee, tariff_on
from balai_sipaldi.premises.schedule import interval_rule
from balai_sipaldi.settings import settings_of

TYPICAL_TANK_LITRES = 2000


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
        },
    )


PAGES = [index]
