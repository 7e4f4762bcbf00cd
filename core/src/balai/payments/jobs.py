"""The payments service's jobs: expiring overdue invoices and the daily reconciliation.

Both run without a request; they reach the plugin registry (to call the
``invoice_expired`` hooks) and the application (the gateway's settings, the
in-process sandbox bank) through the ``JobContext`` the runner gives them.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from balai.jobs.types import JobContext
from balai.payments import ledger, reconcile
from balai.tenants import City

EXPIRY_EVERY = timedelta(minutes=5)
RECONCILE_AT = time(1, 0)


async def expire_invoices(city: City, *, context: JobContext, **kwargs: Any) -> None:
    """Expire the city's overdue pending invoices (calls ``invoice_expired`` once each)."""
    await ledger.expire_overdue(registry=context.ui.registry)


async def reconcile_payments(
    city: City, day: str = "", *, context: JobContext, **kwargs: Any
) -> None:
    """Compare yesterday's (or ``day``'s) gateway payments with the gateway's report."""
    await reconcile.reconcile_day(
        context.app, date.fromisoformat(day) if day else reconcile.yesterday_wib()
    )


def declared_jobs() -> list[Any]:
    """The jobs, as ``toolkit.Job`` values."""
    from balai.jobs.types import Job

    return [
        Job(
            name="payments.expire_invoices",
            run=expire_invoices,
            every=EXPIRY_EVERY,
            description="Expire pending invoices whose due time has passed.",
        ),
        Job(
            name="payments.reconcile",
            run=reconcile_payments,
            daily_at=RECONCILE_AT,
            description="Compare yesterday's gateway payments with the settlement report.",
        ),
    ]
